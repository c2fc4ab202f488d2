// Tests of the plain-text MTA formats (src/mta/exim.cpp, mailru, qmail, sendmail, v5sendmail,
// postfix, courier, opensmtpd, dragonfly, fml, apachejames, gmx, einsundeins, zoho) on small
// hand-written messages: recipient, status / reply code, command, reason and the format name.
#include <gtest/gtest.h>

#include <string>

#include "ricochet/ricochet.h"

namespace {

using namespace ricochet;

const analyzer& az() {
    static std::unique_ptr<analyzer> a = analyzer::create();
    return *a;
}

analysis run(const std::string& msg) { return az().analyze(msg); }

std::string crlf(const std::string& s) {
    std::string o;
    for (char c : s) {
        if (c == '\n') o += '\r';
        o += c;
    }
    return o;
}

const record* find(const analysis& a, const std::string& rcpt) {
    for (const auto& r : a.records)
        if (r.recipient == rcpt) return &r;
    return nullptr;
}

const std::string exim_msg = R"(From: Mail Delivery System <Mailer-Daemon@mx.example.net>
To: sender@example.net
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: alice@example.org, bob@example.com
Message-Id: <E1abcde-000001-AB@mx.example.net>
Date: Mon, 01 Jan 2024 10:00:00 +0000

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  alice@example.org
    SMTP error from remote mail server after RCPT TO:<alice@example.org>:
    host mx.example.org [192.0.2.10]: 550 5.1.1 <alice@example.org>:
    Recipient address rejected: User unknown in local recipient table

  bob
    Unrouteable address

------ This is a copy of the message, including all the headers. ------

Return-path: <sender@example.net>
To: alice@example.org, bob@example.com
Subject: hello

hi
)";

TEST(MtaText, Exim) {
    analysis a = run(exim_msg);
    ASSERT_EQ(a.records.size(), 2u);
    const record* r = find(a, "alice@example.org");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->mta, "exim");
    EXPECT_EQ(r->status, "5.1.1");
    EXPECT_EQ(r->reply_code, "550");
    EXPECT_EQ(r->smtp_command, "RCPT");
    EXPECT_EQ(r->reason, "userunknown");
    EXPECT_EQ(r->remote_mta, "mx.example.org");
    // A bare local part takes its domain from X-Failed-Recipients.
    const record* b = find(a, "bob@example.com");
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(b->reason, "hostunknown");
    EXPECT_EQ(b->rule, "exim-unrouteable");
}

TEST(MtaText, EximCrlfDelayWarning) {
    const std::string msg = crlf(R"(From: Mail Delivery System <Mailer-Daemon@mx.example.net>
To: sender@example.net
Subject: Warning: message 1abcde-000001-AB delayed 24 hours
X-Failed-Recipients: carol@example.org

This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue on mx.example.net.

The address to which the message has not yet been delivered is:

  carol@example.org
    host mx.example.org [192.0.2.10]
    Delay reason: SMTP error from remote mail server after MAIL FROM:<sender@example.net> SIZE=1024:
    451 4.7.1 Greylisted, please try again later

No action is required on your part.
)");
    analysis a = run(msg);
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.recipient, "carol@example.org");
    EXPECT_EQ(r.mta, "exim");
    EXPECT_EQ(r.action, "delayed");
    EXPECT_EQ(r.smtp_command, "MAIL");
    EXPECT_EQ(r.reply_code, "451");
    EXPECT_EQ(r.status, "4.7.1");
}

TEST(MtaText, EximRetryTimeout) {
    analysis a = run(R"(From: Mail Delivery System <Mailer-Daemon@mx.example.net>
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: dave@example.org

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  dave@example.org
    retry timeout exceeded

------ This is a copy of the message, including all the headers. ------
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].reason, "expired");
    EXPECT_EQ(a.records[0].rule, "exim-retry-timeout");
}

TEST(MtaText, MailruBase64) {
    // The text part is base64: "Это письмо создано автоматически сервером Mail.Ru ..." + Exim text.
    const std::string text =
        "Это письмо создано автоматически сервером Mail.Ru, отвечать на него не нужно.\n\n"
        "К сожалению, Ваше письмо не может быть доставлено одному или нескольким получателям:\n\n"
        "  erin@example.org\n"
        "    SMTP error from remote mail server after RCPT TO:<erin@example.org>:\n"
        "    host mx.example.org [192.0.2.20]: 552 5.2.2 Mailbox full\n\n"
        "**********************\n\n"
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its\n"
        "recipients. This is a permanent error. The following address(es) failed:\n\n"
        "  erin@example.org\n"
        "    SMTP error from remote mail server after RCPT TO:<erin@example.org>:\n"
        "    host mx.example.org [192.0.2.20]: 552 5.2.2 Mailbox full\n";
    static const char* tbl = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string b64;
    std::size_t i = 0;
    for (; i + 2 < text.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(text[i]) << 16) | (static_cast<unsigned char>(text[i + 1]) << 8) | static_cast<unsigned char>(text[i + 2]);
        b64 += tbl[(v >> 18) & 63];
        b64 += tbl[(v >> 12) & 63];
        b64 += tbl[(v >> 6) & 63];
        b64 += tbl[v & 63];
        if (b64.size() % 77 == 76) b64 += '\n';
    }
    if (i < text.size()) {
        unsigned v = static_cast<unsigned char>(text[i]) << 16;
        if (i + 1 < text.size()) v |= static_cast<unsigned char>(text[i + 1]) << 8;
        b64 += tbl[(v >> 18) & 63];
        b64 += tbl[(v >> 12) & 63];
        b64 += i + 1 < text.size() ? tbl[(v >> 6) & 63] : '=';
        b64 += '=';
    }
    std::string msg = "From: mailer-daemon@corp.mail.ru\nTo: sender@mail.ru\nSubject: Mail failure.\n"
                      "X-Failed-Recipients: erin@example.org\nMIME-Version: 1.0\n"
                      "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + b64 + "\n";
    analysis a = run(msg);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "mailru");
    EXPECT_EQ(a.records[0].recipient, "erin@example.org");
    EXPECT_EQ(a.records[0].smtp_command, "RCPT");
    EXPECT_EQ(a.records[0].status, "5.2.2");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
}

TEST(MtaText, Qmail) {
    analysis a = run(R"(From: MAILER-DAEMON@mx.example.net
Subject: failure notice

Hi. This is the qmail-send program at mx.example.net.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<frank@example.org>:
192.0.2.30 does not like recipient.
Remote host said: 550 5.1.1 <frank@example.org>... User Unknown
Giving up on 192.0.2.30.

<grace@nowhere.example>:
Sorry, I couldn't find any host named nowhere.example. (#5.1.2)

--- Below this line is a copy of the message.
)");
    ASSERT_EQ(a.records.size(), 2u);
    const record* f = find(a, "frank@example.org");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->mta, "qmail");
    EXPECT_EQ(f->smtp_command, "RCPT");
    EXPECT_EQ(f->reply_code, "550");
    EXPECT_EQ(f->reason, "userunknown");
    const record* g = find(a, "grace@nowhere.example");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->reason, "hostunknown");
    EXPECT_EQ(g->rule, "qmail-no-host");
}

TEST(MtaText, QmailSmtpDeliveryProgram) {
    analysis a = run(R"(From: postmaster@mail.example.net
Subject: failure notice

Hi. This is the smtp delivery program. I'm afraid I wasn't able to deliver your message to the following addresses.

<heidi@example.org>:
192.0.2.31 failed after I sent the message.
Remote host said: 554 5.7.1 Message rejected as spam

--- Below this line is a copy of the message.
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "qmail");
    EXPECT_EQ(a.records[0].recipient, "heidi@example.org");
    EXPECT_EQ(a.records[0].smtp_command, "DATA");
    EXPECT_EQ(a.records[0].reply_code, "554");
}

TEST(MtaText, SendmailTranscript) {
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>
To: sender@example.net
Subject: Returned mail: see transcript for details

The original message was received at Mon, 1 Jan 2024 10:00:00 +0000
from localhost [127.0.0.1]

   ----- The following addresses had permanent fatal errors -----
<ivan@example.org>
    (reason: 550 5.1.1 <ivan@example.org>... User unknown)
<judy@example.org>
    (reason: 552 5.2.2 Mailbox full)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<ivan@example.org>
<<< 550 5.1.1 <ivan@example.org>... User unknown
550 5.1.1 <ivan@example.org>... User unknown
>>> DATA
<<< 552 5.2.2 Mailbox full
552 5.2.2 <judy@example.org>... Mailbox full

   ----- Original message follows -----
)");
    ASSERT_EQ(a.records.size(), 2u);
    const record* i = find(a, "ivan@example.org");
    ASSERT_NE(i, nullptr);
    EXPECT_EQ(i->mta, "sendmail");
    EXPECT_EQ(i->smtp_command, "RCPT");
    EXPECT_EQ(i->status, "5.1.1");
    EXPECT_EQ(i->reason, "userunknown");
    EXPECT_EQ(i->remote_mta, "mx.example.org");
    const record* j = find(a, "judy@example.org");
    ASSERT_NE(j, nullptr);
    EXPECT_EQ(j->smtp_command, "DATA");
    EXPECT_EQ(j->reply_code, "552");
    EXPECT_EQ(j->reason, "mailboxfull");
}

TEST(MtaText, V5Sendmail) {
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@old.example.net>
Subject: Returned mail: User unknown

   ----- Transcript of session follows -----
While talking to mx.example.edu:
>>> RCPT To:<mallory@example.edu>
<<< 550 <mallory@example.edu>... User unknown
550 <mallory@example.edu>... User unknown

   ----- Unsent message follows -----
To: mallory@example.edu
Subject: hi
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "v5sendmail");
    EXPECT_EQ(a.records[0].recipient, "mallory@example.edu");
    EXPECT_EQ(a.records[0].smtp_command, "RCPT");
    EXPECT_EQ(a.records[0].reply_code, "550");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaText, PostfixWithDsn) {
    analysis a = run(R"(From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: sender@example.net
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BND"

--BND
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

                   The mail system

<niaj@example.org>: host mx.example.org[192.0.2.40] said: 550 5.7.1
    <niaj@example.org>: Relay access denied (in reply to RCPT TO command)

--BND
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4ABCDEF

Final-Recipient: rfc822; niaj@example.org
Action: failed
Status: 5.7.1
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 550 5.7.1 <niaj@example.org>: Relay access denied

--BND--
)");
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.mta, "postfix");
    EXPECT_EQ(r.recipient, "niaj@example.org");
    EXPECT_EQ(r.smtp_command, "RCPT");
    EXPECT_EQ(r.status, "5.7.1");
    EXPECT_EQ(r.reply_code, "550");
    EXPECT_EQ(r.reason, "norelaying");
    EXPECT_EQ(r.diagnostic.find("in reply to"), std::string::npos);
}

