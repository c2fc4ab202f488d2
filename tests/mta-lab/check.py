#!/usr/bin/env python3
"""Check ricochet against the bounces that real MTAs produced in the lab (tests/mta-lab/run.sh).

  check.py RICOCHET_BINARY FIXTURES_DIR [--strict]

For each line of FIXTURES_DIR/expected.jsonl (file, recipient, reason, category, status, reply_code,
hard; optionally reasons: every reason that is acceptable, the preferred one first) runs `RICOCHET_BINARY analyze --format jsonl FIXTURES_DIR/<file>` and compares recipient,
reason, status and hard (with --strict also category and reply_code). A fixture must give exactly one
record. Prints a diff per mismatch and exits 1 if there is any; every .eml in the folder must have
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

    for exp in expected:
        path = os.path.join(fixtures, exp["file"])
        try:
            r = subprocess.run([binary, "analyze", "--format", "jsonl", path], capture_output=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as e:
            print(f"FAIL {exp['file']}: could not run ricochet: {e}")
            failed += 1
            continue
        out = r.stdout.decode("utf-8", "replace")
        records = []
        for line in out.splitlines():
            if line.strip():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
        problems = []
        if r.returncode != 0:
            problems.append(f"exit status {r.returncode}: {r.stderr.decode('utf-8', 'replace').strip()}")
        if len(records) != 1:
            problems.append(f"{len(records)} records, expected 1: "
                            + "; ".join(f"{x.get('recipient')} {x.get('reason')}" for x in records))
        rec = next((x for x in records if x.get("recipient") == exp["recipient"]),
                   records[0] if records else {})
        diffs = [(k, exp.get(k), rec.get(k)) for k in compared if rec.get(k) != exp.get(k)
                 and not (k == "reason" and rec.get(k) in exp.get("reasons", []))]
        if problems or diffs:
            failed += 1
            print(f"FAIL {exp['file']}")
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
            print(f"ok   {exp['file']}" + (f"  [note: {'; '.join(notes)}]" if notes else ""))
    print(f"mta-lab: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
