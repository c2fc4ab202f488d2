// Unit tests of the core modules on ricochet's own fixtures (tests/fixtures/messages, written by
// tests/fixtures/make_fixtures.py): DSN fields, codes, addresses, charsets, the pattern data, the
// analyzer end to end, and the mbox splitter.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "dsn/codes.h"
#include "dsn/fields.h"
#include "io/reader.h"
#include "mime/message.h"
#include "reason/classifier.h"
#include "ricochet/explain.h"
#include "ricochet/ricochet.h"
#include "util/address.h"
#include "util/text.h"

namespace {

using namespace ricochet;

std::string fixture(const std::string& name) {
    std::ifstream in(std::string(RICOCHET_FIXTURES) + "/messages/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

const analyzer& shared_analyzer() {
    static std::unique_ptr<analyzer> a = [] {
        std::string err;
        auto p = analyzer::create({}, &err);
        EXPECT_TRUE(p) << err;
        return p;
    }();
    return *a;
}

TEST(dsn_fields, parses_per_message_and_folded_recipient_fields) {
    const char* text =
        "Reporting-MTA: dns; mx.example.com\n"
        "Arrival-Date: Fri, 1 Mar 2024 10:00:00 +0000\n"
        "\n"
        "Final-Recipient: rfc822; User@Example.NET\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
        "Remote-MTA: dns; mx.example.net\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <User@example.net>:\n"
        "    Recipient address rejected: User unknown\n"
        "\n"
        "Original-Recipient: rfc822; two@example.org\n"
        "Final-Recipient: rfc822; two@example.org\n"
        "Action: delayed\n"
        "Status: 4.4.1\n";
    dsn::report r = dsn::parse(text, limits{});
    ASSERT_EQ(r.recipients.size(), 2u);
    EXPECT_EQ(r.message.reporting_mta, "mx.example.com");
    EXPECT_EQ(r.recipients[0].final_recipient, "User@example.net");
    EXPECT_EQ(r.recipients[0].diagnostic_type, "smtp");
    EXPECT_EQ(r.recipients[0].diagnostic, "550 5.1.1 <User@example.net>: Recipient address rejected: User unknown");
    EXPECT_EQ(r.recipients[0].remote_mta, "mx.example.net");
    EXPECT_EQ(r.recipients[1].action, "delayed");
    EXPECT_EQ(r.recipients[1].original_recipient, "two@example.org");
}

TEST(dsn_fields, splits_recipients_run_together_in_one_block) {
    const char* text =
        "Final-Recipient: rfc822; a@example.com\nAction: failed\nStatus: 5.1.1\n"
        "Final-Recipient: rfc822; b@example.com\nAction: failed\nStatus: 5.2.2\n";
    dsn::report r = dsn::parse(text, limits{});
    ASSERT_EQ(r.recipients.size(), 2u);
    EXPECT_EQ(r.recipients[1].status, "5.2.2");
}

TEST(dsn_fields, stops_at_the_recipient_limit) {
    std::string text;
    for (int i = 0; i < 50; ++i) text += "Final-Recipient: rfc822; u" + std::to_string(i) + "@example.com\nStatus: 5.1.1\n\n";
    limits lim;
    lim.max_recipients = 10;
    dsn::report r = dsn::parse(text, lim);
    EXPECT_EQ(r.recipients.size(), 10u);
    EXPECT_TRUE(r.truncated);
}

TEST(dsn_fields, finds_the_fields_written_into_a_text_body) {
    const std::string text =
        "The mail system\n\n<a@example.com>: connect to mx.example.com[192.0.2.2]:25: No route to host\n\n"
        "Reporting-MTA: dns; smtp.example.org\nX-Postfix-Queue-ID: 1A2B3C\n\n"
        "Final-Recipient: rfc822; a@example.com\nAction: delayed\nStatus: 4.4.1\n"
        "Diagnostic-Code: X-Postfix; connect to\n    mx.example.com[192.0.2.2]:25: No route to host\n\n"
        "Return-Path: <sender@example.org>\nReceived: from a by b\nFinal-Recipient: rfc822; not-this@example.com\n";
    std::string_view found = dsn::find_inline(text);
    ASSERT_FALSE(found.empty());
    EXPECT_TRUE(found.starts_with("Reporting-MTA:"));
    // The original message's header block that follows is not part of the report.
    EXPECT_EQ(found.find("Return-Path"), std::string_view::npos);
    dsn::report r = dsn::parse(found, limits{});
    ASSERT_EQ(r.recipients.size(), 1u);
    EXPECT_EQ(r.recipients[0].status, "4.4.1");
    EXPECT_EQ(dsn::find_inline("Dear customer,\nyour Status: gold\n"), "");
}

TEST(dsn_fields, a_reply_folded_across_a_blank_line_stays_with_its_recipient) {
    // A gateway that copies a multi-line reply into Diagnostic-Code with a blank line in it, and
    // writes Final-Recipient last.
    const char* text =
        "Reporting-MTA: dns; gw.example.net\n"
        "\n"
        "Diagnostic-Code: smtp;\n"
        " 550-Please turn on SMTP Authentication in your mail client.\n"
        "\n"
        "550-gw.example.net [192.0.2.9]:4321 is not permitted to\n"
        "550 relay through this server without authentication.\n"
        "Status: 5.0.0\n"
        "Action: failed\n"
        "Final-Recipient: rfc822; ann@example.org\n";
    dsn::report r = dsn::parse(text, limits{});
    ASSERT_EQ(r.recipients.size(), 1u);
    EXPECT_EQ(r.recipients[0].final_recipient, "ann@example.org");
    EXPECT_EQ(r.recipients[0].status, "5.0.0");
    EXPECT_NE(r.recipients[0].diagnostic.find("550 relay through this server without authentication."), std::string::npos);
    EXPECT_NE(r.recipients[0].diagnostic.find("Please turn on SMTP Authentication"), std::string::npos);
}

TEST(dsn_fields, source_routes_and_misspelt_address_types) {
    const char* text =
        "Original-recipient: rfc822;ann@example.net\n"
        "Final-recipient: rfc822;@lmtp.example.net:ann@store7\n"
        "Action: failed\n"
        "Status: 5.2.0\n"
        "\n"
        "Final-Recipient : rfc/822;bob@example.org\n"
        "Action : failed\n"
        "Status : 5.0.0\n";
    dsn::report r = dsn::parse(text, limits{});
    ASSERT_EQ(r.recipients.size(), 2u);
    // The routed form names the store's internal address: the address the sender wrote wins.
    EXPECT_EQ(r.recipients[0].final_recipient, "ann@example.net");
    EXPECT_EQ(r.recipients[1].final_recipient, "bob@example.org");
    EXPECT_EQ(util::clean_address("<@a.example.net,@b.example.net:carl@example.com>"), "carl@example.com");
}

TEST(dsn_fields, supplementary_info_stands_in_for_a_missing_reply) {
    // Microsoft writes the server's reply in X-Supplementary-Info when there is no Diagnostic-Code;
    // an X.400 gateway beside a Diagnostic-Code that quotes no reply.
    dsn::report ms = dsn::parse("Reporting-MTA: dns; mc1.example.com\n\n"
                                "Final-recipient: RFC822; amy@example.com\nAction: failed\nStatus: 5.5.0\n"
                                "X-Supplementary-Info: < #5.5.0 smtp;550 Requested action not taken: mailbox\n"
                                " unavailable (495782920:4198:-2147467259)>\n",
                                limits{});
    ASSERT_EQ(ms.recipients.size(), 1u);
    EXPECT_EQ(ms.recipients[0].diagnostic, "550 Requested action not taken: mailbox unavailable (495782920:4198:-2147467259)");
    EXPECT_EQ(ms.recipients[0].diagnostic_type, "smtp");
    dsn::report x400 = dsn::parse("Reporting-MTA: x400; mta gw1\n\n"
                                  "Original-Recipient: rfc822; bo@example.com\nAction: failed\n"
                                  "Diagnostic-Code: Reason 1 (Unable-To-Transfer); Diagnostic -1 (Unknown)\nStatus: 5.0.0\n"
                                  "X400-Supplementary-Info: \"MTA '192.0.2.7' gives error message 5.7.1 Unable to relay for bo@example.com\"\n",
                                  limits{});
    ASSERT_EQ(x400.recipients.size(), 1u);
    EXPECT_NE(x400.recipients[0].diagnostic.find("5.7.1 Unable to relay"), std::string::npos);
    EXPECT_EQ(x400.recipients[0].diagnostic.find("Reason 1"), 0u);
}

TEST(analyzer, a_mistyped_recipient_is_kept_as_written_and_flagged) {
    // The sender typed a domain that cannot exist; the report is still about that address.
    const std::string msg =
        "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.com>\n"
        "To: <ann@example.com>\n"
        "Subject: Returned mail: see transcript for details\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
        "--B\nContent-Type: text/plain\n\n550 5.1.2 <bob@#example.net>... Host unknown\n\n"
        "--B\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; relay.example.com\n\n"
        "Final-Recipient: RFC822; bob@#example.net\nAction: failed\nStatus: 5.1.2\n"
        "Diagnostic-Code: SMTP; 550 Host unknown\n\n--B--\n";
    auto res = shared_analyzer().analyze(msg);
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].recipient, "bob@#example.net");
    EXPECT_EQ(res.records[0].reason, "hostunknown");
    ASSERT_FALSE(res.records[0].warnings.empty());
    EXPECT_NE(res.records[0].warnings[0].find("malformed"), std::string::npos);
    EXPECT_EQ(util::malformed_address("two@@example.net"), "");
    EXPECT_EQ(util::malformed_address("not an address"), "");
}

TEST(analyzer, a_delivery_program_s_exit_status_is_not_a_reply_code) {
    // "X-Unix; 255" is the exit status of the program a local alias pipes to, not an SMTP reply:
    // no reply code, and the program failing is the reason.
    const std::string msg =
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.org>\n"
        "To: ann@example.com\n"
        "Subject: Returned mail: see transcript for details\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n"
        "--B\nContent-Type: text/plain\n\n   ----- The following addresses had permanent fatal errors -----\n"
        "|/usr/local/bin/handler\n    (expanded from: <bob@example.org>)\n\n"
        "--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"
        "Final-Recipient: RFC822; bob@example.org\nX-Actual-Recipient: X-Unix; |/usr/local/bin/handler\n"
        "Action: failed\nStatus: 5.3.0\nDiagnostic-Code: X-Unix; 255\n\n--B--\n";
    auto res = shared_analyzer().analyze(msg);
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].recipient, "bob@example.org");
    EXPECT_EQ(res.records[0].reply_code, "");
    EXPECT_EQ(res.records[0].status, "5.3.0");
    EXPECT_EQ(res.records[0].reason, "mailererror");
    // The same line pasted alone keeps its type.
    auto line = shared_analyzer().classify("X-Unix; 255");
    EXPECT_EQ(line.reply_code, "");
    EXPECT_EQ(line.reason, "mailererror");
}

