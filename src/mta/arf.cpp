// mta/arf: Abuse Reporting Format feedback reports (RFC 5965): multipart/report with
// report-type=feedback-report and a message/feedback-report part. A complaint, not a bounce: each
// complained-about recipient (Original-Rcpt-To, else Removal-Recipient, else the To of the attached
// original) gets reason `feedback` and the report's Feedback-Type.
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

// Microsoft's Junk Mail Reporting Program sends complaints without the feedback-report part: a
// subject "complaint about message from <IP>" and the reported message attached, whose
// X-HmXmrOriginalRecipient names the complaining recipient.
// Older JMRP reports are the reported message itself, its headers topped by Hotmail's
// X-HmXmrOriginalRecipient.
bool parse_jmrp(const context& ctx, std::vector<record>& out) {
    std::string rcpt;
    if (std::string_view inline_rcpt = ctx.msg.headers.get("X-HmXmrOriginalRecipient"); !inline_rcpt.empty()) {
        rcpt = util::clean_address(inline_rcpt);
        if (rcpt.empty()) return false;
    } else {
        if (!util::istarts_with(util::trim(ctx.subject), "complaint about message from") || !ctx.msg.has_original) return false;
        rcpt = util::clean_address(ctx.msg.original_headers.get("X-HmXmrOriginalRecipient"));
        if (rcpt.empty()) rcpt = util::first_address(ctx.msg.original_headers.get("To"));
    }
    record r;
    r.recipient = rcpt;
    r.reason = "feedback";
    r.rule = "jmrp-complaint";
    r.feedback_type = "abuse";
    if (rcpt.empty()) r.warnings.push_back("complaint names no recipient");
    out.push_back(std::move(r));
    return true;
}

// AOL's feedback loop before it used ARF: "Client TOS Notification" from scomp@aol.net, "This is an
// email abuse report for an email message with the message-id of X received from IP address Y on
// Z", and the reported message attached; its To is the member who complained.
bool parse_aol_scomp(const context& ctx, std::vector<record>& out) {
    std::string from = util::first_address(ctx.from);
    bool scomp = util::istarts_with(from, "scomp@") || util::iequals(util::trim(ctx.subject), "Client TOS Notification");
    if (!scomp || !ctx.msg.has_original || !util::icontains(ctx.body, "email abuse report")) return false;
    record r;
    r.recipient = util::first_address(ctx.msg.original_headers.get("To"));
    r.reason = "feedback";
    r.rule = "aol-scomp-complaint";
    r.feedback_type = "abuse";
    if (std::size_t p = util::ifind(ctx.body, "from IP address "); p != std::string_view::npos) {
        std::string_view ip = ctx.body.substr(p + 16);
        ip = ip.substr(0, ip.find_first_of(" \t\r\n"));
        if (!ip.empty()) r.diagnostic = "Source-IP: " + std::string(ip);
    }
    if (r.recipient.empty()) r.warnings.push_back("complaint names no recipient");
    out.push_back(std::move(r));
    return true;
}

// Apple Mail's one-click unsubscribe: a mail to the List-Unsubscribe address marked
// "X-Apple-Unsubscribe: true". An opt-out request by the sender of that mail.
bool parse_unsubscribe(const context& ctx, std::vector<record>& out) {
    if (!util::iequals(util::trim(ctx.msg.headers.get("X-Apple-Unsubscribe")), "true")) return false;
    record r;
    r.recipient = util::first_address(ctx.from);
    r.reason = "feedback";
    r.rule = "unsubscribe-request";
    r.feedback_type = "opt-out";
    out.push_back(std::move(r));
    return true;
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view report = ctx.msg.feedback_report;
    if (report.empty() && ctx.msg.report_type != "feedback-report")
        return parse_jmrp(ctx, out) || parse_aol_scomp(ctx, out) || parse_unsubscribe(ctx, out);
    if (report.empty()) {
        if (ctx.msg.report_type != "feedback-report") return false;
        // Some senders put the fields in a text part.
        for (const auto& t : ctx.msg.texts)
            if (util::icontains(t.text, "Feedback-Type:")) report = t.text;
        if (report.empty()) return false;
    }
    std::string type = util::ascii_lower(line_value(report, "Feedback-Type"));
    std::vector<std::string> rcpts;
    for (std::string_view l : util::lines(report)) {
        std::string_view t = util::trim(l);
        if (util::istarts_with(t, "Original-Rcpt-To:") || util::istarts_with(t, "Removal-Recipient:")) {
            std::string a = util::clean_address(t.substr(t.find(':') + 1));
            // (Original-Rcpt-To and Removal-Recipient often name the same address.)
            bool seen = false;
            for (const auto& b : rcpts) seen = seen || util::iequals(a, b);
            if (!a.empty() && !seen && rcpts.size() < ctx.lim.max_recipients) rcpts.push_back(a);
        }
    }
    // Else the reported message's own recipient fields: its To, or the envelope recipient the
    // receiving system stamped on it (Delivered-To, X-Original-To, Envelope-To).
    for (std::string_view field : {"To", "Delivered-To", "X-Original-To", "Envelope-To"}) {
        if (!rcpts.empty()) break;
        for (auto& a : util::find_addresses(ctx.msg.original_headers.get(field), ctx.lim.max_recipients)) rcpts.push_back(a);
    }
    std::string date = mime::to_rfc3339(line_value(report, "Arrival-Date"));
    if (date.empty()) date = mime::to_rfc3339(line_value(report, "Received-Date"));
    std::string reporting = std::string(line_value(report, "Reporting-MTA"));
    std::string source_ip = std::string(line_value(report, "Source-IP"));
    auto add = [&](std::string_view rcpt) {
        record r;
        r.recipient = std::string(rcpt);
        r.action = "";
        r.reason = "feedback";
        r.rule = "arf-feedback-report";
        r.feedback_type = type.empty() ? "other" : type;
        r.reporting_mta = std::string(dsn::typed_value(reporting));
        r.timestamp = date;
        r.diagnostic = source_ip.empty() ? std::string() : "Source-IP: " + source_ip;
        out.push_back(std::move(r));
    };
    if (rcpts.empty()) {
        add("");
        out.back().warnings.push_back("feedback report names no recipient");
    }
    for (const auto& a : rcpts) add(a);
    return true;
}

}  // namespace

extern const format format_arf{"arf", 10, parse};

}  // namespace ricochet::mta
