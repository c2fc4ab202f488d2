// Tests of the provider formats (Gmail, Google Groups, Google Workspace, Office 365, Exchange 2003,
// Yahoo, Amazon SES, KDDI, X3, X6) and of provider_reason(), on small hand-written messages.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "mta/provider_codes.h"
#include "ricochet/ricochet.h"

namespace {

const ricochet::analyzer& engine() {
    static auto a = ricochet::analyzer::create();
    return *a;
}

ricochet::analysis run(std::string_view msg) {
    // Fixtures are written with LF; mail has CRLF: the analyzer takes both.
    return engine().analyze(msg);
}

constexpr std::string_view gmail_permanent = R"(From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: sender@gmail.example
X-Failed-Recipients: user@example.jp
Subject: Delivery Status Notification (Failure)
Date: Fri, 18 Jul 2014 07:31:02 +0000
Content-Type: text/plain; charset=ISO-8859-1

Delivery to the following recipient failed permanently:

     user@example.jp

Technical details of permanent failure:
Google tried to deliver your message, but it was rejected by the server for the recipient domain example.jp by mx.example.jp. [192.0.2.10].

The error that the other server returned was:
550 5.1.1 <user@example.jp>... User Unknown

----- Original message -----

From: sender@gmail.example
To: user@example.jp
Subject: test

test
)";

TEST(MtaProvider, GmailPermanentFailure) {
    auto res = run(gmail_permanent);
    ASSERT_EQ(res.kind, ricochet::message_kind::bounce);
    ASSERT_EQ(res.records.size(), 1u);
    const auto& r = res.records[0];
    EXPECT_EQ(r.mta, "gmail");
    EXPECT_EQ(r.recipient, "user@example.jp");
    EXPECT_EQ(r.status, "5.1.1");
    EXPECT_EQ(r.reply_code, "550");
    EXPECT_EQ(r.reason, "userunknown");
    EXPECT_EQ(r.remote_mta, "mx.example.jp");
    EXPECT_EQ(r.diagnostic, "550 5.1.1 <user@example.jp>... User Unknown");
}

constexpr std::string_view gmail_connect = R"(From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: sender@gmail.example
Subject: Delivery Status Notification (Failure)
Content-Type: text/plain; charset=ISO-8859-1

Delivery to the following recipients failed permanently:

     one@example.net
     two@example.net

Technical details of permanent failure:
The recipient server did not accept our requests to connect. Learn more at https://support.google.com/mail/answer/7720
[example.net 192.0.2.20: socket error]

----- Original message -----

Subject: hi
)";

TEST(MtaProvider, GmailGaveUpConnecting) {
    auto res = run(gmail_connect);
    ASSERT_EQ(res.records.size(), 2u);
    EXPECT_EQ(res.records[0].recipient, "one@example.net");
    EXPECT_EQ(res.records[1].recipient, "two@example.net");
    for (const auto& r : res.records) {
        EXPECT_EQ(r.reason, "expired");
        EXPECT_EQ(r.rule, "gmail-connect-retries-exhausted");
        EXPECT_EQ(r.action, "failed");
    }
}

constexpr std::string_view google_groups = R"(From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
To: sender@example.org
X-Failed-Recipients: team@googlegroups.com
Subject: Delivery Status Notification (Failure)
Content-Type: text/plain; charset="UTF-8"

Hello sender@example.org,

We're writing to let you know that the group you tried to contact (team) may not exist, or you may not have permission to post messages to the group. A few more details on why you weren't able to post:

 * You might have spelled or formatted the group name incorrectly.

If you have questions related to this or any other Google Group, visit the Help Center at https://groups.google.com/support/.

Thanks,

Google Groups
)";

TEST(MtaProvider, YahooCountryDomainsSayNoSuchAccountTheSameWay) {
    // Yahoo's national domains word a missing account like yahoo.com does; the notice names no
    // SMTP command, and the phrase still means the mailbox does not exist.
    auto res = run(R"(From: MAILER-DAEMON@yahoo.fr
To: bounces@example.org
Subject: Delivery failure

Message from yahoo.fr.
Unable to deliver message to the following address(es).

<lea.martin@yahoo.fr>:
This user doesn't have a yahoo.fr account (lea.martin@yahoo.fr) [0]

--- Original message follows.

From: News <news@example.org>
To: <lea.martin@yahoo.fr>
Subject: Bulletin

hello
)");
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].recipient, "lea.martin@yahoo.fr");
    EXPECT_EQ(res.records[0].reason, "userunknown");
    EXPECT_TRUE(res.records[0].hard);
}

TEST(MtaProvider, GoogleGroupsRefusal) {
    auto res = run(google_groups);
    ASSERT_EQ(res.records.size(), 1u);
    const auto& r = res.records[0];
    EXPECT_EQ(r.mta, "googlegroups");
    EXPECT_EQ(r.recipient, "team@googlegroups.com");
    EXPECT_EQ(r.reason, "rejected");
    EXPECT_NE(r.diagnostic.find("(team) may not exist"), std::string::npos);
}

