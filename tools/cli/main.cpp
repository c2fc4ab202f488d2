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
#include <cstdio>
#include <iostream>
#include <iterator>
#include <thread>
#include <vector>

#include "io/output.h"
#include "io/reader.h"
#include "ricochet/explain.h"
#include "ricochet/ricochet.h"

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

struct job {
    io::message msg;
    analysis result;
};

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

    void print(const job& j) {
        const auto& a = j.result;
        if (format_ == "text") {
            if (a.kind == message_kind::not_bounce && a.error == error_code::ok) std::printf("%s\n  not a bounce\n\n", j.msg.source.c_str());
            for (const auto& r : a.records) std::printf("%s\n", io::text_block(r, j.msg.source, o_).c_str());
            return;
        }
        if (format_ == "report") {
            for (const auto& r : a.records) {
                std::printf("==== %s\n%s\n", j.msg.source.c_str(), render_report(r, o_.lang).c_str());
            }
            return;
        }
        for (const auto& r : a.records) {
            if (format_ == "csv") {
                std::printf("%s\n", io::csv_row(r, j.msg.source).c_str());
            } else {
                std::string s = io::to_json(r, j.msg.source, o_).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                if (format_ == "json") {
                    std::fputs(first_ ? "\n" : ",\n", stdout);
                    first_ = false;
                    std::fputs(s.c_str(), stdout);
                } else {
                    std::fputs(s.c_str(), stdout);
                    std::fputc('\n', stdout);
                }
            }
        }
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
    std::size_t n_messages = 0, n_bytes = 0;
    bool had_error = false;

    // Messages are analysed in batches: workers take messages of a batch in any order, the batch is
    // printed in input order. Memory is bounded by the batch size in bytes.
    std::vector<job> batch;
    std::size_t batch_bytes = 0;
    constexpr std::size_t batch_max_messages = 512;
    constexpr std::size_t batch_max_bytes = 32u << 20;

    auto run_batch = [&] {
        std::atomic<std::size_t> next{0};
        auto work = [&] {
            for (std::size_t i; (i = next.fetch_add(1)) < batch.size();) {
                if (batch[i].msg.error.empty()) {
                    batch[i].result = an->analyze(batch[i].msg.bytes);
                    if (batch[i].msg.truncated) {
                        std::string w = "message larger than " + std::to_string(args.lim.max_message_bytes) +
                                        " bytes: analysed the first part only";
                        batch[i].result.warnings.push_back(w);
                        for (auto& r : batch[i].result.records) r.warnings.push_back(w);
                    }
                }
                batch[i].msg.bytes.clear();
                batch[i].msg.bytes.shrink_to_fit();
            }
        };
        std::size_t n = std::min<std::size_t>(threads, batch.size());
        std::vector<std::thread> pool;
        for (std::size_t t = 1; t < n; ++t) pool.emplace_back(work);
        work();
        for (auto& t : pool) t.join();
        for (const auto& j : batch) {
            if (!j.msg.error.empty()) {
                std::fprintf(stderr, "ricochet: %s: %s\n", j.msg.source.c_str(), j.msg.error.c_str());
                had_error = true;
                continue;
            }
            if (j.result.error != error_code::ok) {
                std::fprintf(stderr, "ricochet: %s: %s%s%s\n", j.msg.source.c_str(), std::string(to_string(j.result.error)).c_str(),
                             j.result.error_message.empty() ? "" : ": ", j.result.error_message.c_str());
                had_error = true;
                continue;
            }
            out.print(j);
        }
        std::fflush(stdout);
        batch.clear();
        batch_bytes = 0;
        if (progress) {
            double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            std::fprintf(stderr, "\r%zu messages, %.1f MB, %.0f msg/s, %.1f s", n_messages, n_bytes / 1e6,
                         secs > 0 ? n_messages / secs : 0.0, secs);
        }
    };

    bool read_ok = io::read_paths(args.paths, args.lim.max_message_bytes, [&](io::message&& m) {
        ++n_messages;
        n_bytes += m.bytes.size();
        batch_bytes += m.bytes.size();
        batch.push_back(job{std::move(m), {}});
        if (batch.size() >= batch_max_messages || batch_bytes >= batch_max_bytes) run_batch();
        return true;
    });
    if (!batch.empty()) run_batch();
    out.end();
    if (progress) std::fputc('\n', stderr);
    return (read_ok && !had_error) ? 0 : 1;
}

int run_explain(const std::vector<std::string>& words, const std::string& format, const std::string& lang_name) {
    std::string text;
    for (const auto& w : words) {
        if (!text.empty()) text += ' ';
        text += w;
    }
    if (words.empty()) text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    auto an = analyzer::create();
    if (!an) return 1;
    language lang = lang_name.empty() ? language_from_environment() : parse_language(lang_name).value_or(language::en);

    // A whole pasted bounce is analysed as a message; a line or a few lines are classified as text.
    std::vector<record> recs;
    bool message_like = text.find("\n\n") != std::string::npos && text.find(':') < text.find('\n');
    if (message_like) {
        analysis a = an->analyze(text);
        if (a.kind == message_kind::bounce) recs = a.records;
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
        if (c.status_inferred) r.warnings.push_back("status inferred from the reason: the text has no enhanced status code");
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
                const char *reason, *category, *hard, *yes, *no, *status, *inferred, *reply, *rule;
            };
            static constexpr labels en{"reason:     ", "category:   ", "hard:       ", "yes (permanent)", "no (temporary or fixable)",
                                       "status:     ", " (inferred)", "reply code: ", "rule:       "};
            static constexpr labels cn{"原因：", "类别：", "硬退信：", "是（永久）", "否（暂时或可修复）", "状态码：", "（推断）", "应答码：", "规则："};
            static constexpr labels tw{"原因：", "類別：", "硬退信：", "是（永久）", "否（暫時或可修復）", "狀態碼：", "（推斷）", "回應碼：", "規則："};
            const labels& l = lang == language::zh_cn ? cn : lang == language::zh_tw ? tw : en;
            std::printf("%s%s\n%s%s\n%s%s\n%s%s%s\n%s%s\n%s%s\n", l.reason, r.reason.c_str(), l.category, r.category.c_str(), l.hard,
                        r.hard ? l.yes : l.no, l.status, r.status.empty() ? "-" : r.status.c_str(), r.warnings.empty() ? "" : l.inferred,
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
    explain->add_option("text", words, "The text; read from stdin when absent");
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
