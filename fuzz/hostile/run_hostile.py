#!/usr/bin/env python3
"""run_hostile: the hostile-input test. Generates the set (gen_hostile.py) into --out, then runs

    ricochet analyze --format jsonl --threads 1 --quiet FILE

once per file, and checks for every file:
  - the exit status is 0 or 1: no signal, no sanitizer report (sanitizers are told to exit 86);
  - the time, less the CLI's start-up time (measured first), is under --limit seconds per message
    plus --per-record seconds per record printed (0 by default; sanitizer builds pass a small
    allowance: there, printing and classifying 10,000 records alone takes seconds); the
    big-attachment file gets --big-limit seconds; a run is killed after --kill-after times its
    bound (a hang);
  - stdout is valid UTF-8 JSONL, one object per line, each with a `source` of the file (path#N for
    an mbox message);
  - the records that the manifest expects are there: the `source` path#N of every message after
    the broken one of an mbox, and recipients of bounces that survive their hostile part.

Exit status 0 when every file passes. Standard library only.
"""

import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_hostile  # noqa: E402

SANITIZER_EXIT = 86
SANITIZER_MARKS = (b"ERROR: AddressSanitizer", b"ERROR: LeakSanitizer", b"runtime error:", b"ERROR: UndefinedBehaviorSanitizer")


def sanitizer_env():
    env = dict(os.environ)
    for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        prev = env.get(var, "")
        env[var] = (prev + ":" if prev else "") + f"exitcode={SANITIZER_EXIT}"
    return env


def run_one(ricochet, path, timeout, env):
    t0 = time.monotonic()
    try:
        p = subprocess.run(
            [ricochet, "analyze", "--format", "jsonl", "--threads", "1", "--quiet", path],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout, env=env,
        )
    except subprocess.TimeoutExpired as e:
        return None, e.stdout or b"", e.stderr or b"", time.monotonic() - t0
    return p.returncode, p.stdout, p.stderr, time.monotonic() - t0


def startup_time(ricochet, out, env):
    path = os.path.join(out, "startup.eml")
    with open(path, "w") as f:
        f.write("From: a@b.example\nSubject: hello\n\nnot a bounce\n")
    times = []
    for _ in range(3):
        rc, _, err, secs = run_one(ricochet, path, 30, env)
        if rc != 0:
            sys.exit(f"run_hostile: the CLI fails on a plain message (exit {rc}): {err.decode(errors='replace')[-2000:]}")
        times.append(secs)
    return min(times)


def check_output(entry, path, stdout):
    """Problems with the JSONL of one file (empty list when fine)."""
    problems = []
    try:
        text = stdout.decode("utf-8")
    except UnicodeDecodeError as e:
        return [f"stdout is not UTF-8: {e}"]
    sources, recipients = set(), set()
    for n, line in enumerate(text.splitlines(), 1):
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"stdout line {n} is not JSON: {e}: {line[:200]!r}")
            continue
        if not isinstance(obj, dict):
            problems.append(f"stdout line {n} is not an object")
            continue
        src = obj.get("source", "")
        if src != path and not src.startswith(path + "#"):
            problems.append(f"stdout line {n}: source {src!r} is not this file")
        sources.add(src[len(path):])
        recipients.add(obj.get("recipient", ""))
    for s in entry.get("sources", []):
        if s not in sources:
            problems.append(f"no record for message {path}{s} (records seen for: {sorted(sources) or 'none'})")
    for r in entry.get("recipients", []):
        if r not in recipients:
            problems.append(f"recipient {r} not reported")
    return problems


