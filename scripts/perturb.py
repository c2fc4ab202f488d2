#!/usr/bin/env python3
"""How much do ricochet's answers depend on the surface of a bounce rather than its content?

Rewrites every bounce of a directory (by default ../shared/corpus/set-of-emails/maildir/bsd, which
is not part of this repository) in ways that keep what the bounce says and change how it is
carried, runs ricochet on each rewrite, and counts how many (file, recipient, reason) answers stay
what they were on the originals:

  crlf, cr       line ends rewritten as CRLF / bare CR;
  base64, qp     7bit text parts re-encoded;
  attached       the bounce forwarded by a person as a message/rfc822 attachment;
  inline         the bounce's text parts pasted under a mail client's "Forwarded message" marker
                 (delivery-status parts are lost that way: a weaker reading is expected);
  no-status      delivery-status parts removed (only the text written for people is left);
  renamed        the failed recipients' local parts replaced by random letters throughout.

Usage: scripts/perturb.py [--ricochet build/release/ricochet] [--corpus DIR] [--keep DIR]
The numbers are a measure, not a test: nothing here fails.
"""
import argparse
import base64
import email
import email.policy
import json
import os
import quopri
import random
import re
import shutil
import subprocess
import sys
import tempfile


def parse(data):
    return email.message_from_bytes(data, policy=email.policy.compat32)


def serialise(msg):
    try:
        return msg.as_bytes()
    except Exception:  # a part Python cannot write back: leave the file out of that variant
        return None


def lf(data):
    return data.replace(b"\r\n", b"\n")


def reencode(data, how):
    msg = parse(data)
    changed = False
    for part in msg.walk():
        if part.is_multipart() or part.get_content_type() != "text/plain":
            continue
        if part.get("Content-Transfer-Encoding", "7bit").lower() in ("base64", "quoted-printable"):
            continue
        raw = part.get_payload(decode=True)
        if raw is None:
            continue
        del part["Content-Transfer-Encoding"]
        if how == "base64":
            part.set_payload(base64.encodebytes(raw).decode("ascii"))
        else:
            part.set_payload(quopri.encodestring(raw).decode("latin-1"))
        part["Content-Transfer-Encoding"] = "base64" if how == "base64" else "quoted-printable"
        changed = True
    return serialise(msg) if changed else None


def attached(data):
    return (b"From: Dana Example <dana@corp.example>\nTo: helpdesk@corp.example\n"
            b"Subject: Fwd: why did this come back?\nDate: Mon, 4 Mar 2024 09:00:00 +0100\nMIME-Version: 1.0\n"
            b"Content-Type: multipart/mixed; boundary=\"perturb-outer\"\n\n"
            b"--perturb-outer\nContent-Type: text/plain; charset=UTF-8\n\nWhat does this mean?\n\n"
            b"--perturb-outer\nContent-Type: message/rfc822\n\n" + lf(data) + b"\n--perturb-outer--\n")


def text_of(part):
    raw = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return raw.decode(charset, errors="replace")
    except LookupError:
        return raw.decode("utf-8", errors="replace")


def inline(data):
    msg = parse(data)
    texts = [text_of(p) for p in msg.walk() if not p.is_multipart() and p.get_content_type() == "text/plain"]
    if not texts:
        return None
    def h(name):
        return str(msg.get(name, "")).replace("\n", " ").replace("\r", "")
    out = ("From: Dana Example <dana@corp.example>\nTo: helpdesk@corp.example\nSubject: Fwd: " + h("Subject") + "\n"
           "Date: Mon, 4 Mar 2024 09:00:00 +0100\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
           "Content-Transfer-Encoding: 8bit\n\nWhat does this mean?\n\n---------- Forwarded message ---------\n"
           "From: " + h("From") + "\nDate: " + h("Date") + "\nSubject: " + h("Subject") + "\nTo: " + h("To") + "\n\n" +
           "\n\n".join(texts) + "\n")
    return out.encode("utf-8", errors="replace")


def no_status(data):
    msg = parse(data)
    changed = False
    for part in msg.walk():
        if not part.is_multipart() or not isinstance(part.get_payload(), list):
            continue
        kept = [p for p in part.get_payload()
                if p.get_content_type() not in ("message/delivery-status", "message/global-delivery-status")]
        if len(kept) != len(part.get_payload()):
            part.set_payload(kept)
            changed = True
    return serialise(msg) if changed else None


def renamed(data, recipients, rng, mapping, name):
    for rcpt in recipients:
        local = rcpt.split("@")[0]
        if len(local) < 4:
            continue
        new = "".join(rng.choice("abcdefghjkmnpqrstuvwxyz") for _ in local)
        mapping[(name, rcpt.lower())] = (new + "@" + rcpt.split("@", 1)[1]).lower()
        data = re.sub(re.escape(local.encode()) + rb"(?=@)", new.encode(), data, flags=re.I)
    return data


def answers(ricochet, directory):
    out = subprocess.run([ricochet, "analyze", "--quiet", "--format", "jsonl", directory],
                         capture_output=True, check=False).stdout.decode("utf-8", errors="replace")
    got = {}
    for line in out.splitlines():
        try:
            r = json.loads(line)
        except ValueError:
            continue
        got[(os.path.basename(r["source"]), r["recipient"].lower())] = r["reason"]
    return got


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ricochet", default="build/release/ricochet")
    ap.add_argument("--corpus", default="../shared/corpus/set-of-emails/maildir/bsd")
    ap.add_argument("--keep", help="write the variants here instead of a temporary directory")
    args = ap.parse_args()
    if not os.path.isdir(args.corpus):
        sys.exit(f"no corpus at {args.corpus}")
    work = args.keep or tempfile.mkdtemp(prefix="ricochet-perturb-")
    files = sorted(f for f in os.listdir(args.corpus) if os.path.isfile(os.path.join(args.corpus, f)))
    base = answers(args.ricochet, args.corpus)
    recipients = {}
    for (name, rcpt) in base:
        if rcpt:
            recipients.setdefault(name, []).append(rcpt)
    rng = random.Random(7)
    mapping = {}
    variants = {
        "crlf": lambda d, n: lf(d).replace(b"\n", b"\r\n"),
        "cr": lambda d, n: lf(d).replace(b"\n", b"\r"),
        "base64": lambda d, n: reencode(d, "base64"),
        "qp": lambda d, n: reencode(d, "qp"),
        "attached": lambda d, n: attached(d),
        "inline": lambda d, n: inline(d),
        "no-status": lambda d, n: no_status(d),
        "renamed": lambda d, n: renamed(d, recipients.get(n, []), rng, mapping, n),
    }
    print(f"{'variant':10} {'files':>6} {'answers':>8} {'same':>6} {'same %':>7}")
    for vname, make in variants.items():
        vdir = os.path.join(work, vname)
        os.makedirs(vdir, exist_ok=True)
        written = set()
        for name in files:
            if name not in recipients:
                continue
            with open(os.path.join(args.corpus, name), "rb") as fh:
                data = make(fh.read(), name)
            if data is None:
                continue
            with open(os.path.join(vdir, name), "wb") as fh:
                fh.write(data)
            written.add(name)
        got = answers(args.ricochet, vdir)
        total = same = 0
        for (name, rcpt), reason in base.items():
            if name not in written or not rcpt:
                continue
            total += 1
            key = (name, mapping.get((name, rcpt), rcpt)) if vname == "renamed" else (name, rcpt)
            same += got.get(key) == reason
        pct = 100.0 * same / total if total else 0.0
        print(f"{vname:10} {len(written):6} {total:8} {same:6} {pct:6.1f}%")
    if not args.keep:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
