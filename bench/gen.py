#!/usr/bin/python3
"""Input generators for bench/compare.sh (standard library only).

  gen.py corpus OUTDIR FIXTURE... [--copies N]
      A stand-in corpus when the public one is absent: every fixture replicated N times into OUTDIR,
      the local part of each address varied per copy (alice@example.com -> alice.c17@example.com).

  gen.py mbox OUT DIR [--repeat N] [--target-bytes B]
      An mbox of every regular file under DIR (name order, like ricochet reads a directory),
      repeated N times, or as many times as reach B bytes. mboxrd quoting: a body line
      "(>*)From " gets one more ">"; a file that already begins with a "From " line keeps it as its
      separator. Prints "messages bytes".

  gen.py bigmsg OUT [--mb N]
      One bounce (Postfix-style multipart/report) whose attached original message carries an
      N MB base64 attachment. Prints "bytes".
"""
import argparse
import base64
import os
import re
import sys

SEPARATOR = b"From MAILER-DAEMON Fri Mar  1 10:15:03 2024\n"
FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)
ADDRESS = re.compile(rb"([A-Za-z0-9._%+-]+)@([A-Za-z0-9-]+\.)*(example\.(?:com|net|org)|example)\b")


def list_files(root):
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for f in filenames:
            p = os.path.join(dirpath, f)
            if os.path.isfile(p):
                out.append(p)
    return sorted(out)


def as_mbox_entry(data):
    """One message as it sits in an mbox: separator, quoted body, blank line."""
    sep = SEPARATOR
    if data.startswith(b"From "):
        nl = data.find(b"\n")
        sep, data = data[: nl + 1], data[nl + 1 :]
    data = FROM_LINE.sub(rb">\1", data)
    if not data.endswith(b"\n"):
        data += b"\n"
    return sep + data + b"\n"


def cmd_corpus(a):
    os.makedirs(a.outdir, exist_ok=True)
    n = 0
    for copy in range(a.copies):
        for fx in sorted(a.fixtures):
            with open(fx, "rb") as f:
                data = f.read()
            tag = b".c%d" % copy
            data = ADDRESS.sub(lambda m: m.group(1) + tag + b"@" + m.group(0)[len(m.group(1)) + 1 :], data)
            name = "%04d-%s" % (copy, os.path.basename(fx))
            with open(os.path.join(a.outdir, name), "wb") as f:
                f.write(data)
            n += 1
    print(n)


def cmd_mbox(a):
    files = list_files(a.dir)
    chunk = bytearray()
    for p in files:
        with open(p, "rb") as f:
            chunk += as_mbox_entry(f.read())
    chunk = bytes(chunk)
    repeat = a.repeat
    if a.target_bytes:
        repeat = max(1, -(-a.target_bytes // len(chunk)))
    with open(a.out, "wb") as f:
        for _ in range(repeat):
            f.write(chunk)
    print(len(files) * repeat, len(chunk) * repeat)


BIG_HEAD = b"""Return-Path: <>
Received: by mail.example.com (Postfix) id 7B3C2D0; Fri,  1 Mar 2024 10:15:03 +0000 (UTC)
Date: Fri,  1 Mar 2024 10:15:03 +0000 (UTC)
From: MAILER-DAEMON@mail.example.com (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: alice@example.com
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="7B3C2D0.1709288103/mail.example.com"
Message-Id: <20240301101503.7B3C2D0@mail.example.com>

This is a MIME-encapsulated message.

--7B3C2D0.1709288103/mail.example.com
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.example.com.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<bob@example.net>: host mx1.example.net[192.0.2.25] said: 552 5.3.4 Message
    size exceeds fixed maximum message size (in reply to end of DATA command)

--7B3C2D0.1709288103/mail.example.com
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.com
X-Postfix-Queue-ID: 7B3C2D0
Arrival-Date: Fri,  1 Mar 2024 10:14:40 +0000 (UTC)

Final-Recipient: rfc822; bob@example.net
Original-Recipient: rfc822;bob@example.net
Action: failed
Status: 5.3.4
Remote-MTA: dns; mx1.example.net
Diagnostic-Code: smtp; 552 5.3.4 Message size exceeds fixed maximum message size

--7B3C2D0.1709288103/mail.example.com
Content-Description: Undelivered Message
Content-Type: message/rfc822

Return-Path: <alice@example.com>
From: Alice <alice@example.com>
To: Bob <bob@example.net>
Subject: the video
Date: Fri,  1 Mar 2024 10:14:39 +0000
Message-Id: <big-1@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="orig-boundary-42"

--orig-boundary-42
Content-Type: text/plain; charset=us-ascii

Here it is.

--orig-boundary-42
Content-Type: application/octet-stream; name="video.bin"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="video.bin"

"""
BIG_TAIL = b"""
--orig-boundary-42--

--7B3C2D0.1709288103/mail.example.com--
"""


def cmd_bigmsg(a):
    target = a.mb * 1_000_000
    # 57 raw bytes -> one 76-character base64 line; build a 1 MiB-ish block of lines and repeat it.
    raw = bytes((i * 131 + 7) & 0xFF for i in range(57 * 13797))
    block = base64.encodebytes(raw)  # 76-char lines, "\n" ended
    with open(a.out, "wb") as f:
        f.write(BIG_HEAD)
        written = len(BIG_HEAD)
        while written + len(block) + len(BIG_TAIL) <= target:
            f.write(block)
            written += len(block)
        f.write(BIG_TAIL)
        written += len(BIG_TAIL)
    print(written)


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("corpus")
    p.add_argument("outdir")
    p.add_argument("fixtures", nargs="+")
    p.add_argument("--copies", type=int, default=48)
    p = sub.add_parser("mbox")
    p.add_argument("out")
    p.add_argument("dir")
    p.add_argument("--repeat", type=int, default=1)
    p.add_argument("--target-bytes", type=int, default=0)
    p = sub.add_parser("bigmsg")
    p.add_argument("out")
    p.add_argument("--mb", type=int, default=100)
    a = ap.parse_args()
    {"corpus": cmd_corpus, "mbox": cmd_mbox, "bigmsg": cmd_bigmsg}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
