#!/usr/bin/env python3
"""Scenarios of the MTA lab: the messages that provoke each kind of failure, and the collection of the
bounces they produce. Called by run.sh (inside the lab's network namespace); python3 stdlib only.

  lab.py submit  --mta postfix|exim --work DIR     send one message per scenario through the MTA
  lab.py collect --mta postfix|exim --maildir DIR --out FIXTURES --timeout SECONDS [--kick CMD]
                 wait for the bounces, match each to its scenario, write FIXTURES/<mta>-<kind>.eml
  lab.py expected --fixtures FIXTURES              write FIXTURES/expected.jsonl from the answers below
"""
import argparse
import email
import email.policy
import json
import os
import shlex
import subprocess
import sys
import time

SENDER = "sender@sender.lab.example"

# kind -> recipients. The scripted server (labserver.py) answers by local part; DNS decides the rest.
SCENARIOS = {
    "unknown-user": ["unknown-user@lab.example"],
    "unknown-user-local": ["nosuchuser@local.lab.example"],   # the MTA's own local delivery
    "unknown-user-localhost": ["nosuchuser@localhost"],       # the same, to a dotless domain
    "disabled-mailbox": ["disabled@lab.example"],
    "mailbox-full": ["full@lab.example"],
    "content-filter": ["spam@lab.example"],
    "unknown-host": ["someone@nohost.example"],                 # NXDOMAIN from the lab DNS
    "syntax-error": ["syntax@lab.example"],
    "too-large": ["big@lab.example"],                           # larger than the server's SIZE
    "relay-denied": ["relay@relay.example"],
    "connection-refused": ["someone@refused.lab.example"],      # MX -> 127.0.0.9, nothing listens
    "too-many-recipients": ["toomany-1@lab.example", "toomany-2@lab.example", "toomany-3@lab.example"],
    "rbl-block": ["rbl@lab.example"],
    "missing-ptr": ["noptr@lab.example"],
    # beyond the guide's twelve: refusals at other stages, other reasons, and two failed
    # recipients of three in one report
    "sender-rejected": ["someone@senderblock.lab.example"],     # MAIL FROM refused
    "banner-block": ["someone@banner.lab.example"],             # 554 greeting
    "mixed-recipients": ["mixed-unknown@lab.example", "mixed-ok@lab.example", "mixed-moved@lab.example"],
    "virus": ["virus@lab.example"],
    "auth-failure": ["noauth@lab.example"],
    "attachment-policy": ["attachment@lab.example"],
}

# Delivery through Dovecot (run "dovecot": Postfix hands two local domains to dovecot-lda). On
# mdn.lab.example Dovecot answers by itself: an over-quota refusal is a delivery report of its own,
# an absence an auto-reply (RFC 3834); on lda.lab.example (dovecot-lda -e) Postfix writes the
# bounce. A Sieve "reject" is a disposition notification (RFC 5429) on both: Dovecot 2.3 sends it
# itself even with -e, so the lab asks for it once.
DOVECOT_SCENARIOS = {
    "sieve-reject": ["sieve@mdn.lab.example"],          # the user's Sieve script: reject "..."
    "quota-reject": ["full@mdn.lab.example"],           # over quota, refused by Dovecot itself
    "vacation": ["away@mdn.lab.example"],               # Sieve vacation
    "quota-bounce": ["full@lda.lab.example"],           # over quota, bounced by Postfix
    "unknown-user": ["nosuchuser@lda.lab.example"],     # no such user in Dovecot's user database
    "lmtp-quota": ["full@lmtp.lab.example"],            # over LMTP: refused at RCPT
    "lmtp-unknown-user": ["nosuchuser@lmtp.lab.example"],
    "lmtp-sieve-reject": ["sieve@lmtp.lab.example"],    # Sieve "reject" under LMTP
}

# Delivery to Cyrus IMAP over LMTP (run "cyrus": Postfix's lmtp client, Cyrus's lmtpd).
CYRUS_SCENARIOS = {
    "unknown-user": ["nosuchuser@lmtp.lab.example"],    # no mailbox: "Mailbox unknown"
    "quota": ["full@lmtp.lab.example"],                 # over quota: "552 5.2.2 Over quota"
    "sieve-reject": ["sieve@lmtp.lab.example"],         # Sieve reject: Cyrus sends its own refusal
    "vacation": ["away@lmtp.lab.example"],              # Sieve vacation
}