constexpr std::string_view office365 = R"(From: <postmaster@example.com>
To: sender@example.org
Subject: Undeliverable: hello
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"

Delivery has failed to these recipients or groups:

user@example.com<mailto:user@example.com>
The email address you entered couldn't be found. Check the recipient's email address then try to resend the message.

Diagnostic information for administrators:

Generating server: SRV01.example.prod.outlook.com

user@example.com
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'

Original message headers:

From: sender@example.org
To: user@example.com
Subject: hello
)";

TEST(MtaProvider, Office365TextReport) {
    auto res = run(office365);
    ASSERT_EQ(res.records.size(), 1u);
    const auto& r = res.records[0];
    EXPECT_EQ(r.mta, "office365");
    EXPECT_EQ(r.recipient, "user@example.com");
    EXPECT_EQ(r.status, "5.1.10");
    EXPECT_EQ(r.reply_code, "550");
    EXPECT_EQ(r.reason, "userunknown");
    EXPECT_EQ(r.rule, "microsoft-recipient-not-found");
    EXPECT_EQ(r.reporting_mta, "srv01.example.prod.outlook.com");
}

// The layout Exchange Online has sent since 2016, as text only (the report part lost in
// forwarding): people's summary first, the server's reply under "Error Details".
constexpr std::string_view office365_modern = R"(From: postmaster@contoso.onmicrosoft.com
To: sender@example.org
Subject: Undeliverable: quarterly figures
Content-Type: text/plain; charset="us-ascii"

Your message to rupert@example.com couldn't be delivered.

rupert wasn't found at example.com.

sender          Office 365      rupert
Action Required                 Recipient

Unknown To address

How to Fix It
The address may be misspelled or may not exist.

More Info for Email Admins
Status code: 550 5.1.10

Original Message Details
Created Date:   3/2/2026 8:15:02 AM
Sender Address: sender@example.org
Recipient Address:      rupert@example.com
Subject:        quarterly figures

Error Details
Reported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not
found by SMTP address lookup
DSN generated by:       DM6PR01MB0001.namprd01.prod.outlook.com

Original Message Headers

Received: from mail.example.org (192.0.2.4) by DM6PR01MB0001.namprd01.prod.outlook.com
)";

TEST(MtaProvider, Office365CurrentLayoutAsText) {
    auto res = run(office365_modern);
    ASSERT_EQ(res.records.size(), 1u);
    const auto& r = res.records[0];
    EXPECT_EQ(r.mta, "office365");
    EXPECT_EQ(r.recipient, "rupert@example.com");
    EXPECT_EQ(r.status, "5.1.10");
    EXPECT_EQ(r.reply_code, "550");
    EXPECT_EQ(r.reason, "userunknown");
    EXPECT_EQ(r.reporting_mta, "dm6pr01mb0001.namprd01.prod.outlook.com");
    EXPECT_NE(r.diagnostic.find("not found by SMTP address lookup"), std::string::npos) << r.diagnostic;
}

// A remote server's refusal relayed by Exchange Online: "Remote server" names it.
TEST(MtaProvider, Office365CurrentLayoutRemoteRefusal) {
    auto res = run(R"(From: postmaster@contoso.onmicrosoft.com
To: sender@example.org
Subject: Undeliverable: invoice
Content-Type: text/plain

Your message to ap@example.net couldn't be delivered.

A problem occurred while delivering this message to this email address.

Original Message Details
Sender Address: sender@example.org
Recipient Address:      ap@example.net

Error Details
Error:  550 5.7.1 Service unavailable, Client host [203.0.113.9] blocked using Spamhaus
Message rejected by:    mx.example.net
Remote server:  mx.example.net
)");
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].recipient, "ap@example.net");
    EXPECT_EQ(res.records[0].mta, "office365");
    EXPECT_EQ(res.records[0].remote_mta, "mx.example.net");
    EXPECT_EQ(res.records[0].reason, "blocked");
}

// Exchange writes its report in the sender's language; only the server's reply lines stay in
// English. Two recipients, each with its own reply.
TEST(MtaProvider, ExchangeReportInTheSendersLanguage) {
    auto res = run(R"(From: Microsoft Outlook <postmaster@firma.example.de>
To: absender@firma.example.de
Subject: Unzustellbar: Angebot
Content-Type: text/plain; charset="utf-8"

Fehler bei der Zustellung an folgende Empfänger oder Gruppen:

kunde@example.com<mailto:kunde@example.com>
Die eingegebene E-Mail-Adresse wurde nicht gefunden.

lager@example.net<mailto:lager@example.net>
Das Postfach des Empfängers ist voll.

Diagnoseinformationen für Administratoren:

Generierender Server: EX01.firma.example.de

kunde@example.com
Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'

lager@example.net
Remote Server returned '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoffQuotaExceeded'

Ursprüngliche Nachrichtenkopfzeilen:

Received: from EX01.firma.example.de (10.0.0.5) by EX01.firma.example.de
 (10.0.0.5) with Microsoft SMTP Server id 15.1.2507.6; Mon, 2 Mar 2026 10:00:00 +0100
To: <kunde@example.com>, <lager@example.net>
)");
    ASSERT_EQ(res.records.size(), 2u);
    EXPECT_EQ(res.records[0].recipient, "kunde@example.com");
    EXPECT_EQ(res.records[0].status, "5.1.1");
    EXPECT_EQ(res.records[0].reason, "userunknown");
    EXPECT_EQ(res.records[1].recipient, "lager@example.net");
    EXPECT_EQ(res.records[1].reply_code, "554");
    EXPECT_EQ(res.records[1].reason, "mailboxfull");
}

