// Tests of the explanation module (include/ricochet/explain.h): the three languages are complete for
// every reason and category of the taxonomy, the bounce's own facts are found (blocklist, size limit,
// refused IP, host), the checks name this message's domain and IP, the retry advice follows reason and
// permanence, and the help-desk report carries the original message in English and Chinese.
//
// The example lines are the bounce-analysis guide's (shared/reference/seed-examples.jsonl).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ricochet/explain.h"
#include "ricochet/ricochet.h"

namespace {

using ricochet::explanation;
using ricochet::language;
using ricochet::record;
using ricochet::retry_advice;

constexpr language all_languages[] = {language::en, language::zh_cn, language::zh_tw};

record make_record(std::string reason, std::string diagnostic, std::string recipient = "user@example.com") {
    record r;
    r.reason = std::move(reason);
    r.category = std::string(ricochet::category_of(r.reason));
    r.diagnostic = std::move(diagnostic);
    r.recipient = std::move(recipient);
    r.action = "failed";
    return r;
}

bool has_item_containing(const std::vector<std::string>& items, std::string_view needle) {
    return std::any_of(items.begin(), items.end(),
                       [&](const std::string& s) { return s.find(needle) != std::string::npos; });
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += s + "\n";
    return out;
}

// --- completeness -----------------------------------------------------------------------------------

TEST(ExplainTexts, EveryReasonHasCompleteTextInAllLanguages) {
    ASSERT_EQ(ricochet::reason_names().size(), 36u);
    for (std::string_view reason : ricochet::reason_names()) {
        for (language lang : all_languages) {
            EXPECT_TRUE(ricochet::reason_text_complete(reason, lang))
                << reason << " " << ricochet::language_tag(lang);
            EXPECT_FALSE(ricochet::reason_title(reason, lang).empty()) << reason;
        }
        // The three languages are really three texts, not copies.
        EXPECT_NE(ricochet::reason_title(reason, language::en), ricochet::reason_title(reason, language::zh_cn))
            << reason;
        EXPECT_NE(ricochet::reason_title(reason, language::zh_cn), ricochet::reason_title(reason, language::zh_tw))
            << reason;
    }
}

TEST(ExplainTexts, EveryCategoryHasCompleteTextInAllLanguages) {
    ASSERT_EQ(ricochet::category_names().size(), 16u);
    for (std::string_view category : ricochet::category_names()) {
        for (language lang : all_languages) {
            EXPECT_TRUE(ricochet::category_text_complete(category, lang))
                << category << " " << ricochet::language_tag(lang);
            EXPECT_FALSE(ricochet::category_title(category, lang).empty()) << category;
        }
        EXPECT_NE(ricochet::category_title(category, language::zh_cn),
                  ricochet::category_title(category, language::zh_tw))
            << category;
    }
}

TEST(ExplainTexts, UnknownNamesHaveNoText) {
    EXPECT_TRUE(ricochet::reason_title("nosuchreason", language::en).empty());
    EXPECT_TRUE(ricochet::category_title("nosuchcategory", language::zh_cn).empty());
    EXPECT_FALSE(ricochet::reason_text_complete("", language::zh_tw));
    EXPECT_FALSE(ricochet::category_text_complete("", language::en));
}

TEST(ExplainTexts, EveryReasonExplainsInEveryLanguage) {
    for (std::string_view reason : ricochet::reason_names()) {
        const record r = make_record(std::string(reason), "550 something went wrong");
        for (language lang : all_languages) {
            const explanation e = ricochet::explain(r, lang);
            EXPECT_FALSE(e.title.empty()) << reason;
            EXPECT_FALSE(e.summary.empty()) << reason;
            EXPECT_FALSE(e.cause.empty()) << reason;
            EXPECT_FALSE(e.sender_action.empty()) << reason;
            EXPECT_FALSE(e.recipient_action.empty()) << reason;
            EXPECT_FALSE(e.retry_text.empty()) << reason;
            EXPECT_FALSE(ricochet::render_explanation(e, lang).empty()) << reason;
        }
    }
}

TEST(ExplainTexts, ReasonRefinesCategory) {
    // Same category, different reasons: different texts.
    const explanation blocked = ricochet::explain(make_record("blocked", ""), language::en);
    const explanation reputation = ricochet::explain(make_record("badreputation", ""), language::en);
    EXPECT_NE(blocked.title, reputation.title);
    EXPECT_NE(blocked.cause, reputation.cause);
}

TEST(ExplainTexts, RecordCategoryOverridesReasonDefault) {
    // "connect to shou.com: Connection refused" sits under the guide's DNS kind.
    record r = make_record("networkerror", "****@shou.com>: connect to shou.com: Connection refused", "a@shou.com");
    r.category = "domain-not-found";
    const explanation e = ricochet::explain(r, language::en);
    EXPECT_EQ(e.title, ricochet::category_title("domain-not-found", language::en));
}

TEST(ExplainTexts, UnknownReasonGetsUnknownCategoryText) {
    record r;
    r.reason = "nonsense";
    const explanation e = ricochet::explain(r, language::zh_cn);
    EXPECT_EQ(e.title, ricochet::category_title("unknown", language::zh_cn));
}

// --- specifics --------------------------------------------------------------------------------------

TEST(ExplainSpecifics, BlocklistNameAndLookupPage) {
    struct example {
        std::string text;
        std::string zone;
        std::string lookup;
    };
    const example examples[] = {
        {"554 5.7.1 Service unavailable; Client host [192.0.2.7] blocked using zen.spamhaus.org; "
         "https://www.spamhaus.org/query/ip/192.0.2.7",
         "zen.spamhaus.org", "https://check.spamhaus.org/"},
        {"553 sorry, your mailserver is listed in bl.spamcop.net(Please see: "
         "http://www.spamcop.net/bl.shtml), mail from is not accepted here",
         "bl.spamcop.net", "https://www.spamcop.net/bl.shtml"},
        {"554 5.7.1 Rejected 192.0.2.1 found in dnsbl.sorbs.net", "dnsbl.sorbs.net", "sorbs.net"},
        {"554 5.7.1 Your IP address [] rejected: blocked using by RBL b.barracudacentral.org",
         "b.barracudacentral.org", "https://www.barracudacentral.org/lookups"},
        {"554 Service unavailable; Client host [202.105.45.53] blocked using cblplus.anti-spam.org.cn; "
         "Mail from 202.105.45.53 refused, see http://anti-spam.org.cn/services/rblquery.php?IP=202.105.45.53 "
         "(RCPT TO:chenlis@sunrising.com.mo)",
         "cblplus.anti-spam.org.cn", "http://anti-spam.org.cn/services/rblquery.php?IP=202.105.45.53"},
        {"550 5.7.1 Service unavailable; client [198.51.100.4] blocked using dnsbl-1.uceprotect.net",
         "dnsbl-1.uceprotect.net", "uceprotect.net"},
    };
    for (const auto& ex : examples) {
        const explanation e = ricochet::explain(make_record("blocked", ex.text), language::en);
        EXPECT_TRUE(has_item_containing(e.specifics, ex.zone)) << ex.text << "\n" << joined(e.specifics);
        EXPECT_TRUE(has_item_containing(e.specifics, ex.lookup)) << ex.text << "\n" << joined(e.specifics);
        EXPECT_NE(e.cause.find(ex.zone), std::string::npos) << e.cause;
    }
}

TEST(ExplainSpecifics, UnknownListUsesTheServersLink) {
    const explanation e = ricochet::explain(
        make_record("blocked", "550 5.7.1 listed in rbl.example.net, see https://rbl.example.net/lookup?ip=192.0.2.9"),
        language::en);
    EXPECT_TRUE(has_item_containing(e.specifics, "rbl.example.net")) << joined(e.specifics);
    EXPECT_TRUE(has_item_containing(e.specifics, "https://rbl.example.net/lookup?ip=192.0.2.9"));
}

TEST(ExplainSpecifics, SizeLimitInBytes) {
    struct example {
        std::string text;
        std::string bytes;
    };
    const example examples[] = {
        {"<a@brilliantprint.com.hk>: host mx.brilliantprint.com.hk said: 552 Message size exceeds fixed "
         "maximum message size: 7372800 bytes",
         "7372800"},
        {"552 5.2.3 Message size exceeds fixed maximum message size (7200000)", "7200000"},
        {"<a@pub.xaonline.com>: host smtp.xaonline.com[61.134.1.143] said: 552 Data size must not exceed "
         "4096K bytes",
         "4194304"},
        {"552 5.3.4 Message size 31457280 exceeds size limit 26214400 of server", "26214400"},
    };
    for (const auto& ex : examples) {
        const explanation e = ricochet::explain(make_record("mesgtoobig", ex.text), language::en);
        EXPECT_TRUE(has_item_containing(e.specifics, ex.bytes + " bytes")) << ex.text << "\n" << joined(e.specifics);
        EXPECT_NE(e.cause.find(ex.bytes), std::string::npos) << e.cause;
    }
    const explanation zh = ricochet::explain(make_record("mesgtoobig", examples[2].text), language::zh_cn);
    EXPECT_TRUE(has_item_containing(zh.specifics, "4194304 字节")) << joined(zh.specifics);
    EXPECT_TRUE(has_item_containing(zh.specifics, "4.0 MiB")) << joined(zh.specifics);
}

TEST(ExplainSpecifics, NoSizeFromCodesOrAddresses) {
    const explanation e = ricochet::explain(
        make_record("mesgtoobig", "host mx.example.com[192.0.2.1] said: 552 5.3.4 Message too big"), language::en);
    EXPECT_FALSE(has_item_containing(e.specifics, "bytes")) << joined(e.specifics);
}

TEST(ExplainSpecifics, QuotaForFullMailbox) {
    const explanation e = ricochet::explain(
        make_record("mailboxfull", "552 5.2.2 Mailbox full: quota exceeded, limit 104857600 bytes"), language::en);
    EXPECT_TRUE(has_item_containing(e.specifics, "Quota: 104857600 bytes")) << joined(e.specifics);
}

TEST(ExplainSpecifics, RefusedIpAddress) {
    struct example {
        std::string reason;
        std::string text;
        std::string ip;
    };
    const example examples[] = {
        {"blocked",
         "554 Service unavailable; Client host [202.105.45.53] blocked using cblplus.anti-spam.org.cn",
         "202.105.45.53"},
        {"badreputation",
         "SMTP error, RCPT TO: 550-Your message was rejected by this system and was not delivered. 550-Reason: "
         "This system uses BMS to check your IP address reputation, and was rejected by the system. "
         "IP=[220.181.15.9]",
         "220.181.15.9"},
        {"badreputation", "550 rejected, IP=220.181.15.9 has poor reputation", "220.181.15.9"},
        {"requireptr",
         "SMTP error, RCPT TO: 550 Broken reverse DNS - no host name found for IP-address 202.96.154.173",
         "202.96.154.173"},
        // The refusing host's own address is not the refused one.
        {"blocked", "host mx.example.net[198.51.100.25] said: 554 5.7.1 Client host [203.0.113.9] blocked",
         "203.0.113.9"},
        {"blocked", "554 5.7.1 Client host [IPv6:2001:db8::25] blocked using zen.spamhaus.org", "2001:db8::25"},
    };
    for (const auto& ex : examples) {
        const explanation e = ricochet::explain(make_record(ex.reason, ex.text), language::en);
        EXPECT_TRUE(has_item_containing(e.specifics, "Refused IP address: " + ex.ip))
            << ex.text << "\n" << joined(e.specifics);
    }
}

TEST(ExplainSpecifics, RefusingHost) {
    record r = make_record("userunknown", "<x@china.com>: host smtp.china.com[61.135.144.88] said: 550 No such user.",
                           "x@china.com");
    r.hard = true;
    const explanation e = ricochet::explain(r, language::en);
    EXPECT_TRUE(has_item_containing(e.specifics, "smtp.china.com [61.135.144.88]")) << joined(e.specifics);
    EXPECT_TRUE(has_item_containing(e.specifics, "Recipient domain: china.com")) << joined(e.specifics);

    record m = make_record("userunknown", "550 5.1.1 unknown");
    m.remote_mta = "dns; mx1.example.com";
    EXPECT_TRUE(has_item_containing(ricochet::explain(m, language::en).specifics, "mx1.example.com"));
}

// --- checks -----------------------------------------------------------------------------------------

TEST(ExplainChecks, ConnectionFailedNamesTheRecipientDomainAndHost) {
    const record r = make_record("networkerror", "<a@iris.sipp.ac.cn>: connect to iris.sipp.ac.cn: Connection timed out",
                                 "a@iris.sipp.ac.cn");
    for (language lang : all_languages) {
        const explanation e = ricochet::explain(r, lang);
        EXPECT_TRUE(has_item_containing(e.checks, "dig +short MX iris.sipp.ac.cn")) << joined(e.checks);
        EXPECT_TRUE(has_item_containing(e.checks, "nslookup -type=mx iris.sipp.ac.cn")) << joined(e.checks);
        EXPECT_TRUE(has_item_containing(e.checks, "nc -v iris.sipp.ac.cn 25")) << joined(e.checks);
        EXPECT_TRUE(has_item_containing(e.checks, "220")) << joined(e.checks);
        EXPECT_EQ(e.retry, retry_advice::later);
        EXPECT_GT(e.retry_after_minutes, 0);
    }
}

TEST(ExplainChecks, DomainNotFound) {
    record r = make_record("hostunknown", "<a@sian.com>: Name service error for domain sian.com: Host not found",
                           "a@Sian.COM");
    r.hard = true;
    const explanation e = ricochet::explain(r, language::zh_tw);
    EXPECT_TRUE(has_item_containing(e.checks, "dig +short MX sian.com")) << joined(e.checks);
    EXPECT_TRUE(has_item_containing(e.checks, "dig +short A sian.com")) << joined(e.checks);
    EXPECT_NE(e.cause.find("sian.com"), std::string::npos);
}

TEST(ExplainChecks, BlocklistQueryAndPtr) {
    const explanation e = ricochet::explain(
        make_record("blocked", "554 5.7.1 Client host [202.105.45.53] blocked using zen.spamhaus.org"), language::en);
    EXPECT_TRUE(has_item_containing(e.checks, "dig +short 53.45.105.202.zen.spamhaus.org")) << joined(e.checks);
    EXPECT_TRUE(has_item_containing(e.checks, "dig +short -x 202.105.45.53")) << joined(e.checks);

    const explanation sorbs = ricochet::explain(
        make_record("blocked", "554 5.7.1 Rejected 192.0.2.1 found in dnsbl.sorbs.net"), language::en);
    EXPECT_TRUE(has_item_containing(sorbs.checks, "dig +short 1.2.0.192.dnsbl.sorbs.net")) << joined(sorbs.checks);

    const explanation v6 = ricochet::explain(
        make_record("blocked", "554 5.7.1 Client host [IPv6:2001:db8::25] blocked using zen.spamhaus.org"),
        language::en);
    EXPECT_TRUE(has_item_containing(
        v6.checks, "5.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.zen.spamhaus.org"))
        << joined(v6.checks);
}

TEST(ExplainChecks, RequirePtr) {
    const explanation e = ricochet::explain(
        make_record("requireptr", "550 Broken reverse DNS - no host name found for IP-address 202.96.154.173"),
        language::en);
    EXPECT_TRUE(has_item_containing(e.checks, "dig +short -x 202.96.154.173")) << joined(e.checks);
    EXPECT_EQ(e.retry, retry_advice::after_fix);
}

TEST(ExplainChecks, SenderDomainAndAuthentication) {
    record r = make_record("rejected", "553 can't verify FROM domain in DNS", "x@solvay.com");
    r.category = "sender-dns";
    r.original.from = "\"Sales\" <sales@Pionmi.example.COM>";
    const explanation e = ricochet::explain(r, language::en);
    EXPECT_TRUE(has_item_containing(e.checks, "dig +short MX pionmi.example.com")) << joined(e.checks);
    EXPECT_TRUE(has_item_containing(e.checks, "dig +short SOA pionmi.example.com")) << joined(e.checks);

    record a = make_record("authfailure", "550 5.7.26 Unauthenticated email is not accepted (DMARC)");
    a.original.return_path = "<bounce@news.example.org>";
    const explanation auth = ricochet::explain(a, language::zh_cn);
    EXPECT_TRUE(has_item_containing(auth.checks, "dig +short TXT news.example.org")) << joined(auth.checks);
    EXPECT_TRUE(has_item_containing(auth.checks, "dig +short TXT _dmarc.news.example.org")) << joined(auth.checks);
}

TEST(ExplainChecks, SenderDomainNamedInTheText) {
    // No original headers: the refusal itself names the sender domain.
    record exim = make_record(
        "rejected",
        "550-Verification failed for <sender@bpeg.cn> 550-It appears that the DNS operator for bpeg.cn 550-has "
        "installed an invalid MX record with an IP address 550-instead of a domain name on the right hand side. "
        "550 Sender verify failed",
        "x@se.abb.com");
    exim.category = "sender-dns";
    EXPECT_TRUE(has_item_containing(ricochet::explain(exim, language::en).checks, "dig +short MX bpeg.cn"));

    record qmail = make_record("rejected", "***@hkstar.com, 553 zeng.pionmi.com does not exist", "x@hkstar.com");
    qmail.category = "sender-dns";
    const explanation e = ricochet::explain(qmail, language::en);
    EXPECT_TRUE(has_item_containing(e.checks, "dig +short SOA zeng.pionmi.com")) << joined(e.checks);
    EXPECT_FALSE(has_item_containing(e.checks, "hkstar.com")) << joined(e.checks);
}

TEST(ExplainChecks, OnlyWithKnownNames) {
    const explanation e = ricochet::explain(make_record("networkerror", "connection timed out", ""), language::en);
    EXPECT_TRUE(e.checks.empty()) << joined(e.checks);
    const explanation b = ricochet::explain(make_record("blocked", "554 blocked"), language::en);
    EXPECT_TRUE(b.checks.empty()) << joined(b.checks);
}

TEST(ExplainChecks, HostileNamesAreNotPastedIntoCommands) {
    const explanation e = ricochet::explain(
        make_record("networkerror", "connect to x;rm -rf ~: timed out", "a@evil.example;touch /tmp/x"), language::en);
    for (const std::string& c : e.checks) {
        EXPECT_EQ(c.find("rm -rf"), std::string::npos) << c;
        EXPECT_EQ(c.find("touch"), std::string::npos) << c;
    }
}

// --- retry advice -----------------------------------------------------------------------------------

TEST(ExplainRetry, FollowsReasonAndPermanence) {
    record unknown_user = make_record("userunknown", "550 5.1.1 User unknown");
    unknown_user.status = "5.1.1";
    unknown_user.hard = true;
    EXPECT_EQ(ricochet::explain(unknown_user, language::en).retry, retry_advice::never);

    record no_host = make_record("hostunknown", "Host not found");
    no_host.hard = true;
    EXPECT_EQ(ricochet::explain(no_host, language::en).retry, retry_advice::never);

    // A 4xx "user unknown" (a directory outage) is not permanent.
    record soft_user = make_record("userunknown", "450 4.1.1 User unknown in local recipient table");
    soft_user.status = "4.1.1";
    soft_user.reply_code = "450";
    soft_user.hard = false;
    const explanation soft = ricochet::explain(soft_user, language::en);
    EXPECT_EQ(soft.retry, retry_advice::later);
    EXPECT_GT(soft.retry_after_minutes, 0);
    EXPECT_NE(soft.retry_text.find("4xx"), std::string::npos) << soft.retry_text;

    const explanation full = ricochet::explain(make_record("mailboxfull", "552 mailbox is full"), language::en);
    EXPECT_EQ(full.retry, retry_advice::later);
    EXPECT_EQ(full.retry_after_minutes, 360);
    EXPECT_NE(full.retry_text.find("6 hours"), std::string::npos) << full.retry_text;
    const explanation full_zh = ricochet::explain(make_record("mailboxfull", "552 mailbox is full"), language::zh_cn);
    EXPECT_NE(full_zh.retry_text.find("6 小时"), std::string::npos) << full_zh.retry_text;

    for (const char* reason : {"networkerror", "toomanyconn", "speeding"}) {
        const explanation e = ricochet::explain(make_record(reason, "421 try again later"), language::en);
        EXPECT_EQ(e.retry, retry_advice::later) << reason;
        EXPECT_GE(e.retry_after_minutes, 15) << reason;
        EXPECT_LE(e.retry_after_minutes, 240) << reason;
    }
    for (const char* reason : {"blocked", "requireptr", "authfailure", "mesgtoobig", "norelaying"}) {
        EXPECT_EQ(ricochet::explain(make_record(reason, "550 no"), language::en).retry, retry_advice::after_fix)
            << reason;
    }
    for (const char* reason : {"delivered", "vacation", "feedback"}) {
        const explanation e = ricochet::explain(make_record(reason, ""), language::en);
        EXPECT_EQ(e.retry, retry_advice::not_applicable) << reason;
        EXPECT_TRUE(e.checks.empty()) << reason;
    }
}

TEST(ExplainRetry, DelayNoticeSaysSo) {
    record r = make_record("networkerror", "connect to mx.example.com[192.0.2.1]:25: Connection timed out");
    r.action = "delayed";
    EXPECT_NE(ricochet::explain(r, language::en).retry_text.find("delay notice"), std::string::npos);
}

// --- rendering --------------------------------------------------------------------------------------

TEST(ExplainRetry, GreylistingIsARetryScheduleNotABlock) {
    // A greylisting refusal (Postgrey's reply) passes on a later attempt: the advice is to retry
    // soon from the same server, not to look for a blocklist.
    for (language lang : all_languages) {
        record r = make_record("blocked",
                               "450 4.2.0 <user@example.com>: Recipient address rejected: Greylisted, see "
                               "http://postgrey.schweikert.ch/help/example.com.html");
        r.rule = "blocked.greylisting";
        r.status = "4.2.0";
        r.reply_code = "450";
        const explanation e = ricochet::explain(r, lang);
        EXPECT_EQ(e.retry, retry_advice::later) << ricochet::language_tag(lang);
        EXPECT_EQ(e.retry_after_minutes, 15);
        const explanation plain = ricochet::explain(make_record("blocked", "554 5.7.1 Service unavailable"), lang);
        EXPECT_NE(e.cause, plain.cause) << ricochet::language_tag(lang);
        EXPECT_NE(e.sender_action, plain.sender_action);
    }
    record r = make_record("blocked", "451 4.7.1 Greylisting in action, please come back later");
    r.rule = "blocked.greylisting";
    EXPECT_NE(ricochet::explain(r, language::en).cause.find("greylist"), std::string::npos);
    EXPECT_NE(ricochet::explain(r, language::zh_cn).cause.find("灰名单"), std::string::npos);
    EXPECT_NE(ricochet::explain(r, language::zh_tw).cause.find("灰名單"), std::string::npos);
}

TEST(ExplainRender, ExplanationHasLabelledFields) {
    const record r = make_record("blocked", "554 5.7.1 Client host [202.105.45.53] blocked using zen.spamhaus.org");
    const std::string en = ricochet::render_explanation(ricochet::explain(r, language::en), language::en);
    for (const char* label : {"Title: ", "Summary: ", "Cause: ", "Retry: ", "Details:\n", "Checks:\n"})
        EXPECT_NE(en.find(label), std::string::npos) << label << "\n" << en;
    EXPECT_NE(en.find("$ dig +short 53.45.105.202.zen.spamhaus.org"), std::string::npos) << en;

    const std::string zh = ricochet::render_explanation(ricochet::explain(r, language::zh_cn), language::zh_cn);
    for (const char* label : {"标题：", "原因：", "重试建议：", "检查命令："})
        EXPECT_NE(zh.find(label), std::string::npos) << label << "\n" << zh;
    const std::string tw = ricochet::render_explanation(ricochet::explain(r, language::zh_tw), language::zh_tw);
    for (const char* label : {"標題：", "原因：", "重試建議：", "檢查指令："})
        EXPECT_NE(tw.find(label), std::string::npos) << label << "\n" << tw;
}

TEST(ExplainRender, ExplanationOfNothingIsEmpty) {
    EXPECT_TRUE(ricochet::render_explanation(explanation{}, language::en).empty());
}

// The Coremail report at the end of the guide: original message, reason, solution, code, the
// remote server's words.
record coremail_record() {
    record r;
    r.recipient = "digital@byterg.ru";
    r.action = "failed";
    r.status = "5.7.1";
    r.reply_code = "550";
    r.diagnostic = "SMTP error, RCPT TO: 550 Broken reverse DNS - no host name found for IP-address 202.96.154.173";
    r.reason = "requireptr";
    r.category = "sender-dns";
    r.hard = false;
    r.mta = "coremail";
    r.original.subject = "Quotation of HD90";
    r.original.date = "2016-08-03 20:15:18";
    return r;
}

// A Winmail/qmail bounce: "Hi. This is the qmail-send program ..." with the original headers below.
record qmail_record() {
    record r;
    r.recipient = "test@example.net";
    r.action = "failed";
    r.diagnostic = "sorry, no mailbox here by that name. (#5.1.1)";
    r.status = "5.1.1";
    r.reason = "userunknown";
    r.category = "recipient-unknown";
    r.hard = true;
    r.mta = "qmail";
    r.timestamp = "2004-12-23T09:41:02+08:00";
    r.original.subject = "test";
    r.original.from = "\"test\" <test@test.local>";
    r.original.to = "test@example.net";
    r.original.date = "Thu, 23 Dec 2004 09:40:58 +0800";
    return r;
}

TEST(ExplainReport, CoremailStyleInEnglishAndChinese) {
    const record r = coremail_record();
    const std::string en = ricochet::render_report(r, language::en);
    for (const char* want : {"Original message", "Time: 2016-08-03 20:15:18", "Subject: Quotation of HD90",
                             "To: digital@byterg.ru", "Bounce reason: ", "Proposed solution", "Bounce code: 5.7.1 / 550",
                             "Remote server said", "no host name found for IP-address 202.96.154.173",
                             "dig +short -x 202.96.154.173"})
        EXPECT_NE(en.find(want), std::string::npos) << want << "\n" << en;

    const std::string zh = ricochet::render_report(r, language::zh_cn);
    for (const char* want : {"原邮件信息", "时间：2016-08-03 20:15:18", "主题：Quotation of HD90",
                             "收件人：digital@byterg.ru", "退信原因：", "建议解决方案", "退信代码：5.7.1 / 550",
                             "Broken reverse DNS"})
        EXPECT_NE(zh.find(want), std::string::npos) << want << "\n" << zh;
    EXPECT_NE(zh.find(std::string(ricochet::reason_title("requireptr", language::zh_cn))), std::string::npos) << zh;
}

TEST(ExplainReport, QmailStyleInEnglishAndChinese) {
    const record r = qmail_record();
    const std::string en = ricochet::render_report(r, language::en);
    for (const char* want : {"Time: Thu, 23 Dec 2004 09:40:58 +0800", "Subject: test", "To: test@example.net",
                             "Mailbox does not exist", "Bounce code: 5.1.1", "no mailbox here by that name"})
        EXPECT_NE(en.find(want), std::string::npos) << want << "\n" << en;

    const std::string zh = ricochet::render_report(r, language::zh_cn);
    for (const char* want : {"时间：Thu, 23 Dec 2004 09:40:58 +0800", "主题：test", "收件人：test@example.net",
                             "收件人邮箱不存在", "no mailbox here by that name"})
        EXPECT_NE(zh.find(want), std::string::npos) << want << "\n" << zh;

    const std::string tw = ricochet::render_report(r, language::zh_tw);
    EXPECT_NE(tw.find("主旨：test"), std::string::npos) << tw;
}

TEST(ExplainReport, EmptyRecordShowsUnknown) {
    const record r;
    const std::string en = ricochet::render_report(r, language::en);
    EXPECT_NE(en.find("Time: unknown"), std::string::npos) << en;
    EXPECT_NE(en.find("Subject: unknown"), std::string::npos) << en;
    EXPECT_NE(en.find("Bounce code: unknown"), std::string::npos) << en;
    const std::string zh = ricochet::render_report(r, language::zh_cn);
    EXPECT_NE(zh.find("时间：未知"), std::string::npos) << zh;
    const std::string tw = ricochet::render_report(r, language::zh_tw);
    EXPECT_NE(tw.find("時間：未知"), std::string::npos) << tw;
}

TEST(ExplainReport, ControlCharactersAreNeutralised) {
    record r = qmail_record();
    r.original.subject = "hi\x1b[2Jthere";
    const std::string en = ricochet::render_report(r, language::en);
    EXPECT_EQ(en.find('\x1b'), std::string::npos);
}

// --- languages --------------------------------------------------------------------------------------

TEST(ExplainLanguage, Parse) {
    EXPECT_EQ(ricochet::parse_language("en"), language::en);
    EXPECT_EQ(ricochet::parse_language("en_US.UTF-8"), language::en);
    EXPECT_EQ(ricochet::parse_language("EN-gb"), language::en);
    EXPECT_EQ(ricochet::parse_language("zh"), language::zh_cn);
    EXPECT_EQ(ricochet::parse_language("zh-CN"), language::zh_cn);
    EXPECT_EQ(ricochet::parse_language("zh_CN.UTF-8"), language::zh_cn);
    EXPECT_EQ(ricochet::parse_language("zh_CN.GB18030"), language::zh_cn);
    EXPECT_EQ(ricochet::parse_language("zh-Hans"), language::zh_cn);
    EXPECT_EQ(ricochet::parse_language("zh_SG"), language::zh_cn);
    EXPECT_EQ(ricochet::parse_language("zh-TW"), language::zh_tw);
    EXPECT_EQ(ricochet::parse_language("zh_TW.UTF-8"), language::zh_tw);
    EXPECT_EQ(ricochet::parse_language("zh_HK"), language::zh_tw);
    EXPECT_EQ(ricochet::parse_language("zh_MO.UTF-8"), language::zh_tw);
    EXPECT_EQ(ricochet::parse_language("zh-Hant"), language::zh_tw);
    EXPECT_EQ(ricochet::parse_language("zh-Hant-HK"), language::zh_tw);
    EXPECT_EQ(ricochet::parse_language("zh-Hans-TW"), language::zh_cn);  // the script decides
    EXPECT_EQ(ricochet::parse_language("fr_FR.UTF-8"), std::nullopt);
    EXPECT_EQ(ricochet::parse_language(""), std::nullopt);
    EXPECT_EQ(ricochet::parse_language("zhx"), std::nullopt);
    EXPECT_EQ(ricochet::parse_language("english"), std::nullopt);
}

TEST(ExplainLanguage, Tags) {
    EXPECT_EQ(ricochet::language_tag(language::en), "en");
    EXPECT_EQ(ricochet::language_tag(language::zh_cn), "zh-CN");
    EXPECT_EQ(ricochet::language_tag(language::zh_tw), "zh-TW");
    for (language lang : all_languages) EXPECT_EQ(ricochet::parse_language(ricochet::language_tag(lang)), lang);
}

// Sets the three locale variables for one test and restores them afterwards.
class ExplainEnvironment : public ::testing::Test {
protected:
    void SetUp() override {
        for (std::size_t i = 0; i < 3; ++i) {
            const char* v = std::getenv(names_[i]);
            saved_[i] = v ? std::optional<std::string>(v) : std::nullopt;
            ::unsetenv(names_[i]);
        }
    }
    void TearDown() override {
        for (std::size_t i = 0; i < 3; ++i) {
            if (saved_[i]) ::setenv(names_[i], saved_[i]->c_str(), 1);
            else ::unsetenv(names_[i]);
        }
    }
    static constexpr const char* names_[3] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    std::optional<std::string> saved_[3];
};

TEST_F(ExplainEnvironment, Order) {
    EXPECT_EQ(ricochet::language_from_environment(), language::en);
    ::setenv("LANG", "zh_CN.UTF-8", 1);
    EXPECT_EQ(ricochet::language_from_environment(), language::zh_cn);
    ::setenv("LC_MESSAGES", "zh_TW.UTF-8", 1);
    EXPECT_EQ(ricochet::language_from_environment(), language::zh_tw);
    ::setenv("LC_ALL", "zh_HK.UTF-8", 1);
    EXPECT_EQ(ricochet::language_from_environment(), language::zh_tw);
    ::setenv("LC_ALL", "C", 1);
    EXPECT_EQ(ricochet::language_from_environment(), language::en);
    ::setenv("LC_ALL", "POSIX", 1);
    EXPECT_EQ(ricochet::language_from_environment(), language::en);
    ::setenv("LC_ALL", "", 1);
    ::setenv("LC_MESSAGES", "fr_FR.UTF-8", 1);  // unsupported: fall through to LANG
    EXPECT_EQ(ricochet::language_from_environment(), language::zh_cn);
}

}  // namespace
