// Tests of the gateway and appliance formats (src/mta/ezweb, imailserver, trendmicro, domino,
// notes, mailmarshal, messagingserver, mimecast, sendgrid, x2, x4, x5) on small hand-written
// messages: recipient, status / reply code, reason and the format name.
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

const record* find(const analysis& a, const std::string& rcpt) {
    for (const auto& r : a.records)
        if (r.recipient == rcpt) return &r;
    return nullptr;
}

}  // namespace

TEST(MtaGateway, EzwebAccountDisabled) {
    const std::string m = R"(From: Postmaster@ezweb.ne.jp
To: sender@example.org
Subject: Mail System Error - Returned Mail
Content-Type: text/plain; charset=us-ascii

The user(s) account is disabled.

<user@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)
)";
    analysis a = run(m);
    const record* r = find(a, "user@ezweb.ne.jp");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->mta, "ezweb");
    EXPECT_EQ(r->reply_code, "550");
    EXPECT_EQ(r->smtp_command, "RCPT");
    EXPECT_EQ(r->reason, "suspend");
}

TEST(MtaGateway, EzwebTranscript) {
    const std::string m = R"(From: Postmaster@ezweb.ne.jp
To: sender@example.org
Subject: Mail System Error - Returned Mail
Content-Type: text/plain; charset=us-ascii

Each of the following recipients was rejected by a remote
mail server.

    Recipient: <user@example.com>
    >>> RCPT TO:<user@example.com>
    <<< 550 5.1.1 <user@example.com>: User unknown
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    const record& r = a.records[0];
    EXPECT_EQ(r.recipient, "user@example.com");
    EXPECT_EQ(r.mta, "ezweb");
    EXPECT_EQ(r.status, "5.1.1");
    EXPECT_EQ(r.smtp_command, "RCPT");
    EXPECT_EQ(r.reason, "userunknown");
}

TEST(MtaGateway, IMailUnknownUser) {
    const std::string m = R"(From: "Postmaster" <postmaster@example.net>
To: sender@example.org
Subject: Undeliverable Mail
Content-Type: text/plain; charset=us-ascii

Unknown user: user@example.com


Original message follows.

From: sender@example.org
To: user@example.com
Subject: hello

hello
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.com");
    EXPECT_EQ(a.records[0].mta, "imailserver");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaGateway, TrendMicroTranscriptAndNotice) {
    const std::string m = R"(From: "InterScan MSS" <postmaster@example.net>
To: sender@example.org
Subject: Mail could not be delivered
Content-Type: text/plain

Sent <<< RCPT TO:<user@example.com>
Received >>> 550 5.1.1 <user@example.com>... user unknown
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.com");
    EXPECT_EQ(a.records[0].mta, "trendmicro");
    EXPECT_EQ(a.records[0].status, "5.1.1");
    EXPECT_EQ(a.records[0].smtp_command, "RCPT");

    const std::string n = R"(From: postmaster@example.net ("InterScan Notification")
To: sender@example.org
Subject: Mail could not be delivered
Content-Type: text/plain

****** Message from InterScan Messaging Security Suite ******

Unable to deliver message to <other@example.com> (and other recipients in the same domain). Please check if address is correct.
)";
    analysis b = run(n);
    ASSERT_EQ(b.records.size(), 1u);
    EXPECT_EQ(b.records[0].recipient, "other@example.com");
    EXPECT_EQ(b.records[0].reason, "userunknown");
}

TEST(MtaGateway, DominoNotListed) {
    const std::string m = R"(From: Postmaster@example.net
To: sender@example.org
Subject: DELIVERY FAILURE: User Someone (user@example.com) not listed in Domino Directory
Content-Type: text/plain

Your message

  Subject: hello

was not delivered to:

  user@example.com

because:

  User Someone (user@example.com) not listed in Domino Directory

)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.com");
    EXPECT_EQ(a.records[0].mta, "domino");
    EXPECT_EQ(a.records[0].reason, "userunknown");
    EXPECT_EQ(a.records[0].diagnostic, "User Someone (user@example.com) not listed in Domino Directory");
}

