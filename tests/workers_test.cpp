// Tests of the CLI's worker processes (tools/cli/workers.cpp) and of `ricochet analyze --threads`:
// answers come back to the right job, a worker that dies loses only the message it died on, and
// the output is the same, in the same order, whatever the number of workers.
#include <gtest/gtest.h>

#include <signal.h>

#include <array>
#include <cstdio>
#include <memory>
#include <string>

#include "workers.h"

namespace {

using ricochet::cli::job;
using ricochet::cli::worker_pool;

std::vector<job> make_jobs(std::initializer_list<const char*> bodies) {
    std::vector<job> jobs;
    int n = 0;
    for (const char* b : bodies) {
        job j;
        j.msg.source = "msg" + std::to_string(++n);
        j.msg.bytes = b;
        jobs.push_back(std::move(j));
    }
    return jobs;
}

// Renders "source:size"; a message holding "BOOM" kills the process that analyses it.
void render(job& j) {
    if (j.msg.bytes.find("BOOM") != std::string::npos) ::raise(SIGKILL);
    if (j.msg.bytes == "empty") j.result.error = ricochet::error_code::empty_input;
    j.text = j.msg.source + ":" + std::to_string(j.msg.bytes.size());
}

TEST(workers, answers_come_back_to_their_jobs) {
    std::string err;
    auto pool = worker_pool::start(2, render, &err);
    ASSERT_TRUE(pool) << err;
    auto a = make_jobs({"one", "three", "empty"});
    auto b = make_jobs({"x", "yy"});
    b[1].msg.error = "cannot open";  // an input error stays with the parent
    pool->run(0, a);
    pool->run(1, b);
    EXPECT_EQ(a[0].text, "msg1:3");
    EXPECT_EQ(a[1].text, "msg2:5");
    EXPECT_EQ(a[2].result.error, ricochet::error_code::empty_input);
    EXPECT_EQ(b[0].text, "msg1:1");
    EXPECT_EQ(b[1].text, "");
    EXPECT_TRUE(a[0].msg.bytes.empty());  // the worker had the bytes; the parent lets them go
}

TEST(workers, a_crash_loses_only_the_message_it_happened_on) {
    std::string err;
    auto pool = worker_pool::start(1, render, &err);
    ASSERT_TRUE(pool) << err;
    auto jobs = make_jobs({"a", "bb", "BOOM", "dddd", "BOOM again", "ffffff"});
    pool->run(0, jobs);
    EXPECT_EQ(jobs[0].text, "msg1:1");
    EXPECT_EQ(jobs[1].text, "msg2:2");
    EXPECT_EQ(jobs[2].result.error, ricochet::error_code::internal);
    EXPECT_NE(jobs[2].result.error_message.find("signal 9"), std::string::npos) << jobs[2].result.error_message;
    EXPECT_EQ(jobs[3].text, "msg4:4");
    EXPECT_EQ(jobs[4].result.error, ricochet::error_code::internal);
    EXPECT_EQ(jobs[5].text, "msg6:6");
    // The replacement worker goes on with the next chunk.
    auto more = make_jobs({"gg"});
    pool->run(0, more);
    EXPECT_EQ(more[0].text, "msg1:2");
}

std::string run_cli(const std::string& args, const std::string& format = "jsonl") {
    std::string cmd = std::string(RICOCHET_BINARY) + " analyze --quiet --format " + format + " " + args + " 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> p(::popen(cmd.c_str(), "r"), ::pclose);
    std::string out;
    std::array<char, 65536> buf{};
    std::size_t n;
    while (p && (n = std::fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
    return out;
}

TEST(workers, cli_output_is_the_same_in_the_same_order_for_any_worker_count) {
    std::string dir = std::string(RICOCHET_FIXTURES) + "/messages";
    std::string one = run_cli("--threads 1 " + dir);
    ASSERT_GT(one.size(), 1000u);
    EXPECT_EQ(run_cli("--threads 2 " + dir), one);
    EXPECT_EQ(run_cli("--threads 3 " + dir + " " + dir), run_cli("--threads 1 " + dir + " " + dir));
    for (const char* format : {"json", "csv", "text", "report"}) EXPECT_EQ(run_cli("--threads 2 " + dir, format), run_cli("--threads 1 " + dir, format)) << format;
}

TEST(cli, an_eml_file_that_is_an_mbox_export_is_split_but_a_quoted_copy_is_not) {
    const std::string one = "Return-Path: <>\nFrom: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.net>\n"
                            "Subject: Returned mail: User unknown\n\n"
                            "   ----- The following addresses had permanent fatal errors -----\n<NAME@example.org>\n"
                            "    (reason: 550 5.1.1 User unknown)\n\n";
    auto bounce = [&](const std::string& name) {
        std::string b = one;
        b.replace(b.find("NAME"), 4, name);
        return b;
    };
    std::string dir = ::testing::TempDir();
    auto write = [](const std::string& path, const std::string& text) {
        std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "wb"), std::fclose);
        ASSERT_TRUE(f);
        std::fputs(text.c_str(), f.get());
    };
    // Two messages exported as one mbox but named ".eml".
    write(dir + "export.eml", "From MAILER-DAEMON Thu Sep 18 17:54:04 2008\n" + bounce("amy") +
                                  "\nFrom MAILER-DAEMON Thu Sep 18 17:55:04 2008\n" + bounce("ben"));
    std::string out = run_cli(dir + "export.eml");
    EXPECT_NE(out.find("amy@example.org"), std::string::npos) << out;
    EXPECT_NE(out.find("ben@example.org"), std::string::npos) << out;
    EXPECT_NE(out.find("export.eml#2"), std::string::npos) << out;
    // A bounce that quotes the original after "bounced E-Mail:" with its envelope line: one message.
    write(dir + "quoted.eml", "From MAILER-DAEMON Sat Oct  4 08:00:09 2025\n" + bounce("cat") +
                                  "bounced E-Mail:\n\nFrom news@example.com Sat Oct  4 08:00:07 2025\nFrom: news@example.com\n"
                                  "To: cat@example.org\nSubject: hello\n\nhi\n");
    out = run_cli(dir + "quoted.eml");
    EXPECT_NE(out.find("cat@example.org"), std::string::npos) << out;
    EXPECT_EQ(out.find("quoted.eml#"), std::string::npos) << out;
}

// `ricochet explain --format json` (or `format`) with `text` on its standard input, as a user pipes a paste in.
std::string explain_from_stdin(const char* text, const char* file_name, const std::string& args = "", const std::string& format = "json") {
    const std::string path = ::testing::TempDir() + file_name;
    {
        std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "wb"), std::fclose);
        if (!f) return "cannot write " + path;
        std::fputs(text, f.get());
    }
    std::string cmd = std::string(RICOCHET_BINARY) + " explain --format " + format + args + " < " + path + " 2>&1";
    std::unique_ptr<FILE, int (*)(FILE*)> p(::popen(cmd.c_str(), "r"), ::pclose);
    std::string out;
    std::array<char, 65536> buf{};
    std::size_t n;
    while (p && (n = std::fread(buf.data(), 1, buf.size(), p.get())) > 0) out.append(buf.data(), n);
    return out;
}

