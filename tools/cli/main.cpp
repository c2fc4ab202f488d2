// ricochet: the command line, a thin client of libricochet.
//
//   ricochet analyze [options] PATH...   one record per failed recipient of every bounce
//   ricochet explain [options] [TEXT]    explain a bare SMTP reply, a diagnostic or a pasted bounce
//
// Exit status: 0 when every input was read, 1 when some could not be, 2 for a usage error.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <iostream>
#include <iterator>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "io/output.h"
#include "io/reader.h"
#include "ricochet/explain.h"
#include "ricochet/ricochet.h"
#include "workers.h"

namespace {

using namespace ricochet;

struct analyze_args {
    std::vector<std::string> paths;
    std::string format;
    unsigned threads = 0;
    bool explain = false;
    bool why = false;
    bool quiet = false;
    std::string lang;
    limits lim;
};

using cli::job;

// Renders a job's records in the output format. For "json" the records are joined by ",\n" and
// the writer puts the separator before them.
class printer {
public:
    printer(std::string format, io::output_options o) : format_(std::move(format)), o_(o) {}

    void begin() {
        if (format_ == "json") std::fputs("[", stdout);
        if (format_ == "csv") std::printf("%s\n", io::csv_header().c_str());
    }
    void end() {
        if (format_ == "json") std::fputs(first_ ? "]\n" : "\n]\n", stdout);
    }

    std::string render(const job& j) const {
        const auto& a = j.result;
        std::string out;
        if (format_ == "text") {
            if (a.kind == message_kind::not_bounce && a.error == error_code::ok) out += j.msg.source + "\n  not a bounce\n\n";
            for (const auto& r : a.records) out += io::text_block(r, j.msg.source, o_) + "\n";
            return out;
        }
        if (format_ == "report") {
            for (const auto& r : a.records) out += "==== " + j.msg.source + "\n" + render_report(r, o_.lang) + "\n";
            return out;
        }
        for (const auto& r : a.records) {
            if (format_ == "csv") {
                out += io::csv_row(r, j.msg.source);
                out += '\n';
            } else {
                if (format_ == "json" && !out.empty()) out += ",\n";
                out += io::to_json(r, j.msg.source, o_).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                if (format_ != "json") out += '\n';
            }
        }
        return out;
    }

    // Writes a rendered job (called in input order).
    void write(const std::string& text) {
        if (text.empty()) return;
        if (format_ == "json") {
            std::fputs(first_ ? "\n" : ",\n", stdout);
            first_ = false;
        }
        std::fwrite(text.data(), 1, text.size(), stdout);
    }

private:
    std::string format_;
    io::output_options o_;
    bool first_ = true;
};

int run_analyze(const analyze_args& args) {
    options opts;
    opts.limit = args.lim;
    std::string err;
    auto an = analyzer::create(opts, &err);
    if (!an) {
        std::fprintf(stderr, "ricochet: cannot build the analyzer: %s\n", err.c_str());
        return 1;
    }
    std::string format = args.format;
    if (format.empty()) format = isatty(STDOUT_FILENO) ? "text" : "jsonl";
    io::output_options o;
    o.explain = args.explain;
    o.why = args.why;
    o.lang = args.lang.empty() ? language_from_environment() : parse_language(args.lang).value_or(language::en);
    printer out(format, o);
    out.begin();

    unsigned threads = args.threads ? args.threads : std::max(1u, std::thread::hardware_concurrency());
    const bool progress = !args.quiet && isatty(STDERR_FILENO);
    const auto t0 = std::chrono::steady_clock::now();
    std::size_t n_messages = 0;
    std::atomic<std::size_t> n_bytes{0};  // counted by the reader, shown by the writer
    bool had_error = false;
    auto last_progress = t0;

    auto process = [&](job& j) {
        if (j.msg.error.empty()) {
            j.result = an->analyze(j.msg.bytes);
            if (j.msg.truncated) {
                std::string w = "message larger than " + std::to_string(args.lim.max_message_bytes) + " bytes: analysed the first part only";
                j.result.warnings.push_back(w);
                for (auto& r : j.result.records) r.warnings.push_back(w);
            }
            if (j.result.error == error_code::ok) j.text = out.render(j);
        }
        j.msg.bytes.clear();
        j.msg.bytes.shrink_to_fit();
    };
    auto print_progress = [&](const char* end) {
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "\r%zu messages, %.1f MB, %.0f msg/s, %.1f s%s", n_messages, static_cast<double>(n_bytes.load()) / 1e6,
                     secs > 0 ? static_cast<double>(n_messages) / secs : 0.0, secs, end);
    };
    // In input order: errors to stderr, records to stdout, the progress line now and then.
    auto emit = [&](const job& j) {
        ++n_messages;
        if (!j.msg.error.empty()) {
            std::fprintf(stderr, "ricochet: %s: %s\n", j.msg.source.c_str(), j.msg.error.c_str());
            had_error = true;
        } else if (j.result.error != error_code::ok) {
            std::fprintf(stderr, "ricochet: %s: %s%s%s\n", j.msg.source.c_str(), std::string(to_string(j.result.error)).c_str(),
                         j.result.error_message.empty() ? "" : ": ", j.result.error_message.c_str());
            had_error = true;
        } else {
            out.write(j.text);
        }
        if (progress && (n_messages & 255) == 0) {
            auto now = std::chrono::steady_clock::now();
            if (now - last_progress > std::chrono::milliseconds(250)) {
                last_progress = now;
                print_progress("");
            }
        }
    };