# Delay notices (runs "postfix-delay", "exim-delay", "sendmail-delay", "courier-delay": the MTA
# retries for a day and warns the sender after a few seconds): temporary failures it keeps
# retrying and warns the sender about.
DELAY_SCENARIOS = {
    "greylist": ["greylist@lab.example"],               # 450 4.2.0 Greylisted (Postgrey)
    "mailbox-full": ["fulltemp@lab.example"],           # Gmail's 452 4.2.2 out of storage space
    "connection-refused": ["someone@refused.lab.example"],
}

# Scenarios each MTA runs (Exim's local delivery of an unknown user only says "Unrouteable address",
# which does not tell a user from a domain: left out).
MTA_SCENARIOS = {
    "postfix": list(SCENARIOS),
    "exim": [k for k in SCENARIOS if not k.startswith("unknown-user-local")],
    "opensmtpd": [k for k in SCENARIOS if not k.startswith("unknown-user-local")],
    "sendmail": list(SCENARIOS),
    "courier": list(SCENARIOS),
    # dma retries every temporary failure for days: only what fails at once; and it sends one
    # report per failed recipient, so there is no report of two recipients to read
    "dma": [k for k in SCENARIOS if not k.startswith("unknown-user-local")
            and k not in ("connection-refused", "too-many-recipients", "mixed-recipients")],
    "dovecot": list(DOVECOT_SCENARIOS),
    "cyrus": list(CYRUS_SCENARIOS),
    "postfix-delay": list(DELAY_SCENARIOS),
    "exim-delay": list(DELAY_SCENARIOS),
    "sendmail-delay": list(DELAY_SCENARIOS),
    "courier-delay": list(DELAY_SCENARIOS),
}

# The answer a careful human gives for each bounce the lab produces, read off the real bounces.
# Keys: (mta, kind). Fields: recipient, reason, category, status, reply_code, hard.
EXPECTED = {}


def _exp(mta, kind, recipient, reason, category, status, reply_code, hard, also=(), also_status=()):
    """One failed recipient of a scenario's bounce (call it again for each further recipient)."""
    exp = dict(recipient=recipient, reason=reason, category=category, status=status,
               reply_code=reply_code, hard=hard)
    if also:  # other reasons a careful reader would accept too (as in seed-examples.jsonl)
        exp["reasons"] = [reason] + list(also)
    if also_status:  # an MTA that may send either of two reports for the same failure
        exp["statuses"] = [status] + list(also_status)
    EXPECTED.setdefault((mta, kind), []).append(exp)


# Postfix 3.7 (Debian 12): RFC 3464 reports with Diagnostic-Code smtp; ... or X-Postfix; ...
_exp("postfix", "unknown-user", "unknown-user@lab.example", "userunknown", "recipient-unknown", "5.1.1", "550", True)
_exp("postfix", "unknown-user-local", "nosuchuser@local.lab.example", "userunknown", "recipient-unknown", "5.1.1", "", True)
_exp("postfix", "unknown-user-localhost", "nosuchuser@localhost", "userunknown", "recipient-unknown", "5.1.1", "", True)
_exp("postfix", "disabled-mailbox", "disabled@lab.example", "suspend", "mailbox-disabled", "5.2.1", "550", False)
_exp("postfix", "mailbox-full", "full@lab.example", "mailboxfull", "mailbox-full", "5.2.2", "552", False)
_exp("postfix", "content-filter", "spam@lab.example", "spamdetected", "content-filtered", "5.7.1", "550", False)
_exp("postfix", "unknown-host", "someone@nohost.example", "hostunknown", "domain-not-found", "5.4.4", "", True)
_exp("postfix", "syntax-error", "syntax@lab.example", "syntaxerror", "protocol-error", "5.5.2", "500", False)
_exp("postfix", "too-large", "big@lab.example", "mesgtoobig", "message-too-large", "5.3.4", "", False)
_exp("postfix", "relay-denied", "relay@relay.example", "norelaying", "rejected", "5.7.1", "554", False)
# "Connection refused" names the cause; the report is final only because the queue lifetime ran out
_exp("postfix", "connection-refused", "someone@refused.lab.example", "networkerror", "connection-failed", "4.4.1", "", False,
     also=["expired"])
