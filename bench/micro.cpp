// Micro-benchmarks (Google Benchmark) of the stages a bounce goes through: the MIME view, the
// RFC 3464 field parser, the classifier (RE2::Set plus the decision), and the whole analyze() of a
// Postfix DSN and of a plain-text qmail bounce. The inputs are written here (made-up messages,
// example.com addresses), so the numbers do not depend on any corpus.
//
//   build/release/bench/ricochet_micro                       # all
//   build/release/bench/ricochet_micro --benchmark_filter=Analyze --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "dsn/fields.h"
#include "mime/message.h"
#include "reason/classifier.h"
#include "ricochet/ricochet.h"

namespace {

using namespace std::string_view_literals;

// A Postfix multipart/report with two failed recipients and the original's headers (CRLF, as on
// the wire).
std::string postfix_dsn() {
    static const std::string_view lines[] = {
        "Return-Path: <>",
        "Received: by mx.example.com (Postfix) id 9C1E2A40; Tue, 12 Mar 2024 09:41:17 +0100 (CET)",
        "Date: Tue, 12 Mar 2024 09:41:17 +0100 (CET)",
        "From: MAILER-DAEMON@mx.example.com (Mail Delivery System)",
        "Subject: Undelivered Mail Returned to Sender",
        "To: sender@example.com",
        "Auto-Submitted: auto-replied",
        "MIME-Version: 1.0",
        "Content-Type: multipart/report; report-type=delivery-status;",
        "\tboundary=\"9C1E2A40.1710232877/mx.example.com\"",
        "Content-Transfer-Encoding: 8bit",
        "Message-Id: <20240312084117.9C1E2A40@mx.example.com>",
        "",
        "This is a MIME-encapsulated message.",
        "",
        "--9C1E2A40.1710232877/mx.example.com",
        "Content-Description: Notification",
        "Content-Type: text/plain; charset=us-ascii",
        "",
        "This is the mail system at host mx.example.com.",
        "",
        "I'm sorry to have to inform you that your message could not",
        "be delivered to one or more recipients. It's attached below.",
        "",
        "For further assistance, please send mail to postmaster.",
        "",
        "                   The mail system",
        "",
        "<nobody@example.net>: host mail.example.net[192.0.2.10] said: 550 5.1.1",
        "    <nobody@example.net>: Recipient address rejected: User unknown in virtual",
        "    mailbox table (in reply to RCPT TO command)",
        "",
        "<full@example.org>: host mx2.example.org[198.51.100.20] said: 452 4.2.2",
        "    <full@example.org>: Mailbox full, quota exceeded (in reply to RCPT TO command)",
        "",
        "--9C1E2A40.1710232877/mx.example.com",
        "Content-Description: Delivery report",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.com",
        "X-Postfix-Queue-ID: 9C1E2A40",
        "X-Postfix-Sender: rfc822; sender@example.com",
        "Arrival-Date: Tue, 12 Mar 2024 09:41:15 +0100 (CET)",
        "",
        "Final-Recipient: rfc822; nobody@example.net",
        "Original-Recipient: rfc822;nobody@example.net",
        "Action: failed",
        "Status: 5.1.1",
        "Remote-MTA: dns; mail.example.net",
        "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected:",
        "    User unknown in virtual mailbox table",
        "",
        "Final-Recipient: rfc822; full@example.org",
        "Original-Recipient: rfc822;full@example.org",
        "Action: delayed",
        "Status: 4.2.2",
        "Remote-MTA: dns; mx2.example.org",
        "Diagnostic-Code: smtp; 452 4.2.2 <full@example.org>: Mailbox full, quota exceeded",
        "",
        "--9C1E2A40.1710232877/mx.example.com",
        "Content-Description: Undelivered Message Headers",
        "Content-Type: text/rfc822-headers",
        "",
        "Return-Path: <sender@example.com>",
        "Received: from client.example.com (client.example.com [203.0.113.5])",
        "\tby mx.example.com (Postfix) with ESMTPSA id 9C1E2A40;",
        "\tTue, 12 Mar 2024 09:41:15 +0100 (CET)",
        "From: =?UTF-8?B?U8OpbmRlcg==?= <sender@example.com>",
        "To: nobody@example.net, full@example.org",
        "Subject: =?UTF-8?Q?Rechnung_M=C3=A4rz?=",
        "Date: Tue, 12 Mar 2024 09:41:14 +0100",
        "Message-ID: <invoice-20240312@example.com>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=UTF-8",
        "",
        "--9C1E2A40.1710232877/mx.example.com--",
    };
    std::string s;
    for (auto l : lines) {
        s += l;
        s += "\r\n";
    }
    return s;
}

// A qmail bounce: plain text, no MIME structure, the original inline after the marker line.
std::string qmail_text() {
    return "Return-Path: <>\n"
           "Received: (qmail 31337 invoked for bounce); 12 Mar 2024 08:41:17 -0000\n"
           "Date: 12 Mar 2024 08:41:17 -0000\n"
           "From: MAILER-DAEMON@mail.example.com\n"
           "To: sender@example.com\n"
           "Subject: failure notice\n"
           "\n"
           "Hi. This is the qmail-send program at mail.example.com.\n"
           "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
           "This is a permanent error; I've given up. Sorry it didn't work out.\n"
           "\n"
           "<gone@example.net>:\n"
           "192.0.2.44 does not like recipient.\n"
           "Remote host said: 550 5.1.1 <gone@example.net>: Recipient address rejected: User unknown\n"
           "Giving up on 192.0.2.44.\n"
           "\n"
           "<blocked@example.org>:\n"
           "198.51.100.9 failed after I sent the message.\n"
           "Remote host said: 554 5.7.1 Message rejected as spam by Content Filtering\n"
           "\n"
           "--- Below this line is a copy of the message.\n"
           "\n"
           "Return-Path: <sender@example.com>\n"
           "Received: (qmail 31330 invoked by uid 1000); 12 Mar 2024 08:41:15 -0000\n"
           "Message-ID: <20240312084115.31330.qmail@example.com>\n"
           "Date: 12 Mar 2024 08:41:15 -0000\n"
           "From: sender@example.com\n"
           "To: gone@example.net, blocked@example.org\n"
           "Subject: Newsletter March\n"
           "MIME-Version: 1.0\n"
           "Content-Type: text/plain; charset=us-ascii\n"
           "\n"
           "Hello,\n"
           "this month's news.\n";
}

// The delivery-status block of a report with three recipients.
constexpr std::string_view delivery_status =
    "Reporting-MTA: dns; mx.example.com\n"
    "X-Postfix-Queue-ID: 9C1E2A40\n"
    "Arrival-Date: Tue, 12 Mar 2024 09:41:15 +0100 (CET)\n"
    "\n"
    "Final-Recipient: rfc822; nobody@example.net\n"
    "Original-Recipient: rfc822;nobody@example.net\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Remote-MTA: dns; mail.example.net\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected:\n"
    "    User unknown in virtual mailbox table\n"
    "Last-Attempt-Date: Tue, 12 Mar 2024 09:41:17 +0100 (CET)\n"
    "\n"
    "Final-Recipient: rfc822; full@example.org\n"
    "Action: delayed\n"
    "Status: 4.2.2\n"
    "Remote-MTA: dns; mx2.example.org\n"
    "Diagnostic-Code: smtp; 452 4.2.2 <full@example.org>: Mailbox full, quota exceeded\n"
    "Will-Retry-Until: Fri, 15 Mar 2024 09:41:15 +0100 (CET)\n"
    "\n"
    "Final-Recipient: rfc822; relay@example.com\n"
    "Action: failed\n"
    "Status: 5.7.1\n"
    "Remote-MTA: dns; mx.example.com\n"
    "Diagnostic-Code: smtp; 554 5.7.1 <relay@example.com>: Relay access denied\n"
    "X-Actual-Recipient: rfc822; relay@example.com\n";

// Typical diagnostic lines, as they arrive from remote servers.
const std::vector<std::string>& diagnostics() {
    static const std::vector<std::string> lines = {
        "550 5.1.1 <nobody@example.net>: Recipient address rejected: User unknown in virtual mailbox table",
        "552 5.2.2 <full@example.org>: Mailbox full, quota exceeded",
        "550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has "
        "been blocked. The sender must authenticate with at least one of SPF or DKIM.",
        "421 4.7.0 [192.0.2.5] Our system has detected an unusual rate of unsolicited mail originating from your IP "
        "address. To protect our users from spam, mail sent from your IP address has been temporarily rate limited.",
        "554 5.7.1 Service unavailable; Client host [192.0.2.5] blocked using zen.spamhaus.org",
        "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)",
        "550 Requested action not taken: mailbox unavailable",
        "Host or domain name not found. Name service error for name=example.invalid type=MX: Host not found",
        "SMTP error from remote mail server after end of data: 552 5.3.4 Message size exceeds fixed maximum message size",
        "connect to mx.example.net[192.0.2.10]:25: Connection timed out",
    };
    return lines;
}

ricochet::limits default_limits() { return {}; }

const ricochet::analyzer& shared_analyzer() {
    static std::unique_ptr<ricochet::analyzer> an = [] {
        std::string err;
        auto a = ricochet::analyzer::create({}, &err);
        if (!a) {
            std::fprintf(stderr, "analyzer::create failed: %s\n", err.c_str());
            std::abort();
        }
        return a;
    }();
    return *an;
}

const ricochet::reason::classifier& shared_classifier() {
    static std::unique_ptr<ricochet::reason::classifier> c = [] {
        std::string err;
        auto r = ricochet::reason::classifier::build(ricochet::reason::builtin_pattern_data(), &err);
        if (!r) {
            std::fprintf(stderr, "classifier::build failed: %s\n", err.c_str());
            std::abort();
        }
        return r;
    }();
    return *c;
}

void BM_MimeParse_PostfixDSN(benchmark::State& state) {
    ricochet::mime::init();
    const std::string msg = postfix_dsn();
    const auto lim = default_limits();
    for (auto _ : state) {
        auto v = ricochet::mime::parse(msg, lim);
        benchmark::DoNotOptimize(v);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.size()));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MimeParse_PostfixDSN);