TEST(analyzer, a_feedback_report_without_an_address_takes_the_returned_copy_s_recipient) {
    // A feedback loop that redacts its own fields: the complaint is still about the mailbox the
    // returned copy was delivered to (its Received "for" clause).
    const std::string msg =
        "From: MAILER-DAEMON\n"
        "To: abuse-desk@example.com\n"
        "Subject: Email Feedback Report for IP 192.0.2.1\n"
        "MIME-Version: 1.0\n"
        "Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\n\n"
        "--F\nContent-Type: text/plain\n\nThis is an email abuse report.\n\n"
        "--F\nContent-Type: message/feedback-report\n\n"
        "Feedback-Type: abuse\nUser-Agent: ExampleFBL\nVersion: 0.1\nSource-IP: 192.0.2.1\nRedacted-Address: redacted\n\n"
        "--F\nContent-Type: message/rfc822\n\n"
        "Received: from out.example.com by mx.example.net with ESMTP\n\tfor <pat@example.net>; Thu, 19 May 2016 05:36:35 -0400\n"
        "From: News <news@example.com>\nSubject: offers\n\nhello\n--F--\n";
    auto res = shared_analyzer().analyze(msg);
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].reason, "feedback");
    EXPECT_EQ(res.records[0].recipient, "pat@example.net");

    // Undisclosed recipients in To: the envelope recipient the receiving system stamped wins.
    std::string stamped = msg;
    stamped.replace(stamped.find("From: News <news@example.com>"), 0, "To: undisclosed-recipients:;\nDelivered-To: quinn@example.net\n");
    auto st = shared_analyzer().analyze(stamped);
    ASSERT_EQ(st.records.size(), 1u);
    EXPECT_EQ(st.records[0].recipient, "quinn@example.net");
}

TEST(analyzer, a_report_block_without_a_recipient_takes_the_x_failed_recipients_address) {
    const std::string msg =
        "From: postmaster@mx.example.com\n"
        "To: sender@example.net\n"
        "Subject: Undeliverable: budget\n"
        "X-Failed-Recipients: ruth@example.org\n"
        "Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n\n"
        "--R\nContent-Type: text/plain\n\nDelivery has failed to these recipients.\n\n"
        "--R\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.com\n\nAction: failed\nStatus: 5.1.1\n\n--R--\n";
    auto res = shared_analyzer().analyze(msg);
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].recipient, "ruth@example.org");
    EXPECT_EQ(res.records[0].reason, "userunknown");
}