// Where the reply line is translated too, the quoted reply under the recipient's address is still
// the server's own words: German, Japanese, and Exchange 2010's "#550 ... ##" under a display name.
TEST(MtaProvider, ExchangeReportWithTheReplyLineTranslated) {
    auto de = run(R"(From: Microsoft Outlook <postmaster@firma.example.de>
To: absender@firma.example.de
Subject: Unzustellbar: Angebot
Content-Type: text/plain; charset="utf-8"

Die Nachricht konnte nicht an folgende Empfänger oder Gruppen übermittelt werden:

kunde@example.com
Die eingegebene E-Mail-Adresse wurde nicht gefunden.

Diagnoseinformationen für Administratoren:

Generierender Server: EX01.firma.example.de

kunde@example.com
Remoteserver hat '550 5.1.1 <kunde@example.com>: Recipient address rejected: User unknown in local recipient table' zurückgegeben

Ursprüngliche Nachrichtenkopfzeilen:

To: <kunde@example.com>
)");
    ASSERT_EQ(de.records.size(), 1u);
    EXPECT_EQ(de.records[0].recipient, "kunde@example.com");
    EXPECT_EQ(de.records[0].reply_code, "550");
    EXPECT_EQ(de.records[0].status, "5.1.1");
    EXPECT_EQ(de.records[0].reason, "userunknown");
    EXPECT_EQ(de.records[0].diagnostic, "550 5.1.1 <kunde@example.com>: Recipient address rejected: User unknown in local recipient table");

    auto ja = run(R"(From: Microsoft Outlook <postmaster@example.co.jp>
To: sender@example.co.jp
Subject: =?utf-8?B?5Yiw6YGU5LiN6IO9OiDopovnqY0=?=
Content-Type: text/plain; charset="utf-8"

次の受信者またはグループへの配信に失敗しました:

user@example.ne.jp
受信者のメールボックスがいっぱいです。

管理者向けの診断情報:

生成元サーバー: mail.example.co.jp

user@example.ne.jp
リモート サーバーから '452 4.2.2 <user@example.ne.jp>: Mailbox full' が返されました
)");
    ASSERT_EQ(ja.records.size(), 1u);
    EXPECT_EQ(ja.records[0].recipient, "user@example.ne.jp");
    EXPECT_EQ(ja.records[0].reply_code, "452");
    EXPECT_EQ(ja.records[0].reason, "mailboxfull");
    EXPECT_FALSE(ja.records[0].hard);

    auto old = run(R"(From: Systemadministrator <postmaster@example.de>
To: absender@example.de
Subject: Unzustellbar: Angebot
Content-Type: text/plain; charset="utf-8"

Fehler bei der Zustellung an folgende Empfänger oder Gruppen:

Kim Lee
Die E-Mail-Adresse wurde im E-Mail-System des Empfängers nicht gefunden.

Diagnoseinformationen für Administratoren:

Generierender Server: EXCH01.example.local

kim.lee@example.de
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##
)");
    ASSERT_EQ(old.records.size(), 1u);
    EXPECT_EQ(old.records[0].recipient, "kim.lee@example.de");
    EXPECT_EQ(old.records[0].status, "5.1.1");
    EXPECT_EQ(old.records[0].reason, "userunknown");
    EXPECT_EQ(old.records[0].rule, "microsoft-recipient-not-found");

    // A person quoting a reply under an address in their own message is no report.
    auto person = run(R"(From: Ivy <ivy@example.org>
To: helpdesk@example.org
Subject: mail to Kim keeps failing

I tried again this morning. The address:

kim@example.net
'550 5.1.1 user unknown' is what the server said, but she says the account works.
)");
    EXPECT_EQ(person.kind, ricochet::message_kind::not_bounce);
    EXPECT_TRUE(person.records.empty());
}

// Exchange 2007/2010 puts the remote host before the reply it quotes.
TEST(MtaProvider, ExchangeNamesTheRemoteHostBeforeTheReply) {
    auto res = run(R"(From: Microsoft Exchange <postmaster@example.com>
To: sender@example.com
Subject: Undeliverable: Quote
Content-Type: text/plain; charset="us-ascii"

Delivery has failed to these recipients or groups:

Kim Lee (kim@example.net)
The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to resend the message.

Diagnostic information for administrators:

Generating server: EXCH01.example.local

kim@example.net
mx.example.net #550 5.1.1 <kim@example.net>... User unknown ##

Original message headers:

From: Sender <sender@example.com>
)");
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].recipient, "kim@example.net");
    EXPECT_EQ(res.records[0].remote_mta, "mx.example.net");
    EXPECT_EQ(res.records[0].diagnostic, "550 5.1.1 <kim@example.net>... User unknown");
    EXPECT_EQ(res.records[0].reply_code, "550");
    EXPECT_EQ(res.records[0].reason, "userunknown");
    EXPECT_TRUE(res.records[0].hard);
}

