#!/usr/bin/env python3
"""The receiving side of the MTA lab: a scripted SMTP server and a tiny DNS server.

Runs only inside the lab's own network namespace (see run.sh) and binds loopback addresses only:

  SMTP  127.0.0.2:25   mx.lab.example: answers each scenario's recipient with the reply that the
                       guide's kind of failure produces on real servers (texts of Postfix smtpd,
                       Gmail, Dovecot, ...). Advertises SIZE so that oversized mail is refused.
        127.0.0.3:25   mx.senderblock.lab.example: refuses the sender (MAIL FROM) like Postfix's
                       check_sender_access.
        127.0.0.4:25   mx.banner.lab.example: refuses the client in its greeting (554), like
                       Postfix's postscreen for a client on a DNS blocklist.
  DNS   127.0.0.53:53  (UDP) authoritative for the lab's names; NXDOMAIN for every other name, so an
                       MTA's lookups never need (nor reach) a real resolver.

Nothing listens on 127.0.0.9: refused.lab.example's MX points there, for "connection refused".

Stops by itself after --lifetime seconds. Logs every SMTP line to --log.
Python 3 standard library only.
"""
import argparse
import asyncio
import re
import struct
import sys
import time

SMTP_ADDR = ("127.0.0.2", 25)
SENDER_BLOCK_ADDR = ("127.0.0.3", 25)
BANNER_BLOCK_ADDR = ("127.0.0.4", 25)
DNS_ADDR = ("127.0.0.53", 53)
SIZE_LIMIT = 10240
HOSTNAME = "mx.lab.example"

# name -> list of (type, value). Types: A, MX (pref, host), PTR.
ZONE = {
    "lab.example": [("MX", (10, "mx.lab.example"))],
    "mx.lab.example": [("A", "127.0.0.2")],
    "relay.example": [("MX", (10, "mx.lab.example"))],
    "refused.lab.example": [("MX", (10, "mx.refused.lab.example"))],
    "mx.refused.lab.example": [("A", "127.0.0.9")],
    "2.0.0.127.in-addr.arpa": [("PTR", "mx.lab.example")],
    "senderblock.lab.example": [("MX", (10, "mx.senderblock.lab.example"))],
    "mx.senderblock.lab.example": [("A", "127.0.0.3")],
    "banner.lab.example": [("MX", (10, "mx.banner.lab.example"))],
    "mx.banner.lab.example": [("A", "127.0.0.4")],
    # nohost.example and every other name: NXDOMAIN
}


def rcpt_reply(addr, client_ip):
    """The reply to RCPT TO for one recipient, or None to accept it."""
    local = addr.split("@", 1)[0].lower()
    domain = addr.split("@", 1)[1].lower() if "@" in addr else ""
    if domain == "relay.example":
        # Postfix smtpd, reject_unauth_destination
        return f"554 5.7.1 <{addr}>: Relay access denied"
    if local == "unknown-user":
        # Postfix smtpd, local_recipient_maps
        return f"550 5.1.1 <{addr}>: Recipient address rejected: User unknown in local recipient table"
    if local == "disabled":
        # Gmail
        return ["550-5.2.1 The email account that you tried to reach is disabled. Learn more at",
                "550 5.2.1  https://support.google.com/mail/?p=DisabledUser x1-20020a170902lab.2 - gsmtp"]
    if local == "syntax":
        # Sendmail / Exchange style: the command was not understood
        return "500 5.5.2 Syntax error, command unrecognized"
    if local == "rbl":
        # Postfix smtpd, reject_rbl_client zen.spamhaus.org
        return (f"554 5.7.1 Service unavailable; Client host [{client_ip}] blocked using zen.spamhaus.org; "
                f"https://www.spamhaus.org/query/ip/{client_ip}")
    if local == "noptr":
        # Gmail
        return [f"550-5.7.25 [{client_ip}] The IP address sending this message does not have a",
                "550-5.7.25 PTR record setup, or the corresponding forward DNS entry does not",
                "550-5.7.25 point to the sending IP. As a policy, Gmail does not accept messages",
                "550-5.7.25 from IPs with missing PTR records. Learn more at",
                "550 5.7.25  https://support.google.com/mail/answer/81126#ip-rdns y2-20020a170902lab.3 - gsmtp"]
    if local == "mixed-unknown":
        return f"550 5.1.1 <{addr}>: Recipient address rejected: User unknown in virtual mailbox table"
    if local == "mixed-moved":
        # RFC 5321's 551, with the new address
        return f"551 5.1.6 User not local; please try <{local}-new@example.org>"
    if local == "greylist":
        # Postgrey behind Postfix smtpd: a first attempt from an unknown triplet
        return (f"450 4.2.0 <{addr}>: Recipient address rejected: Greylisted, "
                f"see http://postgrey.schweikert.ch/help/{domain}.html")
    if local == "fulltemp":
        # Gmail, a mailbox over its storage for now
        return ["452-4.2.2 The recipient's inbox is out of storage space. Please direct the",
                "452-4.2.2 recipient to",
                "452 4.2.2  https://support.google.com/mail/?p=OverQuotaTemp q7-20020a170902lab.9 - gsmtp"]
    m = re.fullmatch(r"toomany-(\d+)", local)
    if m and int(m.group(1)) > 2:
        # Postfix smtpd, smtpd_recipient_limit
        return "452 4.5.3 Error: too many recipients"
    return None