void BM_MimeParse_QmailText(benchmark::State& state) {
    ricochet::mime::init();
    const std::string msg = qmail_text();
    const auto lim = default_limits();
    for (auto _ : state) {
        auto v = ricochet::mime::parse(msg, lim);
        benchmark::DoNotOptimize(v);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.size()));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MimeParse_QmailText);

void BM_DsnParse_ThreeRecipients(benchmark::State& state) {
    const auto lim = default_limits();
    for (auto _ : state) {
        auto r = ricochet::dsn::parse(delivery_status, lim);
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * delivery_status.size()));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DsnParse_ThreeRecipients);

// The pattern set alone (RE2::Set over the normalised line); items = lines.
void BM_ClassifierMatch(benchmark::State& state) {
    const auto& c = shared_classifier();
    std::vector<std::string> norm;
    std::size_t bytes = 0;
    for (const auto& d : diagnostics()) {
        norm.push_back(ricochet::reason::normalize_diagnostic(d));
        bytes += norm.back().size();
    }
    for (auto _ : state) {
        for (const auto& t : norm) benchmark::DoNotOptimize(c.match(t));
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * norm.size()));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ClassifierMatch);

// The same lines against a freshly built set each time: RE2 builds its DFA lazily, so the first
// match of new text pays for the DFA states it needs (the cost a one-pass run over a folder sees).
void BM_ClassifierMatch_ColdDFA(benchmark::State& state) {
    std::vector<std::string> norm;
    for (const auto& d : diagnostics()) norm.push_back(ricochet::reason::normalize_diagnostic(d));
    for (auto _ : state) {
        state.PauseTiming();
        std::string err;
        auto c = ricochet::reason::classifier::build(ricochet::reason::builtin_pattern_data(), &err);
        state.ResumeTiming();
        for (const auto& t : norm) benchmark::DoNotOptimize(c->match(t));
        state.PauseTiming();
        c.reset();
        state.ResumeTiming();
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * norm.size()));
}
BENCHMARK(BM_ClassifierMatch_ColdDFA)->Unit(benchmark::kMicrosecond);