_exp("postfix", "too-many-recipients", "toomany-3@lab.example", "toomanyconn", "too-many-recipients", "4.5.3", "452", False)
_exp("postfix", "rbl-block", "rbl@lab.example", "blocked", "blocklisted", "5.7.1", "554", False)
_exp("postfix", "missing-ptr", "noptr@lab.example", "requireptr", "sender-dns", "5.7.25", "550", False)

# Exim 4.96 (Debian 12): RFC 3464 reports whose Status is always 5.0.0; the remote server's own
# enhanced code, when there is one, is in the Diagnostic-Code and is the status a person reads.
_exp("exim", "unknown-user", "unknown-user@lab.example", "userunknown", "recipient-unknown", "5.1.1", "550", True)
_exp("exim", "disabled-mailbox", "disabled@lab.example", "suspend", "mailbox-disabled", "5.2.1", "550", False)
_exp("exim", "mailbox-full", "full@lab.example", "mailboxfull", "mailbox-full", "5.2.2", "552", False)
_exp("exim", "content-filter", "spam@lab.example", "spamdetected", "content-filtered", "5.7.1", "550", False)
# "Unrouteable address": the dnslookup router found no such domain (NXDOMAIN)
_exp("exim", "unknown-host", "someone@nohost.example", "hostunknown", "domain-not-found", "5.0.0", "", True)
_exp("exim", "syntax-error", "syntax@lab.example", "syntaxerror", "protocol-error", "5.5.2", "500", False)
_exp("exim", "too-large", "big@lab.example", "mesgtoobig", "message-too-large", "5.3.4", "552", False)
_exp("exim", "relay-denied", "relay@relay.example", "norelaying", "rejected", "5.7.1", "554", False)
# Exim names no cause for a host that kept refusing connections: only "retry timeout exceeded"
_exp("exim", "connection-refused", "someone@refused.lab.example", "expired", "connection-failed", "5.0.0", "", False)
_exp("exim", "too-many-recipients", "toomany-3@lab.example", "toomanyconn", "too-many-recipients", "4.5.3", "452", False)
_exp("exim", "rbl-block", "rbl@lab.example", "blocked", "blocklisted", "5.7.1", "554", False)
_exp("exim", "missing-ptr", "noptr@lab.example", "requireptr", "sender-dns", "5.7.25", "550", False)


# Sendmail 8.17 (Debian 12): the "addresses had permanent fatal errors" list, the SMTP transcript
# (">>> RCPT To:", "<<< 550 ..."), and a message/delivery-status part. What the remote server
# said in the transcript is the answer: in a queue run that sends several messages over one
# connection, the "(reason: ...)" line and the Diagnostic-Code can repeat an earlier message's
# reply (the too-many-recipients report quotes the too-large one's 552 5.3.4).
_exp("sendmail", "unknown-user", "unknown-user@lab.example", "userunknown", "recipient-unknown", "5.1.1", "550", True)
# its own local delivery: "550 5.1.1 nosuchuser@local.lab.example... User unknown"
_exp("sendmail", "unknown-user-local", "nosuchuser@local.lab.example", "userunknown", "recipient-unknown", "5.1.1", "550", True)
_exp("sendmail", "unknown-user-localhost", "nosuchuser@localhost", "userunknown", "recipient-unknown", "5.1.1", "550", True)
_exp("sendmail", "disabled-mailbox", "disabled@lab.example", "suspend", "mailbox-disabled", "5.2.1", "550", False)
_exp("sendmail", "mailbox-full", "full@lab.example", "mailboxfull", "mailbox-full", "5.2.2", "552", False)
_exp("sendmail", "content-filter", "spam@lab.example", "spamdetected", "content-filtered", "5.7.1", "550", False)
# "550 5.1.2 ... Host unknown (Name server: nohost.example: host not found)"
_exp("sendmail", "unknown-host", "someone@nohost.example", "hostunknown", "domain-not-found", "5.1.2", "550", True)
_exp("sendmail", "syntax-error", "syntax@lab.example", "syntaxerror", "protocol-error", "5.5.2", "500", False)
# Sendmail sends SIZE=: the server refuses the MAIL command
_exp("sendmail", "too-large", "big@lab.example", "mesgtoobig", "message-too-large", "5.3.4", "552", False)
_exp("sendmail", "relay-denied", "relay@relay.example", "norelaying", "rejected", "5.7.1", "554", False)
# "Deferred: Connection refused by mx.refused.lab.example." then "Message could not be delivered
# for 1 second": the queue's time ran out (Status 4.4.7); the refused connection is why
_exp("sendmail", "connection-refused", "someone@refused.lab.example", "expired", "connection-failed", "4.4.7", "", False,
     also=["networkerror"])
