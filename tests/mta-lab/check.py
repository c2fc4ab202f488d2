#!/usr/bin/env python3
"""Check ricochet against the bounces that real MTAs produced in the lab (tests/mta-lab/run.sh).

  check.py RICOCHET_BINARY FIXTURES_DIR [--strict]

Each line of FIXTURES_DIR/expected.jsonl is one failed recipient of one fixture (file, recipient,
reason, category, status, reply_code, hard; optionally reasons: every reason that is acceptable, the
preferred one first, and statuses likewise). Runs `RICOCHET_BINARY analyze --format jsonl` once on
all the fixtures and compares each line's recipient's record: reason, status and hard (with
--strict also category and reply_code). A fixture must give exactly as many records as it has
lines. Prints a diff per mismatch and exits 1 if there is any; every .eml in the folder must have
an expected line. Python 3 standard library only.
"""
import json
import os
import subprocess
import sys

FIELDS = ["recipient", "reason", "status", "hard"]
INFO_FIELDS = ["category", "reply_code"]


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    strict = "--strict" in argv
    if len(args) != 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    binary, fixtures = args
    compared = FIELDS + (INFO_FIELDS if strict else [])
    exp_path = os.path.join(fixtures, "expected.jsonl")
    with open(exp_path, encoding="utf-8") as f:
        expected = [json.loads(line) for line in f if line.strip()]
    passed = failed = 0
    listed = {e["file"] for e in expected}
    for name in sorted(os.listdir(fixtures)):
        if name.endswith(".eml") and name not in listed:
            print(f"FAIL {name}: no line in expected.jsonl")
            failed += 1

    per_file = {}
    for e in expected:
        per_file[e["file"]] = per_file.get(e["file"], 0) + 1
    # One run over every fixture (a run per file is slow under the sanitizers); each record names
    # the file it came from.
    paths = [os.path.join(fixtures, name) for name in sorted(per_file)]
    try:
        r = subprocess.run([binary, "analyze", "--format", "jsonl"] + paths, capture_output=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        print(f"FAIL: could not run ricochet: {e}")
        return 1
    by_file = {}
    for line in r.stdout.decode("utf-8", "replace").splitlines():
        if line.strip():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue
            by_file.setdefault(os.path.basename(rec.get("source", "")), []).append(rec)
    run_problem = ""
    if r.returncode != 0:
        run_problem = f"exit status {r.returncode}: {r.stderr.decode('utf-8', 'replace').strip()}"
    for exp in expected:
        records = by_file.get(exp["file"], [])
        problems = [run_problem] if run_problem else []
        if len(records) != per_file[exp["file"]]:
            problems.append(f"{len(records)} records, expected {per_file[exp['file']]}: "
                            + "; ".join(f"{x.get('recipient')} {x.get('reason')}" for x in records))
        rec = next((x for x in records if x.get("recipient") == exp["recipient"]), None)
        if rec is None:
            problems.append(f"no record for {exp['recipient']}")
            rec = {}
        diffs = [(k, exp.get(k), rec.get(k)) for k in compared if rec.get(k) != exp.get(k)
                 and not (k == "reason" and rec.get(k) in exp.get("reasons", []))
                 and not (k == "status" and rec.get(k) in exp.get("statuses", []))]
        if problems or diffs:
            failed += 1
            print(f"FAIL {exp['file']} {exp['recipient']}")
            for p in problems:
                print(f"    {p}")
            for k, want, got in diffs:
                if k == "reason" and exp.get("reasons"):
                    want = " or ".join(exp["reasons"])
                print(f"    {k:<11} expected {json.dumps(want)}  got {json.dumps(got)}")
            if rec:
                print(f"    diagnostic: {rec.get('diagnostic', '')[:200]}")
                print(f"    rule: {rec.get('rule')}  mta: {rec.get('mta')}  category: {rec.get('category')}")
        else:
            passed += 1
            notes = [f"{k} {json.dumps(rec.get(k))} (expected {json.dumps(exp.get(k))})"
                     for k in INFO_FIELDS if rec.get(k) != exp.get(k)]
            print(f"ok   {exp['file']} {exp['recipient']}" + (f"  [note: {'; '.join(notes)}]" if notes else ""))
    print(f"mta-lab: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
