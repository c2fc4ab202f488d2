#!/usr/bin/python3
"""Whole-process measurements for bench/compare.sh (standard library only).

  measure.py run --results FILE --case CASE --tool TOOL --messages N --bytes B [--runs 5]
                 [--out FILE] [--keep-out] -- COMMAND...
      Runs COMMAND --runs times under /usr/bin/time -v (stdout to --out, default a temporary file),
      wall time by a monotonic clock around each run. Prints one line: median wall time, emails/s,
      MB/s (10^6 bytes of input per second), peak RSS (the largest "Maximum resident set size" of
      the runs) and what the tool found: "records=R" (jsonl lines for ricochet, or the
      "messages=N records=R" line that the peer scripts print). Appends the numbers as one JSON line
      to --results.

  measure.py ratios --results FILE --case CASE
      ricochet / sisimai and ricochet / flufl for a case: throughput (how many times faster) and
      peak RSS.

  measure.py scaling --results FILE --case1 CASE --case2 CASE
      Speed-up of the second case (ricochet --threads 2) over the first (--threads 1).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time


def peak_rss_kb(time_output):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", time_output)
    return int(m.group(1)) if m else 0


def cpu_seconds(time_output):
    u = re.search(r"User time \(seconds\): ([0-9.]+)", time_output)
    s = re.search(r"System time \(seconds\): ([0-9.]+)", time_output)
    return (float(u.group(1)) if u else 0.0) + (float(s.group(1)) if s else 0.0)


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 20)
            if not b:
                return n
            n += b.count(b"\n")


def found(path):
    """What the tool reported: the peers print messages=N records=R; ricochet prints jsonl records."""
    with open(path, "rb") as f:
        head = f.read(200)
    m = re.match(rb"messages=(\d+) records=(\d+)", head)
    if m:
        return {"tool_messages": int(m.group(1)), "records": int(m.group(2))}
    return {"records": count_lines(path)}


def tree_rss_kb(pid):
    """The resident set of a process and all its descendants, summed (kB); 0 once it is gone."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open("/proc/%d/status" % p) as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            with open("/proc/%d/task/%d/children" % (p, p)) as f:
                todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return total


def run_once(command, out, tfile):
    """One run under /usr/bin/time -v: (wall s, cpu s, peak RSS kB, exit status, stderr tail).
    The peak RSS is the larger of what time(1) reports (the largest single process) and the sum over
    the process tree sampled every 20 ms (ricochet's worker processes count with their parent)."""
    with open(out, "wb") as o, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(["/usr/bin/time", "-v", "-o", tfile] + command, stdout=o, stderr=err)
        tree_peak = 0
        while p.poll() is None:
            tree_peak = max(tree_peak, tree_rss_kb(p.pid) - (tree_rss_kb_self(p.pid)))
            time.sleep(0.02)
        wall = time.perf_counter() - t0
        err.seek(0)
        tail = err.read()[-500:]
    with open(tfile) as f:
        t = f.read()
    return wall, cpu_seconds(t), max(peak_rss_kb(t), tree_peak), p.returncode, tail.decode(errors="replace")