    bool read_ok = true;
    if (threads <= 1) {
        // One thread: read, analyse and write each message in turn.
        read_ok = io::read_paths(args.paths, args.lim.max_message_bytes, [&](io::message&& m) {
            n_bytes += m.bytes.size();
            job j;
            j.msg = std::move(m);
            process(j);
            emit(j);
            return true;
        });
    } else {
        // A pipeline: a reader thread splits the input into chunks of messages, `threads` workers
        // analyse and render the chunks in any order, and this thread writes them in input order.
        // Chunks (not single messages) pass between threads, so that wake-ups stay rare; the chunks
        // in flight are bounded in number and bytes, so memory stays flat however long the input.
        struct chunk {
            std::vector<job> jobs;
            std::size_t bytes = 0;
            bool done = false;
        };
        constexpr std::size_t chunk_messages = 32;
        constexpr std::size_t chunk_bytes = 1u << 20;
        const std::size_t max_chunks = 4 * threads;
        constexpr std::size_t max_bytes = 32u << 20;
        std::mutex mu;
        std::condition_variable work_cv, done_cv, space_cv;
        std::deque<std::unique_ptr<chunk>> window;  // in input order
        std::deque<chunk*> todo;
        std::size_t inflight_bytes = 0;
        bool reading_done = false;

        // Worker processes when the system gives them (see workers.h), else threads of this one.
        std::string why;
        std::unique_ptr<cli::worker_pool> procs = cli::worker_pool::start(threads, process, &why);
        if (!procs && !args.quiet) std::fprintf(stderr, "ricochet: no worker processes (%s): using threads\n", why.c_str());
        std::thread reader([&] {
            auto cur = std::make_unique<chunk>();
            auto push = [&] {
                std::unique_lock lock(mu);
                space_cv.wait(lock, [&] { return window.empty() || (window.size() < max_chunks && inflight_bytes + cur->bytes <= max_bytes); });
                n_bytes += cur->bytes;
                inflight_bytes += cur->bytes;
                todo.push_back(cur.get());
                window.push_back(std::move(cur));
                work_cv.notify_one();
                lock.unlock();
                cur = std::make_unique<chunk>();
            };
            bool ok = io::read_paths(args.paths, args.lim.max_message_bytes, [&](io::message&& m) {
                cur->bytes += m.bytes.size();
                cur->jobs.emplace_back();
                cur->jobs.back().msg = std::move(m);
                if (cur->jobs.size() >= chunk_messages || cur->bytes >= chunk_bytes) push();
                return true;
            });
            if (!cur->jobs.empty()) push();
            std::lock_guard lock(mu);
            read_ok = ok;
            reading_done = true;
            work_cv.notify_all();
            done_cv.notify_all();
        });
        std::vector<std::thread> pool;
        for (unsigned t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
                for (;;) {
                    chunk* c = nullptr;
                    {
                        std::unique_lock lock(mu);
                        work_cv.wait(lock, [&] { return !todo.empty() || reading_done; });
                        if (todo.empty()) return;
                        c = todo.front();
                        todo.pop_front();
                    }
                    if (procs) procs->run(t, c->jobs);
                    else
                        for (auto& j : c->jobs) process(j);
                    std::lock_guard lock(mu);
                    c->done = true;
                    if (window.front().get() == c) done_cv.notify_one();
                }
            });
        for (;;) {
            std::unique_ptr<chunk> c;
            {
                std::unique_lock lock(mu);
                done_cv.wait(lock, [&] { return (!window.empty() && window.front()->done) || (reading_done && window.empty()); });
                if (window.empty()) break;
                c = std::move(window.front());
                window.pop_front();
                inflight_bytes -= c->bytes;
                space_cv.notify_one();
            }
            for (const auto& j : c->jobs) emit(j);
        }
        reader.join();
        for (auto& t : pool) t.join();
    }
    std::fflush(stdout);
    out.end();
    if (progress) print_progress("\n");
    return (read_ok && !had_error) ? 0 : 1;
}