_exp("sendmail", "too-many-recipients", "toomany-3@lab.example", "toomanyconn", "too-many-recipients", "4.5.3", "452", False,
     also=["expired"])
_exp("sendmail", "rbl-block", "rbl@lab.example", "blocked", "blocklisted", "5.7.1", "554", False)
_exp("sendmail", "missing-ptr", "noptr@lab.example", "requireptr", "sender-dns", "5.7.25", "550", False)

# Courier 1.0.16 (Debian 12): "<address>:" lines, the remote host, ">>> command" and "<<< reply"
# lines, and a delivery-status part whose Status is 5.0.0 unless the reply carries its own code.
_exp("courier", "unknown-user", "unknown-user@lab.example", "userunknown", "recipient-unknown", "5.1.1", "550", True)
# its local delivery: "<<< 550 User <nosuchuser> unknown", no remote host, no command
_exp("courier", "unknown-user-local", "nosuchuser@local.lab.example", "userunknown", "recipient-unknown", "5.0.0", "550", True)
_exp("courier", "unknown-user-localhost", "nosuchuser@localhost", "userunknown", "recipient-unknown", "5.0.0", "550", True)
_exp("courier", "disabled-mailbox", "disabled@lab.example", "suspend", "mailbox-disabled", "5.2.1", "550", False)
_exp("courier", "mailbox-full", "full@lab.example", "mailboxfull", "mailbox-full", "5.2.2", "552", False)
_exp("courier", "content-filter", "spam@lab.example", "spamdetected", "content-filtered", "5.7.1", "550", False)
# its own words: "No such domain."
_exp("courier", "unknown-host", "someone@nohost.example", "hostunknown", "domain-not-found", "5.0.0", "", True)
_exp("courier", "syntax-error", "syntax@lab.example", "syntaxerror", "protocol-error", "5.5.2", "500", False)
_exp("courier", "too-large", "big@lab.example", "mesgtoobig", "message-too-large", "5.3.4", "552", False)
_exp("courier", "relay-denied", "relay@relay.example", "norelaying", "rejected", "5.7.1", "554", False)
# returned when queuetime ran out, naming only the last error: "Network is down"
_exp("courier", "connection-refused", "someone@refused.lab.example", "networkerror", "connection-failed", "5.0.0", "", False,
     also=["expired"])
_exp("courier", "too-many-recipients", "toomany-3@lab.example", "toomanyconn", "too-many-recipients", "4.5.3", "452", False)
_exp("courier", "rbl-block", "rbl@lab.example", "blocked", "blocklisted", "5.7.1", "554", False)
_exp("courier", "missing-ptr", "noptr@lab.example", "requireptr", "sender-dns", "5.7.25", "550", False)