TEST(cli, explain_reads_a_pasted_bounce_body_without_headers) {
    // What a help-desk user copies out of a mail client: the report's text, no header block.
    const char* body =
        "This is the mail system at host relay.example.net.\n\n"
        "I'm sorry to have to inform you that your message could not\n"
        "be delivered to one or more recipients.\n\n"
        "                   The mail system\n\n"
        "<ana@example.org>: host mx.example.org[192.0.2.5] said: 550 5.2.2\n"
        "    <ana@example.org>: Recipient address rejected: Mailbox over quota (in\n"
        "    reply to RCPT TO command)\n";
    const std::string out = explain_from_stdin(body, "pasted_body.txt");
    EXPECT_NE(out.find("\"recipient\": \"ana@example.org\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"reason\": \"mailboxfull\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"smtp_command\": \"RCPT\""), std::string::npos) << out;
    EXPECT_NE(out.find("without headers"), std::string::npos) << out;

    // The view for a person names who failed first, and the status it read from the text is not
    // called inferred.
    const std::string text = explain_from_stdin(body, "pasted_body_text.txt", "", "text");
    EXPECT_EQ(text.rfind("recipient:  ana@example.org\n", 0), 0u) << text;
    EXPECT_NE(text.find("status:     5.2.2\n"), std::string::npos) << text;
    EXPECT_EQ(text.find("(inferred)"), std::string::npos) << text;
}

TEST(cli, explain_a_pasted_body_that_opens_with_a_sentence_ending_in_a_colon) {
    // A report whose first line ends in ':' is not a header block, and the Message-ID it quotes
    // is not the failed recipient.
    const char* body =
        "This report relates to a message you sent with the following header fields:\n\n"
        "  Message-id: <0A1B2C3D-4E5F-6789-ABCD-EF0123456789@mail.example.com>\n"
        "  From: Ana <ana@mail.example.com>\n"
        "  To: bob@example.org\n\n"
        "Your message cannot be delivered to the following recipients:\n\n"
        "  Recipient address: bob@example.org\n"
        "  Reason: Remote SMTP server has rejected address\n"
        "  Diagnostic code: smtp;550 5.1.1 <bob@example.org>... User Unknown\n";
    const std::string out = explain_from_stdin(body, "pasted_colon.txt");
    EXPECT_NE(out.find("\"recipient\": \"bob@example.org\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"reason\": \"userunknown\""), std::string::npos) << out;
}

TEST(cli, explain_a_bounce_pasted_inside_a_quoted_reply) {
    // "> " on every line, twice over: the quote marks come off and the report reads as it was sent.
    const char* body =
        "> > This is the mail system at host relay.example.net.\n"
        "> >\n"
        "> > I'm sorry to have to inform you that your message could not\n"
        "> > be delivered to one or more recipients.\n"
        "> >\n"
        "> > <list@example.org>: host mx.example.org[192.0.2.18] said: 550 5.7.1\n"
        "> >     Content-Policy msg: Bogofilter considers this message SPAM. (in reply\n"
        "> >     to end of DATA command)\n";
    const std::string out = explain_from_stdin(body, "pasted_quoted.txt");
    EXPECT_NE(out.find("\"recipient\": \"list@example.org\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"reason\": \"spamdetected\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"smtp_command\": \"DATA\""), std::string::npos) << out;
}

TEST(cli, explain_dash_reads_stdin_and_a_pasted_sieve_refusal_is_the_recipients_filter) {
    // "-" means standard input, as it does for `analyze`; the text a Sieve "reject" sends back
    // (its fixed sentence, then the user's own words) is a refusal by the recipient's filter.
    const char* body =
        "Your message to <dana@example.org> was automatically rejected:\n"
        "Please do not write to this address again.\n";
    const std::string out = explain_from_stdin(body, "pasted_sieve.txt", " -");
    EXPECT_NE(out.find("\"recipient\": \"dana@example.org\""), std::string::npos) << out;
    EXPECT_NE(out.find("\"reason\": \"filtered\""), std::string::npos) << out;
}

}  // namespace