TEST(MtaText, PostfixLocalDeliveryToAnExpandedAlias) {
    // Local delivery names a single-label host; the record keeps the address the report names.
    analysis a = run(R"(From: MAILER-DAEMON@mailhub (Mail Delivery System)
To: sender@example.net
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BND"

--BND
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mailhub.

<oscar@mailhub> (expanded from <sales@example.org>): can't create user output
    file. Command output: procmail: Lock failure on "/var/mail/oscar.lock"

--BND
Content-Type: message/delivery-status

Reporting-MTA: dns; mailhub

Final-Recipient: rfc822; oscar@mailhub
Original-Recipient: rfc822;sales@example.org
Action: failed
Status: 5.2.0
Diagnostic-Code: x-unix; procmail: Lock failure on "/var/mail/oscar.lock"

--BND--
)");
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.mta, "postfix");
    EXPECT_EQ(r.recipient, "oscar@mailhub");
    EXPECT_EQ(r.original_recipient, "sales@example.org");
    EXPECT_EQ(r.status, "5.2.0");
    EXPECT_EQ(r.reason, "mailererror");
}

TEST(MtaText, PostfixReportWithOnlyItsDeliveryStatusPartKeepsTheLocalAddress) {
    // A Postfix report whose text part was dropped on the way: the delivery-status part alone
    // names the local mailbox (single-label domain), and that is the recipient.
    analysis a = run(R"(From: MAILER-DAEMON@mailhub (Mail Delivery System)
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BND"

--BND
Content-Type: message/delivery-status

Reporting-MTA: dns; mailhub
X-Postfix-Queue-ID: 4F2A19C0
X-Postfix-Sender: rfc822; sender@example.org

Final-Recipient: rfc822; oscar@mailhub
Original-Recipient: rfc822;sales@example.org
Action: failed
Status: 5.2.0
Diagnostic-Code: x-unix; procmail: Lock failure on "/var/mail/oscar.lock"

--BND
Content-Type: message/rfc822

From: sender@example.org
To: sales@example.org
Subject: order

hello
--BND--
)");
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.mta, "postfix");
    EXPECT_EQ(r.recipient, "oscar@mailhub");
    EXPECT_EQ(r.original_recipient, "sales@example.org");
    EXPECT_TRUE(r.warnings.empty());
    EXPECT_EQ(r.reason, "mailererror");
}

TEST(MtaText, PostfixLocalUnknownUserIsUnknownWhateverTheStatus) {
    // Postfix's local delivery agent, not a remote server, says the user is unknown: there was no
    // SMTP exchange, so a plain 5.0.0 does not turn it into a filter's refusal.
    analysis a = run(R"(From: MAILER-DAEMON@mail.example.org (Mail Delivery System)
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="BND"

--BND
Content-Type: text/plain

This is the mail system at host mail.example.org.

<42@mail.example.org> (expanded from <42>): unknown user: "42"

--BND
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.example.org
X-Postfix-Queue-ID: 7C1D2E3F40

Final-Recipient: rfc822; 42@mail.example.org
Original-Recipient: rfc822; 42
Action: failed
Status: 5.0.0
Diagnostic-Code: X-Postfix; unknown user: "42"

--BND--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "42@mail.example.org");
    EXPECT_EQ(a.records[0].reason, "userunknown");
    EXPECT_TRUE(a.records[0].hard);
}

TEST(MtaText, SendmailGivingUpOnARefusedConnectionIsAnExpiry) {
    // No delivery-status part: the address is listed under "permanent fatal errors" and the
    // transcript says the connection kept being refused until the queue gave up.
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@mta.example.jp>
To: sender@example.jp
Subject: Returned mail: see transcript for details

The original message was received at Mon, 4 Mar 2024 09:00:00 +0900
from localhost [127.0.0.1]

   ----- The following addresses had permanent fatal errors -----
<tama@example.net>

   ----- Transcript of session follows -----
<tama@example.net>... Deferred: Connection refused by mx.example.net.
Message could not be delivered for 5 days
Message will be deleted from queue
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "tama@example.net");
    EXPECT_EQ(a.records[0].action, "failed");
    EXPECT_EQ(a.records[0].reason, "expired");
}

TEST(MtaText, TheAddressTheSenderWroteIsKeptBesideTheExpandedOne) {
    // No delivery-status part: each MTA says in its own words which address led to the failed one.
    analysis sm = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.nl>
To: list-bounces@example.org
Subject: Returned mail: see transcript for details

   ----- The following addresses had permanent fatal errors -----
piet@shaft.example.nl
    (expanded from: piet@example.nl)

   ----- Transcript of session follows -----
554 5.4.6 Too many hops 26 (25 max): from list-bounces@example.org via localhost, to piet@example.nl
)");
    ASSERT_EQ(sm.records.size(), 1u);
    EXPECT_EQ(sm.records[0].recipient, "piet@shaft.example.nl");
    EXPECT_EQ(sm.records[0].original_recipient, "piet@example.nl");

    analysis ex = run(R"(From: Mail Delivery System <Mailer-Daemon@mx.example.de>
To: sender@example.com
Subject: Mail delivery failed: returning message to sender

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  anna@example.us
    (ultimately generated from team@example.com)
    SMTP error from remote mail server after RCPT TO:<anna@example.us>:
    host mx.example.us [192.0.2.9]: 550 5.1.1 <anna@example.us>: Recipient address rejected: User unknown
  bert@example.com
    SMTP error from remote mail server after RCPT TO:<bert@example.com>:
    host mx.example.com [192.0.2.10]: 550 5.1.1 No such user
)");
    ASSERT_EQ(ex.records.size(), 2u);
    const record* anna = find(ex, "anna@example.us");
    const record* bert = find(ex, "bert@example.com");
    ASSERT_TRUE(anna && bert);
    EXPECT_EQ(anna->original_recipient, "team@example.com");
    EXPECT_EQ(bert->original_recipient, "");

    analysis pf = run(R"(From: MAILER-DAEMON@mx.example.jp (Mail Delivery System)
To: sender@example.net
Subject: Undelivered Mail Returned to Sender

This is the mail system at host mx.example.jp.

<kenji@mobile.example.ne.jp> (expanded from <kenji@example.jp>): host
    mx.mobile.example.ne.jp[192.0.2.20] said: 550 5.1.1 unknown user (in reply to RCPT TO command)
)");
    ASSERT_EQ(pf.records.size(), 1u);
    EXPECT_EQ(pf.records[0].recipient, "kenji@mobile.example.ne.jp");
    EXPECT_EQ(pf.records[0].original_recipient, "kenji@example.jp");
}

TEST(MtaText, SendmailBareReplyCodeThenGiveUpIsAnExpiry) {
    // The transcript quotes only a reply code at connection time; the queue gave up on it.
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.jp>
To: sender@example.jp
Subject: Returned mail: see transcript for details

   ----- The following addresses had permanent fatal errors -----
<hana@mobile.example.ne.jp>
    (reason: )

   ----- Transcript of session follows -----
... while talking to mx1.mobile.example.ne.jp.:
<<< 421
<hana@mobile.example.ne.jp>... Deferred: 421
Message could not be delivered for 8 hours
Message will be deleted from queue
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "hana@mobile.example.ne.jp");
    EXPECT_EQ(a.records[0].reason, "expired");
    EXPECT_NE(a.records[0].diagnostic.find("8 hours"), std::string::npos);
}

TEST(MtaText, SendmailSubjectNamesTheFailureWhenNothingElseDoes) {
    // The delivery-status part is gone; the address list carries no reason, but Sendmail's subject
    // does. "see transcript for details" does not.
    const char* body = "\n   ----- The following addresses had permanent delivery errors -----\nken@example.org\n";
    analysis a = run(std::string("From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.co.jp>\nTo: sender@example.co.jp\n"
                                 "Subject: Returned mail: User unknown\n") + body);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "ken@example.org");
    EXPECT_EQ(a.records[0].reason, "userunknown");
    EXPECT_EQ(a.records[0].diagnostic, "User unknown");
    analysis b = run(std::string("From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.co.jp>\nTo: sender@example.co.jp\n"
                                 "Subject: Returned mail: see transcript for details\n") + body);
    ASSERT_EQ(b.records.size(), 1u);
    EXPECT_EQ(b.records[0].diagnostic.find("transcript"), std::string::npos);
    EXPECT_NE(b.records[0].reason, "userunknown");
}

TEST(MtaText, ANoticeNamingTheRecipientOnlyInItsSummaryOfTheMessage) {
    // No subject, no address list: the notice sums up the returned message in header lines.
    analysis a = run("From: MAILER-DAEMON@mail.example.com\nTo: list-bounces@lists.example.org\n\n"
                     "I'm afraid I wasn't able to deliver the following message.\n"
                     "This is a permanent error; I've given up. Sorry it didn't work out.\n\n"
                     "Subject: [List] Re: folder names\nTo: member@example.com\n\n"
                     "---Below this line is a copy of the message.\n");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "member@example.com");
    EXPECT_EQ(a.records[0].action, "failed");
    EXPECT_FALSE(a.records[0].warnings.empty());
}

TEST(MtaText, TheNoticesOwnSentencesGiveTheReasonWhenNoRecipientLineDoes) {
    // The reason is said once, above the lists of recipients, for all of them.
    analysis a = run(R"(From: Mail Administrator <Postmaster@mail.example.com>
To: sender@example.org
Subject: Mail System Error - Returned Mail

This Message was undeliverable due to the following reason:

Your message was not delivered because the destination computer was
not reachable within the allowed queue period.

Your message was not delivered within 2 days.
Host example.net is not responding.

The following recipients did not receive your message:

     <ann@example.net>

The following recipients did not receive your message:

     <bob@example.net>

Please reply to Postmaster@mail.example.com
if you feel this message to be in error.
)");
    ASSERT_EQ(a.records.size(), 2u);
    for (const auto& r : a.records) {
        EXPECT_EQ(r.reason, "expired") << r.recipient;
        EXPECT_EQ(r.rule.rfind("notice:", 0), 0u) << r.rule;
    }
    // The words of a returned message quoted after "Old message:" are not the notice's.
    analysis b = run(R"(From: <admin@example.com>
To: list-bounces@lists.example.org
Subject: Non-Delivery: Your message to team awaits moderator approval

--- Non-Delivery Report ---
The email below could not be delivered to the following user:

"kim@example.com" <kim@example.com>

Old message:

Your mail to 'team' is being held until the list moderator can review it for approval.
The reason it is being held:
    Post by non-member to a members-only list
)");
    ASSERT_EQ(b.records.size(), 1u);
    EXPECT_EQ(b.records[0].recipient, "kim@example.com");
    EXPECT_NE(b.records[0].reason, "policyviolation");
}