def data_reply(rcpts, size):
    """The reply after the end of DATA."""
    locals_ = {r.split("@", 1)[0].lower() for r in rcpts}
    if size > SIZE_LIMIT:
        return "552 5.3.4 Message size exceeds fixed maximum message size"
    if "spam" in locals_:
        # a content filter (e.g. rspamd/Amavis behind Postfix)
        return "550 5.7.1 Message content rejected as spam (score 17.3 > 15.0)"
    if "virus" in locals_:
        # amavisd-new behind Postfix, ClamAV's test signature
        return "554 5.7.0 Reject, id=04131-07 - INFECTED: Eicar-Test-Signature"
    if "noauth" in locals_:
        # Gmail, a sender without SPF or DKIM
        return ["550-5.7.26 This mail has been blocked because the sender is unauthenticated.",
                "550-5.7.26 Gmail requires all senders to authenticate with either SPF or DKIM.",
                "550-5.7.26",
                "550-5.7.26  Authentication results:",
                "550-5.7.26  DKIM = did not pass",
                "550-5.7.26  SPF [sender.lab.example] with ip: [127.0.0.1] = did not pass",
                "550-5.7.26",
                "550-5.7.26  For instructions on setting up authentication, go to",
                "550 5.7.26  https://support.google.com/mail/answer/81126#authentication z4-20020a170902lab.5 - gsmtp"]
    if "attachment" in locals_:
        # a gateway's attachment policy
        return "550 5.7.1 Message rejected: attachments of type .exe are not allowed by policy"
    if "full" in locals_:
        # Dovecot LMTP, quota checked at delivery
        return "552 5.2.2 <full@lab.example> Quota exceeded (mailbox for user is full)"
    return "250 2.0.0 Ok: queued as 4LabQ%d" % (int(time.time() * 1000) % 1000000)


class SMTPSession:
    def __init__(self, reader, writer, log):
        self.r, self.w, self.log = reader, writer, log
        peer = writer.get_extra_info("peername")
        self.client_ip = peer[0] if peer else "127.0.0.1"
        sock = writer.get_extra_info("sockname")
        self.local_ip = sock[0] if sock else SMTP_ADDR[0]

    def out(self, reply):
        lines = reply if isinstance(reply, list) else [reply]
        for line in lines:
            self.log(f"S: {line}")
            self.w.write(line.encode() + b"\r\n")

    async def readline(self):
        line = await asyncio.wait_for(self.r.readline(), timeout=60)
        if not line:
            raise ConnectionError("closed")
        return line.decode("utf-8", "replace").rstrip("\r\n")

    async def run(self):
        if self.local_ip == BANNER_BLOCK_ADDR[0]:
            # postscreen: the greeting refuses the client; every command but QUIT is refused too
            self.out(f"554 5.7.1 Service unavailable; client [{self.client_ip}] blocked using zen.spamhaus.org")
            while True:
                await self.w.drain()
                line = await self.readline()
                self.log(f"C: {line}")
                if line.split(" ", 1)[0].upper() == "QUIT":
                    self.out("221 2.0.0 Bye")
                    await self.w.drain()
                    return
                self.out("503 5.5.1 Error: access denied")
        host = "mx.senderblock.lab.example" if self.local_ip == SENDER_BLOCK_ADDR[0] else HOSTNAME
        self.out(f"220 {host} ESMTP lab")
        mail_from, rcpts = None, []
        while True:
            await self.w.drain()
            line = await self.readline()
            self.log(f"C: {line}")
            verb = line.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.out([f"250-{HOSTNAME}", f"250-SIZE {SIZE_LIMIT}", "250-8BITMIME",
                          "250-ENHANCEDSTATUSCODES", "250 SMTPUTF8"])
            elif verb == "HELO":
                self.out(f"250 {HOSTNAME}")
            elif verb == "MAIL":
                m = re.search(r"SIZE=(\d+)", line, re.I)
                if m and int(m.group(1)) > SIZE_LIMIT:
                    self.out("552 5.3.4 Message size exceeds fixed maximum message size")
                    continue
                if self.local_ip == SENDER_BLOCK_ADDR[0]:
                    # Postfix smtpd, check_sender_access ... REJECT
                    a = re.search(r"<([^>]*)>", line)
                    self.out(f"550 5.7.1 <{a.group(1) if a else ''}>: Sender address rejected: Access denied")
                    continue
                mail_from, rcpts = line, []
                self.out("250 2.1.0 Ok")
            elif verb == "RCPT":
                m = re.search(r"<([^>]*)>", line)
                addr = m.group(1) if m else ""
                reply = rcpt_reply(addr, self.client_ip) if mail_from else "503 5.5.1 Error: need MAIL command"
                if reply is None:
                    rcpts.append(addr)
                    self.out("250 2.1.5 Ok")
                else:
                    self.out(reply)
            elif verb == "DATA":
                if not rcpts:
                    self.out("554 5.5.1 Error: no valid recipients")
                    continue
                self.out("354 End data with <CR><LF>.<CR><LF>")
                await self.w.drain()
                size = 0
                while True:
                    raw = await asyncio.wait_for(self.r.readline(), timeout=60)
                    if not raw:
                        raise ConnectionError("closed in DATA")
                    if raw.rstrip(b"\r\n") == b".":
                        break
                    size += len(raw)
                self.log(f"C: <{size} bytes of message data>")
                self.out(data_reply(rcpts, size))
                mail_from, rcpts = None, []
            elif verb == "RSET":
                mail_from, rcpts = None, []
                self.out("250 2.0.0 Ok")
            elif verb == "NOOP":
                self.out("250 2.0.0 Ok")
            elif verb == "QUIT":
                self.out("221 2.0.0 Bye")
                await self.w.drain()
                return
            else:
                self.out("502 5.5.2 Error: command not recognized")


