#!/usr/bin/env python3
"""gen_hostile: writes the hostile-input set into a directory (python3, standard library only).

    gen_hostile.py --seeds fuzz/seeds/analyze --out build/dev/fuzz/hostile [--big-mb 100]

Every file is deterministic (fixed random seeds). Besides the inputs, OUT/manifest.json lists each
file with what the driver (run_hostile.py) checks:

    name       path relative to OUT
    group      truncated, random, mutated, big, nested, recipients, nul, long-line, encoding, mbox
    messages   how many messages the file holds (its time bound is that many seconds)
    limit      seconds allowed for the whole file when it is not messages x 1 s (the 100 MB one)
    sources    "#N" suffixes of mbox messages whose records must be in the output
    recipients addresses that must be reported (the bounce survives the hostile part)

The inputs:
  - every seed truncated at many offsets (structural points: header end, boundaries, mid-line);
  - random bytes, random text, and seeds with random bytes flipped;
  - a bounce carrying a ~100 MB base64 application/octet-stream attachment;
  - 10,000-deep nested multiparts (also with "boundary = x" spacing, RFC 2231 boundary*0, no
    closing boundaries) and 10,000-deep nested message/rfc822;
  - one DSN with 100,000 recipients, one with 100,000 recipient blocks lacking Final-Recipient,
    and a plain-text bounce listing 100,000 refused addresses;
  - NUL bytes in headers, bodies, boundaries and DSN fields;
  - a 1 MB header line (unfolded, folded, in the DSN, in the address, body line without newline);
  - invalid charsets, broken RFC 2047 words, broken base64 and quoted-printable;
  - mbox files with a broken message in the middle (garbage, unterminated multipart, mail bomb,
    100,000 recipients): the messages after it must be analysed.
"""

import argparse
import base64
import json
import os
import random
import sys

CRLF = "\r\n"


def dsn_bounce(recipient, diagnostic="550 5.1.1 User unknown", status="5.1.1", extra_parts="", boundary="hostile_b"):
    """A small RFC 3464 multipart/report for `recipient`; `extra_parts` is appended before the end."""
    return (
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.hostile.example>\n"
        "To: sender@sender.example\n"
        "Subject: Delivery Status Notification (Failure)\n"
        "Date: Mon, 03 Jun 2024 10:00:00 +0000\n"
        "MIME-Version: 1.0\n"
        f'Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"\n'
        "\n"
        f"--{boundary}\n"
        "Content-Type: text/plain; charset=us-ascii\n"
        "\n"
        f"Delivery to {recipient} failed permanently.\n"
        "\n"
        f"--{boundary}\n"
        "Content-Type: message/delivery-status\n"
        "\n"
        "Reporting-MTA: dns; mx.hostile.example\n"
        "\n"
        f"Final-Recipient: rfc822; {recipient}\n"
        "Action: failed\n"
        f"Status: {status}\n"
        f"Diagnostic-Code: smtp; {diagnostic}\n"
        "\n"
        f"{extra_parts}"
        f"--{boundary}--\n"
    )


def postfix_bounce(recipient):
    return (
        "From: MAILER-DAEMON@smtp.hostile.example (Mail Delivery System)\n"
        "To: sender@sender.example\n"
        "Subject: Undelivered Mail Returned to Sender\n"
        "Date: Mon, 03 Jun 2024 10:00:00 +0000\n"
        "\n"
        "This is the mail system at host smtp.hostile.example.\n"
        "\n"
        f"<{recipient}>: host mx.example.org[198.51.100.3] said: 550 5.1.1\n"
        f"    <{recipient}>: Recipient address rejected: User unknown (in reply to\n"
        "    RCPT TO command)\n"
    )


