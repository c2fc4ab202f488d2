// mta/x5: an unnamed gateway (a Trend Micro "TMMSG_" MIME boundary, From "Mail Delivery Subsystem")
// that forwards a Sendmail bounce as an attachment and keeps only the heading in its own text:
//
//   The original message was received at Thu Oct 13 15:22:22 2015
//
//   ----- The following addresses had permanent delivery errors -----
//
//   (message/rfc822: the real bounce, From: Mail Delivery Subsystem <MAILER-DAEMON@...>,
//    with "kijitora@example.org" in its text and Final-Recipient / Status / Diagnostic-Code)
//
// The recipients and the error are in the attached message: its headers (ctx.msg.original_headers)
// and the start of its text (ctx.msg.original_body_start). Only used when the gateway's own text
// names no address.
#include "dsn/codes.h"
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = before_original(ctx.body);
    std::size_t head = find_marker_line(body, {"----- The following addresses had permanent delivery errors -----"});
    if (head == std::string_view::npos) return false;
    // The gateway's text names nobody ...
    std::size_t eol = body.find('\n', head);
    if (eol != std::string_view::npos && !util::first_address(body.substr(eol)).empty()) return false;
    // ... and the attached message is itself a bounce.
    const auto& oh = ctx.msg.original_headers;
    if (!contains_any(oh.get("From"), {"MAILER-DAEMON", "Mail Delivery Subsystem"}) &&
        !util::istarts_with(util::trim(oh.get("Subject")), "Returned mail:"))
        return false;
    std::string_view inner = ctx.msg.original_body_start;
    if (inner.empty()) return false;

    // Delivery-status fields quoted in the attached text, when present.
    dsn::report rep;
    if (util::icontains(inner, "Final-Recipient:")) rep = dsn::parse(inner.substr(util::ifind(inner, "Final-Recipient:")), ctx.lim);
    for (const auto& pr : rep.recipients) {
        record r = make_record(pr.final_recipient, pr.diagnostic);
        if (r.recipient.empty()) continue;
        r.status = pr.status;
        r.action = pr.action;
        r.remote_mta = pr.remote_mta;
        r.diagnostic_type = pr.diagnostic_type;
        out.push_back(std::move(r));
        if (out.size() >= ctx.lim.max_recipients) break;
    }
    if (!out.empty()) return true;
    // Else the Sendmail text: the address lines after its "The original message was received" /
    // "following addresses had" heading, each with the paragraph that explains it.
    std::size_t from = util::ifind(inner, "The original message was received");
    if (from == std::string_view::npos) return false;
    std::string_view list = inner.substr(from);
    std::size_t n = 0;
    for (std::string_view line : util::lines(list)) {
        if (++n > 200 || out.size() >= ctx.lim.max_recipients) break;
        std::string_view t = util::trim(line);
        std::string a = util::clean_address(t);
        if (a.empty()) continue;
        std::string para = paragraph_for(list, a);
        record r = make_record(a, para == t ? std::string() : para);
        if (!r.recipient.empty()) out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_x5{"x5", 470, parse};

}  // namespace ricochet::mta