constexpr std::string_view exchange2003 = R"(From: System Administrator <postmaster@example.com>
To: sender@example.org
Subject: Undeliverable: hello
Content-Type: text/plain

Your message did not reach some or all of the intended recipients.

      To:	sender@example.org
      Subject:	hello
      Sent:	4/29/10 11:34:45 PM

The following recipient(s) could not be reached:

      alice@example.com on 4/29/10 11:34:45 PM
            The recipient name is not recognized
            The MTS-ID of the original message is: c=us;a= ;p=example;l=SRV0000000000000
            MSEXCH:IMS:EXAMPLE:SITE:SRV 0 (000C05A6) Unknown Recipient

      bob@example.com on 4/29/10 11:34:45 PM
            The recipient name is not recognized
            MSEXCH:IMS:EXAMPLE:SITE:SRV 0 (000C05A6) Unknown Recipient
)";

TEST(MtaProvider, Exchange2003TwoRecipients) {
    auto res = run(exchange2003);
    ASSERT_EQ(res.records.size(), 2u);
    EXPECT_EQ(res.records[0].recipient, "alice@example.com");
    EXPECT_EQ(res.records[1].recipient, "bob@example.com");
    for (const auto& r : res.records) {
        EXPECT_EQ(r.mta, "exchange2003");
        EXPECT_EQ(r.reason, "userunknown");
        EXPECT_EQ(r.diagnostic.find("MTS-ID"), std::string::npos);
        EXPECT_NE(r.diagnostic.find("000C05A6"), std::string::npos);
    }
}

// The Yahoo text, base64-encoded in the body.
constexpr std::string_view yahoo_base64 = R"(From: MAILER-DAEMON@mta1.mail.example.net
To: sender@example.org
Subject: Failure Notice
MIME-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: base64

U29ycnksIHdlIHdlcmUgdW5hYmxlIHRvIGRlbGl2ZXIgeW91ciBtZXNzYWdlIHRvIHRoZSBmb2xs
b3dpbmcgYWRkcmVzcy4KCjx1c2VyQGV4YW1wbGUubmV0PjoKUmVtb3RlIGhvc3Qgc2FpZDogNTUy
IDUuMi4yIDx1c2VyQGV4YW1wbGUubmV0Pi4uLiBNYWlsYm94IEZ1bGwgW1JDUFRfVE9dCgotLS0g
QmVsb3cgdGhpcyBsaW5lIGlzIGEgY29weSBvZiB0aGUgbWVzc2FnZS4KCkZyb206IHNlbmRlckBl
eGFtcGxlLm9yZwpUbzogdXNlckBleGFtcGxlLm5ldApTdWJqZWN0OiBoZWxsbwoKaGkK
)";

TEST(MtaProvider, YahooBase64Body) {
    auto res = run(yahoo_base64);
    ASSERT_EQ(res.records.size(), 1u);
    const auto& r = res.records[0];
    EXPECT_EQ(r.mta, "yahoo");
    EXPECT_EQ(r.recipient, "user@example.net");
    EXPECT_EQ(r.status, "5.2.2");
    EXPECT_EQ(r.reply_code, "552");
    EXPECT_EQ(r.smtp_command, "RCPT");
    EXPECT_EQ(r.reason, "mailboxfull");
    EXPECT_EQ(r.diagnostic, "552 5.2.2 <user@example.net>... Mailbox Full");
}

constexpr std::string_view ses_json = R"(From: SES Notifications <no-reply@sns.amazonaws.com>
To: ops@example.org
Subject: AWS Notification Message
Content-Type: text/plain; charset=UTF-8

{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"nobody@example.net","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2020-01-02T03:04:05.000Z","reportingMTA":"dsn; a1-2.smtp-out.example.com"},"mail":{"source":"sender@example.org","destination":["nobody@example.net"]}}

--
If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe.
)";

TEST(MtaProvider, AmazonSesJsonBounce) {
    auto res = run(ses_json);
    ASSERT_EQ(res.records.size(), 1u);
    const auto& r = res.records[0];
    EXPECT_EQ(r.mta, "amazonses");
    EXPECT_EQ(r.recipient, "nobody@example.net");
    EXPECT_EQ(r.status, "5.1.1");
    EXPECT_EQ(r.reply_code, "550");
    EXPECT_EQ(r.reason, "userunknown");
    EXPECT_EQ(r.reporting_mta, "a1-2.smtp-out.example.com");
    EXPECT_EQ(r.diagnostic, "550 5.1.1 user unknown");
}

constexpr std::string_view ses_envelope = R"(From: SES Notifications <no-reply@sns.amazonaws.com>
Subject: AWS Notification Message
Content-Type: text/plain; charset=UTF-8