TEST(MtaText, AParagraphEndingInAColonAnnouncesTheReason) {
    analysis a = run(R"(From: MAILER-DAEMON@mail.example.com
To: sender@example.org
Subject: failure notice

Sorry, unable to deliver your message to dan@example.com for
the following reason:

 552 Quota violation for dan@example.com

A copy of the original message below this line:
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "dan@example.com");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
    EXPECT_EQ(a.records[0].reply_code, "552");
}

TEST(MtaText, PostfixUnderASiteMailNameWithAFoldedReply) {
    // mail_name changed by the site; the reply is folded onto an indented line.
    analysis a = run(R"(From: MAILER-DAEMON@example.net (Mail Delivery System)
To: sender@example.net
Subject: Undelivered Mail Returned to Sender

This is the ACME Postfix program at host relay.example.net.

I'm sorry to have to inform you that the message returned
below could not be delivered to one or more destinations.

			The ACME Postfix program

<eve@example.com>: host mx.example.com[192.0.2.40] said: 554 No
    Resent-From field given

)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "postfix");
    EXPECT_EQ(a.records[0].reason, "notcompliantrfc");
    EXPECT_NE(a.records[0].diagnostic.find("Resent-From field given"), std::string::npos);
}

TEST(MtaText, AGenericNoticeThatGaveUpConnectingIsAnExpiry) {
    // A notice in no known layout: it gave up on a server it could not connect to (no reply code,
    // no status, no "still trying"): the queue expired.
    analysis a = run(R"(From: postmaster@relay.example.com
To: sender@example.com
Subject: Undeliverable: offer

Unable to deliver message to the following recipients, due to being unable to connect
successfully to the destination mail server.

       mio@example.net
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "mio@example.net");
    EXPECT_EQ(a.records[0].reason, "expired");
}

TEST(MtaText, BareMailboxNamesAreAddressesAtTheReportingSystemsDomain) {
    // An old-style provider notice that lists its own members by mailbox name only.
    analysis a = run("From: Mail Delivery Subsystem <MAILER-DAEMON@members.example.com>\n"
                     "To: <news@example.org>\n"
                     "Subject: Mail Delivery Problem\n\n"
                     "Sorry news@example.org. Your mail to the following recipients could not be delivered because they are "
                     "not accepting mail with attachments or embedded images:\n"
                     "\tskywalker42\n"
                     "\tleia.o\n\n");
    ASSERT_EQ(a.records.size(), 2u);
    EXPECT_EQ(a.records[0].recipient, "skywalker42@members.example.com");
    EXPECT_EQ(a.records[1].recipient, "leia.o@members.example.com");
    EXPECT_EQ(a.records[0].reason, "policyviolation");
    EXPECT_FALSE(a.records[0].warnings.empty());
}

TEST(MtaText, TheAddressTheRecipientsRefuseMailFromIsTheSender) {
    // "not accepting mail from <list address>": that address is the sender's side; the members
    // are named by their mailbox names alone.
    analysis a = run("From: \"Mail Delivery Subsystem\" <MAILER-DAEMON@members.example.com>\n"
                     "To: <news-bounces@lists.example.org>\n"
                     "Subject: Mail Delivery Problem\n\n"
                     "Your mail to the following recipients could not be delivered because they are not accepting mail from "
                     "news@lists.example.org:\n"
                     "\tskywalker42\n\n");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "skywalker42@members.example.com");
    EXPECT_EQ(a.records[0].reason, "filtered");
}

TEST(MtaText, ARecipientRepeatedWithTheSameWordsIsOneRecord) {
    // Sendmail lists an address once per alias expansion when an alias loops.
    std::string m = "From: Mail Delivery Subsystem <MAILER-DAEMON@example.com>\nTo: <list-bounces@example.org>\n"
                    "Subject: Returned mail: User unknown\n\n"
                    "   ----- The following addresses had permanent fatal errors -----\n";
    for (int i = 0; i < 5; ++i) m += "joe@example.com\n";
    m += "\n   ----- Transcript of session follows -----\n";
    m += "554 joe@example.com... aliasing/forwarding loop broken (11 aliases deep; 10 max)\n";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "joe@example.com");
    EXPECT_FALSE(a.records[0].warnings.empty());
}

TEST(MtaText, AWarningFromAMangledPostmasterAddressIsADelay) {
    // A gateway mangled the postmaster's address; the warning says the mailbox is full and that
    // delivery goes on being tried.
    analysis a = run("From: <Postmaster\\@example.com@relay.example>\nTo: <list-bounces@example.org>\n"
                     "Subject: Mail Delivery Warning\n\n"
                     "This is an advisory-only email.  Please do not reply to it.\n\n"
                     "Delivery of email to this address\n\n\"calvin@example.com\"\n\n"
                     "has been postponed due to a full mailbox.\n\n"
                     "We will continue to try to deliver your message over the next few days.\n");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "calvin@example.com");
    EXPECT_EQ(a.records[0].action, "delayed");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
    EXPECT_FALSE(a.records[0].hard);
}

TEST(MtaText, SendmailProgramAddressInTranscript) {
    // The transcript's summary line names a pipe, not an address: it belongs to the only recipient.
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@host.example.edu>
To: <sender@example.com>
Subject: Returned mail: Service unavailable
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B

   ----- The following addresses had permanent fatal errors -----
"|exec /usr/local/bin/procmail || exit 75 #peggy"
    (expanded from: <peggy@example.edu>)

   ----- Transcript of session follows -----
554 "|exec /usr/local/bin/procmail || exit 75 #peggy"... Service unavailable

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; host.example.edu

Final-Recipient: RFC822; peggy@host.example.edu
Action: failed
Status: 5.5.0

--B--
)");
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.mta, "sendmail");
    EXPECT_EQ(r.recipient, "peggy@host.example.edu");
    EXPECT_EQ(r.reply_code, "554");
    EXPECT_EQ(r.diagnostic, "554 Service unavailable");
    EXPECT_EQ(r.reason, "systemerror");
}

TEST(MtaText, SendmailTranscriptBeatsAStaleReasonLine) {
    // Seen in the MTA lab (Sendmail 8.17, one queue run delivering several messages over one
    // connection): the "(reason: ...)" line and the Diagnostic-Code repeat the previous message's
    // 552, while the transcript shows what the server answered to this recipient.
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@mta.example.net>
To: sender@example.net
Subject: Returned mail: see transcript for details
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B

The original message was received at Sun, 29 Nov 2026 19:18:12 GMT
from root@localhost

   ----- The following addresses had permanent fatal errors -----
list-7@example.org
    (reason: 552 5.3.4 Message size exceeds fixed maximum message size)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<list-7@example.org>
<<< 452 4.5.3 Error: too many recipients
list-7@example.org... Deferred: 452 4.5.3 Error: too many recipients
Message could not be delivered for 2 hours
Message will be deleted from queue

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mta.example.net

Final-Recipient: RFC822; list-7@example.org
Action: failed
Status: 4.4.7
Remote-MTA: DNS; mx.example.org
Diagnostic-Code: SMTP; 552 5.3.4 Message size exceeds fixed maximum message size

--B--
)");
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.mta, "sendmail");
    EXPECT_EQ(r.recipient, "list-7@example.org");
    EXPECT_EQ(r.reply_code, "452");
    EXPECT_EQ(r.status, "4.5.3");
    EXPECT_EQ(r.smtp_command, "RCPT");
    EXPECT_EQ(r.reason, "toomanyconn");
}

TEST(MtaText, SendmailLocalRecipientWithoutADotInItsDomain) {
    // A local delivery to "user@localhost": the Final-Recipient names it, dot or no dot.
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON>
To: sender@example.net
Subject: Returned mail: see transcript for details
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B

The original message was received at Sun, 29 Nov 2026 19:18:12 GMT
from root@localhost

   ----- The following addresses had permanent fatal errors -----
nobody-here@localhost
    (reason: 550 5.1.1 User unknown)

   ----- Transcript of session follows -----
550 5.1.1 nobody-here@localhost... User unknown

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mta.example.net

Final-Recipient: RFC822; nobody-here@localhost
Action: failed
Status: 5.1.1
Diagnostic-Code: X-Unix; 550 5.1.1 User unknown

--B--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "sendmail");
    EXPECT_EQ(a.records[0].recipient, "nobody-here@localhost");
    EXPECT_EQ(a.records[0].status, "5.1.1");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaText, SendmailPipeFailureWithoutDeliveryStatus) {
    // No delivery-status part: the failed pipe's "(expanded from:)" address is the recipient, and
    // "(reason: 75)" is the program's exit status, so the transcript's summary line is the answer.
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@mail.example.org>
To: <owner@example.org>
Subject: Returned mail: see transcript for details
Auto-Submitted: auto-generated (failure)

The original message was received at Tue, 2 Jul 2024 08:11:02 +0200
from relay.example.net [198.51.100.20]

   ----- The following addresses had permanent fatal errors -----
"|/usr/local/bin/ticket-import --queue support"
    (reason: 75)
    (expanded from: <support@example.org>)

   ----- Transcript of session follows -----
ticket-import: cannot open database: connection refused
554 5.3.0 unknown mailer error 75

   ----- Original message follows -----
From: customer@example.net
To: support@example.org
Subject: order 4411

where is it?
)");
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.mta, "sendmail");
    EXPECT_EQ(r.recipient, "support@example.org");
    EXPECT_EQ(r.reply_code, "554");
    EXPECT_EQ(r.status, "5.3.0");
    EXPECT_EQ(r.reason, "mailererror");
}

TEST(MtaText, TwoHundredNumberInAFailureIsNotASuccess) {
    // A 2xx-looking number and no status: the failure words decide, never "delivered".
    analysis a = run(R"(From: postmaster@mail.example.org
To: sender@example.net
Subject: Undeliverable: meeting notes

Your message could not be delivered to the following recipient:

  dana@example.org
  (error 250) mailbox is full

)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "dana@example.org");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
}

