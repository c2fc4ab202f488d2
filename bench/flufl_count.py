#!/usr/bin/python3
"""flufl.bounce peer for bench/compare.sh: flufl.bounce.scan_message over every message of PATH
(a directory, read recursively in name order, an mbox, or one message file) and prints "messages=N records=R":
N messages parsed, R addresses flufl.bounce reported as bouncing."""
import email
import mailbox
import os
import sys

from flufl.bounce import scan_message


def messages(path):
    if os.path.isdir(path):
        files = []
        for dirpath, dirnames, filenames in os.walk(path):
            files += [os.path.join(dirpath, f) for f in filenames]
        for p in sorted(files):
            with open(p, "rb") as f:
                yield email.message_from_binary_file(f)
    else:
        with open(path, "rb") as f:
            is_mbox = f.read(5) == b"From "
        if not is_mbox:  # a single message
            with open(path, "rb") as f:
                yield email.message_from_binary_file(f)
            return
        box = mailbox.mbox(path, create=False)
        for m in box.itervalues():
            yield m


def main():
    n = r = 0
    for m in messages(sys.argv[1]):
        n += 1
        try:
            r += len(scan_message(m))
        except Exception:  # a detector that chokes on one message must not stop the batch
            pass
    print("messages=%d records=%d" % (n, r))


if __name__ == "__main__":
    main()