// classifier::decide with the evidence a DSN gives (status, reply code, command, action); items = lines.
void BM_ClassifierDecide(benchmark::State& state) {
    const auto& c = shared_classifier();
    static const std::string_view statuses[] = {"5.1.1", "5.2.2", "5.7.26", "4.7.0", "5.7.1",
                                                "5.7.1", "",      "",       "5.3.4", ""};
    static const std::string_view replies[] = {"550", "552", "550", "421", "554", "553", "550", "", "552", ""};
    std::vector<ricochet::reason::evidence> ev;
    std::size_t bytes = 0;
    const auto& d = diagnostics();
    for (std::size_t i = 0; i < d.size(); ++i) {
        ricochet::reason::evidence e;
        e.diagnostic = d[i];
        e.status = statuses[i];
        e.reply_code = replies[i];
        e.command = i % 3 == 0 ? "RCPT"sv : "DATA"sv;
        e.action = "failed";
        e.diagnostic_type = "smtp";
        ev.push_back(e);
        bytes += d[i].size();
    }
    for (auto _ : state) {
        for (const auto& e : ev) {
            auto v = c.decide(e);
            benchmark::DoNotOptimize(v);
        }
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * ev.size()));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_ClassifierDecide);

// The public analyzer::classify on a bare line (codes, command and address found in the text); items = lines.
void BM_AnalyzerClassify(benchmark::State& state) {
    const auto& an = shared_analyzer();
    std::size_t bytes = 0;
    for (const auto& d : diagnostics()) bytes += d.size();
    for (auto _ : state) {
        for (const auto& d : diagnostics()) {
            auto c = an.classify(d);
            benchmark::DoNotOptimize(c);
        }
    }
    state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * diagnostics().size()));
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_AnalyzerClassify);

void BM_Analyze_PostfixDSN(benchmark::State& state) {
    const auto& an = shared_analyzer();
    const std::string msg = postfix_dsn();
    {
        auto a = an.analyze(msg);
        if (a.records.size() != 2) state.SkipWithError("the Postfix DSN should give 2 records");
    }
    for (auto _ : state) {
        auto a = an.analyze(msg);
        benchmark::DoNotOptimize(a);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.size()));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Analyze_PostfixDSN);

void BM_Analyze_QmailText(benchmark::State& state) {
    const auto& an = shared_analyzer();
    const std::string msg = qmail_text();
    {
        auto a = an.analyze(msg);
        if (a.records.size() != 2) state.SkipWithError("the qmail bounce should give 2 records");
    }
    for (auto _ : state) {
        auto a = an.analyze(msg);
        benchmark::DoNotOptimize(a);
    }
    state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.size()));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Analyze_QmailText);

// The one-off cost every process pays: GMime init plus compiling the pattern set.
void BM_AnalyzerCreate(benchmark::State& state) {
    for (auto _ : state) {
        auto a = ricochet::analyzer::create();
        benchmark::DoNotOptimize(a);
    }
}
BENCHMARK(BM_AnalyzerCreate)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