TEST(MtaText, GenericReasonInTheParagraphBeforeALoneAddress) {
    // The address stands alone with nothing after it: the paragraph before gives the reason.
    analysis a = run(R"(From: postmaster@gw.example.com
To: writer@example.net
Subject: Delivery Status Notification (Failure)
Auto-Submitted: auto-replied

This is an automatically generated Delivery Status Notification.

Unable to deliver message to the following recipients, because the message was forwarded more than the maximum allowed times. This could indicate a mail loop.

       team@lists.example.com

)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "team@lists.example.com");
    EXPECT_EQ(a.records[0].reason, "networkerror");
}

const std::string no_recipient_bounce = R"(From: postmaster@in.example.org
To: sender@example.net
Subject: Delivery Status Notification (Failure)
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="R"

--R
Content-Type: text/plain

This message could not be delivered.

--R
Content-Type: text/rfc822-headers

Received: from out.example.net (out.example.net [198.51.100.7])
 by in.example.org with SMTP id 8k2j
 for nobody-here@example.org;
 Thu, 01 Oct 2024 13:48:54 +0000 (UTC)
From: Sender <sender@example.net>
TO_LINE
Subject: quarterly figures

--R--
)";

std::string with_to(std::string msg, const std::string& to, bool received) {
    msg.replace(msg.find("TO_LINE"), 7, to);
    if (!received) msg.erase(msg.find("Received:"), msg.find("From: Sender") - msg.find("Received:"));
    return msg;
}

TEST(MtaText, NoRecipientNamedTakesTheReceivedForAddress) {
    analysis a = run(with_to(no_recipient_bounce, "To: team@example.org, other@example.org", true));
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "nobody-here@example.org");
    ASSERT_FALSE(a.records[0].warnings.empty());
    EXPECT_NE(a.records[0].warnings.back().find("names no recipient"), std::string::npos);
}

TEST(MtaText, NoRecipientNamedTakesTheOnlyToAddress) {
    analysis a = run(with_to(no_recipient_bounce, "To: Team <team@example.org>", false));
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "team@example.org");
}

TEST(MtaText, NoRecipientNamedTakesTheOnlyAddresseeBesidesTheSendersOwnCopy) {
    // The sender copied itself: the other addressee is the one the message was for.
    analysis a = run(with_to(no_recipient_bounce, "To: Team <team@example.org>\nCc: sender@example.net", false));
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "team@example.org");
    // A second addressee is a second candidate: no guess.
    analysis b = run(with_to(no_recipient_bounce, "To: Team <team@example.org>\nCc: boss@example.org", false));
    ASSERT_EQ(b.records.size(), 1u);
    EXPECT_EQ(b.records[0].recipient, "");
}
TEST(MtaText, NoRecipientNamedAndSeveralToAddressesStaysEmpty) {
    // Two addresses, no Received clause: any guess could blame the wrong one.
    analysis a = run(with_to(no_recipient_bounce, "To: team@example.org, other@example.org", false));
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "");
    EXPECT_EQ(a.records[0].action, "failed");
}

const std::string mdaemon_msg = R"(From: MDaemon@mail.example.com
To: alice@example.com
Subject: Permanent Delivery Failure
Date: Mon, 4 Mar 2024 10:00:00 +0100
X-MDaemon-Deliver-To: alice@example.com

The attached message had PERMANENT fatal delivery errors!

After one or more unsuccessful delivery attempts the attached message has
been removed from the mail queue on this server.  The number and frequency
of delivery attempts are determined by local configuration parameters.

YOU DO NOT NEED TO RESEND THIS MESSAGE. The message has been deleted.

--- Session Transcript ---
 Mon 2024-03-04 09:59:58: Parsing message <mail.example.com\pd50000000.msg>
 Mon 2024-03-04 09:59:58: *  From: alice@example.com
 Mon 2024-03-04 09:59:58: *  To: eve@example.org
 Mon 2024-03-04 09:59:58: *  To: finn@example.org
 Mon 2024-03-04 09:59:58: Attempting SMTP connection to [mx.example.org : 25]
 Mon 2024-03-04 09:59:58: <-- 220 mx.example.org ESMTP
 Mon 2024-03-04 09:59:58: --> EHLO mail.example.com
 Mon 2024-03-04 09:59:58: <-- 250 mx.example.org
 Mon 2024-03-04 09:59:58: --> MAIL From:<alice@example.com> SIZE=1234
 Mon 2024-03-04 09:59:58: <-- 250 2.1.0 Ok
 Mon 2024-03-04 09:59:58: --> RCPT To:<eve@example.org>
 Mon 2024-03-04 09:59:58: <-- 550 5.2.1 <eve@example.org>: Recipient address rejected: account disabled
 Mon 2024-03-04 09:59:58: --> RCPT To:<finn@example.org>
 Mon 2024-03-04 09:59:58: <-- 250 2.1.5 Ok
 Mon 2024-03-04 09:59:58: --> DATA
 Mon 2024-03-04 09:59:59: <-- 554 5.7.1 Message rejected as spam by Content Filtering
 Mon 2024-03-04 09:59:59: --> QUIT
 Mon 2024-03-04 09:59:59: <-- 221 Bye
--- End Transcript ---
)";

TEST(MtaText, MdaemonSessionTranscript) {
    // Each recipient gets its own answer: the refused RCPT for one, the refused DATA for the other.
    analysis a = run(mdaemon_msg);
    ASSERT_EQ(a.records.size(), 2u);
    const record* e = find(a, "eve@example.org");
    const record* f = find(a, "finn@example.org");
    ASSERT_TRUE(e && f);
    EXPECT_EQ(e->mta, "mdaemon");
    EXPECT_EQ(e->action, "failed");
    EXPECT_EQ(e->smtp_command, "RCPT");
    EXPECT_EQ(e->status, "5.2.1");
    EXPECT_EQ(e->remote_mta, "mx.example.org");
    EXPECT_EQ(e->reason, "suspend");
    EXPECT_EQ(f->smtp_command, "DATA");
    EXPECT_EQ(f->reply_code, "554");
    EXPECT_EQ(f->reason, "spamdetected");
}

TEST(MtaText, MdaemonDelayNoticeIsDelayed) {
    std::string m = mdaemon_msg;
    m.replace(m.find("had PERMANENT fatal delivery errors!"), 36, "has been delayed and is temporarily undeliverable.");
    m.replace(m.find("554 5.7.1 Message rejected as spam by Content Filtering"), 55, "451 4.3.0 Temporary local problem - please try later");
    analysis a = run(m);
    const record* f = find(a, "finn@example.org");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->mta, "mdaemon");
    EXPECT_EQ(f->action, "delayed");
    EXPECT_FALSE(f->hard);
}

TEST(MtaText, SendmailStyleSummaryWithoutAddress) {
    // A Sendmail-style report whose transcript is one summary line naming no address.
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.dk>
To: <news-bounce@example.com>
Subject: Returned mail: could not connect and send the mail to 198.51.100.84
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="S"

--S
Content-Type: text/plain; charset="utf-8"

The original message was received at Mon, 18 May 2015 15:48:42 +0200

  ----- The following addresses had permanent fatal errors -----
<reader@example.dk>

  ----- Transcript of session follows -----
554 could not connect and send the mail to 198.51.100.84

--S
Content-Type: message/delivery-status

Reporting-MTA: DNS; relay.example.dk

Final-Recipient: RFC822; <reader@example.dk>
Action: failed
Remote-MTA: DNS; 198.51.100.84

--S--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "reader@example.dk");
    EXPECT_EQ(a.records[0].reply_code, "554");
    EXPECT_EQ(a.records[0].reason, "networkerror");
}

TEST(MtaText, GenericLocalisedNoticeWithoutCodesKeepsUserUnknown) {
    // A provider's notice written for people, in French, quoting no server reply: "address not
    // found" means the mailbox does not exist, not that a filter refused the message.
    analysis a = run(R"(From: postmaster@mail.example.fr
To: anna@example.com
Subject: Non remis : Devis
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Votre message n'a pas pu être remis aux destinataires suivants :

jean.dupont@example.fr
L'adresse e-mail que vous avez saisie est introuvable. Vérifiez l'adresse du destinataire.

)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "jean.dupont@example.fr");
    EXPECT_EQ(a.records[0].reason, "userunknown");
    EXPECT_TRUE(a.records[0].hard);
}

TEST(MtaText, GenericOneLinePerRecipientKeepsEachReason) {
    // "address: reply" lines one after another: each recipient has its own line and nothing more.
    analysis a = run(R"(From: Mail Administrator <postmaster@gw.example.net>
To: alice@example.com
Subject: Undeliverable mail: Quarterly report

Your message could not be delivered to some of the recipients.

  amy@example.org: 550 5.1.1 User unknown
  ben@example.org: 452 4.2.2 Mailbox full
  cat@example.org: 554 5.7.1 Message rejected as spam

The other recipients received your message.
)");
    ASSERT_EQ(a.records.size(), 3u);
    const record* amy = find(a, "amy@example.org");
    const record* ben = find(a, "ben@example.org");
    const record* cat = find(a, "cat@example.org");
    ASSERT_TRUE(amy && ben && cat);
    EXPECT_EQ(amy->reason, "userunknown");
    EXPECT_EQ(ben->reason, "mailboxfull");
    EXPECT_EQ(ben->status, "4.2.2");
    EXPECT_EQ(ben->action, "delayed");
    EXPECT_EQ(cat->reason, "spamdetected");
    EXPECT_EQ(cat->diagnostic.find("amy@"), std::string::npos);
}

TEST(MtaText, GenericGroupWiseListWithReasonsInParentheses) {
    // GroupWise's "undeliverable to the following" list: each address with its reason after it;
    // the advice paragraph that follows does not change either reason.
    analysis a = run(R"(From: Mail Delivery System <postmaster@gw.example.edu>
To: alice@example.com
Subject: Message status - undeliverable
X-Mailer: GroupWise Internet Agent 18.2.1

  The message that you sent was undeliverable to the following:
	dan@gw.example.edu (user not found)
	eva@gw.example.edu (mailbox full)

  Possible Solutions:
	Verify that the Internet email address is correct.
	Verify that the mailbox of the recipient is not full.

)");
    ASSERT_EQ(a.records.size(), 2u);
    const record* dan = find(a, "dan@gw.example.edu");
    const record* eva = find(a, "eva@gw.example.edu");
    ASSERT_TRUE(dan && eva);
    EXPECT_EQ(dan->reason, "userunknown");
    EXPECT_EQ(dan->diagnostic, "dan@gw.example.edu (user not found)");
    EXPECT_EQ(eva->reason, "mailboxfull");
}