// A bounce pasted out of a reply keeps the reply's quote marks ("> " on every line, "> > " for a
// quote of a quote). When nearly every line carries one, take a level off, as many times as they
// are nested (a few at most), so that the report's own layout shows again.
std::string without_quote_marks(std::string text) {
    for (int level = 0; level < 4; ++level) {
        std::size_t lines = 0, quoted = 0;
        for (std::size_t b = 0; b < text.size();) {
            std::size_t e = text.find('\n', b);
            if (e == std::string::npos) e = text.size();
            if (e > b && text.find_first_not_of(" \t\r", b) < e) {
                ++lines;
                if (text[b] == '>') ++quoted;
            }
            b = e + 1;
        }
        if (lines < 3 || quoted * 10 < lines * 9) break;
        std::string out;
        out.reserve(text.size());
        for (std::size_t b = 0; b < text.size();) {
            std::size_t e = text.find('\n', b);
            if (e == std::string::npos) e = text.size();
            std::size_t from = b;
            if (from < e && text[from] == '>') {
                ++from;
                if (from < e && text[from] == ' ') ++from;
            }
            out.append(text, from, e - from);
            if (e < text.size()) out += '\n';
            b = e + 1;
        }
        text = std::move(out);
    }
    return text;
}

constexpr std::string_view status_inferred_warning = "status inferred from the reason: the text has no enhanced status code";