class DNSProtocol(asyncio.DatagramProtocol):
    TYPES = {1: "A", 12: "PTR", 15: "MX", 28: "AAAA", 16: "TXT", 2: "NS", 6: "SOA", 5: "CNAME"}

    def __init__(self, log):
        self.log = log

    def connection_made(self, transport):
        self.transport = transport

    @staticmethod
    def encode_name(name):
        out = b""
        for label in name.rstrip(".").split("."):
            out += bytes([len(label)]) + label.encode()
        return out + b"\0"

    def datagram_received(self, data, addr):
        try:
            reply = self.answer(data)
        except Exception as e:  # malformed query: ignore it
            self.log(f"DNS: bad query from {addr}: {e}")
            return
        self.transport.sendto(reply, addr)

    def answer(self, data):
        qid, flags, qd, _, _, _ = struct.unpack("!HHHHHH", data[:12])
        pos, labels = 12, []
        while data[pos]:
            n = data[pos]
            labels.append(data[pos + 1:pos + 1 + n].decode("ascii", "replace"))
            pos += 1 + n
        pos += 1
        qtype, qclass = struct.unpack("!HH", data[pos:pos + 4])
        question = data[12:pos + 4]
        name = ".".join(labels).lower()
        tname = self.TYPES.get(qtype, str(qtype))
        rd = flags & 0x0100
        answers = []
        if name in ZONE:
            rcode = 0
            for rtype, value in ZONE[name]:
                if rtype != tname:
                    continue
                if rtype == "A":
                    rdata = bytes(int(x) for x in value.split("."))
                    t = 1
                elif rtype == "MX":
                    rdata = struct.pack("!H", value[0]) + self.encode_name(value[1])
                    t = 15
                else:  # PTR
                    rdata = self.encode_name(value)
                    t = 12
                answers.append(b"\xc0\x0c" + struct.pack("!HHIH", t, 1, 300, len(rdata)) + rdata)
        else:
            rcode = 3  # NXDOMAIN
        self.log(f"DNS: {name} {tname} -> {'NXDOMAIN' if rcode else str(len(answers)) + ' answer(s)'}")
        hflags = 0x8000 | 0x0400 | rd | 0x0080 | rcode  # QR, AA, RD copied, RA
        return struct.pack("!HHHHHH", qid, hflags, 1, len(answers), 0, 0) + question + b"".join(answers)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--lifetime", type=float, default=600)
    args = ap.parse_args()
    logf = open(args.log, "a", buffering=1)

    def log(msg):
        logf.write(time.strftime("%H:%M:%S ") + msg + "\n")

    async def handle(reader, writer):
        try:
            await SMTPSession(reader, writer, log).run()
        except (ConnectionError, asyncio.TimeoutError, OSError) as e:
            log(f"session ended: {e!r}")
        finally:
            writer.close()

    loop = asyncio.get_running_loop()
    servers = [await asyncio.start_server(handle, *a) for a in (SMTP_ADDR, SENDER_BLOCK_ADDR, BANNER_BLOCK_ADDR)]
    await loop.create_datagram_endpoint(lambda: DNSProtocol(log), local_addr=DNS_ADDR)
    log(f"listening: smtp {SMTP_ADDR} {SENDER_BLOCK_ADDR} {BANNER_BLOCK_ADDR}, dns {DNS_ADDR}")
    print("ready", flush=True)
    await asyncio.sleep(args.lifetime)
    for server in servers:
        server.close()
    log("lifetime over, exiting")


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