TEST(MtaText, GlobalDeliveryStatusWithAnInternationalisedAddress) {
    // RFC 6533: message/global-delivery-status, base64, with a utf-8 address type and a UTF-8 domain.
    analysis a = run(R"(From: Mail Delivery System <MAILER-DAEMON@mx.example.cn>
To: alice@example.com
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="G"

--G
Content-Type: text/plain; charset=utf-8

Delivery failed.

--G
Content-Type: message/global-delivery-status
Content-Transfer-Encoding: base64

UmVwb3J0aW5nLU1UQTogZG5zOyBteC5leGFtcGxlLmNuCgpPcmlnaW5hbC1SZWNpcGllbnQ6IHV0
Zi04OyDnlKjmiLdA5L6L5a2QLuS4reWbvQpGaW5hbC1SZWNpcGllbnQ6IHV0Zi04OyDnlKjmiLdA
5L6L5a2QLuS4reWbvQpBY3Rpb246IGZhaWxlZApTdGF0dXM6IDUuMS4xCkRpYWdub3N0aWMtQ29k
ZTogc210cDsgNTUwIDUuMS4xIDznlKjmiLdA5L6L5a2QLuS4reWbvT46IFJlY2lwaWVudCBhZGRy
ZXNzIHJlamVjdGVkOiBVc2VyIHVua25vd24K

--G--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "用户@例子.中国");
    EXPECT_EQ(a.records[0].status, "5.1.1");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaText, FilteringGatewayRejectionNotice) {
    // A security gateway's own notice from a no-reply address: "Your message to x was rejected".
    analysis a = run(R"(From: Email Security Service <noreply@gateway.example.com>
To: alice@example.com
Subject: Message Rejected: Quarterly report

Your message to max@example.org was rejected.

Reason: Message content rejected (Message contains a blocked attachment type)

This notification was sent by the email security gateway.
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "max@example.org");
    EXPECT_EQ(a.records[0].reason, "policyviolation");
    // The same words in a person's message with an ordinary subject are no bounce.
    EXPECT_TRUE(run("From: bob@example.org\nTo: alice@example.com\nSubject: Quarterly report\n\nYour message to the board was rejected, sorry.\n")
                    .records.empty());
}

TEST(MtaText, PostfixTextOnlyLocalAndRemoteRefusals) {
    // No delivery-status part: an alias expansion, Postfix's own local "unknown user" verdict (no
    // server reply: the mailbox does not exist) and a local delivery that hit the disk quota.
    analysis a = run(R"(From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: alice@example.com
Subject: Undelivered Mail Returned to Sender
Date: Mon, 4 Mar 2024 10:00:00 +0100
Auto-Submitted: auto-replied

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<bob@example.org> (expanded from <team@example.net>): host
    mx.example.org[192.0.2.60] said: 550 5.1.1 <bob@example.org>: Recipient
    address rejected: User unknown in virtual mailbox table (in reply to RCPT
    TO command)

<carl@example.net>: unknown user: "carl"

<dora@example.net>: cannot update mailbox /var/mail/dora for user dora.
    error writing message: Disk quota exceeded
)");
    ASSERT_EQ(a.records.size(), 3u);
    const record* bob = find(a, "bob@example.org");
    const record* carl = find(a, "carl@example.net");
    const record* dora = find(a, "dora@example.net");
    ASSERT_TRUE(bob && carl && dora);
    EXPECT_EQ(bob->smtp_command, "RCPT");
    EXPECT_EQ(bob->reason, "userunknown");
    EXPECT_EQ(carl->reason, "userunknown");
    EXPECT_EQ(dora->reason, "mailboxfull");
}

TEST(MtaText, GenericSkipsTheReturnedMessagesEnvelopeSender) {
    // A refusal that quotes the VERP envelope sender: that address is the sender's side.
    analysis a = run(R"(From: MAILER-DAEMON@relay.example.net
To: bounces@example.com
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="V"

--V
Content-Type: text/plain

The following message to <lee@example.org> was undeliverable.
The reason for the problem:
5.1.0 - Unknown address error 550-'5.7.1 <0001abcd-ef@bounces.example.com>... Access denied'

--V
Content-Type: message/rfc822

Return-Path: 0001abcd-ef@bounces.example.com
From: news@example.com
To: lee@example.org
Subject: TEST

hi
--V--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "lee@example.org");
}

TEST(MtaText, GenericRelaySummaryAfterASentence) {
    // One recipient's paragraph: the sentence naming it, then the relay's "x.y.z - summary" with
    // the remote reply quoted: the quoted reply is the answer.
    analysis a = run(R"(From: MAILER-DAEMON@relay.example.net
To: sender@example.com
Subject: Delivery Status Notification (Failure)

The following message to <amedia@example.org> was undeliverable.
The reason for the problem:
5.1.0 - Unknown address error 550-'5.4.1 Recipient address rejected: Access denied. [AM0PR01.prod.outlook.com]'
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "amedia@example.org");
    EXPECT_EQ(a.records[0].reply_code, "550");
    EXPECT_EQ(a.records[0].status, "5.4.1");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaText, EximReportUnderAPlainSubjectKeepsTheAliasOut) {
    // Exim's text under a neutral subject and daemon sender: read as Exim, and the alias it was
    // generated from is not a second failed recipient.
    analysis a = run(R"(From: Mail Delivery System <MAILER-DAEMON@mx.example.net>
To: sender@example.com
Subject: Delivery Status Notification (Failure)

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  kodani@host59.example.com
    (generated from john@example.org)
    LMTP error after RCPT TO:<kodani@host59.example.com>:
    550 5.1.1 <kodani@host59.example.com> User doesn't exist: kodani@host59.example.com
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "exim");
    EXPECT_EQ(a.records[0].recipient, "kodani@host59.example.com");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaText, GenericReasonBeforeTheLabelledAddress) {
    analysis a = run(R"(From: postmaster@example.de
To: bounces@example.net
Subject: email bounce notification
Auto-Submitted: auto-replied

Your message was rejected and discarded because it could not be saved in
the target mailbox.

reject reason: Mailbox full
target mail address: trent@example.de

------------------------------------------------------------------------
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "trent@example.de");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
}

TEST(MtaText, Courier) {
    analysis a = run(R"(From: postmaster@mx.example.net
Subject: NOTICE: mail delivery status.

This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.0.

                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<olivia@example.org>:
    mx.example.org [192.0.2.50]:
>>> RCPT TO:<olivia@example.org>
<<< 550 5.1.1 <olivia@example.org>... User Unknown

---------------------------------------------------------------------------
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "courier");
    EXPECT_EQ(a.records[0].smtp_command, "RCPT");
    EXPECT_EQ(a.records[0].remote_mta, "mx.example.org");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaText, OpenSmtpd) {
    analysis a = run(R"(From: Mailer Daemon <MAILER-DAEMON@mx.example.net>
Subject: Delivery status notification: error

    Hi!

    This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.

    An error has occurred while attempting to deliver a message for
    the following list of recipients:

peggy@example.org: 550 5.1.1 <peggy@example.org>... User Unknown
rupert@nowhere.example: Domain does not exist

    Below is a copy of the original message:
)");
    ASSERT_EQ(a.records.size(), 2u);
    EXPECT_EQ(a.records[0].mta, "opensmtpd");
    EXPECT_EQ(a.records[0].reason, "userunknown");
    EXPECT_EQ(a.records[1].recipient, "rupert@nowhere.example");
    EXPECT_EQ(a.records[1].reason, "hostunknown");
}

TEST(MtaText, DragonFly) {
    analysis a = run(R"(From: MAILER-DAEMON <>
Subject: Mail delivery failed

This is the DragonFly Mail Agent v0.13 at df.example.net.

There was an error delivering your mail to <sybil@example.org>.

mx.example.org [192.0.2.60] did not like our final DATA:
552 5.3.4 Message too big for system

Message headers follow.
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "dragonfly");
    EXPECT_EQ(a.records[0].recipient, "sybil@example.org");
    EXPECT_EQ(a.records[0].smtp_command, "DATA");
    EXPECT_EQ(a.records[0].remote_mta, "mx.example.org");
    EXPECT_EQ(a.records[0].reply_code, "552");
    EXPECT_EQ(a.records[0].reason, "mesgtoobig");
}

TEST(MtaText, Fml) {
    analysis a = run(R"(From: list-admin@example.org
Subject: You sender@example.net are not member (list ML)
X-MLServer: fml [fml 4.0.3 release]
Message-Id: <202401011000.FML0001.list@example.org>

You are not a member of this mailing list <list@example.org>.

Original mail as follows:
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "fml");
    EXPECT_EQ(a.records[0].recipient, "list@example.org");
    EXPECT_EQ(a.records[0].reason, "rejected");
}

TEST(MtaText, ApacheJames) {
    analysis a = run(R"(From: postmaster@example.org
Subject: [BOUNCE] Test message
Message-ID: <1.2.3.JavaMail.james@example.org>

Error: Invalid user address

Error message below:
550 - Requested action not taken: no such user here

Message details:
  Subject: Test message
  MAIL FROM: sender@example.net
  RCPT TO: trent@example.org
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "apachejames");
    EXPECT_EQ(a.records[0].recipient, "trent@example.org");
    EXPECT_EQ(a.records[0].reply_code, "550");
}

TEST(MtaText, Gmx) {
    analysis a = run(R"(From: MAILER-DAEMON@mail.gmx.net
Subject: Mail delivery failed: returning message to sender

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of
its recipients. This is a permanent error. The following address
failed:

"victor@example.org":

SMTP error from remote server after RCPT command:
host: mx.example.org
5.1.1 <victor@example.org>... User Unknown

--- The header of the original message is following. ---
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "gmx");
    EXPECT_EQ(a.records[0].recipient, "victor@example.org");
    EXPECT_EQ(a.records[0].smtp_command, "RCPT");
    EXPECT_EQ(a.records[0].remote_mta, "mx.example.org");
    EXPECT_EQ(a.records[0].status, "5.1.1");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaText, EinsUndEins) {
    analysis a = run(R"(From: "Mail Delivery System" <mailer-daemon@kundenserver.de>
Subject: Mail delivery failed: returning message to sender

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of
its recipients. This is a permanent error. The following address(es)
failed:

walter@example.org:
SMTP error from remote server for TEXT command, host: mx.example.org (192.0.2.70) reason: 552 5.3.4 Message size exceeds fixed limit

--- The header of the original message is following. ---
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "einsundeins");
    EXPECT_EQ(a.records[0].recipient, "walter@example.org");
    EXPECT_EQ(a.records[0].smtp_command, "DATA");
    EXPECT_EQ(a.records[0].reply_code, "552");
    EXPECT_EQ(a.records[0].remote_mta, "mx.example.org");
    EXPECT_EQ(a.records[0].reason, "mesgtoobig");
}

