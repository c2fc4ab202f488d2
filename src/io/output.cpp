#include "io/output.h"

#include "util/text.h"

namespace ricochet::io {

nlohmann::json to_json(const record& r, std::string_view source, const output_options& o) {
    nlohmann::json j;
    j["source"] = source;
    j["recipient"] = r.recipient;
    j["original_recipient"] = r.original_recipient;
    j["action"] = r.action;
    j["status"] = r.status;
    j["reply_code"] = r.reply_code;
    j["diagnostic"] = r.diagnostic;
    j["diagnostic_type"] = r.diagnostic_type;
    j["remote_mta"] = r.remote_mta;
    j["reporting_mta"] = r.reporting_mta;
    j["smtp_command"] = r.smtp_command;
    j["reason"] = r.reason;
    j["category"] = r.category;
    j["hard"] = r.hard;
    j["hard_signal"] = r.hard_signal;
    j["rule"] = r.rule;
    j["mta"] = r.mta;
    j["timestamp"] = r.timestamp;
    j["feedback_type"] = r.feedback_type.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.feedback_type);
    j["original"] = {{"message_id", r.original.message_id}, {"from", r.original.from}, {"to", r.original.to},
                     {"subject", r.original.subject}, {"date", r.original.date}, {"return_path", r.original.return_path}};
    j["warnings"] = r.warnings;
    if (o.why) {
        j["why"] = {{"format", r.mta},
                    {"status", r.status},
                    {"reply_code", r.reply_code},
                    {"smtp_command", r.smtp_command},
                    {"rule", r.rule},
                    {"hard_signal", r.hard_signal}};
    }
    if (o.explain) {
        explanation e = explain(r, o.lang);
        nlohmann::json x;
        x["language"] = language_tag(o.lang);
        x["title"] = e.title;
        x["summary"] = e.summary;
        x["cause"] = e.cause;
        x["sender_action"] = e.sender_action;
        x["recipient_action"] = e.recipient_action;
        static constexpr const char* retry_names[] = {"never", "after-fix", "later", "not-applicable"};
        x["retry"] = retry_names[static_cast<int>(e.retry)];
        x["retry_after_minutes"] = e.retry_after_minutes;
        x["retry_text"] = e.retry_text;
        x["specifics"] = e.specifics;
        x["checks"] = e.checks;
        j["explanation"] = std::move(x);
    }
    return j;
}

namespace {
std::string csv_field(std::string_view s) {
    bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos;
    if (!quote) return std::string(s);
    std::string out = "\"";
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}
}  // namespace

std::string csv_header() {
    return "source,recipient,action,status,reply_code,reason,category,hard,rule,mta,smtp_command,remote_mta,timestamp,"
           "feedback_type,original_message_id,original_subject,diagnostic,original_recipient";
}

std::string csv_row(const record& r, std::string_view source) {
    std::string_view fields[] = {source, r.recipient, r.action, r.status, r.reply_code, r.reason, r.category,
                                 r.hard ? "true" : "false", r.rule, r.mta, r.smtp_command, r.remote_mta, r.timestamp,
                                 r.feedback_type, r.original.message_id, r.original.subject, r.diagnostic,
                                 r.original_recipient};
    std::string out;
    for (std::size_t i = 0; i < std::size(fields); ++i) {
        if (i) out += ',';
        out += csv_field(fields[i]);
    }
    return out;
}

std::string text_block(const record& r, std::string_view source, const output_options& o) {
    std::string out;
    auto line = [&](std::string_view k, std::string_view v) {
        if (v.empty()) return;
        out += "  ";
        out += k;
        out.append(k.size() < 12 ? 12 - k.size() : 1, ' ');
        out += v;
        out += '\n';
    };
    out += std::string(source) + "\n";
    line("recipient", r.recipient.empty() ? "(none found)" : r.recipient);
    line("sent to", r.original_recipient);
    line("reason", r.reason + " (" + r.category + ", " + (r.hard ? "hard" : "soft") + ")");
    line("action", r.action);
    line("status", r.status);
    line("reply code", r.reply_code);
    line("command", r.smtp_command);
    line("remote mta", r.remote_mta);
    line("format", r.mta);
    line("rule", r.rule);
    line("feedback", r.feedback_type);
    line("diagnostic", r.diagnostic);
    line("subject", r.original.subject);
    for (const auto& w : r.warnings) line("warning", w);
    if (o.explain) out += render_explanation(explain(r, o.lang), o.lang);
    return out;
}

}  // namespace ricochet::io