def main():
    ap = argparse.ArgumentParser(description="ricochet hostile-input test")
    ap.add_argument("--ricochet", required=True, help="path of the ricochet CLI")
    ap.add_argument("--seeds", required=True, help="seed bounce messages (truncated by the generator)")
    ap.add_argument("--out", required=True, help="where the hostile set is generated")
    ap.add_argument("--limit", type=float, default=1.0, help="seconds per message (default 1)")
    ap.add_argument("--big-limit", type=float, default=20.0, help="seconds for the 100 MB message (default 20)")
    ap.add_argument("--per-record", type=float, default=0.0, help="extra seconds allowed per record printed (sanitizer builds)")
    ap.add_argument("--max-records", type=int, default=10000, help="records the CLI prints at most per message (limits::max_recipients)")
    ap.add_argument("--kill-after", type=float, default=2.0, help="a run is killed after this many times its bound")
    ap.add_argument("--big-mb", type=int, default=100, help="size of the big attachment in MB")
    ap.add_argument("--only", default="", help="run only files whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep the generated files (default: delete the big ones)")
    args = ap.parse_args()

    t_start = time.monotonic()
    manifest = gen_hostile.generate(args.seeds, args.out, args.big_mb)
    t_gen = time.monotonic() - t_start
    env = sanitizer_env()
    startup = startup_time(args.ricochet, args.out, env)
    print(f"generated {len(manifest)} files in {t_gen:.1f} s; CLI start-up {startup:.3f} s", flush=True)

    failures = []
    groups = {}
    slowest = []
    for entry in manifest:
        if args.only and args.only not in entry["name"]:
            continue
        path = os.path.join(args.out, entry["name"])
        messages = entry.get("messages", 1)
        bound = args.big_limit if entry["group"] == "big" else args.limit * messages
        # The run is killed at the bound for the most records the file could yield; the bound
        # checked afterwards counts the records actually printed.
        kill = startup + (bound + args.per_record * args.max_records * messages) * args.kill_after
        rc, out, err, secs = run_one(args.ricochet, path, kill, env)
        records = out.count(b"\n")
        bound += args.per_record * records
        net = max(0.0, secs - startup)
        g = groups.setdefault(entry["group"], [0, 0.0, 0.0])
        g[0] += 1
        g[1] += secs
        g[2] = max(g[2], net)
        slowest.append((net, entry["name"]))
        problems = []
        if rc is None:
            problems.append(f"killed after {secs:.1f} s: a hang, or far too slow (bound {bound:.1f} s + {args.per_record} s per record)")
        elif rc < 0:
            problems.append(f"killed by signal {-rc}")
        elif rc == SANITIZER_EXIT or any(m in err for m in SANITIZER_MARKS):
            problems.append("sanitizer report")
        elif rc not in (0, 1):
            problems.append(f"exit status {rc}")
        if rc is not None and net > bound:
            problems.append(f"took {net:.2f} s beyond start-up (bound {bound:.1f} s)")
        if rc in (0, 1):
            problems += check_output(entry, path, out)
        if problems:
            tail = err.decode("utf-8", "replace")[-3000:]
            failures.append((entry["name"], problems, tail))
            print(f"FAIL {entry['name']} ({secs:.2f} s): " + "; ".join(problems), flush=True)

    print("\ngroup           files   total s   slowest s (beyond start-up)")
    for name, (n, total, worst) in groups.items():
        print(f"{name:<14} {n:6d} {total:9.1f} {worst:11.3f}")
    print("\nslowest files:")
    for net, name in sorted(slowest, reverse=True)[:12]:
        print(f"  {net:7.3f} s  {name}")
    print(f"\ntotal {time.monotonic() - t_start:.1f} s")

    if not args.keep and not failures:
        for entry in manifest:
            if entry["group"] in ("big", "recipients"):
                try:
                    os.remove(os.path.join(args.out, entry["name"]))
                except OSError:
                    pass

    if failures:
        print(f"\n{len(failures)} of {sum(g[0] for g in groups.values())} hostile inputs failed:")
        for name, problems, tail in failures:
            print(f"\n== {name}\n  " + "\n  ".join(problems))
            if tail.strip():
                print("  stderr (end):\n    " + tail.replace("\n", "\n    "))
        return 1
    print(f"all {sum(g[0] for g in groups.values())} hostile inputs passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