TEST(codes, enhanced_status_skips_ip_addresses_and_versions) {
    EXPECT_EQ(dsn::find_enhanced_status("host 192.0.2.1 said: 550 5.7.1 blocked"), "5.7.1");
    EXPECT_EQ(dsn::find_enhanced_status("Postfix 3.5.1.2 said 4.2.2 over quota"), "4.2.2");
    EXPECT_EQ(dsn::find_enhanced_status("no code here 550"), "");
    EXPECT_EQ(dsn::find_enhanced_status("550 5.1.10 RESOLVER.ADR"), "5.1.10");
}

TEST(codes, reply_code_where_a_reply_stands) {
    EXPECT_EQ(dsn::find_reply_code("host mx.example.com[192.0.2.1] said: 552 5.2.2 full"), "552");
    EXPECT_EQ(dsn::find_reply_code("SMTP error, RCPT TO: 550 Relay Deny"), "550");
    EXPECT_EQ(dsn::find_reply_code("message size 250 bytes"), "");
    EXPECT_EQ(dsn::find_reply_code("550-5.7.1 first line"), "550");
    // A session transcript: the greeting and accepted commands come before the refusal.
    EXPECT_EQ(dsn::find_reply_code("220 mx.example.com ESMTP ready EHLO a.example.org 250-mx.example.com Hello "
                                   "RCPT To:<b@example.com> 552 Message for <b@example.com> would exceed mailbox quota"),
              "552");
    EXPECT_EQ(dsn::find_reply_code("250 2.0.0 Ok: queued as 4FxyZ"), "250");
}

TEST(codes, command_from_each_mta_phrase) {
    EXPECT_EQ(dsn::find_command("(in reply to RCPT TO command)"), "RCPT");
    EXPECT_EQ(dsn::find_command("SMTP error from remote mail server after end of data:"), "DATA");
    EXPECT_EQ(dsn::find_command(">>> MAIL From:<a@example.com>"), "MAIL");
    EXPECT_EQ(dsn::find_command("connect to mx.example.com[192.0.2.1]:25: Connection refused"), "CONN");
    EXPECT_EQ(dsn::find_command("550 User unknown"), "");
    // An explicit framing wins over a command word used in prose, wherever each appears.
    EXPECT_EQ(dsn::find_command("550 Your host is not allowed to connect to this server. (in reply to RCPT TO command)"), "RCPT");
    EXPECT_EQ(dsn::find_command("550 5.7.1 Message rejected: the recipient does not accept mail from this sender"), "");
    EXPECT_EQ(dsn::find_command("host mx.example.net[192.0.2.2] refused to talk to me: 421 4.4.2 Error: timeout exceeded"), "CONN");
    EXPECT_EQ(dsn::find_command("SMTP error from remote server after RCPT command: host mx1.example[192.0.2.3]: 550 mailbox unavailable"), "RCPT");
}

TEST(text, lower_for_match_folds_the_scripts_patterns_use) {
    EXPECT_EQ(util::lower_for_match("ПОЛЬЗОВАТЕЛЬ Не Найден"), "пользователь не найден");
    EXPECT_EQ(util::lower_for_match("Empfänger UNBEKANNT, BOÎTE PLEINE, ÉTÉ"), "empfänger unbekannt, boîte pleine, été");
    EXPECT_EQ(util::lower_for_match("ΣΦΑΛΜΑ ŁÓDŹ"), "σφαλμα łódź");
    EXPECT_EQ(util::lower_for_match("宛先不明 User"), "宛先不明 user");
    EXPECT_EQ(util::lower_for_match(std::string("A\xC3\xFF\xD0")), std::string("a\xC3\xFF\xD0"));  // invalid UTF-8 kept
}

TEST(address, non_ascii_spaces_and_punctuation_end_an_address) {
    auto found = util::find_addresses("Contact\xC2\xA0jo@example.com or \xE9\x82\xAE\xE7\xAE\xB1\xEF\xBC\x9A" "ann@example.org, "
                                      "\xE7\x94\xA8\xE6\x88\xB7@example.net", 10);
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found[0], "jo@example.com");
    EXPECT_EQ(found[1], "ann@example.org");
    EXPECT_EQ(found[2], "\xE7\x94\xA8\xE6\x88\xB7@example.net");  // an internationalised local part stays whole
}

TEST(address, log_fields_and_markup_around_an_address_are_not_part_of_it) {
    // A log line's "to=" / "rcpt=" field and Markdown bold; an SRS address keeps its "=" fields.
    auto found = util::find_addresses("status=bounced rcpt=ann@example.org to=bob@example.net **carl@example.com** "
                                      "SRS0=hjun=S5=example.com=dan@forwarder.example",
                                      10);
    ASSERT_EQ(found.size(), 4u);
    EXPECT_EQ(found[0], "ann@example.org");
    EXPECT_EQ(found[1], "bob@example.net");
    EXPECT_EQ(found[2], "carl@example.com");
    EXPECT_EQ(found[3], "SRS0=hjun=S5=example.com=dan@forwarder.example");
}

TEST(address, chinese_or_japanese_prose_run_into_an_ascii_local_part_is_not_part_of_it) {
    // "无法发送到admin@example.com" (Tencent's notice), "宛先user@example.jp"; an accented Latin
    // local part is one word.
    auto found = util::find_addresses("无法发送到admin@example.com 宛先user@example.jp josé.garcia@example.es 用户@example.net", 10);
    ASSERT_EQ(found.size(), 4u);
    EXPECT_EQ(found[0], "admin@example.com");
    EXPECT_EQ(found[1], "user@example.jp");
    EXPECT_EQ(found[2], "josé.garcia@example.es");
    EXPECT_EQ(found[3], "用户@example.net");
}

TEST(address, cleans_report_forms) {
    EXPECT_EQ(util::clean_address("rfc822; <Bob@EXAMPLE.Net>"), "Bob@example.net");
    EXPECT_EQ(util::clean_address("\"Bob\" <bob@example.net>"), "bob@example.net");
    EXPECT_EQ(util::clean_address("mailto:bob@example.net."), "bob@example.net");
    EXPECT_EQ(util::clean_address("c=US;a= ;p=Example;o=Site2;dda:SMTP=carol@Example.COM;"), "carol@example.com");
    EXPECT_EQ(util::clean_address("SMTP:dave@example.org"), "dave@example.org");
    EXPECT_EQ(util::clean_address("bob"), "");
    EXPECT_EQ(util::clean_address("<\"first..last\"@Example.ORG>..."), "\"first..last\"@example.org");
    EXPECT_EQ(util::clean_address("rfc822; root@localhost"), "");
    // RFC 6533 utf-8 addresses: UTF-8 domains are kept there, and "\x{HEX}" is decoded.
    EXPECT_EQ(util::clean_address("utf-8; 用户@例子.中国"), "用户@例子.中国");
    EXPECT_EQ(util::clean_address("utf-8; <caf\\x{E9}@Exemple.FR>"), "café@exemple.fr");
    EXPECT_EQ(util::clean_address("utf-8; not an address"), "");
    // In free text the domain stays ASCII: the punctuation of the language around it is not part of it.
    EXPECT_EQ(util::first_address("宛先 user@example.jp、ご確認ください"), "user@example.jp");
    EXPECT_EQ(util::clean_address("rfc822; root@localhost", true), "root@localhost");
    auto all = util::find_addresses("to <a@example.com>, b@example.org; and again a@example.com");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[1], "b@example.org");
}

