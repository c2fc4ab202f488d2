// mta/apachejames: bounces of Apache James (its bounce mailet). Plain text:
//
//   Error: Invalid user address
//
//   Error message below:
//   550 - Requested action not taken: no such user here
//
//   Message details:
//     Subject: Test message
//     Sent date: Wed Jun 12 02:21:53 GMT 2013
//     MAIL FROM: sender@example.com
//     RCPT TO: user@example.org
//     From: sender@example.com
//
// The recipients are the "RCPT TO:" values (comma separated); the diagnostic is the text between
// "Error message below:" and "Message details:". Recognised by those two labels together with a
// James sign (Message-ID "...JavaMail...", "JAMES SMTP Server" in Received, or "[BOUNCE]" subject).
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    std::size_t em = util::ifind(body, "Error message below:");
    std::size_t md = util::ifind(body, "Message details:");
    if (em == std::string_view::npos || md == std::string_view::npos || md < em + 20) return false;
    bool james = util::icontains(ctx.msg.headers.get("Message-ID"), ".JavaMail.") || util::icontains(ctx.subject, "[BOUNCE]");
    for (const auto& h : ctx.msg.headers.fields)
        if (util::iequals(h.name, "Received") && util::icontains(h.value, "JAMES SMTP Server")) james = true;
    if (!james) return false;
    std::string diag = util::squeeze(body.substr(em + 20, md - em - 20));
    std::string_view details = body.substr(md, std::min<std::size_t>(body.size() - md, 16384));
    std::string_view rcpt = line_value(details, "RCPT TO");
    for (const auto& a : util::find_addresses(rcpt, ctx.lim.max_recipients)) out.push_back(make_record(a, diag));
    if (out.empty()) {
        // "RCPT TO:" missing: the original message's To.
        std::string to = util::first_address(line_value(details, "To"));
        if (!to.empty()) out.push_back(make_record(to, diag));
    }
    return !out.empty();
}

}  // namespace

extern const format format_apachejames{"apachejames", 400, parse};

}  // namespace ricochet::mta