{
  "Type" : "Notification",
  "MessageId" : "00000000-0000-0000-0000-000000000000",
  "Message" : "{\"notificationType\":\"Delivery\",\"delivery\":{\"recipients\":[\"ok@example.net\"],\"smtpResponse\":\"250 2.6.0 Message received\",\"reportingMTA\":\"a1-2.smtp-out.example.com\"}}",
  "Timestamp" : "2020-01-02T03:04:05.000Z"
}
)";

TEST(MtaProvider, AmazonSesSnsEnvelopeDelivery) {
    auto res = run(ses_envelope);
    ASSERT_EQ(res.records.size(), 1u);
    const auto& r = res.records[0];
    EXPECT_EQ(r.recipient, "ok@example.net");
    EXPECT_EQ(r.reason, "delivered");
    EXPECT_EQ(r.status, "2.6.0");
    EXPECT_EQ(r.reply_code, "250");
}

// au one net (KDDI): a Japanese preface in ISO-2022-JP, then the English fields.
const std::string kddi_iso2022jp = std::string(R"(From: no-reply@mail.example.dion.ne.jp
To: sender@example.org
Subject: Mail
MIME-Version: 1.0
Content-Type: text/plain; charset=iso-2022-jp
Content-Transfer-Encoding: 7bit

)") + "\x1b\x24\x42\x25\x61\x21\x3c\x25\x6b\x24\x72\x47\x5b\x3f\x2e\x24\x47\x24\x2d\x24\x5e\x24\x3b\x24\x73\x24\x47\x24\x37\x24\x3f\x21\x23\x1b\x28\x42\n" + R"(
Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
     Could not be delivered to: <user@example.dion.ne.jp>
     As their mailbox is full.
)";

TEST(MtaProvider, KddiIso2022jp) {
    auto res = run(kddi_iso2022jp);
    ASSERT_EQ(res.records.size(), 1u);
    const auto& r = res.records[0];
    EXPECT_EQ(r.mta, "kddi");
    EXPECT_EQ(r.recipient, "user@example.dion.ne.jp");
    EXPECT_EQ(r.reason, "mailboxfull");
    EXPECT_EQ(r.diagnostic, "As their mailbox is full.");
}

constexpr std::string_view x6 = R"(From: mailer-daemon
To: sender@example.org
Subject: There was an error sending your mail
Content-Type: text/plain

We had trouble delivering your message. Full details follow:

Subject: 'hello'
Date: 'Thu, 29 Apr 2012 23:34:45 +0000'

1 error(s):

SMTP Server <mx.example.org> rejected recipient <user@example.org> (Error following RCPT command). It responded as follows: [550 5.1.1 User unknown]
)";

TEST(MtaProvider, X6RejectedRecipient) {
    auto res = run(x6);
    ASSERT_EQ(res.records.size(), 1u);
    const auto& r = res.records[0];
    EXPECT_EQ(r.mta, "x6");
    EXPECT_EQ(r.recipient, "user@example.org");
    EXPECT_EQ(r.smtp_command, "RCPT");
    EXPECT_EQ(r.status, "5.1.1");
    EXPECT_EQ(r.reply_code, "550");
    EXPECT_EQ(r.reason, "userunknown");
    EXPECT_EQ(r.remote_mta, "mx.example.org");
}