TEST(charsets, gb2312_base64_body_becomes_utf8) {
    mime::message_view v = mime::parse(fixture("coremail-gb2312.eml"), limits{});
    ASSERT_FALSE(v.texts.empty());
    EXPECT_NE(v.body().find("退信原因"), std::string::npos);
    EXPECT_NE(v.headers.get("Subject").find("系统退信"), std::string::npos);
}

TEST(charsets, iso2022jp_body_and_subject) {
    mime::message_view v = mime::parse(fixture("iso2022jp-mailboxfull.eml"), limits{});
    EXPECT_NE(v.body().find("メールボックス"), std::string::npos);
    EXPECT_FALSE(v.headers.get("Subject").empty());
    EXPECT_EQ(v.headers.get("Subject").find("=?"), std::string::npos);
}

TEST(charsets, undeclared_legacy_bytes_are_guessed) {
    std::string gbk = "\xcd\xcb\xd0\xc5";  // 退信 in GBK
    EXPECT_EQ(mime::to_utf8(gbk, ""), "退信");
    EXPECT_EQ(mime::to_utf8("plain", "us-ascii"), "plain");
    EXPECT_EQ(mime::to_utf8("caf\xe9", "iso-8859-1"), "café");
}

TEST(patterns, every_row_example_classifies_to_its_reason) {
    std::string err;
    auto c = reason::classifier::build(reason::builtin_pattern_data(), &err);
    ASSERT_TRUE(c) << err;
    ASSERT_GT(c->size(), 40u);
    for (std::size_t i = 0; i < c->size(); ++i) {
        const auto& row = c->row(static_cast<int>(i));
        int hit = c->match(reason::normalize_diagnostic(row.example));
        ASSERT_GE(hit, 0) << row.id << ": example matches no pattern: " << row.example;
        EXPECT_EQ(c->row(hit).reason, row.reason) << row.id << ": example '" << row.example << "' matched " << c->row(hit).id;
    }
}

TEST(patterns, a_broken_row_is_reported_with_its_line) {
    std::string err;
    auto c = reason::classifier::build("# comment\nbad.row\tnosuchreason\tx\texample\n", &err);
    EXPECT_FALSE(c);
    EXPECT_NE(err.find("line 2"), std::string::npos) << err;
    c = reason::classifier::build("bad.re\tuserunknown\t(unclosed\texample\n", &err);
    EXPECT_FALSE(c);
    EXPECT_NE(err.find("bad.re"), std::string::npos) << err;
}

TEST(classify, bare_smtp_lines) {
    const auto& a = shared_analyzer();
    EXPECT_EQ(a.classify("SMTP error, RCPT TO: 550 Relay Deny").reason, "norelaying");
    EXPECT_EQ(a.classify("550 5.1.1 <x@example.com>... User unknown").reason, "userunknown");
    auto c = a.classify("554 Service unavailable; Client host [192.0.2.53] blocked using zen.spamhaus.org");
    EXPECT_EQ(c.reason, "blocked");
    EXPECT_EQ(c.category, "blocklisted");
    EXPECT_EQ(c.reply_code, "554");
    auto full = a.classify("452 4.2.2 Mailbox full");
    EXPECT_EQ(full.reason, "mailboxfull");
    EXPECT_FALSE(full.hard);
    EXPECT_EQ(a.classify("").reason, "undefined");
    // A one-word reply: the status's detail is the only evidence.
    EXPECT_EQ(a.classify("550 5.7.9 Rejected").reason, "securityerror");
    EXPECT_EQ(a.classify("554 5.7.26 <a@example.com> Rejected").reason, "authfailure");
    // ... and with real words, the words decide.
    EXPECT_EQ(a.classify("550 5.7.1 Message rejected as spam by Content Filtering").reason, "spamdetected");
    // hMailServer's words for a domain with no mail server.
    EXPECT_EQ(a.classify("Error Description: No mail servers appear to exists for the recipients address.").reason, "hostunknown");
}

// qmail's chkuser patch puts one status on replies that mean different things: the words say which.
TEST(classify, a_reused_status_gives_way_to_words_that_name_another_failure) {
    const auto& a = shared_analyzer();
    EXPECT_EQ(a.classify("511 sorry, no mailbox here by that name (#5.1.1 - chkuser)").reason, "userunknown");
    auto relay = a.classify("553 sorry, that domain isn't in my list of allowed rcpthosts (#5.5.3 - chkuser)");
    EXPECT_EQ(relay.reason, "norelaying");
    EXPECT_EQ(relay.status, "5.5.3");
    EXPECT_EQ(a.classify("511 sorry, can't find a valid MX for rcpt domain (#5.1.1 - chkuser)").reason, "hostunknown");
    EXPECT_EQ(a.classify("511 sorry, can't find a valid MX for sender domain (#5.1.1 - chkuser)").reason, "rejected");
    EXPECT_EQ(a.classify("571 sorry, you are violating our security policies (#5.1.1 - chkuser)").reason, "policyviolation");
    // A count of recipients stays what the status says.
    EXPECT_EQ(a.classify("452 4.5.3 Error: too many recipients").reason, "toomanyconn");
    // qmail refuses a bounce (null sender) addressed to several recipients.
    EXPECT_EQ(a.classify("550 sorry, I don't accept bounce messages with more than one recipient. Go read RFC2821. (#5.7.1)").reason,
              "rejected");
    // qmail's list of refused recipients (badrcptto) is the receiving side's own refusal of that address.
    EXPECT_EQ(a.classify("553 sorry, mail to that recipient is not accepted (#5.7.1)").reason, "filtered");
    // GMX names the failed check in its explanation link.
    EXPECT_EQ(a.classify("554 For explanation visit http://postmaster.gmx.com/en/error-messages?ip=192.0.2.7&c=rdns").reason,
              "requireptr");
}

TEST(hardness, four_hundreds_are_never_hard) {
    const auto& a = shared_analyzer();
    auto c = a.classify("450 4.1.1 <x@example.com>: Recipient address rejected: User unknown");
    EXPECT_EQ(c.reason, "userunknown");
    EXPECT_FALSE(c.hard);
    EXPECT_EQ(c.hard_signal, "status");
    EXPECT_TRUE(a.classify("550 5.1.1 User unknown").hard);
}