# OpenSMTPD 6.8 (Debian 12): the text lists "address: error" under "the following list of
# recipients"; a message/delivery-status part follows with Status 5.0.0 for every failure. The
# remote server's enhanced code, when its reply has one, is the status a person reads.
_exp("opensmtpd", "unknown-user", "unknown-user@lab.example", "userunknown", "recipient-unknown", "5.1.1", "550", True)
_exp("opensmtpd", "disabled-mailbox", "disabled@lab.example", "suspend", "mailbox-disabled", "5.2.1", "550", False)
_exp("opensmtpd", "mailbox-full", "full@lab.example", "mailboxfull", "mailbox-full", "5.2.2", "552", False)
_exp("opensmtpd", "content-filter", "spam@lab.example", "spamdetected", "content-filtered", "5.7.1", "550", False)
# its own words: "Domain does not exist"
_exp("opensmtpd", "unknown-host", "someone@nohost.example", "hostunknown", "domain-not-found", "5.0.0", "", True)
_exp("opensmtpd", "syntax-error", "syntax@lab.example", "syntaxerror", "protocol-error", "5.5.2", "500", False)
# it compares the size with the server's SIZE itself: "message too large for peer"
_exp("opensmtpd", "too-large", "big@lab.example", "mesgtoobig", "message-too-large", "5.0.0", "", False)
_exp("opensmtpd", "relay-denied", "relay@relay.example", "norelaying", "rejected", "5.7.1", "554", False)
# OpenSMTPD 6.8 reports a refused connection in a delay notice, either at once ("Network error on
# destination MXs", Status 4.0.0) or when the queue lifetime has run out ("Envelope expired",
# Status 4.4.7; it drops the message then, though the notice still says "delayed"). Which of the
# two comes first varies from run to run.
_exp("opensmtpd", "connection-refused", "someone@refused.lab.example", "networkerror", "connection-failed", "4.0.0", "", False,
     also=["expired"], also_status=["4.4.7"])
# a 452 keeps the recipient queued: the first report is a delay notice quoting the reply
_exp("opensmtpd", "too-many-recipients", "toomany-3@lab.example", "toomanyconn", "too-many-recipients", "4.5.3", "452", False)
_exp("opensmtpd", "rbl-block", "rbl@lab.example", "blocked", "blocklisted", "5.7.1", "554", False)
_exp("opensmtpd", "missing-ptr", "noptr@lab.example", "requireptr", "sender-dns", "5.7.25", "550", False)


# dma 0.13 (DragonFly Mail Agent, Debian 12): plain text, "There was an error delivering your mail
# to <address>." and the server's reply below; no delivery-status part.
_exp("dma", "unknown-user", "unknown-user@lab.example", "userunknown", "recipient-unknown", "5.1.1", "550", True)
_exp("dma", "disabled-mailbox", "disabled@lab.example", "suspend", "mailbox-disabled", "5.2.1", "550", False)
_exp("dma", "mailbox-full", "full@lab.example", "mailboxfull", "mailbox-full", "5.2.2", "552", False)
_exp("dma", "content-filter", "spam@lab.example", "spamdetected", "content-filtered", "5.7.1", "550", False)
# "DNS lookup failure: host nohost.example not found"
_exp("dma", "unknown-host", "someone@nohost.example", "hostunknown", "domain-not-found", "", "", True)
_exp("dma", "syntax-error", "syntax@lab.example", "syntaxerror", "protocol-error", "5.5.2", "500", False)
# dma does not look at SIZE: the server refuses the message at the end of DATA
_exp("dma", "too-large", "big@lab.example", "mesgtoobig", "message-too-large", "5.3.4", "552", False)
_exp("dma", "relay-denied", "relay@relay.example", "norelaying", "rejected", "5.7.1", "554", False)
_exp("dma", "rbl-block", "rbl@lab.example", "blocked", "blocklisted", "5.7.1", "554", False)
_exp("dma", "missing-ptr", "noptr@lab.example", "requireptr", "sender-dns", "5.7.25", "550", False)