TEST(MtaGateway, NotesNotListed) {
    const std::string m = R"(From: postmaster@example.net
To: sender@example.org
Subject: Undeliverable message
Content-Type: text/plain

------- Failure Reasons  --------

User not listed in public Name & Address Book
user@example.com

------- Returned Message --------
From: sender@example.org
To: user@example.com

hello
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.com");
    EXPECT_EQ(a.records[0].mta, "notes");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaGateway, MailMarshal) {
    const std::string m = R"(From: postmaster@example.net
To: sender@example.org
Subject: Undeliverable Mail: "hello"
Content-Type: text/plain

Your message:
   From:    sender@example.org
   Subject: hello

Could not be delivered because of

550 5.1.1 User unknown

The following recipients were affected: 
    user@example.com

Additional Information
======================
Remote-MTA:         <192.0.2.1>
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.com");
    EXPECT_EQ(a.records[0].mta, "mailmarshal");
    EXPECT_EQ(a.records[0].reply_code, "550");
    EXPECT_EQ(a.records[0].status, "5.1.1");
    EXPECT_EQ(a.records[0].remote_mta, "192.0.2.1");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaGateway, MessagingServerRoutedRecipient) {
    const std::string m = R"(From: postmaster@example.net
To: sender@example.org
Subject: Delivery Notification: Delivery has failed
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

This report relates to a message you sent with the following header fields:

  From: sender@example.org
  To: user@example.net

Your message cannot be delivered to the following recipients:

  Recipient address: @mx.example.net:user@store
  Original address: user@example.net
  Reason: LMTP transmission failure has occurred
  Diagnostic code: smtp;522 5.2.2 Delivery failed: Over quota

--B
Content-Type: message/delivery-status

Reporting-MTA: dns;mx.example.net

Original-recipient: rfc822;user@example.net
Final-recipient: rfc822;@mx.example.net:user@store
Action: failed
Status: 5.2.2 (LMTP transmission failure has occurred)
Diagnostic-code: smtp;522 5.2.2 Delivery failed: Over quota

--B--
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.net");
    EXPECT_EQ(a.records[0].original_recipient, "");  // the recipient already is the address written
    EXPECT_EQ(a.records[0].mta, "messagingserver");
    EXPECT_EQ(a.records[0].status, "5.2.2");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
}

TEST(MtaGateway, MessagingServerUnlabelledErrorLinesAndTheOriginalAddress) {
    // An older PMDF: no Reason or Diagnostic code, the error system's own lines under the
    // addresses; the delivery-status part says which address the sender wrote.
    analysis a = run(R"(From: PMDF Mail Server <Postmaster@mail.example.ch>
To: list-bounces@example.org
Subject: Delivery Notification: Delivery has failed
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain; charset=us-ascii

This report relates to a message you sent with the following header fields:

  From: sender@example.org
  To: list@example.org

Your message cannot be delivered to the following recipients:

  Recipient address: MUELLER@vms.example.ch
  Original address: urs.mueller@example.ch
%MAIL-E-OPENOUT, error opening !AS as output
-RMS-E-CRE, ACP file create failed
-SYSTEM-F-EXDISKQUOTA, disk quota exceeded

--B
Content-Type: message/delivery-status

Reporting-MTA: dns;vms.example.ch

Action: failed
Status: 5.0.0
Original-recipient: rfc822;urs.mueller@example.ch
Final-recipient: rfc822;MUELLER@vms.example.ch

--B--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "MUELLER@vms.example.ch");
    EXPECT_EQ(a.records[0].original_recipient, "urs.mueller@example.ch");
    EXPECT_NE(a.records[0].diagnostic.find("disk quota exceeded"), std::string::npos);
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
}

TEST(MtaGateway, MimecastText) {
    const std::string m = R"(From: "postmaster" <postmaster@example.net>
To: sender@example.org
Subject: [Postmaster] Email Delivery Failure
Content-Type: text/plain; charset=UTF-8

This is an automated alert notification. Please do not reply.

An email that you attempted to send to the following address could not be delivered:
-- user@example.com

The problem appears to be :
-- Recipient email address is possibly incorrect

Additional information follows :
-- 550 5.1.1 <user@example.com>: Recipient address rejected: User unknown

This condition occurred after 1 attempt(s) to deliver over
a period of 0 hour(s).
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.com");
    EXPECT_EQ(a.records[0].mta, "mimecast");
    EXPECT_EQ(a.records[0].status, "5.1.1");
    EXPECT_EQ(a.records[0].reply_code, "550");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

TEST(MtaGateway, SendGridExpired) {
    const std::string m = R"(From: MAILER-DAEMON@example.net
To: sender@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is an automatically generated message from SendGrid.

user:00000:<user@example.com> : Connection timed out in connect

--B
Content-Type: message/delivery-status

X-SendGrid-QueueID: 1

Final-Recipient: rfc822; user@example.com
Action: expired
Status: 
Diagnostic-Code: Connection timed out

--B--
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.com");
    EXPECT_EQ(a.records[0].mta, "sendgrid");
    EXPECT_EQ(a.records[0].reason, "expired");
    EXPECT_EQ(a.records[0].action, "failed");
}

TEST(MtaGateway, X2QueueTooLong) {
    const std::string m = R"(From: MAILER-DAEMON@example.net
To: sender@example.org
Subject: failed delivery
Content-Type: text/plain

Message from example.net.
Unable to deliver message to the following address(es).

<user@example.com>:
Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)
I'm not going to try again; this message has been in the queue too long.

<other@example.com>:
Sorry, your message to other@example.com cannot be delivered. This account is over quota.

--- Original message follows.

From: sender@example.org
To: user@example.com

hello
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 2u);
    const record* r = find(a, "user@example.com");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->mta, "x2");
    EXPECT_EQ(r->status, "4.4.1");
    EXPECT_EQ(r->reason, "expired");
    const record* o = find(a, "other@example.com");
    ASSERT_NE(o, nullptr);
    EXPECT_EQ(o->reason, "mailboxfull");
}