TEST(MtaText, Zoho) {
    analysis a = run(R"(From: mailer-daemon@mail.zoho.com
Subject: Undelivered Mail Returned to Sender

This message was created automatically by mail delivery software.
A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.

xavier@example.org Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <xavier@example.org>... User Unknown

Received:from mail.zoho.com by mx.zohomail.com
Message-ID:<1@zoho.example.com>
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "zoho");
    EXPECT_EQ(a.records[0].recipient, "xavier@example.org");
    EXPECT_EQ(a.records[0].reply_code, "550");
    EXPECT_EQ(a.records[0].status, "5.1.1");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

}  // namespace

TEST(MtaText, PostfixReportWithItsFieldsInTheText) {
    // A Postfix report whose MIME boundary does not match its parts (as relays that rewrite
    // host names leave it): the delivery-status fields are in the one text body, and still count.
    analysis a = run(R"(From: MAILER-DAEMON@relay.example.net (Mail Delivery System)
To: sender@example.net
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="Q1.17/relay.example.net"

--Q1.17/relay-7.example.net
Content-Type: text/plain; charset=us-ascii

This is the mail system at host relay.example.net.

<amal@example.fr>: host smtp-in.example.fr[192.0.2.65] refused to talk to
    me: 421 in-7 Service refused, please try later

--Q1.17/relay-7.example.net
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.net
X-Postfix-Queue-ID: Q1

Final-Recipient: rfc822; amal@example.fr
Action: failed
Status: 4.0.0
Remote-MTA: dns; smtp-in.example.fr
Diagnostic-Code: smtp; 421 in-7 Service refused, please try later

--Q1.17/relay-7.example.net--
)");
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.mta, "postfix");
    EXPECT_EQ(r.recipient, "amal@example.fr");
    EXPECT_EQ(r.status, "4.0.0");
    EXPECT_EQ(r.action, "failed");
    EXPECT_EQ(r.remote_mta, "smtp-in.example.fr");
    EXPECT_EQ(r.reply_code, "421");
}

TEST(MtaText, TheServersOwnStatusOverTheReportsSummary) {
    // Sendmail gave up (Status 4.4.7) on a server that kept answering 450 4.7.1: the reply's
    // status says what happened; the reply's x.0.0 would say nothing and leaves the report's.
    auto report = [](const std::string& status, const std::string& diag) {
        return R"(From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.jp>
To: sender@example.jp
Subject: Returned mail: see transcript for details
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="S1"

--S1
Content-Type: text/plain

The original message was received at Mon, 2 Mar 2026 10:00:00 +0900
   ----- The following addresses had permanent fatal errors -----
<ravi@example.org>

--S1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.jp

Final-Recipient: RFC822; ravi@example.org
Action: failed
Status: )" + status + R"(
Diagnostic-Code: SMTP; )" + diag + R"(

--S1--
)";
    };
    analysis a = run(report("4.4.7", "450 4.7.1 Access denied. IP name lookup failed [192.0.2.222]"));
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].status, "4.7.1");
    EXPECT_EQ(a.records[0].reason, "requireptr");
    a = run(report("5.1.1", "550 5.0.0 <ravi@example.org>... User unknown"));
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].status, "5.1.1");
    EXPECT_EQ(a.records[0].reason, "userunknown");
    // Nothing but "Temporary failure", given up: too vague to name a reason.
    a = run(report("4.0.0", "450 4.0.0 Temporary failure"));
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].reason, "onhold");
    EXPECT_FALSE(a.records[0].hard);
}

TEST(MtaText, OldEximHostLineAtTheAddressIndent) {
    // Exim 4.0x wrote "host ..." at the same indent as the address: it continues the address.
    analysis a = run(R"(From: Mail Delivery System <Mailer-Daemon@mx.example.co.jp>
To: sender@example.org
Subject: Mail delivery failed
X-Failed-Recipients: trudy@example.co.jp

This message was created automatically by mail delivery software.

A message sent by

  <sender@example.org>

could not be delivered to one or more of its recipients. The following
address(es) failed:

  trudy@example.co.jp
  host 192.0.2.22 [192.0.2.22]
    SMTP error from remote mail server after MAIL FROM:<sender@example.org>:
    550 Bad SPF records for [example.org:192.0.2.2], see http://spf.example.net/
)");
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.mta, "exim");
    EXPECT_EQ(r.recipient, "trudy@example.co.jp");
    EXPECT_EQ(r.smtp_command, "MAIL");
    EXPECT_EQ(r.reply_code, "550");
    EXPECT_EQ(r.reason, "authfailure");
}

TEST(MtaText, SendmailQueueGiveUpNoteWithoutDeliveryStatus) {
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.com>
To: sender@example.com
Subject: Returned mail: see transcript for details
Content-Type: text/plain

The original message was received at Thu, 29 Apr 2026 00:00:00 +0900
from localhost [127.0.0.1]

   ----- The following addresses had permanent fatal errors -----
<walter@example.org>

   ----- Transcript of session follows -----
Message could not be delivered for 5 days
Message will be deleted from queue
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "sendmail");
    EXPECT_EQ(a.records[0].recipient, "walter@example.org");
    EXPECT_EQ(a.records[0].reason, "expired");
}

TEST(MtaText, PostfixReturnedAfterConnectionFailuresIsExpired) {
    // No delivery-status part: the notice itself says the message was returned, and a connection
    // failure is only ever returned once the queue lifetime has run out.
    analysis a = run(R"(From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: sender@example.net
Subject: Undelivered Mail Returned to Sender
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.net.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<sybil@example.org>: connect to mx.example.org[192.0.2.1]:25: Connection timed
    out
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "postfix");
    EXPECT_EQ(a.records[0].action, "failed");
    EXPECT_EQ(a.records[0].reason, "expired");
}

TEST(MtaText, SendmailQuitReplyDoesNotHideTheGreetingRefusal) {
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>
To: sender@example.net
Subject: Returned mail: see transcript for details
Content-Type: text/plain

The original message was received at Tue, 3 Mar 2026 09:12:00 +0100
from localhost [127.0.0.1]

   ----- The following addresses had permanent fatal errors -----
<trent@example.org>
    (reason: 554 mx.example.org ESMTP not accepting connections)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
<<< 554 mx.example.org ESMTP not accepting connections
>>> QUIT
<<< 421 4.7.0 mx.example.org Error: too many errors
554 5.0.0 Service unavailable
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "trent@example.org");
    EXPECT_EQ(a.records[0].reply_code, "554");
    EXPECT_NE(a.records[0].diagnostic.find("not accepting connections"), std::string::npos) << a.records[0].diagnostic;
    EXPECT_EQ(a.records[0].reason, "blocked");
}

TEST(MtaText, CourierDelayNoticeReadsTheRemoteAnswer) {
    // A delay notice lists its recipients after "the following addresses only:"; the
    // delivery-status part says only 4.0.0, the remote answer in the text says why.
    analysis a = run(R"(From: postmaster@relay.example.net
To: sender@example.net
Subject: WARNING: delayed mail.
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="=_courier_0"

--=_courier_0
Content-Type: text/plain; charset=us-ascii

This is a delivery status notification from relay.example.net,
running the Courier mail server, version 1.1.

---------------------------------------------------------------------------

                     DELAYS IN DELIVERING YOUR MESSAGE

Delivery of your message is taking longer than usual; more attempts will be
made. This is an advisory notice for the following addresses only:

<peggy@example.org>:
    mx.example.org [192.0.2.80]:
>>> RCPT TO:<peggy@example.org>
<<< 450 4.1.7 <sender@example.net>: Sender address rejected: unverified address

---------------------------------------------------------------------------

--=_courier_0
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.net

Final-Recipient: rfc822; peggy@example.org
Action: delayed
Status: 4.0.0

--=_courier_0--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "courier");
    EXPECT_EQ(a.records[0].action, "delayed");
    EXPECT_EQ(a.records[0].status, "4.1.7");
    EXPECT_EQ(a.records[0].remote_mta, "mx.example.org");
    EXPECT_EQ(a.records[0].reason, "rejected");
    EXPECT_FALSE(a.records[0].hard);
}

TEST(MtaText, GatewayBounceFromAnOrdinaryAddress) {
    // A gateway that sends its reports from an ordinary address: the failure subject and the
    // report's fixed words together make it a bounce.
    analysis a = run(R"(From: SMTP_Gateway_Service@relay.example.org
To: sender@example.net
Subject: Undeliverable mail: quarterly report
Content-Type: text/plain

------ Failed Recipients ------
<paula@example.com>: Requested action not taken: mailbox unavailable. [SMTP Error Code 550]

-------- Returned Mail --------
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "generic");
    EXPECT_EQ(a.records[0].recipient, "paula@example.com");
    EXPECT_EQ(a.records[0].reply_code, "550");
    EXPECT_EQ(a.records[0].action, "failed");
}

TEST(MtaText, NewsletterWithAFailureSubjectIsNotABounce) {
    analysis a = run(R"(From: Shop News <news@shop.example>
To: reader@example.net
Subject: Delivery failed? Track your parcel in our app
Content-Type: text/plain

Your parcel for reader@example.net is on its way. Questions? Write to help@shop.example.
)");
    EXPECT_TRUE(a.records.empty());
}

TEST(MtaText, WarningThatDeliveryIsStillTriedIsDelayed) {
    analysis a = run(R"(From: AntiVirus_Gateway@relay.example.org
To: sender@example.net
Subject: Delivery failure notification
Content-Type: text/plain

Your message with Subject: minutes
could not be delivered to the following recipients:

quentin@example.com

Please do not resend your original message.

Delivery attempts will continue to be made for 5 day(s).
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "quentin@example.com");
    EXPECT_EQ(a.records[0].action, "delayed");
    EXPECT_FALSE(a.records[0].hard);
}