# Dovecot 2.3.19 behind Postfix 3.7. The Sieve reject: the recipient's own rule refused the message
# (no status, no reply: nothing was said over SMTP). Over quota: Dovecot's own report says 5.2.2;
# with -e, Postfix's pipe reports the agent's exit (EX_NOPERM) as 5.7.0 and quotes its words.
_exp("dovecot", "sieve-reject", "sieve@mdn.lab.example", "filtered", "content-filtered", "", "", False)
_exp("dovecot", "quota-reject", "full@mdn.lab.example", "mailboxfull", "mailbox-full", "5.2.2", "", False)
_exp("dovecot", "vacation", "away@mdn.lab.example", "vacation", "not-a-failure", "", "", False)
_exp("dovecot", "quota-bounce", "full@lda.lab.example", "mailboxfull", "mailbox-full", "5.7.0", "", False)
_exp("dovecot", "unknown-user", "nosuchuser@lda.lab.example", "userunknown", "recipient-unknown", "5.1.1", "", True)
# Over LMTP Dovecot answers in the protocol ("552 5.2.2 <x> Quota exceeded (mailbox for user is
# full)" after DATA, "550 5.1.1 <x> User doesn't exist: x" at RCPT); a Sieve reject is still a
# disposition notification.
_exp("dovecot", "lmtp-quota", "full@lmtp.lab.example", "mailboxfull", "mailbox-full", "5.2.2", "552", False)
_exp("dovecot", "lmtp-unknown-user", "nosuchuser@lmtp.lab.example", "userunknown", "recipient-unknown", "5.1.1", "550", True)
_exp("dovecot", "lmtp-sieve-reject", "sieve@lmtp.lab.example", "filtered", "content-filtered", "", "", False)

# Cyrus IMAP 3.6 over LMTP behind Postfix 3.7: "550-Mailbox unknown. Either there is no mailbox
# associated with this name ... 550 5.1.1 User unknown", "552 5.2.2 Over quota SESSIONID=<...>";
# a Sieve reject is an LMTP refusal after DATA (sieve_use_lmtp_reject) quoting the user's words
# under 550 5.7.1: the recipient refuses this sender. The vacation notice is an auto-reply.
_exp("cyrus", "unknown-user", "nosuchuser@lmtp.lab.example", "userunknown", "recipient-unknown", "5.1.1", "550", True)
_exp("cyrus", "quota", "full@lmtp.lab.example", "mailboxfull", "mailbox-full", "5.2.2", "552", False)
_exp("cyrus", "sieve-reject", "sieve@lmtp.lab.example", "filtered", "content-filtered", "5.7.1", "550", False)
_exp("cyrus", "vacation", "away@lmtp.lab.example", "vacation", "not-a-failure", "", "", False)

# The delay notices of Postfix ("Delayed Mail (still being retried)"), Exim ("Warning: message ...
# delayed N minutes"), Sendmail ("Warning: could not send message for past 1 second", "THIS IS A
# WARNING MESSAGE ONLY") and Courier ("WARNING: delayed mail."), all Action delayed: never hard, the
# reason from the reply or the connection error; a refused connection still being retried is what
# the queue will expire. Exim names no cause for it (Status 4.0.0, no diagnostic: only that the
# message is still queued); Courier says "Network is down" (Status 4.0.0).
for _mta, _status, _also in (("postfix", "4.4.1", "networkerror"), ("exim", "4.0.0", "onhold"),
                             ("sendmail", "4.4.1", "networkerror"), ("courier", "4.0.0", "networkerror")):
    _exp(_mta, "delay-greylist", "greylist@lab.example", "blocked", "blocklisted", "4.2.0", "450", False)
    _exp(_mta, "delay-mailbox-full", "fulltemp@lab.example", "mailboxfull", "mailbox-full", "4.2.2", "452", False)
    _exp(_mta, "delay-connection-refused", "someone@refused.lab.example", "expired", "connection-failed", _status, "", False,
         also=[_also])

# Beyond the guide's twelve, the same answers from every MTA (each words its report its own way):
# a refused sender (MAIL FROM), a greeting that refuses the client, one report naming two failed
# recipients of three (one unknown, one moved), a virus, a sender without SPF or DKIM, an
# attachment policy.
for _mta in ("postfix", "exim", "sendmail", "courier", "opensmtpd", "dma"):
    _exp(_mta, "sender-rejected", "someone@senderblock.lab.example", "rejected", "rejected", "5.7.1", "550", False)
    if _mta == "opensmtpd":
        # OpenSMTPD takes a 554 greeting for a network error and keeps the message queued: its
        # delay notice says only "Network error on destination MXs" (Status 4.0.0)
        _exp(_mta, "banner-block", "someone@banner.lab.example", "networkerror", "connection-failed", "4.0.0", "", False)
    else:
        _exp(_mta, "banner-block", "someone@banner.lab.example", "blocked", "blocklisted", "5.7.1", "554", False)
    if _mta != "dma":
        _exp(_mta, "mixed-recipients", "mixed-unknown@lab.example", "userunknown", "recipient-unknown", "5.1.1", "550", True)
        _exp(_mta, "mixed-recipients", "mixed-moved@lab.example", "hasmoved", "recipient-unknown", "5.1.6", "551", True)
    _exp(_mta, "virus", "virus@lab.example", "virusdetected", "content-filtered", "5.7.0", "554", False)
    _exp(_mta, "auth-failure", "noauth@lab.example", "authfailure", "authentication", "5.7.26", "550", False)
    _exp(_mta, "attachment-policy", "attachment@lab.example", "policyviolation", "content-filtered", "5.7.1", "550", False)