TEST(MtaProvider, ProviderReasonCodes) {
    using ricochet::mta::provider_reason;
    auto reason = [](std::string_view host, std::string_view d) { return std::string(provider_reason(host, d).first); };
    EXPECT_EQ(reason("gmail-smtp-in.l.google.com", "550-5.2.1 The email account that you tried to reach is disabled."), "suspend");
    EXPECT_EQ(reason("example.com", "554 delivery error: dd This user doesn't have a example.com account (u@example.com) [0] - mta1.mail.example.com"),
              "userunknown");
    EXPECT_EQ(reason("example.com.mail.protection.outlook.com", "550 5.7.606 Access denied, banned sending IP [192.0.2.1]."), "blocked");
    EXPECT_EQ(reason("orange.fr", "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]"), "userunknown");
    EXPECT_EQ(reason("wanadoo.fr", "550 5.2.0 Mail rejete. Mail rejected. OFR_506 [506]"), "spamdetected");
    EXPECT_EQ(reason("user@laposte.net", "450 4.1.8 <a@example.org>: Sender address rejected: Emetteur invalide / Invalid Sender LPN007_405"),
              "rejected");
    EXPECT_EQ(reason("smtpz4.laposte.net", "450 4.7.1 Client host rejected: Service refuse, veuillez essayer plus tard LPN027_503"), "blocked");
    EXPECT_EQ(reason("smtpz4.laposte.net", "550 5.7.1 Message rejected due to DMARC policy LPN007_517"), "authfailure");
    EXPECT_EQ(reason("smtp-in.laposte.net", "554 5.7.1 Client host rejected LPN000_630"), "policyviolation");
    EXPECT_EQ(reason("laposte.net", "550 5.5.0 Boite du destinataire archivee. Archived recipient. LPN007_420"), "suspend");
    EXPECT_EQ(reason("user@ezweb.ne.jp", "550 : User unknown"), "filtered");
    EXPECT_EQ(reason("user@ezweb.ne.jp", "550 <user@ezweb.ne.jp>: User unknown"), "userunknown");
    EXPECT_EQ(reason("cox.net", "550 5.1.0 <a@example.com> sender rejected. AUP#CXDNS"), "requireptr");
    EXPECT_EQ(reason("mx.example.org", "550 5.1.1 User unknown"), "");
    EXPECT_EQ(reason("", ""), "");
    // Spectrum: 10xx refuse the sender, 13xx are connection and rate limits.
    EXPECT_EQ(reason("user@charter.net", "421 4.7.0 cmsmtp 192.0.2.9 blocked. AUP#In-1310 see https://www.spectrum.net/support"), "toomanyconn");
    EXPECT_EQ(reason("mx0.charter.net", "554 esmtp ESMTP server not available AUP#I-1010"), "blocked");
    EXPECT_EQ(reason("user@rr.com", "550 5.1.0 sender rejected. AUP#In-1570"), "");
    // Mimecast: by the answering host, or by the link to its error-code list every reply carries.
    EXPECT_EQ(reason("us-smtp-inbound-1.mimecast.com", "554 Email rejected due to security policies - MCVirusSignature.1"), "virusdetected");
    EXPECT_EQ(reason("example.com", "550 Envelope blocked - User Entry - https://community.mimecast.com/docs/DOC-1369#550 [x.us1]"),
              "rejected");
    EXPECT_EQ(reason("eu-smtp-inbound-2.mimecast.com", "451 Internal resource temporarily unavailable"), "blocked");
    EXPECT_EQ(reason("mx.example.org", "554 Email rejected due to security policies"), "");
    // Facebook's codes: the recipient's privacy settings are a filter; POL-P7 says which refusal it is.
    EXPECT_EQ(reason("smtpin.vvv.facebook.com", "550 5.7.1 RCP-P3 The attempted recipient's privacy settings blocked the delivery."), "filtered");
    EXPECT_EQ(reason("facebook.com", "450 4.2.1 RCP-T4 The attempted recipient address is currently deactivated."), "suspend");
    EXPECT_EQ(reason("facebook.com", "550 5.7.1 POL-P7 The message does not comply with Facebook's Domain Authentication requirements."),
              "authfailure");
    EXPECT_EQ(reason("facebook.com", "554 5.7.1 POL-P7 The message does not comply with Facebook's abuse policies."), "spamdetected");
    EXPECT_EQ(reason("facebook.com", "421 4.7.1 POL-T2 Facebook is not accepting messages from your mail server"), "blocked");
    // Facebook's code form alone names it; the same letters inside a word do not.
    EXPECT_EQ(reason("mx.example.org", "550 5.7.1 RCP-P3 The attempted recipient's privacy settings blocked the delivery."), "filtered");
    EXPECT_EQ(reason("mx.example.org", "550 5.7.1 XRCP-P3 refused"), "");
    // Spectrum's ranges; an outbound 10xx holds the sender's own account.
    EXPECT_EQ(reason("charter.net", "550 5.7.1 The IP address 192.0.2.1 failed the full circle DNS check. AUP#I-1130"), "requireptr");
    EXPECT_EQ(reason("mobile.charter.net", "550 5.7.1 This email account has been blocked from sending emails. AUP#O-1010"), "rejected");
    EXPECT_EQ(reason("charter.net", "452 4.2.1 Message rate limit exceeded for 192.0.2.1. AUP#I-1350"), "speeding");
    // i.ua and Tencent number their help pages.
    EXPECT_EQ(reason("mx.email.ua", "550 Mailbox was not used for more than 3 months. See https://mail.i.ua/err/3/"), "suspend");
    EXPECT_EQ(reason("mx.email.ua", "550 Something else. See https://mail.i.ua/err/42/"), "");
    EXPECT_EQ(reason("mx3.qq.com", "550 Connection denied. https://service.mail.qq.com/detail/122/170"), "blocked");
    // NetEase's codes: upper case, standing alone.
    EXPECT_EQ(reason("mx.example.org", "550 MI:SPF mta.example.net"), "authfailure");
    EXPECT_EQ(reason("163mx01.mxmail.netease.com", "451 RP:QRC 发送方发信频率超过限制"), "speeding");
    EXPECT_EQ(reason("mx.example.org", "550 XMI:SPF"), "");
    EXPECT_EQ(reason("mx.example.org", "550 mi:spf"), "");
    // Sophos's and Comcast's codes.
    EXPECT_EQ(reason("mx.example.org", "550 5.7.1 Rejected (XGEMAIL_0004)"), "blocked");
    EXPECT_EQ(reason("mx.example.org", "550 5.7.1 Rejected (XGEMAIL_0099)"), "");
    EXPECT_EQ(reason("mx1.comcast.net", "554 192.0.2.1 found on one or more DNSBLs, see http://postmaster.comcast.net/smtp-error-codes.php#BL000010"),
              "blocked");
    EXPECT_EQ(reason("mx1.comcast.net", "452 4.2.2 RL000001 rate limited"), "speeding");
    // Exchange Online's fixed texts for its own codes.
    EXPECT_EQ(reason("example-com.mail.protection.outlook.com", "554 5.2.2 Submission quota exceeded"), "speeding");
    EXPECT_EQ(reason("example-com.mail.protection.outlook.com", "550 5.7.321 starttls-not-supported: Destination mail server must support TLS"),
              "failedstarttls");
    EXPECT_EQ(reason("example.org", "450 4.4.316 Connection refused [Message=Socket error code 10061]"), "networkerror");
    // Exchange Online's queue expiries name their cause in the code.
    EXPECT_EQ(reason("example.org", "550 5.4.316 Message expired, connection refused(Socket error code 10061)"), "expired");
    EXPECT_EQ(reason("example.org", "550 5.4.312 Message expired, DNS query failed(ServerFailure)"), "networkerror");
    // docomo's "Unknown user" after DATA is the recipient's reception settings refusing the sender.
    EXPECT_EQ(std::string(provider_reason("user@docomo.ne.jp", "550 Unknown user user@docomo.ne.jp", "DATA", "5.0.0").first), "rejected");
    EXPECT_EQ(std::string(provider_reason("user@docomo.ne.jp", "550 Unknown user user@docomo.ne.jp", "RCPT", "5.0.0").first), "");
    EXPECT_EQ(std::string(provider_reason("user@docomo.ne.jp", "550 Unknown user user@docomo.ne.jp", "DATA", "5.2.0").first), "");
}