TEST(MtaText, GenericReasonInTheParagraphAfterTheAddress) {
    // "Undeliverable Address: x" alone in its paragraph, the reason in the next one.
    analysis a = run(R"(From: MAILER-DAEMON@mail.example.net
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
Content-Type: text/plain

Undeliverable Address: rosa@example.com

Reason: The email you sent to the address specified
above has been returned because the recipient is over disk quota.

System Contact: postmaster@mail.example.net
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "rosa@example.com");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
}

TEST(MtaText, GenericLineEndingInAColonIntroducesTheReason) {
    analysis a = run(R"(From: Mail Delivery Subsystem <mailer-daemon@mail.example.net>
To: sender@example.org
Subject: Automatically rejected mail
Content-Type: text/plain

Your message to <sam@example.com> was automatically rejected:
Quota exceeded
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "sam@example.com");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
}

TEST(MtaText, SendmailNoRecipientsReplyDoesNotHideTheRefusal) {
    analysis a = run(R"(From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>
To: sender@example.net
Subject: Returned mail: see transcript for details
Content-Type: text/plain

   ----- The following addresses had permanent fatal errors -----
<uma@example.org>
    (reason: 552 5.2.2 Over quota)

   ----- Transcript of session follows -----
... while talking to mx.example.org.:
>>> RCPT To:<uma@example.org>
<<< 552 5.2.2 Over quota
554 5.0.0 Service unavailable
>>> DATA
<<< 503 5.5.1 No recipients
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "uma@example.org");
    EXPECT_EQ(a.records[0].reply_code, "552");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
}

TEST(MtaText, LocalisedOutOfOfficeSubjectsAreAutoReplies) {
    for (const char* subject : {"Fuori ufficio", "Автоответ: Re: отчёт", "Respuesta automática: Presupuesto",
                                "I will be out of office until Monday", "Automatisch antwoord: offerte",
                                "[Automatyczna odpowiedź] oferta"}) {
        std::string m = std::string("From: Maria <maria@example.it>\nTo: alice@example.com\nSubject: ") + subject +
                        "\n\nSono fuori ufficio fino a lunedì.\n";
        analysis a = run(m);
        ASSERT_EQ(a.records.size(), 1u) << subject;
        EXPECT_EQ(a.records[0].reason, "vacation") << subject;
        EXPECT_EQ(a.records[0].recipient, "maria@example.it") << subject;
    }
    // An ordinary message whose subject merely mentions an absence is not one.
    EXPECT_TRUE(run("From: hr@example.com\nTo: alice@example.com\nSubject: Absence request approved\n\nEnjoy.\n").records.empty());
}

TEST(MtaText, NullSenderAutoSubmittedIsNotAVacationReply) {
    // A filter's refusal sent from the null address and marked auto-replied: a bounce.
    analysis a = run("From: <>\nTo: bounces@example.net\nSubject: Re: offer\nAuto-Submitted: auto-replied\n"
                     "Return-Path: <>\n\nYou sent mail to vera@example.org. That's not a valid user here.\n");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "vera@example.org");
    EXPECT_NE(a.records[0].reason, "vacation");
}

TEST(MtaText, APersonsResponderIsAnAutoReplyWhateverItsWords) {
    // Its address, the RFC 3834 header and a responder's subject prefix: an auto-reply, even when
    // its text borrows a bounce's words.
    analysis a = run("From: Ann Lee <ann@example.com>\nTo: info@example.org\n"
                     "Subject: Automatic reply: Undeliverable - out of office\nAuto-Submitted: auto-replied\n\n"
                     "I am out of the office until Monday. Your message could not be delivered to me\n"
                     "personally, but I will read it when I am back. Status: 5.1.1 is not a thing here.\n");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "ann@example.com");
    EXPECT_EQ(a.records[0].reason, "vacation");
    EXPECT_FALSE(a.records[0].hard);
}

TEST(MtaText, AnOutOfOfficeReplyPassedOnByASendingServiceIsAVacationReply) {
    // Amazon SES passes responders' answers on under its daemon's address: the responder's own
    // address is gone, and the addresses in its text are contacts, not failed recipients.
    analysis a = run("From: MAILER-DAEMON@amazonses.com\nTo: app-bounces@example.com\n"
                     "Subject: Out of Office Re: Scheduled report\nAuto-Submitted: auto-replied\nX-Autoreply: yes\n"
                     "Content-Type: text/plain; charset=UTF-8\n\n"
                     "Please send all questions to Jared:\xC2\xA0jared@example.edu\n\n-- \nResearch Programmer | jo@example.edu\n");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].reason, "vacation");
    EXPECT_EQ(a.records[0].recipient, "");
    EXPECT_FALSE(a.records[0].warnings.empty());
}

TEST(MtaText, ARoleAddressNamedAsTheFailedRecipientIsOne) {
    // abuse@ and postmaster@ in a notice are usually the mail system's own contacts, but an abuse@
    // that the notice says it could not send to, or that a refusal code follows, is a recipient.
    analysis a = run(R"(From: Mail Delivery System <postmaster@mx.example.net>
To: alice@example.com
Subject: Undelivered Mail Returned to Sender

Unable to send to abuse@example.org
Bounce reason: The recipient's email address (abuse@example.org) does not exist.
550 No such user

  <root@example.org>: 550 5.1.1 Address does not exist

For help, write to postmaster@example.net.
)");
    const record* abuse = find(a, "abuse@example.org");
    const record* root = find(a, "root@example.org");
    ASSERT_TRUE(abuse && root);
    EXPECT_NE(abuse->diagnostic.find("No such user"), std::string::npos) << abuse->diagnostic;
    EXPECT_EQ(root->status, "5.1.1");
    EXPECT_EQ(find(a, "postmaster@example.net"), nullptr);
}

TEST(MtaText, QmailErrorAfterABlankLineStaysWithItsAddress) {
    // Copied out of a web mail page, the report's line breaks come out doubled: the error is a
    // paragraph of its own after "<addr>:".
    analysis a = run(R"(From: MAILER-DAEMON@mx.example.jp
To: sender@example.com
Subject: failure notice

Hi. This is the qmail-send program at mx.example.jp.

I'm afraid I wasn't able to deliver your message to the following addresses.

This is a permanent error; I've given up. Sorry it didn't work out.


<ken@shop.example.invalid>:

Sorry, I couldn't find any host named shop.example.invalid. (#5.1.2)

)");
    const record* ken = find(a, "ken@shop.example.invalid");
    ASSERT_TRUE(ken);
    EXPECT_EQ(ken->reason, "hostunknown");
    EXPECT_EQ(ken->status, "5.1.2");
}

TEST(MtaText, AnAddressAfterAChineseSenderLabelIsTheSendersOwn) {
    // Tencent's notice repeats the returned message's sender under "发件人：" (sender); only the
    // address it could not send to is a recipient.
    analysis a = run(R"(From: Mail Delivery System <postmaster@mail.example.cn>
To: ops@example.com
Subject: =?UTF-8?B?6YCA5L+h?=
Content-Type: text/plain; charset=UTF-8

您发送的邮件被退回，相关信息如下：
    发件人：cron@example.com
    主题：任务执行结果通知
    时间：Sun, 23 Oct 2016 15:00:05 +0800

无法发送到admin@example.org
    系统应答：connect to the "192.0.2.34 of example.org" server failed
    退信原因：连接收件方邮件系统失败，导致邮件被系统退回。
)");
    EXPECT_TRUE(find(a, "admin@example.org"));
    EXPECT_EQ(find(a, "cron@example.com"), nullptr);
}

namespace {

const std::string tonline_msg = R"(From: Mail Delivery System <Mailer-Daemon@t-online.de>
To: news@shop.example.com
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: hans.meier@t-online.de, erika@magenta.de
Date: Tue, 3 Mar 2026 09:12:40 +0100

|------------------------- Failed addresses follow: ---------------------|
 <hans.meier@t-online.de>
   552 5.2.2 <hans.meier@t-online.de> Quota exceeded (mailbox for user is
   full)
 <erika@magenta.de>
   550 5.1.1 <erika@magenta.de> User unknown

|------------------------- Message header follows: ----------------------|
Date: Tue, 3 Mar 2026 09:12:31 +0100
From: Shop News <news@shop.example.com>
To: hans.meier@t-online.de
Message-ID: <20260303.91231@shop.example.com>
Subject: Spring offers
)";

const std::string smail_msg = R"(From: MAILER-DAEMON@mail.example.net
To: list-admin@example.org
Subject: mail failed, returning to sender
Reference: <my/15StXR-003859m@mail.example.net>
Date: Fri, 3 Aug 2001 23:59:56 -0500

|------------------------- Message log follows: -------------------------|
 no valid recipients were found for this message
|------------------------- Failed addresses follow: ---------------------|
 pat@nowhere.example.com ... unknown host
 lee@example.net ... failed: 550 5.1.1 <lee@example.net>... User unknown
|------------------------- Message text follows: ------------------------|
Received: from list.example.org by mail.example.net with smtp
From: list-admin@example.org
To: pat@nowhere.example.com
Subject: weekly digest

Hello
)";

}  // namespace

TEST(MtaText, TOnlineAddressesWithTheRepliesBelowThem) {
    auto a = run(tonline_msg);
    ASSERT_EQ(a.records.size(), 2u);
    const record* hans = find(a, "hans.meier@t-online.de");
    ASSERT_NE(hans, nullptr);
    EXPECT_EQ(hans->mta, "smail");
    EXPECT_EQ(hans->reason, "mailboxfull");
    EXPECT_EQ(hans->status, "5.2.2");
    EXPECT_EQ(hans->reply_code, "552");
    EXPECT_NE(hans->diagnostic.find("mailbox for user is full"), std::string::npos);
    EXPECT_EQ(hans->original.subject, "Spring offers");
    const record* erika = find(a, "erika@magenta.de");
    ASSERT_NE(erika, nullptr);
    EXPECT_EQ(erika->reason, "userunknown");
    EXPECT_EQ(erika->reply_code, "550");
    // CRLF line ends read the same.
    auto b = run(crlf(tonline_msg));
    ASSERT_EQ(b.records.size(), 2u);
    EXPECT_EQ(b.records[0].diagnostic, a.records[0].diagnostic);
}