TEST(hardness, a_delay_notice_is_never_hard) {
    // A 550 from one of the domain's hosts, quoted in a notice that says the server still tries
    // (the others): an unknown host would be hard in a failure report, not in a delay notice.
    auto res = shared_analyzer().analyze(R"(From: MAILER-DAEMON@mx.example.net
To: sender@example.com
Subject: Delivery status notification: delayed
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="D"

--D
Content-Type: text/plain

Delivery to the following recipient has been delayed. The server will keep trying.

--D
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; dana@example.org
Action: delayed
Diagnostic-Code: smtp; 550 Host unknown (Name server: mx1.example.org: host not found)

--D--
)");
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].action, "delayed");
    EXPECT_FALSE(res.records[0].hard);
    EXPECT_EQ(res.records[0].hard_signal, "action");
}

TEST(analyzer, postfix_dsn_with_crlf_two_recipients) {
    auto res = shared_analyzer().analyze(fixture("postfix-dsn-crlf.eml"));
    ASSERT_EQ(res.kind, message_kind::bounce);
    ASSERT_EQ(res.records.size(), 2u);
    const auto& a = res.records[0];
    EXPECT_EQ(a.recipient, "bob@example.net");
    EXPECT_EQ(a.status, "5.1.1");
    EXPECT_EQ(a.reply_code, "550");
    EXPECT_EQ(a.smtp_command, "RCPT");
    EXPECT_EQ(a.reason, "userunknown");
    EXPECT_TRUE(a.hard);
    EXPECT_EQ(a.remote_mta, "mx1.example.net");
    EXPECT_EQ(a.reporting_mta, "mail.example.com");
    EXPECT_EQ(a.original.subject, "Quarterly report");
    EXPECT_EQ(a.original.message_id, "<20240301101500.12345@mail.example.com>");
    EXPECT_EQ(a.timestamp.substr(0, 19), "2024-03-01T10:15:03");
    const auto& b = res.records[1];
    EXPECT_EQ(b.recipient, "carol@example.org");  // domain lower-cased
    EXPECT_EQ(b.reason, "mailboxfull");
    EXPECT_FALSE(b.hard);
}

TEST(analyzer, line_endings_do_not_change_the_answer) {
    // The same report with CRLF, LF and bare CR line ends.
    std::string crlf = fixture("postfix-dsn-crlf.eml");
    std::string lf, cr;
    for (std::size_t i = 0; i < crlf.size(); ++i) {
        if (crlf[i] == '\r' && i + 1 < crlf.size() && crlf[i + 1] == '\n') continue;
        lf += crlf[i];
        cr += crlf[i] == '\n' ? '\r' : crlf[i];
    }
    ASSERT_EQ(lf.find('\r'), std::string::npos);
    auto want = shared_analyzer().analyze(crlf);
    ASSERT_EQ(want.records.size(), 2u);
    for (const std::string* variant : {&lf, &cr}) {
        auto got = shared_analyzer().analyze(*variant);
        ASSERT_EQ(got.records.size(), 2u);
        for (std::size_t i = 0; i < 2; ++i) {
            EXPECT_EQ(got.records[i].recipient, want.records[i].recipient);
            EXPECT_EQ(got.records[i].status, want.records[i].status);
            EXPECT_EQ(got.records[i].reason, want.records[i].reason);
            EXPECT_EQ(got.records[i].original.subject, want.records[i].original.subject);
        }
    }
}

TEST(analyzer, qmail_plain_text) {
    auto res = shared_analyzer().analyze(fixture("qmail.eml"));
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].recipient, "dave@example.net");
    EXPECT_EQ(res.records[0].reason, "userunknown");
    EXPECT_EQ(res.records[0].original.subject, "Quarterly report");
}

TEST(analyzer, coremail_bilingual_report) {
    auto res = shared_analyzer().analyze(fixture("coremail-gb2312.eml"));
    ASSERT_EQ(res.records.size(), 1u);
    const auto& r = res.records[0];
    EXPECT_EQ(r.mta, "coremail");
    EXPECT_EQ(r.recipient, "erin@example.cn");
    EXPECT_EQ(r.reply_code, "550");
    EXPECT_EQ(r.smtp_command, "RCPT");
    EXPECT_EQ(r.original.subject, "季度报告 Quarterly report");
    EXPECT_EQ(r.original.date, "2024-03-01 10:15:00");
}

TEST(analyzer, quoted_printable_report_with_attached_original) {
    auto res = shared_analyzer().analyze(fixture("exchange-qp.eml"));
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].status, "5.1.10");
    EXPECT_EQ(res.records[0].reason, "userunknown");
    EXPECT_EQ(res.records[0].original.from, "Alice <alice@example.com>");
}

TEST(analyzer, iso2022jp_mailbox_full) {
    auto res = shared_analyzer().analyze(fixture("iso2022jp-mailboxfull.eml"));
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].recipient, "frank@example.jp");
    EXPECT_EQ(res.records[0].reason, "mailboxfull");
}

TEST(analyzer, feedback_autoreply_delivered_and_ordinary_mail) {
    auto arf = shared_analyzer().analyze(fixture("arf-abuse.eml"));
    ASSERT_EQ(arf.records.size(), 1u);
    EXPECT_EQ(arf.records[0].reason, "feedback");
    EXPECT_EQ(arf.records[0].feedback_type, "abuse");
    EXPECT_EQ(arf.records[0].recipient, "henry@example.net");
    EXPECT_EQ(arf.records[0].category, "not-a-failure");

    auto vac = shared_analyzer().analyze(fixture("autoreply.eml"));
    ASSERT_EQ(vac.records.size(), 1u);
    EXPECT_EQ(vac.records[0].reason, "vacation");
    EXPECT_EQ(vac.records[0].recipient, "ivy@example.net");

    auto ok = shared_analyzer().analyze(fixture("delivered.eml"));
    ASSERT_EQ(ok.records.size(), 1u);
    EXPECT_EQ(ok.records[0].reason, "delivered");
    EXPECT_EQ(ok.records[0].action, "delivered");

    auto plain = shared_analyzer().analyze(fixture("not-a-bounce.eml"));
    EXPECT_EQ(plain.kind, message_kind::not_bounce);
    EXPECT_TRUE(plain.records.empty());
}