def build_message(mta, kind, rcpts):
    stamp = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())
    body = [f"This message was sent by ricochet's tests/mta-lab/run.sh through {mta}",
            f"to provoke a bounce of the kind '{kind}'. It should never leave this machine.", ""]
    if kind == "too-large":
        body += [("%04d " % i) + "x" * 70 for i in range(300)]  # ~22 kB, over the 10240-byte SIZE
    lines = [f"From: MTA Lab <{SENDER}>", "To: " + ", ".join(rcpts), f"Subject: mta-lab {mta} {kind}",
             f"Date: {stamp}", f"Message-ID: <mta-lab.{mta}.{kind}.{int(time.time())}@sender.lab.example>",
             "MIME-Version: 1.0", "Content-Type: text/plain; charset=us-ascii", ""] + body
    return ("\n".join(lines) + "\n").encode()


def submit(args):
    mta = args.mta.removesuffix("-delay")  # the delay runs submit as their MTA does
    for kind in MTA_SCENARIOS[args.mta]:
        rcpts = {"dovecot": DOVECOT_SCENARIOS, "cyrus": CYRUS_SCENARIOS}.get(
            args.mta, DELAY_SCENARIOS if args.mta.endswith("-delay") else SCENARIOS)[kind]
        msg = build_message(args.mta, kind, rcpts)
        if mta in ("postfix", "dovecot", "cyrus"):
            cmd = ["/usr/sbin/sendmail", "-f", SENDER, "--"] + rcpts
        elif mta == "sendmail":
            # -odi: delivered while submitted, so every message is tried once before the queue's
            # (short) return time can run out; what fails for now stays queued and run.sh's
            # queue runs (sendmail -q) return it. -oem: errors found at once (a local user that
            # does not exist) are mailed back, not printed.
            cmd = ["/usr/sbin/sendmail", "-C", args.cf, "-odi", "-oem", "-f", SENDER, "--"] + rcpts
        elif mta == "courier":
            cmd = ["/usr/sbin/sendmail", "-f", SENDER, "--"] + rcpts
        elif mta == "dma":
            cmd = ["/usr/sbin/dma", "-f", SENDER, "--"] + rcpts
        elif mta == "opensmtpd":
            cmd = ["/usr/sbin/sendmail", "-f", SENDER, "--"] + rcpts  # smtpctl as sendmail
        else:  # exim
            # -odq: queue only; run.sh then runs the queue (exim -qff) and the bounces come back
            cmd = ["/usr/sbin/exim4", "-odq", "-f", SENDER, "--"] + rcpts
        r = subprocess.run(cmd, input=msg, timeout=30, capture_output=True)
        print(f"submitted {args.mta} {kind} -> {' '.join(rcpts)}: rc={r.returncode} "
              f"{r.stdout.decode(errors='replace').strip()} {r.stderr.decode(errors='replace').strip()}")
        # Sendmail with -odi -oem exits with the failure's sysexits code (67 EX_NOUSER, 69
        # EX_UNAVAILABLE, 75 EX_TEMPFAIL, ...) and mails the error back to the sender: that
        # report is the bounce the scenario wants.
        if r.returncode != 0 and not (mta == "sendmail" and 64 <= r.returncode <= 78):
            sys.exit(f"submission of {kind} failed")