TEST(MtaProvider, RelaySummaryYieldsToTheQuotedReply) {
    // Amazon SES sums up the remote reply and quotes it: the quoted status and words decide.
    const auto& a = engine();
    auto c = a.classify("5.1.0 - Unknown address error 550-'5.2.2 <user@example.jp>... Mailbox Full' (delivery attempts: 0)");
    EXPECT_EQ(c.reason, "mailboxfull");
    EXPECT_EQ(c.status, "5.2.2");
    EXPECT_EQ(c.reply_code, "550");
    auto d = a.classify("5.3.0 - Other mail system problem 550-'5.7.1 Message rejected as spam by Content Filtering' (delivery attempts: 0)");
    EXPECT_EQ(d.reason, "spamdetected");
    EXPECT_EQ(d.status, "5.7.1");
}

TEST(MtaProvider, OneHopReplyDecidesOverTheSenderFraming) {
    const auto& a = engine();
    // qmail's framing says "sender was rejected"; Yahoo's own words say why.
    auto c = a.classify("Connected to 192.0.2.74 but sender was rejected. Remote host said: 421 4.7.0 [TSS04] Messages from 192.0.2.25 "
                        "temporarily deferred due to unexpected volume or user complaints - 4.16.55.1");
    EXPECT_EQ(c.reason, "badreputation");
    EXPECT_FALSE(c.hard);
    // The framing still decides when the server's words are vague.
    EXPECT_EQ(a.classify("Connected to 192.0.2.9 but sender was rejected. Remote host said: 553 sorry, try again").reason, "rejected");
    // At HELO, an "invalid domain" is the sending host's own name.
    EXPECT_EQ(a.classify("Connected to 192.0.2.112 but my name was rejected. Remote host said: 501 5.0.0 Invalid domain name").reason, "blocked");
    // "Access denied" in answer to MAIL FROM refuses the sender.
    EXPECT_EQ(a.classify("host mx.example.org[192.0.2.2] said: 550 5.7.1 Access denied (in reply to MAIL FROM command)").reason, "rejected");
}

TEST(MtaProvider, ExchangeOnlineDelayNoticeWithoutDeliveryStatus) {
    // "Delivery is delayed to these recipients or groups", and the attempts' replies as "Server at
    // X returned '...'" lines: one delayed record with the last attempt's words.
    ricochet::analysis a = run(R"(From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.onmicrosoft.com>
To: alice@example.com
Subject: Delivery delayed:Quarterly report
Date: Mon, 4 Mar 2024 10:00:00 +0100
Content-Type: text/plain; charset=utf-8

Delivery is delayed to these recipients or groups:

jon@example.org

Subject: Quarterly report

This message hasn't been delivered yet. Delivery will continue to be attempted.

The server will keep trying to deliver this message for the next 1 days, 19 hours and 52 minutes. You'll be notified if the message can't be delivered by that time.

Diagnostic information for administrators:

Generating server: AM0PR01MB1234.eurprd01.prod.exchangelabs.com
Receiving server: mx.example.org (192.0.2.9)

Server at mx.example.org (192.0.2.9) returned '400 4.4.7 Message delayed'
3/4/2024 9:00:00 AM - Server at mx.example.org (192.0.2.9) returned '451 4.4.0 Primary target IP address responded with: "421 4.4.2 Connection dropped due to SocketError." Attempted failover to alternate host, but that did not succeed. Either there are no alternate hosts, or delivery failed to all alternate hosts.'
)");
    ASSERT_EQ(a.records.size(), 1u);
    const ricochet::record& r = a.records[0];
    EXPECT_EQ(r.recipient, "jon@example.org");
    EXPECT_EQ(r.action, "delayed");
    EXPECT_EQ(r.reply_code, "451");
    EXPECT_NE(r.diagnostic.find("SocketError"), std::string::npos);
    EXPECT_FALSE(r.hard);
}