int run_explain(const std::vector<std::string>& words, const std::string& format, const std::string& lang_name) {
    std::string text;
    for (const auto& w : words) {
        if (!text.empty()) text += ' ';
        text += w;
    }
    // No text, or a lone "-" (as `analyze -` takes it): standard input.
    if (words.empty() || (words.size() == 1 && words[0] == "-")) {
        text.clear();
        char buf[65536];
        for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, stdin)) > 0;) text.append(buf, n);
    }
    text = without_quote_marks(std::move(text));
    auto an = analyzer::create();
    if (!an) return 1;
    language lang = lang_name.empty() ? language_from_environment() : parse_language(lang_name).value_or(language::en);

    // A whole pasted bounce is analysed as a message; a line or a few lines are classified as text.
    std::vector<record> recs;
    // A message starts with a header field: a name without spaces, then a colon ("Return-Path:",
    // "From:"). A body that opens with a sentence ending in a colon ("...the following header
    // fields:") is not one.
    const std::size_t colon = text.find(':');
    const bool message_like = text.find("\n\n") != std::string::npos && colon != std::string::npos && colon > 0 &&
                              colon < text.find('\n') &&
                              std::all_of(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(colon),
                                          [](char ch) { return ch > ' ' && ch < 127; });
    if (message_like) {
        analysis a = an->analyze(text);
        if (a.kind == message_kind::bounce) recs = a.records;
    }
    if (recs.empty() && !message_like && text.find('\n') != std::string::npos && text.find('@') != std::string::npos) {
        // The body of a bounce copied out of a mail client, without its headers: read it as the
        // text of a mail system's report.
        analysis a = an->analyze("From: Mail Delivery System <MAILER-DAEMON@localhost>\nSubject: Delivery Status Notification (Failure)\n\n" + text);
        if (a.kind == message_kind::bounce && !a.records.empty() && !a.records[0].recipient.empty()) {
            recs = a.records;
            for (auto& r : recs) r.warnings.push_back("pasted text without headers: read as the body of a bounce");
        }
    }
    if (recs.empty()) {
        classification c = an->classify(text);
        record r;
        r.recipient = c.recipient;
        r.reason = c.reason;
        r.category = c.category;
        r.hard = c.hard;
        r.hard_signal = c.hard_signal;
        r.rule = c.rule;
        r.status = c.status;
        r.reply_code = c.reply_code;
        r.smtp_command = c.smtp_command;
        r.diagnostic = text.substr(0, 4096);
        if (c.status_inferred) r.warnings.push_back(std::string(status_inferred_warning));
        recs.push_back(std::move(r));
    }
    io::output_options o;
    o.explain = true;
    o.lang = lang;
    for (const auto& r : recs) {
        if (format == "json") {
            std::printf("%s\n", io::to_json(r, "-", o).dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
        } else {
            explanation e = explain(r, lang);
            // The summary lines in the chosen language; the values are the taxonomy's names.
            struct labels {
                const char *recipient, *reason, *category, *hard, *yes, *no, *status, *inferred, *reply, *rule;
            };
            static constexpr labels en{"recipient:  ", "reason:     ", "category:   ", "hard:       ", "yes (permanent)", "no (temporary or fixable)",
                                       "status:     ", " (inferred)", "reply code: ", "rule:       "};
            static constexpr labels cn{"收件人：", "原因：", "类别：", "硬退信：", "是（永久）", "否（暂时或可修复）", "状态码：", "（推断）", "应答码：", "规则："};
            static constexpr labels tw{"收件者：", "原因：", "類別：", "硬退信：", "是（永久）", "否（暫時或可修復）", "狀態碼：", "（推斷）", "回應碼：", "規則："};
            const labels& l = lang == language::zh_cn ? cn : lang == language::zh_tw ? tw : en;
            const bool inferred = std::find(r.warnings.begin(), r.warnings.end(), status_inferred_warning) != r.warnings.end();
            // A pasted bounce names who failed; a bare reply line may not.
            if (!r.recipient.empty()) std::printf("%s%s\n", l.recipient, r.recipient.c_str());
            std::printf("%s%s\n%s%s\n%s%s\n%s%s%s\n%s%s\n%s%s\n", l.reason, r.reason.c_str(), l.category, r.category.c_str(), l.hard,
                        r.hard ? l.yes : l.no, l.status, r.status.empty() ? "-" : r.status.c_str(), inferred ? l.inferred : "",
                        l.reply, r.reply_code.empty() ? "-" : r.reply_code.c_str(), l.rule, r.rule.c_str());
            std::printf("\n%s\n", render_explanation(e, lang).c_str());
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"ricochet: email bounce analyzer"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "ricochet 0.1.0");

    analyze_args aa;
    auto* analyze = app.add_subcommand("analyze", "Analyse bounce messages: files, directories, Maildirs, mbox files or - for stdin");
    analyze->add_option("paths", aa.paths, "Message files, directories, mbox files, or -")->required();
    analyze->add_option("--format,-f", aa.format, "text (default on a terminal), jsonl (default otherwise), json, csv, report")
        ->check(CLI::IsMember({"text", "jsonl", "json", "csv", "report"}));
    analyze->add_option("--threads,-j", aa.threads, "Worker threads (default: all cores)");
    analyze->add_flag("--explain", aa.explain, "Add the explanation and remedy to every record");
    analyze->add_flag("--why", aa.why, "Add the evidence: format module, codes, the rule that fired");
    analyze->add_flag("--quiet,-q", aa.quiet, "No progress line on stderr");
    analyze->add_option("--lang", aa.lang, "en, zh-CN or zh-TW (default from LC_ALL / LANG)");
    analyze->add_option("--max-message-bytes", aa.lim.max_message_bytes, "Bytes of one message that are analysed")->capture_default_str();
    analyze->add_option("--max-mime-depth", aa.lim.max_mime_depth, "MIME nesting depth that is descended")->capture_default_str();
    analyze->add_option("--max-headers", aa.lim.max_headers, "Header fields read per header block")->capture_default_str();
    analyze->add_option("--max-header-bytes", aa.lim.max_header_bytes, "Bytes kept of one header field")->capture_default_str();
    analyze->add_option("--max-recipients", aa.lim.max_recipients, "Records produced for one message")->capture_default_str();
    analyze->add_option("--max-diagnostic-bytes", aa.lim.max_diagnostic_bytes, "Bytes kept of one diagnostic")->capture_default_str();

    std::vector<std::string> words;
    std::string ex_format = "text", ex_lang;
    auto* explain = app.add_subcommand("explain", "Explain an SMTP error line or a pasted bounce (argument or stdin)");
    explain->add_option("text", words, "The text; read from stdin when absent or -");
    explain->add_option("--format,-f", ex_format, "text or json")->check(CLI::IsMember({"text", "json"}));
    explain->add_option("--lang", ex_lang, "en, zh-CN or zh-TW (default from LC_ALL / LANG)");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    if (!aa.lang.empty() && !parse_language(aa.lang)) {
        std::fprintf(stderr, "ricochet: unknown language '%s' (en, zh-CN, zh-TW)\n", aa.lang.c_str());
        return 2;
    }
    if (!ex_lang.empty() && !parse_language(ex_lang)) {
        std::fprintf(stderr, "ricochet: unknown language '%s' (en, zh-CN, zh-TW)\n", ex_lang.c_str());
        return 2;
    }
    if (*analyze) return run_analyze(aa);
    if (*explain) return run_explain(words, ex_format, ex_lang);
    return 2;
}