TEST(MtaGateway, X4MailfolderFull) {
    const std::string m = R"(From: MAILER-DAEMON@mx.example.net
To: sender@example.org
Subject: failure notice
Content-Type: text/plain

Your mail message to the following address(es) could not be delivered. This
is a permanent error. Please verify the addresses and try again.

<user@example.com>:
child status 100...The e-mail message could not be delivered because the user's mailfolder is full.

--- Below this line is a copy of the message.

To: user@example.com

hello
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.com");
    EXPECT_EQ(a.records[0].mta, "x4");
    EXPECT_EQ(a.records[0].reason, "mailboxfull");
}

TEST(MtaGateway, X5AttachedBounce) {
    const std::string m = R"(From: "Mail Delivery Subsystem" <MAILER-DAEMON@example.net>
To: sender@example.org
Subject: Returned mail: User unknown
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="TMMSG_B"

--TMMSG_B
Content-Type: text/plain

The original message was received at Thu Oct 13 15:22:22 2015

----- The following addresses had permanent delivery errors -----

--TMMSG_B
Content-Type: message/rfc822

From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>
To: sender@example.org
Subject: Returned mail: User unknown
Content-Type: text/plain

The original message was received at Thu, 15 Oct 2015 15:22:22 +0900

user@example.com

Final-Recipient: RFC822; user@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--TMMSG_B--
)";
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.com");
    EXPECT_EQ(a.records[0].mta, "x5");
    EXPECT_EQ(a.records[0].status, "5.1.1");
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

namespace {

// An amavisd-new report; `finding` goes in the text part, `verdict` after "id=...".
std::string amavis_report(const std::string& finding, const std::string& verdict) {
    return R"(From: "Content-filter at mx.example.com" <postmaster@mx.example.com>
To: <sender@example.org>
Subject: Undeliverable mail, )" + verdict + R"(
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="AMV"

--AMV
Content-Type: text/plain; charset="us-ascii"

The message WAS NOT delivered to:
<victor@example.com>:
   554 5.7.0 Reject, id=12345-06 - )" + verdict + R"(

This nondelivery report was generated by the program amavisd-new at host
mx.example.com. Our internal reference code for your message is 12345-06/abcDEF

From: sender@example.org
Subject: hello

)" + finding + R"(

--AMV
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.com

Final-Recipient: rfc822;victor@example.com
Action: failed
Status: 5.7.0
Diagnostic-Code: smtp; 554 5.7.0 Reject, id=12345-06 - )" + verdict + R"(

--AMV--
)";
}

}  // namespace

TEST(MtaGateway, AmavisVerdictsAndHeaderFindings) {
    struct want {
        const char* finding;
        const char* verdict;
        const char* reason;
    };
    for (const want& w : {want{"Duplicate header field: \"From\"", "SPAM", "notcompliantrfc"},
                          want{"", "SPAM", "spamdetected"},
                          want{"Virus found: Eicar-Test-Signature", "INFECTED (Eicar-Test-Signature)", "virusdetected"},
                          want{"Banned name: .exe", "BANNED: message contains .exe", "policyviolation"},
                          want{"", "BAD-HEADER", "notcompliantrfc"}}) {
        analysis a = run(amavis_report(w.finding, w.verdict));
        ASSERT_EQ(a.records.size(), 1u) << w.verdict;
        EXPECT_EQ(a.records[0].mta, "amavis");
        EXPECT_EQ(a.records[0].recipient, "victor@example.com");
        EXPECT_EQ(a.records[0].status, "5.7.0");
        EXPECT_EQ(a.records[0].reason, w.reason) << w.verdict << " / " << w.finding;
    }
}