TEST(MtaProvider, AolScompComplaintBeforeArf) {
    // AOL's pre-ARF feedback loop: the complaining member is the attached message's To.
    ricochet::analysis a = run(R"(From: scomp@aol.net
To: fbl@sender.example.com
Subject: Client TOS Notification
Date: Mon, 4 Mar 2024 10:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="S"

--S
Content-Type: text/plain

This is an email abuse report for an email message with the message-id of 123.ABC@sender.example.com received from IP address 192.0.2.70 on Mon, 4 Mar 2024 09:00:00 +0100

For information, please review the AOL TOS.

--S
Content-Type: message/rfc822

Return-Path: <news@sender.example.com>
From: News <news@sender.example.com>
To: complainer@aol.com
Subject: Spring sale
Message-ID: <123.ABC@sender.example.com>

Buy now.
--S--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "arf");
    EXPECT_EQ(a.records[0].recipient, "complainer@aol.com");
    EXPECT_EQ(a.records[0].reason, "feedback");
    EXPECT_EQ(a.records[0].feedback_type, "abuse");
    EXPECT_EQ(a.records[0].diagnostic, "Source-IP: 192.0.2.70");
}

TEST(MtaProvider, MicrosoftJmrpComplaintWithoutFeedbackPart) {
    ricochet::analysis a = run(R"(From: staff@hotmail.com
To: fbl@sender.example.com
Subject: complaint about message from 192.0.2.71
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="J"

--J
Content-Type: text/plain

This is a complaint.

--J
Content-Type: message/rfc822

X-HmXmrOriginalRecipient: <reader@hotmail.com>
From: News <news@sender.example.com>
To: list@sender.example.com
Subject: Spring sale

Buy now.
--J--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "reader@hotmail.com");
    EXPECT_EQ(a.records[0].reason, "feedback");
    EXPECT_EQ(a.records[0].rule, "jmrp-complaint");
}

TEST(MtaProvider, MicrosoftJmrpInlineReportedMessage) {
    // The older JMRP form: the reported message itself, topped by X-HmXmrOriginalRecipient.
    ricochet::analysis a = run(R"(Return-Path: staff@hotmail.com
X-HmXmrOriginalRecipient: reader@hotmail.com
From: contact@promo.example.com
To: reader@hotmail.com
Subject: Now, your report at an easier rate

Offer inside.
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "reader@hotmail.com");
    EXPECT_EQ(a.records[0].reason, "feedback");
}

TEST(MtaProvider, ArfRecipientNamedTwiceIsOneRecord) {
    ricochet::analysis a = run(R"(From: <abusedesk@example.com>
To: <abuse@example.net>
Subject: FW: Earn money
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="F"

--F
Content-Type: text/plain

This is an email abuse report.

--F
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Rcpt-To: <user@example.com>
Removal-Recipient: user@example.com

--F--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "user@example.com");
    EXPECT_EQ(a.records[0].feedback_type, "abuse");
}

TEST(MtaProvider, ExpiryNoticeQuotingTheLastReplyInAngleBrackets) {
    // "554 4.4.7 Message expired ... <421 4.4.2 Connection timed out>": the bracketed reply is
    // the remote server's last answer; the queue gave up on it.
    ricochet::analysis a = run(R"(From: MAILER-DAEMON@email-smtp.example.com
To: sender@example.com
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="E"

--E
Content-Type: text/plain

An error occurred while trying to deliver the mail to the following recipients:
kim@example.org

--E
Content-Type: message/delivery-status

Reporting-MTA: dns; a1-2.smtp-out.example.com

Final-Recipient: rfc822; kim@example.org
Action: failed
Status: 4.4.7
Diagnostic-Code: smtp; 554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>

--E--
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].reply_code, "421");
    EXPECT_EQ(a.records[0].status, "4.4.2");
    EXPECT_EQ(a.records[0].reason, "expired");
    EXPECT_FALSE(a.records[0].hard);
}

TEST(MtaProvider, GoogleBannerFromADaemonAddress) {
    // A Google delay report whose From was rewritten to a relay's daemon: Google's banners say whose.
    ricochet::analysis a = run(R"(From: MAILER-DAEMON@relay.example.net
To: sender@example.com
Subject: Delivery Status Notification (Delay)

** Delivery incomplete **

There was a temporary problem delivering your message to ray@gmail.com. Gmail will retry for 47 more hours. You'll be notified if the delivery fails permanently.

The response from the remote server was:
550 5.7.1 Gmail has detected that this message is likely suspicious due to the very low reputation of the sending domain.
)");
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].mta, "googleworkspace");
    EXPECT_EQ(a.records[0].recipient, "ray@gmail.com");
    EXPECT_EQ(a.records[0].action, "delayed");
    EXPECT_EQ(a.records[0].status, "5.7.1");
    EXPECT_EQ(a.records[0].reason, "badreputation");
}

}  // namespace