TEST(analyzer, mail_about_bounces_is_not_a_bounce) {
    // A parcel notice, a person's reply, a newsletter, a list post, a responder's thanks sent with
    // the null reverse-path and a forwarded question: they talk about failed delivery, quote bounce
    // text or have bounce-like subjects, but no mail system sent them.
    const char* messages[] = {
        R"MSG(From: "ParcelCo" <notifications@parcel.example.com>
To: alice@example.org
Subject: Delivery failed: we missed you today
Date: Mon, 2 Mar 2026 10:00:00 +0000
Content-Type: text/plain; charset=utf-8

Hello Alice,

Our courier tried to deliver your parcel 1Z999 today but nobody was home.
Reschedule at https://parcel.example.com/r or reply to support@parcel.example.com.

Thanks, ParcelCo
)MSG",
        R"MSG(From: Bob <bob@example.net>
To: alice@example.org
Subject: Re: returned mail
Date: Mon, 2 Mar 2026 10:00:00 +0000

Hi Alice, I got a returned mail when writing to carol@example.com, do you have her new address?
The server said the mailbox was full.

Bob
)MSG",
        R"MSG(From: Mail Delivery Tips <news@tips.example.com>
To: alice@example.org
Subject: 5 reasons your message could not be delivered
Date: Mon, 2 Mar 2026 10:00:00 +0000

This week: why "550 5.1.1 user unknown" happens and how to fix it. Contact editor@tips.example.com.
)MSG",
        R"MSG(From: Dave <dave@example.net>
To: postfix-users@example.org
Subject: Re: [pfx] why is this bouncing?
Date: Mon, 2 Mar 2026 10:00:00 +0000
List-Id: <postfix-users.example.org>

On Monday Erin wrote:
> I keep getting this:
>
> This is the mail system at host mx.example.com.
>
> <frank@example.com>: host mx2.example.com[192.0.2.9] said: 550 5.1.1
>     <frank@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)

The recipient does not exist on mx2. Check your relay_recipient_maps.
)MSG",
        R"MSG(To: alice@example.org
Subject: invoice failed to print

No From header at all: ask bob@example.net about the invoice.
)MSG",
        R"MSG(Return-Path: <>
From: John Example <john@example.net>
To: alice@example.org
Subject: Thank you for your e-mail
Precedence: bulk

Thank you for writing. I read my mail twice a day and will answer soon.

John Example, Sales, john@example.net, +1 555 0100
)MSG",
        R"MSG(From: Gina <gina@example.net>
To: helpdesk@example.org
Subject: Fwd: can you explain this?
Date: Mon, 2 Mar 2026 10:00:00 +0000

Got this today, what does it mean?

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  harry@example.com
    SMTP error from remote mail server after RCPT TO:<harry@example.com>:
    host mx.example.com [192.0.2.5]: 550 5.1.1 User unknown
)MSG",
        R"MSG(From: "ParcelCo" <noreply@parcel.example.com>
To: alice@example.org
Subject: Delivery failed: we missed you
Date: Mon, 2 Mar 2026 10:00:00 +0000

Your parcel 1Z999 could not be delivered today because nobody was home.
)MSG",
        R"MSG(From: postmaster@example.org
To: alice@example.com
Subject: Your question about our mail server
Date: Mon, 2 Mar 2026 10:00:00 +0000

Hello Alice, yes we accept mail for team@example.org again; the outage is over.
Regards, the postmaster
)MSG",
    };
    for (const char* m : messages) {
        auto res = shared_analyzer().analyze(m);
        EXPECT_EQ(res.kind, message_kind::not_bounce) << m;
        EXPECT_TRUE(res.records.empty()) << m;
    }
}

TEST(analyzer, attached_delivery_report_is_read_when_the_outer_message_names_no_recipient) {
    // A person forwards a bounce as an attachment: the outer message is no bounce, the attached
    // report is, and the record says where it came from.
    const std::string fwd = R"MSG(From: Ivy <ivy@example.org>
To: helpdesk@example.org
Subject: Fwd: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain

Why did this bounce?

--outer
Content-Type: message/rfc822

From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
To: ivy@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="inner"

--inner
Content-Type: text/plain

<jack@example.net>: host mx.example.net[192.0.2.5] said: 552 5.2.2 <jack@example.net>:
    Mailbox full (in reply to RCPT TO command)

--inner
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; jack@example.net
Action: failed
Status: 5.2.2

--inner--

--outer--
)MSG";
    auto res = shared_analyzer().analyze(fwd);
    ASSERT_EQ(res.kind, message_kind::bounce);
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].recipient, "jack@example.net");
    EXPECT_EQ(res.records[0].reason, "mailboxfull");
    bool said = false;
    for (const auto& w : res.records[0].warnings) said = said || w.find("attached") != std::string::npos;
    EXPECT_TRUE(said);

    // An ordinary attached message (not a report) leaves a person's mail what it is.
    std::string plain = fwd;
    plain.replace(plain.find("From: MAILER-DAEMON@mx.example.org (Mail Delivery System)"), 57, "From: Kim <kim@example.net>");
    plain.replace(plain.find("multipart/report; report-type=delivery-status;"), 46, "multipart/mixed;");
    plain.replace(plain.find("Subject: Undelivered Mail Returned to Sender\nMIME"), 44, "Subject: Our plan for the third quarter");
    plain.replace(plain.find("Subject: Fwd: Undelivered Mail Returned to Sender"), 49, "Subject: see below");
    EXPECT_EQ(shared_analyzer().analyze(plain).kind, message_kind::not_bounce);
    // ... and so does an ordinary message forwarded as an attachment.
    const std::string ordinary_fwd = R"MSG(From: Ivy <ivy@example.org>
To: team@example.org
Subject: Fwd: Our plan for the third quarter
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain

For Monday.

--outer
Content-Type: message/rfc822

From: Kim <kim@example.net>
To: ivy@example.org
Subject: Our plan for the third quarter

Draft attached; the numbers for the second half are not final.

--outer--
)MSG";
    EXPECT_EQ(shared_analyzer().analyze(ordinary_fwd).kind, message_kind::not_bounce);

    // A plain-text notice from the null sender (no report part, no daemon name) is recognised by
    // its failure subject.
    const std::string qmail_fwd = R"MSG(From: Ivy <ivy@example.org>
To: helpdesk@example.org
Subject: Fwd: failure notice
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain

See attached.

--outer
Content-Type: message/rfc822

From: <>
To: ivy@example.org
Subject: failure notice

Hi. This is the qmail-send program at mx.example.net.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<lee@example.net>:
Sorry, no mailbox here by that name. (#5.1.1)

--outer--
)MSG";
    auto q = shared_analyzer().analyze(qmail_fwd);
    ASSERT_EQ(q.kind, message_kind::bounce);
    ASSERT_EQ(q.records.size(), 1u);
    EXPECT_EQ(q.records[0].recipient, "lee@example.net");
    EXPECT_EQ(q.records[0].reason, "userunknown");

    // An automatic reply forwarded the same way: read as the auto-reply it is.
    const std::string auto_fwd = R"MSG(From: Ivy <ivy@example.org>