class writer:
    def __init__(self, out):
        self.out = out
        self.manifest = []

    def add(self, name, data, group, messages=1, limit=None, sources=None, recipients=None):
        path = os.path.join(self.out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        with open(path, "wb") as f:
            f.write(data)
        entry = {"name": name, "group": group, "messages": messages}
        if limit is not None:
            entry["limit"] = limit
        if sources:
            entry["sources"] = sources
        if recipients:
            entry["recipients"] = recipients
        self.manifest.append(entry)

    def add_stream(self, name, chunks, group, **kw):
        """Like add() for big files: `chunks` is an iterable of bytes written one after another."""
        path = os.path.join(self.out, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            for c in chunks:
                f.write(c)
        entry = {"name": name, "group": group, "messages": kw.get("messages", 1)}
        for k in ("limit", "sources", "recipients"):
            if kw.get(k):
                entry[k] = kw[k]
        self.manifest.append(entry)


# ---------------------------------------------------------------------------------------------
# Truncations, random bytes, mutations.


def truncation_offsets(data, per_seed):
    """Structural cut points (header end, boundary lines, blank lines, line middles) plus evenly
    spaced ones, at most `per_seed`, always including the first bytes."""
    n = len(data)
    marks = {1, 2, 5, 17, n - 1}
    for needle in (b"\n\n", b"\r\n\r\n", b"\n--", b"Content-Type:", b"Final-Recipient:", b"Diagnostic-Code:", b"\nFrom "):
        p = data.find(needle)
        while p != -1:
            marks.update((p, p + 1, p + len(needle)))
            p = data.find(needle, p + 1)
    marks = sorted(m for m in marks if 0 < m < n)
    rng = random.Random(n)
    if len(marks) > per_seed // 2:
        marks = sorted(rng.sample(marks, per_seed // 2))
    even = [n * i // (per_seed - len(marks) + 1) for i in range(1, per_seed - len(marks) + 1)]
    return sorted(set(marks + [e for e in even if 0 < e < n]))[:per_seed]


def gen_truncated(w, seeds_dir, per_seed):
    for seed in sorted(os.listdir(seeds_dir)):
        path = os.path.join(seeds_dir, seed)
        if not os.path.isfile(path) or seed.startswith("regression-"):
            continue
        with open(path, "rb") as f:
            data = f.read()
        for off in truncation_offsets(data, per_seed):
            w.add(f"truncated/{seed}.{off:05d}", data[:off], "truncated")


def gen_random(w, seeds_dir):
    rng = random.Random(1)
    for size in (1, 7, 64, 512, 4096, 65536, 1 << 20):
        w.add(f"random/bytes-{size}", rng.randbytes(size), "random")
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789:;=<>@.-_ \t\n\n\n\r--\"'()"
    for size in (1000, 100000):
        w.add(f"random/text-{size}", "".join(rng.choice(alphabet) for _ in range(size)), "random")
    header = "From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail\nContent-Type: multipart/report; boundary=r\n\n"
    w.add("random/header-then-bytes", header.encode() + rng.randbytes(200000), "random")
    seeds = []
    for seed in sorted(os.listdir(seeds_dir)):
        path = os.path.join(seeds_dir, seed)
        if os.path.isfile(path) and not seed.startswith("regression-"):
            with open(path, "rb") as f:
                seeds.append((seed, f.read()))
    for i in range(24):
        name, data = seeds[i % len(seeds)]
        b = bytearray(data)
        for _ in range(1 + i % 8):
            b[rng.randrange(len(b))] = rng.randrange(256)
        if i % 3 == 0:  # also splice a piece of another seed in
            _, other = seeds[rng.randrange(len(seeds))]
            at = rng.randrange(len(b))
            a = rng.randrange(len(other))
            b[at:at] = other[a : a + rng.randrange(1, 400)]
        w.add(f"mutated/{name}.{i:02d}", bytes(b), "mutated")


# ---------------------------------------------------------------------------------------------
# Size and depth.


def gen_big_attachment(w, megabytes):
    """A DSN whose returned original carries a base64 application/octet-stream of ~`megabytes` MB
    (encoded size). The message is larger than limits::max_message_bytes: it is cut, and the
    report before the attachment must still be read."""
    head = dsn_bounce(
        "big@example.org",
        "552 5.3.4 Message size exceeds fixed maximum message size",
        "5.3.4",
        extra_parts=(
            "--hostile_b\n"
            "Content-Type: message/rfc822\n"
            "\n"
            "From: sender@sender.example\n"
            "To: big@example.org\n"
            "Subject: the big file\n"
            "MIME-Version: 1.0\n"
            'Content-Type: multipart/mixed; boundary="inner"\n'
            "\n"
            "--inner\n"
            "Content-Type: text/plain\n"
            "\n"
            "Here it is.\n"
            "--inner\n"
            'Content-Type: application/octet-stream; name="disk.img"\n'
            "Content-Transfer-Encoding: base64\n"
            'Content-Disposition: attachment; filename="disk.img"\n'
            "\n"
        ),
    )
    head, tail = head.rsplit("--hostile_b--\n", 1)
    raw_block = random.Random(2).randbytes(57 * 1024 * 64)  # 57 raw bytes make one 76-char line
    enc_block = base64.encodebytes(raw_block)
    blocks = max(1, megabytes * (1 << 20) // len(enc_block))

    def chunks():
        yield head.encode()
        for _ in range(blocks):
            yield enc_block
        yield b"--inner--\n\n--hostile_b--\n"

    w.add_stream("big/attachment-100mb.eml", chunks(), "big", limit=None, recipients=["big@example.org"])


def nested_multipart(depth, boundary_param, close=True, leaf="550 5.1.1 <deep@example.org>: User unknown\n"):
    parts = [
        "From: MAILER-DAEMON@nest.example\n",
        "To: sender@sender.example\n",
        "Subject: Undelivered Mail Returned to Sender\n",
        "MIME-Version: 1.0\n",
        f"Content-Type: multipart/mixed; {boundary_param('b0')}\n",
        "\n",
    ]
    for i in range(depth):
        parts.append(f"--b{i}\nContent-Type: multipart/mixed; {boundary_param(f'b{i + 1}')}\n\n")
    parts.append(f"--b{depth}\nContent-Type: text/plain\n\n{leaf}")
    if close:
        for i in range(depth, -1, -1):
            parts.append(f"--b{i}--\n")
    return "".join(parts)


def gen_nested(w, depth=10000):
    w.add("nested/multipart-10000.eml", nested_multipart(depth, lambda b: f'boundary="{b}"'), "nested")
    w.add("nested/multipart-10000-unclosed.eml", nested_multipart(depth, lambda b: f"boundary={b}", close=False), "nested")
    w.add("nested/multipart-10000-spaced.eml", nested_multipart(depth, lambda b: f'boundary = "{b}"'), "nested")
    w.add("nested/multipart-10000-rfc2231.eml", nested_multipart(depth, lambda b: f'boundary*0="{b}"'), "nested")
    w.add("nested/multipart-10000-uppercase.eml", nested_multipart(depth, lambda b: f"BOUNDARY={b}"), "nested")
    rfc822 = (
        "From: MAILER-DAEMON@nest.example\nTo: sender@sender.example\nSubject: Returned mail\n"
        "MIME-Version: 1.0\nContent-Type: message/rfc822\n\n"
        + "From: a@nest.example\nContent-Type: message/rfc822\n\n" * depth
        + "From: a@nest.example\nSubject: leaf\n\n550 5.1.1 <deep@example.org>: User unknown\n"
    )
    w.add("nested/rfc822-10000.eml", rfc822, "nested")
    report = (
        "From: MAILER-DAEMON@nest.example\nTo: sender@sender.example\nSubject: Returned mail\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n'
        "--r\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; deep@example.org\n"
        "Action: failed\nStatus: 5.1.1\n\n--r\nContent-Type: message/rfc822\n\n"
        + "Content-Type: message/rfc822\n\n" * depth
        + "Subject: leaf\n\nbody\n--r--\n"
    )
    w.add("nested/report-with-rfc822-10000.eml", report, "nested", recipients=["deep@example.org"])


def gen_recipients(w, count=100000):
    blocks = "".join(
        f"Final-Recipient: rfc822; user{i}@example.org\nAction: failed\nStatus: 5.1.1\n"
        f"Diagnostic-Code: smtp; 550 5.1.1 <user{i}@example.org>: User unknown\n\n"
        for i in range(count)
    )
    msg = (
        "From: MAILER-DAEMON@mass.example\nTo: sender@sender.example\nSubject: Delivery Status Notification\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="m"\n\n'
        "--m\nContent-Type: text/plain\n\n100000 recipients failed.\n\n"
        "--m\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mass.example\n\n" + blocks + "--m--\n"
    )
    w.add("recipients/dsn-100000.eml", msg, "recipients", recipients=["user0@example.org", "user5000@example.org"])
    nameless = "".join(f"Action: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 user{i} unknown\n\n" for i in range(count))
    msg2 = (
        "From: MAILER-DAEMON@mass.example\nTo: sender@sender.example\nSubject: Delivery Status Notification\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="m"\n\n'
        "--m\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mass.example\n\n" + nameless + "--m--\n"
    )
    w.add("recipients/dsn-100000-no-final-recipient.eml", msg2, "recipients")
    text = "".join(
        f"<user{i}@example.org>: host mx.example.org[198.51.100.3] said: 550 5.1.1 User unknown (in reply to RCPT TO command)\n\n"
        for i in range(count)
    )
    msg3 = (
        "From: MAILER-DAEMON@mass.example (Mail Delivery System)\nTo: sender@sender.example\n"
        "Subject: Undelivered Mail Returned to Sender\n\nThis is the mail system at host mass.example.\n\n" + text
    )
    w.add("recipients/postfix-text-100000.eml", msg3, "recipients", recipients=["user0@example.org"])
    # No known format: the heuristic reader looks for each address's paragraph.
    listing = "".join(f"user{i}@example.org: mailbox unavailable\n" for i in range(count))
    msg4 = (
        "From: postmaster@mass.example\nTo: sender@sender.example\nSubject: Delivery failure\n\n"
        "Your message could not be delivered to these addresses:\n\n" + listing
    )
    w.add("recipients/generic-text-100000.eml", msg4, "recipients", recipients=["user0@example.org"])
    # Recipients without a diagnostic: the text part is searched for each one's paragraph.
    bare = "".join(f"Final-Recipient: rfc822; user{i}@example.org\nAction: failed\nStatus: 5.0.0\n\n" for i in range(count))
    msg5 = (
        "From: MAILER-DAEMON@mass.example\nTo: sender@sender.example\nSubject: Delivery Status Notification\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="m"\n\n'
        "--m\nContent-Type: text/plain\n\n" + "The message could not be delivered to some recipients.\n" * 18000 +
        "\n--m\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mass.example\n\n" + bare + "--m--\n"
    )
    w.add("recipients/dsn-100000-no-diagnostic.eml", msg5, "recipients", recipients=["user0@example.org"])


# ---------------------------------------------------------------------------------------------
# NUL bytes, long lines, encodings.


def gen_nul(w):
    b = dsn_bounce("nul@example.org")
    w.add("nul/in-header-name.eml", b.replace("Subject:", "Sub\0ject:", 1), "nul")
    w.add("nul/in-header-value.eml", b.replace("Notification", "Noti\0\0fication", 1), "nul")
    w.add("nul/in-address.eml", b.replace("rfc822; nul@example.org", "rfc822; nul\0@example.org", 1), "nul")
    w.add("nul/in-boundary.eml", b.replace("hostile_b", "hostile\0b"), "nul")
    w.add("nul/in-dsn-fields.eml", b.replace("Action: failed\n", "Action:\0failed\0\n\0\n", 1), "nul")
    w.add("nul/in-body.eml", b.replace("failed permanently.", "failed\0" * 1000 + "permanently."), "nul",
          recipients=["nul@example.org"])
    w.add("nul/only-nul-64k", b"\0" * 65536, "nul")
    w.add("nul/header-then-nul", b"From: a@b.example\nSubject: x\n\n" + b"\0" * 100000, "nul")
    w.add("nul/every-other-byte.eml", "\0".join(b), "nul")


def gen_long_lines(w, size=1 << 20):
    b = dsn_bounce("long@example.org")
    w.add("long-line/subject-1mb.eml", b.replace("Subject: Delivery", "Subject: " + "x" * size + " Delivery", 1),
          "long-line", recipients=["long@example.org"])
    w.add("long-line/x-header-1mb.eml", "X-Junk: " + "y" * size + "\n" + b, "long-line", recipients=["long@example.org"])
    folded = "X-Folded: " + "\n ".join("z" * 70 for _ in range(size // 72)) + "\n"
    w.add("long-line/folded-header-1mb.eml", folded + b, "long-line", recipients=["long@example.org"])
    w.add("long-line/to-1mb-addresses.eml",
          b.replace("To: sender@sender.example", "To: " + ", ".join(f"u{i}@example.org" for i in range(size // 18)), 1),
          "long-line")
    w.add("long-line/diagnostic-1mb.eml", b.replace("550 5.1.1 User unknown", "550 5.1.1 " + "w " * (size // 2), 1),
          "long-line", recipients=["long@example.org"])
    w.add("long-line/address-1mb.eml", b.replace("rfc822; long@example.org", "rfc822; " + "l" * size + "@example.org", 1),
          "long-line")
    w.add("long-line/boundary-1mb.eml", b.replace("hostile_b", "B" * size), "long-line")
    w.add("long-line/body-no-newline.eml", "From: MAILER-DAEMON@x.example\nSubject: failure notice\n\n" + "v" * size,
          "long-line")
    w.add("long-line/header-no-colon.eml", "q" * size + "\n\nbody\n", "long-line")


def gen_encoding(w):
    b = dsn_bounce("enc@example.org")
    text_part = "Content-Type: text/plain; charset=us-ascii\n"

    def with_text(ct_and_cte, body):
        return b.replace(text_part + "\nDelivery to enc@example.org failed permanently.\n", ct_and_cte + "\n" + body + "\n", 1)

    cases = {
        "charset-unknown": with_text('Content-Type: text/plain; charset="x-no-such-charset"\n', "550 5.1.1 \xe9\xe8 unknown\n"),
        "charset-empty": with_text("Content-Type: text/plain; charset=\n", "abc \xff\xfe\n"),
        "charset-long": with_text("Content-Type: text/plain; charset=" + "k" * 5000 + "\n", "text\n"),
        "charset-utf7": with_text("Content-Type: text/plain; charset=utf-7\n", "+AGEAYgBj- +ZeVnLIqe-+++--\n"),
        "charset-utf16-odd": with_text("Content-Type: text/plain; charset=utf-16\n", "\xff\xfea\x00b"),
        "charset-utf32": with_text("Content-Type: text/plain; charset=utf-32\n", "abc"),
        "charset-iso2022-broken": with_text("Content-Type: text/plain; charset=iso-2022-jp\n", "\x1b$B\x30\x21\x1b(\x1b$\x1b$B\n"),
        "charset-gb2312-invalid": with_text("Content-Type: text/plain; charset=gb2312\n", "\xa1\xff\x81\x30\xfe\n"),
        "charset-quote-unbalanced": with_text('Content-Type: text/plain; charset="utf-8\n', "text\n"),
        "base64-invalid-chars": with_text("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n", "!!!!****####\n@@@@\n"),
        "base64-truncated": with_text("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n", "NTUwIDUuMS4xIFVzZXIgdW5rbm93b"),
        "base64-padding-only": with_text("Content-Type: text/plain\nContent-Transfer-Encoding: base64\n", "====\n" * 1000),
        "base64-binary-nul": with_text("Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n",
                                       base64.b64encode(bytes(range(256)) * 8).decode()),
        "qp-bad-escapes": with_text("Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n", "=ZZ=4=\n=G1 550 =3D=\n="),
        "qp-soft-break-flood": with_text("Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n", "=\n" * 50000),
        "qp-long-line": with_text("Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n", "=41" * 200000),
        "cte-unknown": with_text("Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n", "begin 644 x\n!!!!\nend\n"),
        "rfc2047-bad": b.replace("Subject: Delivery Status Notification (Failure)",
                                 "Subject: =?x-bogus?B?////?= =?utf-8?Q?=ZZ=?= =?utf-8?B?#$%^?= =?=?= =??B?YQ==?= =?utf-8*?B?YQ==?=", 1),
        "rfc2047-many-words": b.replace("Subject: Delivery Status Notification (Failure)",
                                        "Subject: " + " ".join(["=?utf-8?B?5Lya?="] * 20000), 1),
        "content-type-garbage": b.replace("Content-Type: message/delivery-status", "Content-Type: ;;;===///\"\"\"", 1),
        "dsn-base64-broken": b.replace("Content-Type: message/delivery-status\n",
                                       "Content-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n", 1),
        "raw-8bit-headers": b.replace("Subject: Delivery Status Notification (Failure)", "Subject: \xc3\x28\xa0\xa1\xe2\x82 \xf0\x90\x28\xbc", 1),
    }
    for name, msg in cases.items():
        w.add(f"encoding/{name}.eml", msg.encode("latin-1", "replace") if isinstance(msg, str) else msg, "encoding")


# ---------------------------------------------------------------------------------------------
# mbox with a broken message in the middle.


def mbox_of(messages):
    out = []
    for i, m in enumerate(messages):
        out.append(f"From MAILER-DAEMON Mon Jun  3 10:00:{i:02d} 2024\n".encode())
        if isinstance(m, str):
            m = m.encode("utf-8")
        # mboxrd quoting of body lines that start with "From ".
        lines = m.split(b"\n")
        lines = [b">" + l if l.lstrip(b">").startswith(b"From ") else l for l in lines]
        m = b"\n".join(lines)
        out.append(m if m.endswith(b"\n") else m + b"\n")
        out.append(b"\n")
    return b"".join(out)


def gen_mbox(w):
    rng = random.Random(3)
    broken = {
        "garbage": rng.randbytes(30000).replace(b"\n", b"\r"),
        "unterminated-multipart": (
            "From: MAILER-DAEMON@broken.example\nSubject: Undelivered Mail\nMIME-Version: 1.0\n"
            'Content-Type: multipart/report; report-type=delivery-status; boundary="never"\n\n'
            "--never\nContent-Type: message/delivery-status\nContent-Transfer-Encoding: base64\n\n!!!!\n"
            "--nev"
        ),
        "headers-only": "From: MAILER-DAEMON@broken.example\nSubject: " + "s" * 100000,
        "nested-bomb": nested_multipart(10000, lambda b: f'boundary = "{b}"'),
        "nul-bytes": b"From: \0\0\0\nSubject: \0\n\n\0\0\0550 5.1.1\0",
    }
    for name, bad in broken.items():
        goods = [postfix_bounce(f"m{n}@example.org") if n % 2 else dsn_bounce(f"m{n}@example.org") for n in (1, 2, 4, 5)]
        msgs = goods[:2] + [bad] + goods[2:]
        w.add(f"mbox/broken-middle-{name}.mbox", mbox_of(msgs), "mbox", messages=5, sources=["#1", "#2", "#4", "#5"],
              recipients=["m1@example.org", "m2@example.org", "m4@example.org", "m5@example.org"])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", required=True, help="directory of seed bounce messages to truncate")
    ap.add_argument("--out", required=True, help="output directory (created; old contents replaced)")
    ap.add_argument("--big-mb", type=int, default=100, help="size of the big attachment in MB")
    ap.add_argument("--per-seed", type=int, default=20, help="truncation offsets per seed")
    args = ap.parse_args(argv)
    generate(args.seeds, args.out, args.big_mb, args.per_seed)
    return 0


def generate(seeds, out, big_mb=100, per_seed=20):
    import shutil

    if os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(out)
    w = writer(out)
    gen_truncated(w, seeds, per_seed)
    gen_random(w, seeds)
    gen_nul(w)
    gen_long_lines(w)
    gen_encoding(w)
    gen_nested(w)
    gen_recipients(w)
    gen_mbox(w)
    gen_big_attachment(w, big_mb)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(w.manifest, f, indent=1)
    return w.manifest


if __name__ == "__main__":
    sys.exit(main())