def tree_rss_kb_self(pid):
    """The RSS of /usr/bin/time itself, which is not the measured program."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def report(a, case, walls, cpus, rss, status, info):
    wall = statistics.median(walls)
    row = {
        "case": case,
        "tool": a.tool,
        "runs": len(walls),
        "messages": a.messages,
        "bytes": a.bytes,
        "wall_median_s": wall,
        "wall_min_s": min(walls),
        "wall_max_s": max(walls),
        "cpu_median_s": statistics.median(cpus),
        "emails_per_s": a.messages / wall,
        "mb_per_s": a.bytes / 1e6 / wall,
        "peak_rss_kb": max(rss),
        "exit": status,
    }
    row.update(info)
    with open(a.results, "a") as f:
        f.write(json.dumps(row) + "\n")
    extra = "records=%d" % row["records"]
    if "tool_messages" in row:
        extra = "messages=%d %s" % (row["tool_messages"], extra)
    if status:
        extra += " EXIT=%d" % status
    print("%-12s %-16s %6d msgs %7.1f MB  wall %7.3f s (median of %d; cpu %7.3f s)  %7.0f emails/s  %7.2f MB/s  peak RSS %6.1f MB  %s"
          % (case, a.tool, a.messages, a.bytes / 1e6, wall, len(walls), row["cpu_median_s"], row["emails_per_s"],
             row["mb_per_s"], row["peak_rss_kb"] / 1024, extra), flush=True)


def cmd_run(a):
    """--runs runs of the command; with --alt V1,V2 and --alt-cases C1,C2 the command's "{}" takes each
    value in turn, run after run (V1, V2, V1, V2, ...), so that both variants see the same machine."""
    tmpdir = tempfile.mkdtemp(prefix="ricochet-measure-")
    out = a.out or os.path.join(tmpdir, "stdout")
    tfile = os.path.join(tmpdir, "time")
    values = a.alt.split(",") if a.alt else [None]
    cases = a.alt_cases.split(",") if a.alt else [a.case]
    if len(cases) != len(values):
        sys.exit("measure.py: --alt and --alt-cases differ in length")
    res = {v: ([], [], [], 0) for v in values}
    info = {}
    for _ in range(a.runs):
        for v in values:
            cmd = [x.replace("{}", v) for x in a.command] if v is not None else a.command
            wall, cpu, rss, rc, err = run_once(cmd, out, tfile)
            w, c, r, st = res[v]
            w.append(wall)
            c.append(cpu)
            r.append(rss)
            if rc != 0:
                res[v] = (w, c, r, rc)
                sys.stderr.write("%s: exit %d: %s\n" % (a.tool, rc, err))
            info[v] = found(out)
    if not a.keep_out and not a.out:
        os.unlink(out)
    os.unlink(tfile)
    os.rmdir(tmpdir)
    for v, case in zip(values, cases):
        w, c, r, st = res[v]
        report(a, case, w, c, r, st, info[v])


def load(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]


def pick(rows, case, tool):
    for r in reversed(rows):
        if r["case"] == case and r["tool"] == tool:
            return r
    return None


def cmd_ratios(a):
    rows = load(a.results)
    me = pick(rows, a.case, a.tool)
    if not me:
        return
    for peer in ("sisimai", "flufl"):
        p = pick(rows, a.case, peer)
        if not p:
            continue
        print("%-12s ricochet/%-7s throughput x%.2f (%.0f vs %.0f emails/s; by cpu time x%.2f)   peak RSS x%.2f (%.1f vs %.1f MB)"
              % (a.case, peer, me["emails_per_s"] / p["emails_per_s"], me["emails_per_s"], p["emails_per_s"],
                 p["cpu_median_s"] / me["cpu_median_s"] if me["cpu_median_s"] else 0.0,
                 me["peak_rss_kb"] / p["peak_rss_kb"], me["peak_rss_kb"] / 1024, p["peak_rss_kb"] / 1024), flush=True)


def cmd_scaling(a):
    rows = load(a.results)
    one = pick(rows, a.case1, "ricochet")
    two = pick(rows, a.case2, "ricochet")
    if not one or not two:
        return
    print("%-12s ricochet --threads 2 vs 1: x%.2f (%.0f vs %.0f emails/s; wall %.3f vs %.3f s; cpu %.3f vs %.3f s)"
          % ("scaling", two["emails_per_s"] / one["emails_per_s"], two["emails_per_s"], one["emails_per_s"],
             two["wall_median_s"], one["wall_median_s"], two["cpu_median_s"], one["cpu_median_s"]), flush=True)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("run")
    p.add_argument("--results", required=True)
    p.add_argument("--case", required=True)
    p.add_argument("--tool", required=True)
    p.add_argument("--messages", type=int, required=True)
    p.add_argument("--bytes", type=int, required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--out")
    p.add_argument("--keep-out", action="store_true")
    p.add_argument("--alt", help="comma-separated values for the command's {} (alternated run by run)")
    p.add_argument("--alt-cases", help="the case name of each --alt value")
    p.add_argument("command", nargs=argparse.REMAINDER)
    p = sub.add_parser("ratios")
    p.add_argument("--results", required=True)
    p.add_argument("--case", required=True)
    p.add_argument("--tool", default="ricochet")
    p = sub.add_parser("scaling")
    p.add_argument("--results", required=True)
    p.add_argument("--case1", required=True)
    p.add_argument("--case2", required=True)
    a = ap.parse_args()
    if a.cmd == "run":
        if a.command and a.command[0] == "--":
            a.command = a.command[1:]
        if not a.command:
            ap.error("run: no command")
        cmd_run(a)
    elif a.cmd == "ratios":
        cmd_ratios(a)
    else:
        cmd_scaling(a)


if __name__ == "__main__":
    main()