To: helpdesk@example.org
Subject: Fwd: is this a bounce?
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain

Did my message arrive?

--outer
Content-Type: message/rfc822

From: Lee Park <lee@example.net>
To: ivy@example.org
Subject: Re: quarterly figures
Auto-Submitted: auto-replied

I am away until 12 March with no access to email. For anything urgent contact kim@example.net.

--outer--
)MSG";
    auto v = shared_analyzer().analyze(auto_fwd);
    ASSERT_EQ(v.kind, message_kind::bounce);
    ASSERT_EQ(v.records.size(), 1u);
    EXPECT_EQ(v.records[0].recipient, "lee@example.net");
    EXPECT_EQ(v.records[0].reason, "vacation");

    // A notice known by its body alone (an Amazon SES notification: no daemon name, no failure
    // word in its subject), attached under "FW:": the forward is what marks it for reading.
    const std::string ses_fwd = R"MSG(From: Ivy <ivy@example.org>
To: helpdesk@example.org
Subject: FW: AWS Notification Message
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain

Our sending account got this. Which address failed?

--outer
Content-Type: message/rfc822

From: AWS Notifications <no-reply@sns.amazonaws.com>
To: ops@example.org
Subject: AWS Notification Message
MIME-Version: 1.0
Content-Type: text/plain; charset=UTF-8

{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"kim@example.net","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 <kim@example.net>: Recipient address rejected: User unknown in virtual mailbox table"}],"timestamp":"2026-04-09T01:12:03.000Z","feedbackId":"0100018e-lab-000000","reportingMTA":"dsn; a1-2.smtp-out.eu-west-1.amazonses.com"},"mail":{"timestamp":"2026-04-09T01:12:02.000Z","source":"ivy@example.org","sourceIp":"192.0.2.10","messageId":"0100018e-lab-000001","destination":["kim@example.net"]}}

--outer--
)MSG";
    auto ses = shared_analyzer().analyze(ses_fwd);
    ASSERT_EQ(ses.kind, message_kind::bounce);
    ASSERT_EQ(ses.records.size(), 1u);
    EXPECT_EQ(ses.records[0].recipient, "kim@example.net");
    EXPECT_EQ(ses.records[0].reason, "userunknown");
    // The same notice attached to a message that is no forward stays unread (the originals that
    // bounces carry are not copied for a second reading).
    std::string ses_plain = ses_fwd;
    ses_plain.replace(ses_plain.find("Subject: FW: AWS Notification Message"), 37, "Subject: notes from the call");
    EXPECT_EQ(shared_analyzer().analyze(ses_plain).kind, message_kind::not_bounce);
}

TEST(analyzer, a_bounce_forwarded_in_the_body_is_read_from_the_forwarded_part) {
    // Gmail-style forward: marker line, the bounce's From/Date/Subject/To, then its text.
    const std::string gmail = R"MSG(From: Ivy <ivy@example.org>
To: helpdesk@example.org
Subject: Fwd: Delivery Status Notification (Failure)
Content-Type: text/plain; charset=UTF-8

Can you tell me what went wrong?

---------- Forwarded message ---------
From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
Date: Tue, 5 Mar 2024 at 10:12
Subject: Delivery Status Notification (Failure)
To: <ivy@example.org>


** Address not found **

Your message wasn't delivered to nora@example.net because the address couldn't be found, or is unable to receive mail.

The response from the remote server was:
550 5.1.1 The email account that you tried to reach does not exist.
)MSG";
    auto g = shared_analyzer().analyze(gmail);
    ASSERT_EQ(g.kind, message_kind::bounce);
    ASSERT_EQ(g.records.size(), 1u);
    EXPECT_EQ(g.records[0].recipient, "nora@example.net");
    EXPECT_EQ(g.records[0].reason, "userunknown");
    bool said = false;
    for (const auto& w : g.records[0].warnings) said = said || w.find("forwarded in the message body") != std::string::npos;
    EXPECT_TRUE(said);

    // Outlook-style: "-----Original Message-----" with From/Sent/To/Subject lines.
    const std::string outlook = R"MSG(From: Ivy <ivy@example.org>
To: helpdesk@example.org
Subject: FW: Undelivered Mail Returned to Sender
Content-Type: text/plain; charset=UTF-8

FYI

-----Original Message-----
From: Mail Delivery System <MAILER-DAEMON@mail.example.org>
Sent: Tuesday, March 5, 2024 10:12 AM
To: Ivy <ivy@example.org>
Subject: Undelivered Mail Returned to Sender

This is the mail system at host mail.example.org.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients.

<otto@example.net>: host mx.example.net[192.0.2.8] said: 552 5.2.2 <otto@example.net>:
    Mailbox full (in reply to RCPT TO command)
)MSG";
    auto o = shared_analyzer().analyze(outlook);
    ASSERT_EQ(o.records.size(), 1u);
    EXPECT_EQ(o.records[0].recipient, "otto@example.net");
    EXPECT_EQ(o.records[0].reason, "mailboxfull");

    // A reply that quotes an ordinary message under the same marker stays a person's mail.
    const std::string reply = R"MSG(From: Ivy <ivy@example.org>
To: bob@example.net
Subject: RE: lunch
Content-Type: text/plain; charset=UTF-8

Sounds good.

-----Original Message-----
From: Bob <bob@example.net>
Sent: Tuesday, March 5, 2024 10:12 AM
To: Ivy <ivy@example.org>
Subject: lunch

Thursday at noon?
)MSG";
    EXPECT_EQ(shared_analyzer().analyze(reply).kind, message_kind::not_bounce);

    // The quoted message's sender written as a bare name ("De: Ana Diaz", no address) is a
    // person, not a mail system: still not a bounce.
    const std::string named = R"MSG(From: "Reservas" <reservas@hotel.example>
To: agent@example.com
Subject: RE: booking 28169
Content-Type: text/plain; charset=UTF-8

Confirmado.

----------Mensaje original----------
Subject: booking 28169
De: Ana Diaz
Para: Reservas
Date: Thu Feb 18 2016 15:31:20 GMT-0500

Please book two rooms.
Email : ana@example.com
Cc: reservas@example.cu
)MSG";
    EXPECT_EQ(shared_analyzer().analyze(named).kind, message_kind::not_bounce);
}

TEST(analyzer, bad_input_is_an_answer_not_a_crash) {
    const auto& a = shared_analyzer();
    EXPECT_EQ(a.analyze("").error, error_code::empty_input);
    static const char raw[] = "\x00\xff\xfe garbage \x01\x02";
    auto junk = a.analyze(std::string(raw, sizeof raw - 1));
    EXPECT_TRUE(junk.records.empty());
    std::string truncated = fixture("postfix-dsn-crlf.eml").substr(0, 900);
    auto t = a.analyze(truncated);  // cut inside the notification part: no crash, best effort
    EXPECT_NE(t.error, error_code::internal);
}