TEST(MtaGateway, AmavisRelayingARemoteRefusalKeepsTheRemoteReason) {
    std::string m = amavis_report("", "SPAM");
    // The remote server's reply instead of amavis's own verdict.
    std::size_t p = m.find("Diagnostic-Code: smtp; 554 5.7.0 Reject, id=12345-06 - SPAM");
    ASSERT_NE(p, std::string::npos);
    m.replace(p, std::string("Diagnostic-Code: smtp; 554 5.7.0 Reject, id=12345-06 - SPAM").size(),
              "Diagnostic-Code: smtp; 550 5.1.1 <victor@example.com>: Recipient address rejected: User unknown");
    m.replace(m.find("Status: 5.7.0"), 13, "Status: 5.1.1");
    analysis a = run(m);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

namespace {

std::string messagelabs_notice(const std::string& reason, bool with_report) {
    std::string m = R"(From: MAILER-DAEMON@messagelabs.com
To: sender@example.net
Subject: Mail Delivery Failure
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset="UTF-8"

This is the mail delivery agent at messagelabs.com.

I was unable to deliver your message to the following addresses:

someone@corp.example.org

Reason: )" + reason + R"(

The message subject was: Quarterly figures
)";
    if (with_report)
        m += R"(
--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; server-7.tower-1.messagelabs.com
Arrival-Date: Mon, 2 Mar 2026 10:00:00 +0000

Action: failed
Status: 5.0.0
Final-Recipient: rfc822; someone@corp.example.org
Remote-MTA: dns; mail.corp.example.org
Diagnostic-Code: smtp; )" + reason + R"(
)";
    m += "\n--b1--\n";
    return m;
}

}  // namespace

TEST(MtaGateway, MessageLabsRelaysTheRecipientServersAnswer) {
    // Broadcom documents "No such user" / "User unknown" in these notices as the recipient server
    // not knowing the address: not a filter's refusal, although the SMTP step is not named.
    for (bool with_report : {true, false}) {
        analysis a = run(messagelabs_notice("550 someone@corp.example.org... No such user", with_report));
        const record* r = find(a, "someone@corp.example.org");
        ASSERT_NE(r, nullptr) << with_report;
        EXPECT_EQ(r->mta, "messagelabs");
        EXPECT_EQ(r->reply_code, "550");
        EXPECT_EQ(r->reason, "userunknown");
        EXPECT_TRUE(r->hard);
    }
    // Other refusals keep the classifier's reading of the server's words.
    analysis a = run(messagelabs_notice("552 Requested mail action aborted: exceeded storage allocation", true));
    const record* r = find(a, "someone@corp.example.org");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->mta, "messagelabs");
    EXPECT_EQ(r->reason, "mailboxfull");
}

TEST(MtaGateway, AmavisTextWithoutItsDeliveryStatusPart) {
    // The report's text alone (its delivery-status part stripped by a relay): the relayed refusal
    // under "WAS NOT relayed to:" is the recipient's answer.
    analysis a = run(R"(From: "Content-filter at mx.example.com" <postmaster@mx.example.com>
To: <sender@example.org>
Subject: Undeliverable mail
Content-Type: text/plain; charset="us-ascii"

The message WAS NOT relayed to:
  <oscar@example.com>: [127.0.0.1] said:
   550 5.1.1 Failed, id=20011-02, from MTA([127.0.0.1]:10025): 550 5.1.1 <oscar@example.com>: Recipient address rejected: User unknown in virtual mailbox table
  <peggy@example.com>: [127.0.0.1] said:
   552 5.2.2 Failed, id=20011-02, from MTA([127.0.0.1]:10025): 552 5.2.2 <peggy@example.com>: Mailbox full

This nondelivery report was generated by the program amavisd-new at host
mx.example.com. Our internal reference code for your message is 20011-08/kQzT
)");
    ASSERT_EQ(a.records.size(), 2u);
    const record* o = find(a, "oscar@example.com");
    const record* p = find(a, "peggy@example.com");
    ASSERT_NE(o, nullptr);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(o->mta, "amavis");
    EXPECT_EQ(o->reason, "userunknown");
    EXPECT_EQ(o->status, "5.1.1");
    EXPECT_EQ(p->reason, "mailboxfull");
    EXPECT_EQ(p->reply_code, "552");
}