TEST(MtaText, SmailOneLinePerAddressAndTheMessageLog) {
    auto a = run(smail_msg);
    ASSERT_EQ(a.records.size(), 2u);
    const record* pat = find(a, "pat@nowhere.example.com");
    ASSERT_NE(pat, nullptr);
    EXPECT_EQ(pat->mta, "smail");
    EXPECT_EQ(pat->diagnostic, "unknown host");
    EXPECT_EQ(pat->reason, "hostunknown");
    const record* lee = find(a, "lee@example.net");
    ASSERT_NE(lee, nullptr);
    EXPECT_EQ(lee->reason, "userunknown");
    EXPECT_EQ(lee->status, "5.1.1");
    EXPECT_EQ(a.records[0].original.subject, "weekly digest");
    // An address listed without an error of its own takes the message log's words.
    std::string bare = smail_msg;
    const std::string line = " pat@nowhere.example.com ... unknown host";
    bare.replace(bare.find(line), line.size(), " <pat@nowhere.example.com>");
    auto c = run(bare);
    ASSERT_EQ(c.records.size(), 2u);
    const record* p2 = find(c, "pat@nowhere.example.com");
    ASSERT_NE(p2, nullptr);
    EXPECT_EQ(p2->diagnostic, "no valid recipients were found for this message");
    // A banner-less text is not this format.
    std::string plain = smail_msg;
    plain[plain.find("|------------------------- Failed addresses follow")] = 'x';
    for (const auto& r : run(plain).records) EXPECT_NE(r.mta, "smail");
}

TEST(MtaText, OpenSmtpdDeliveryStatusCompletesTheTextLines) {
    // OpenSMTPD 6.x: the text names each recipient and its error, and the delivery-status part
    // after it gives the Status (5.0.0 for every failure, 4.4.7 for an expired envelope it reports
    // as delayed). A reply's own enhanced code stays the more precise status.
    analysis a = run(R"(From: Mailer Daemon <MAILER-DAEMON@mx.example.net>
To: sender@example.net
Subject: Delivery status notification: failed
MIME-Version: 1.0
Content-Type: multipart/mixed;boundary="17/mx.example.net"

This is a MIME-encapsulated message.

--17/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

    Hi!

    This is the MAILER-DAEMON, please DO NOT REPLY to this email.

    An error has occurred while attempting to deliver a message for
    the following list of recipients:

ghost@nowhere.example: Domain does not exist
kim@example.org: 550 5.1.1 <kim@example.org>: Recipient address rejected: User unknown

    Below is a copy of the original message:

--17/mx.example.net
Content-Description: Delivery Report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; ghost@nowhere.example
Action: failed
Status: 5.0.0

Final-Recipient: rfc822; kim@example.org
Action: failed
Status: 5.0.0

--17/mx.example.net--
)");
    ASSERT_EQ(a.records.size(), 2u);
    EXPECT_EQ(a.records[0].mta, "opensmtpd");
    EXPECT_EQ(a.records[0].recipient, "ghost@nowhere.example");
    EXPECT_EQ(a.records[0].status, "5.0.0");
    EXPECT_EQ(a.records[0].reason, "hostunknown");
    EXPECT_EQ(a.records[0].reporting_mta, "mx.example.net");
    EXPECT_EQ(a.records[1].recipient, "kim@example.org");
    EXPECT_EQ(a.records[1].status, "5.1.1");
    EXPECT_EQ(a.records[1].reason, "userunknown");
}

TEST(MtaText, CourierLocalUserUnknownIsAnUnknownUser) {
    // Courier's own local delivery: no remote host, no command, "550 User <name> unknown". The
    // mailbox does not exist here (a remote "user unknown" said after DATA would be a filter's).
    analysis a = run(R"(From: Courier mail server at mx.example.net <@>
To: sender@example.net
Subject: NOTICE: mail delivery status.
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="=_courier_0"

--=_courier_0
Content-Type: text/plain; charset="utf-8"

This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.0.16.

---------------------------------------------------------------------------

                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<ines@mx.example.net>:
 <<< 550 User <ines> unknown

<root@localhost>:
 <<< 550 User <root> unknown

---------------------------------------------------------------------------

--=_courier_0
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; ines@mx.example.net
Action: failed
Status: 5.0.0
Diagnostic-Code: unknown; 550 User <ines> unknown

Final-Recipient: rfc822; root@localhost
Action: failed
Status: 5.0.0
Diagnostic-Code: unknown; 550 User <root> unknown

--=_courier_0--
)");
    ASSERT_EQ(a.records.size(), 2u);
    for (const record& r : a.records) {
        EXPECT_EQ(r.mta, "courier");
        EXPECT_EQ(r.reason, "userunknown");
        EXPECT_TRUE(r.hard);
    }
    EXPECT_EQ(a.records[0].recipient, "ines@mx.example.net");
    EXPECT_EQ(a.records[1].recipient, "root@localhost");
}

TEST(MtaText, RefusedInTheGreetingIsAConnectionRefusal) {
    // dma's "did not like our connect" and Courier's ">>> (initial greeting)": the server refused
    // the client before any command, so a vague "Access denied" there blocks the sending host.
    analysis d = run(R"(From: MAILER-DAEMON <>
Subject: Mail delivery failed

This is the DragonFly Mail Agent v0.13 at df.example.net.

There was an error delivering your mail to <sybil@example.org>.

mx.example.org [192.0.2.60] did not like our connect:
554 Access denied

Message headers follow.
)");
    ASSERT_EQ(d.records.size(), 1u);
    EXPECT_EQ(d.records[0].smtp_command, "CONN");
    EXPECT_EQ(d.records[0].reason, "blocked");

    analysis c = run(R"(From: Courier mail server at mx.example.net <@>
To: sender@example.net
Subject: NOTICE: mail delivery status.

This is a delivery status notification from mx.example.net,
running the Courier mail server, version 1.0.16.

---------------------------------------------------------------------------

                           UNDELIVERABLE MAIL

Your message to the following recipients cannot be delivered:

<sybil@example.org>:
     mx.example.org [192.0.2.60]:
 >>> (initial greeting)
 <<< 554 Access denied

---------------------------------------------------------------------------
)");
    ASSERT_EQ(c.records.size(), 1u);
    EXPECT_EQ(c.records[0].mta, "courier");
    EXPECT_EQ(c.records[0].smtp_command, "CONN");
    EXPECT_EQ(c.records[0].reason, "blocked");
}

namespace {

// A disposition notification (RFC 8098) with the given headers, text and disposition.
std::string mdn(const std::string& headers, const std::string& text, const std::string& fields) {
    return headers +
           "MIME-Version: 1.0\nContent-Type: multipart/report; report-type=disposition-notification; boundary=\"b1\"\n\n"
           "--b1\nContent-Type: text/plain; charset=utf-8\n\n" +
           text + "\n--b1\nContent-Type: message/disposition-notification\n\n" + fields +
           "\n--b1\nContent-Type: text/rfc822-headers\n\nFrom: ops@example.org\nTo: lena@example.net\nSubject: Invoice 42\n"
           "Message-ID: <inv-42@example.org>\n\n--b1--\n";
}

}  // namespace

TEST(MtaText, ASieveRejectSentAsADispositionNotificationIsARefusalByTheRecipientsFilter) {
    // Cyrus words it its own way and sends it from the recipient's server's daemon.
    analysis a = run(mdn("From: Mail Sieve Subsystem <MAILER-DAEMON@imap.example.net>\nTo: ops@example.org\n"
                         "Subject: Automatically rejected mail\nAuto-Submitted: auto-replied (rejected)\n",
                         "Your message was automatically rejected by Sieve, a mail\nfiltering language.\n\n"
                         "The following reason was given:\nMail from your address is not wanted here.\n",
                         "Reporting-UA: imap.example.net; Cyrus-sieve\nFinal-Recipient: rfc822; lena@example.net\n"
                         "Original-Message-ID: <inv-42@example.org>\n"
                         "Disposition: automatic-action/MDN-sent-automatically; deleted\n"));
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.recipient, "lena@example.net");
    EXPECT_EQ(r.mta, "mdn");
    EXPECT_EQ(r.reason, "filtered");
    EXPECT_EQ(r.action, "failed");
    EXPECT_EQ(r.reporting_mta, "imap.example.net");
    EXPECT_NE(r.diagnostic.find("not wanted here"), std::string::npos);
    EXPECT_FALSE(r.hard);
}

TEST(MtaText, ARefusalNotificationThatNamesItsReasonKeepsIt) {
    // Older Dovecot delivery agents refused an over-quota message the same way: the words decide.
    analysis a = run(mdn("From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\nTo: ops@example.org\n"
                         "Subject: Rejected: Invoice 42\n",
                         "Your message to <lena@example.net> was automatically rejected:\nQuota exceeded (mailbox for user is full)\n",
                         "Reporting-UA: mx.example.net; Dovecot Mail Delivery Agent\nFinal-Recipient: rfc822; lena@example.net\n"
                         "Disposition: automatic-action/MDN-sent-automatically; deleted\n"));
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "lena@example.net");
    EXPECT_EQ(a.records[0].mta, "mdn");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
}

TEST(MtaText, ARefusalMarkedAsSuchIsOneWhateverTheUsersWordsSay) {
    // RFC 5429's Auto-Submitted mark decides: words that happen to mention reading are the rule's.
    analysis a = run(mdn("From: Postmaster <postmaster@mx.example.net>\nTo: ops@example.org\n"
                         "Subject: Invoice 42\nAuto-Submitted: auto-replied (rejected)\n",
                         "This mailbox is not read any more and I cannot read your message.\n",
                         "Final-Recipient: rfc822; lena@example.net\n"
                         "Disposition: automatic-action/MDN-sent-automatically; deleted\n"));
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "mdn");
    EXPECT_EQ(a.records[0].recipient, "lena@example.net");
}

TEST(MtaText, ReceiptsAreNotRefusals) {
    // A read receipt, and Outlook's "Not read" (deleted without being read, also an automatic
    // "deleted"): no failure to report.
    analysis read = run(mdn("From: Lena <lena@example.net>\nTo: ops@example.org\nSubject: Read: Invoice 42\n",
                            "Your message was displayed on the recipient's computer.\n",
                            "Final-Recipient: rfc822; lena@example.net\nDisposition: manual-action/MDN-sent-manually; displayed\n"));
    EXPECT_TRUE(read.records.empty());
    analysis unread = run(mdn("From: Lena <lena@example.net>\nTo: ops@example.org\nSubject: Not read: Invoice 42\n",
                              "Your message to lena@example.net was deleted without being read.\n",
                              "Final-Recipient: rfc822; lena@example.net\n"
                              "Disposition: automatic-action/MDN-sent-automatically; deleted\n"));
    EXPECT_TRUE(unread.records.empty());
}