TEST(analyzer, oversized_message_is_cut_and_says_so) {
    options o;
    o.limit.max_message_bytes = 1200;
    auto a = analyzer::create(o);
    ASSERT_TRUE(a);
    auto res = a->analyze(fixture("qmail.eml") + std::string(5000, 'x'));
    ASSERT_FALSE(res.warnings.empty());
    EXPECT_NE(res.warnings[0].find("larger than"), std::string::npos);
}

TEST(mbox, splits_and_unescapes) {
    std::string box =
        "From a@example.com Fri Mar  1 10:00:00 2024\nSubject: one\n\nbody\n>From the start\n\n"
        "From b@example.com Fri Mar  1 10:01:00 2024\nSubject: two\n\nbody two\n";
    auto msgs = io::split_mbox(box);
    ASSERT_EQ(msgs.size(), 2u);
    EXPECT_NE(msgs[0].find("\nFrom the start"), std::string::npos);
    EXPECT_EQ(msgs[1].rfind("Subject: two", 0), 0u);
    EXPECT_TRUE(io::looks_like_mbox(box));
    EXPECT_FALSE(io::looks_like_mbox("Subject: x\n\nbody"));
}

TEST(mbox, an_eml_file_is_one_message_whatever_from_lines_it_holds) {
    // A bounce saved with its mbox envelope line, quoting the original without ">From " escaping.
    std::string text =
        "From MAILER-DAEMON  Sat Oct  4 08:00:09 2025\nFrom: postmaster@example.de\nSubject: bounce\n\nbounced e-mail:\n\n"
        "From sender@example.net  Sat Oct  4 08:00:07 2025\nFrom: sender@example.net\nSubject: hi\n\nhi\n";
    auto dir = std::filesystem::temp_directory_path() / ("ricochet-eml-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    for (const char* name : {"one.eml", "box.mbox"}) {
        std::ofstream(dir / name, std::ios::binary) << text;
    }
    auto count = [&](const char* name, std::string& first_source, std::string& first_bytes) {
        std::size_t n = 0;
        io::read_paths({(dir / name).string()}, 1 << 20, [&](io::message&& m) {
            if (n++ == 0) {
                first_source = m.source;
                first_bytes = m.bytes;
            }
            return true;
        });
        return n;
    };
    std::string src, bytes;
    EXPECT_EQ(count("one.eml", src, bytes), 1u);
    EXPECT_EQ(src, (dir / "one.eml").string());
    EXPECT_EQ(bytes.rfind("From: postmaster@example.de", 0), 0u);  // the envelope line is dropped
    EXPECT_EQ(count("box.mbox", src, bytes), 2u);
    EXPECT_EQ(src, (dir / "box.mbox").string() + "#1");
    std::filesystem::remove_all(dir);
}

TEST(mbox, broken_message_in_the_middle_does_not_lose_the_rest) {
    std::vector<std::string> sources;
    std::vector<std::size_t> records;
    bool ok = io::read_paths({std::string(RICOCHET_FIXTURES) + "/messages/three.mbox"}, 1u << 20, [&](io::message&& m) {
        sources.push_back(m.source);
        records.push_back(shared_analyzer().analyze(m.bytes).records.size());
        return true;
    });
    EXPECT_TRUE(ok);
    ASSERT_EQ(sources.size(), 3u);
    EXPECT_NE(sources[2].find("three.mbox#3"), std::string::npos);
    EXPECT_EQ(records[0], 1u);
    EXPECT_EQ(records[2], 1u);
}

}  // namespace

namespace {

// The help-desk report carries the original message's time, subject and recipient, read from the
// bounce itself: Coremail's labels, or the copy of the original below a Winmail/qmail report.
TEST(report, coremail_and_winmail_reports_carry_the_original_message) {
    const auto& a = shared_analyzer();
    auto core = a.analyze(fixture("coremail-gb2312.eml"));
    ASSERT_EQ(core.records.size(), 1u);
    for (auto lang : {language::en, language::zh_cn}) {
        std::string rep = render_report(core.records[0], lang);
        EXPECT_NE(rep.find("2024-03-01 10:15:00"), std::string::npos) << rep;
        EXPECT_NE(rep.find("季度报告 Quarterly report"), std::string::npos) << rep;
        EXPECT_NE(rep.find("erin@example.cn"), std::string::npos) << rep;
        EXPECT_NE(rep.find("550 Mailbox not found"), std::string::npos) << rep;
    }
    auto win = a.analyze(fixture("winmail.eml"));
    ASSERT_EQ(win.records.size(), 1u);
    EXPECT_EQ(win.records[0].reason, "suspend");
    for (auto lang : {language::en, language::zh_tw}) {
        std::string rep = render_report(win.records[0], lang);
        EXPECT_NE(rep.find("Fri, 1 Mar 2024 09:40:58 +0800"), std::string::npos) << rep;
        EXPECT_NE(rep.find("Spring catalogue"), std::string::npos) << rep;
        EXPECT_NE(rep.find("lily@example.cn"), std::string::npos) << rep;
    }
}

TEST(analyzer, blank_lines_before_the_header_block_are_skipped) {
    // A copy saved with blank lines before its headers, scanned by amavis on the way (a header
    // only: the report is the Exchange server's, not amavis's).
    std::string m = "\n   \n"
                    "X-Virus-Scanned: amavisd-new at mx.example.net\n"
                    "From: postmaster@example.net\n"
                    "To: alice@example.com\n"
                    "Subject: Delivery Status Notification (Failure)\n"
                    "MIME-Version: 1.0\n"
                    "Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n"
                    "\n"
                    "--B\n"
                    "Content-Type: text/plain\n"
                    "\n"
                    "Delivery to the following recipients failed.\n"
                    "\n"
                    "       ingrid@example.no\n"
                    "\n"
                    "--B\n"
                    "Content-Type: message/delivery-status\n"
                    "\n"
                    "Reporting-MTA: dns;mx.example.net\n"
                    "\n"
                    "Final-Recipient: rfc822;ingrid@example.no\n"
                    "Action: failed\n"
                    "Status: 5.1.1\n"
                    "\n"
                    "--B--\n";
    auto res = shared_analyzer().analyze(m);
    ASSERT_EQ(res.records.size(), 1u);
    EXPECT_EQ(res.records[0].mta, "rfc3464");
    EXPECT_EQ(res.records[0].recipient, "ingrid@example.no");
    EXPECT_EQ(res.records[0].reason, "userunknown");
    // No Diagnostic-Code: the sentence the recipient is listed under stands in.
    EXPECT_EQ(res.records[0].diagnostic, "Delivery to the following recipients failed. ingrid@example.no");
}

}  // namespace