def bounce_kind(data, mta):
    """Which scenario a bounce belongs to: the Subject of the returned original names it."""
    text = data.decode("utf-8", "replace")
    for kind in sorted(MTA_SCENARIOS[mta], key=len, reverse=True):
        if f"mta-lab {mta} {kind}\n" in text.replace("\r\n", "\n") or f"mta-lab.{mta}.{kind}." in text:
            return kind
    return None


def mbox_messages(path):
    """The messages of an mbox file as (path#n, bytes), each without its "From " line."""
    if not path or not os.path.exists(path):
        return []
    out, cur = [], None
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(b"From ") and (cur is None or not cur or cur[-1] in (b"\n", b"\r\n")):
                if cur is not None:
                    out.append(b"".join(cur))
                cur = []
                continue
            if cur is not None:
                cur.append(line[1:] if line.startswith(b">From ") else line)
    if cur is not None:
        out.append(b"".join(cur))
    return [(f"{path}#{i + 1}", data) for i, data in enumerate(out)]


def collect(args):
    want = set(MTA_SCENARIOS[args.mta])
    got = {}
    deadline = time.time() + args.timeout
    seen = set()
    while time.time() < deadline and set(got) != want:
        if args.kick:
            subprocess.run(shlex.split(args.kick), timeout=30, capture_output=True)
        for path, data in mbox_messages(args.mbox):
            if path in seen:
                continue
            seen.add(path)
            kind = bounce_kind(data, args.mta)
            if kind is None:
                print(f"  (a message that is no scenario's bounce: {path})")
            elif kind in got:
                print(f"  (a second bounce for {kind}: {path}; keeping the first)")
            else:
                got[kind] = data
                print(f"  bounce for {args.mta} {kind}: {path}")
        for sub in ("new", "cur") if args.maildir else ():
            d = os.path.join(args.maildir, sub)
            if not os.path.isdir(d):
                continue
            for name in sorted(os.listdir(d)):
                path = os.path.join(d, name)
                if path in seen:
                    continue
                seen.add(path)
                data = open(path, "rb").read()
                kind = bounce_kind(data, args.mta)
                if kind is None:
                    print(f"  (a message that is no scenario's bounce: {path})")
                    continue
                if kind in got:
                    print(f"  (a second bounce for {kind}: {path}; keeping the first)")
                    continue
                got[kind] = data
                print(f"  bounce for {args.mta} {kind}: {name}")
        if set(got) != want:
            time.sleep(2)
    os.makedirs(args.out, exist_ok=True)
    for kind, data in got.items():
        with open(os.path.join(args.out, f"{args.mta}-{kind}.eml"), "wb") as f:
            f.write(data)
    missing = sorted(want - set(got))
    print(f"{args.mta}: {len(got)} bounce(s) collected; missing: {', '.join(missing) or 'none'}")
    return 0 if not missing else 1


def expected(args):
    lines = []
    for name in sorted(os.listdir(args.fixtures)):
        if not name.endswith(".eml"):
            continue
        mta, kind = name[:-4].split("-", 1)
        exps = EXPECTED.get((mta, kind))
        if exps is None:
            print(f"no expected answer for {name}: left out of expected.jsonl", file=sys.stderr)
            continue
        for exp in exps:
            lines.append(json.dumps(dict(file=name, **exp), ensure_ascii=False))
    with open(os.path.join(args.fixtures, "expected.jsonl"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"expected.jsonl: {len(lines)} line(s)")


def main():
    ap = argparse.ArgumentParser()
    sp = ap.add_subparsers(dest="cmd", required=True)
    p = sp.add_parser("submit")
    p.add_argument("--mta", choices=MTA_SCENARIOS, required=True)
    p.add_argument("--cf", default="", help="Sendmail: the run's sendmail.cf")
    p = sp.add_parser("collect")
    p.add_argument("--mta", choices=MTA_SCENARIOS, required=True)
    p.add_argument("--maildir", default="")
    p.add_argument("--mbox", default="", help="an mbox file to read the bounces from instead")
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=float, default=120)
    p.add_argument("--kick", default="")
    p = sp.add_parser("expected")
    p.add_argument("--fixtures", required=True)
    args = ap.parse_args()
    return {"submit": submit, "collect": collect, "expected": expected}[args.cmd](args) or 0


if __name__ == "__main__":
    sys.exit(main())
