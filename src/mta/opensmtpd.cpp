// mta/opensmtpd: bounces of OpenSMTPD (smtpd/bounce.c). Plain text, or the first part of a
// multipart/mixed:
//
//   Hi!
//
//   This is the MAILER-DAEMON, please DO NOT REPLY to this e-mail.
//
//   An error has occurred while attempting to deliver a message for
//   the following list of recipients:
//
//   kijitora@example.jp: 550 5.1.1 <kijitora@example.jp>... User Unknown
//
//   Below is a copy of the original message:
//
// The delay notice says "A message is delayed for more than N minutes for the following list of
// recipients:" (action delayed). Each "address: error" line is a recipient. OpenSMTPD's own
// messages state the reason: "Domain does not exist" / "No MX found for domain" (hostunknown /
// notaccept), "Network error on destination MXs" (networkerror), "Envelope expired" (expired).
//
// Since 6.x the text is followed by a message/delivery-status part (Status 5.0.0 for every failure,
// 4.x.x for a delay; no Diagnostic-Code). Its Status and Remote-MTA complete the recipient's record;
// an enhanced code in the error line itself is more precise and is kept.
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    if (!util::icontains(body, "This is the MAILER-DAEMON, please DO NOT REPLY to this")) return false;
    // "... for the following\n    list of recipients:" (the sentence is wrapped and indented).
    std::size_t list = util::ifind(body, "list of recipients:");
    if (list == std::string_view::npos) list = util::ifind(body, "following recipients:");
    if (list == std::string_view::npos) return false;
    const bool delayed = util::icontains(body, "A message is delayed for more than") || util::icontains(body, "only a temporary failure");
    std::size_t eol = body.find('\n', list);
    if (eol == std::string_view::npos) return false;
    std::string_view text = body.substr(eol + 1);
    std::size_t stop = util::ifind(text, "Below is a copy of the original message");
    if (stop != std::string_view::npos) text = text.substr(0, stop);
    text = before_original(text);
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
    bool started = false;
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        if (t.empty()) {
            if (started) break;
            continue;
        }
        std::size_t colon = t.find(": ");
        if (colon == std::string_view::npos) {
            if (started && !out.empty()) {
                // A wrapped error line.
                out.back().diagnostic += ' ';
                out.back().diagnostic.append(t);
            }
            continue;
        }
        std::string a = util::clean_address(t.substr(0, colon));
        if (a.empty()) {
            if (started && !out.empty()) {
                out.back().diagnostic += ' ';
                out.back().diagnostic.append(t);
            }
            continue;
        }
        if (out.size() >= ctx.lim.max_recipients) break;
        started = true;
        out.push_back(make_record(a, t.substr(colon + 2)));
    }
    struct m {
        std::string_view text, reason, rule;
    };
    static constexpr m own[] = {
        {"Domain does not exist", "hostunknown", "opensmtpd-no-domain"},
        {"No MX found for domain", "notaccept", "opensmtpd-no-mx"},
        {"Network error on destination MXs", "networkerror", "opensmtpd-network-error"},
        {"Envelope expired", "expired", "opensmtpd-envelope-expired"},
        {"Loop detected", "contenterror", "opensmtpd-loop"},
    };
    dsn::report rep;
    if (!ctx.msg.delivery_status.empty()) rep = dsn::parse(ctx.msg.delivery_status, ctx.lim);
    for (auto& r : out) {
        r.diagnostic = clean_diagnostic(r.diagnostic);
        if (delayed) r.action = "delayed";
        if (const dsn::per_recipient* pr = dsn_entry_for(rep, r.recipient)) complete_from_dsn(r, *pr, rep);
        for (const auto& e : own)
            if (util::istarts_with(r.diagnostic, e.text)) {
                r.reason = std::string(e.reason);
                r.rule = std::string(e.rule);
                break;
            }
    }
    return !out.empty();
}

}  // namespace

extern const format format_opensmtpd{"opensmtpd", 400, parse};

}  // namespace ricochet::mta
