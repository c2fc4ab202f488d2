// mta/imailserver: Ipswitch IMail Server (Subject "Undeliverable Mail", X-Mailer "<SMTP32 v...>").
// One line per recipient, the error then the address, before the copy of the message:
//
//   Unknown user: kijitora@example.com
//
//   Original message follows.
//
// IMail's own error texts state the reason: "Unknown user" and "Invalid final delivery userid"
// (userunknown), "User mailbox exceeds allowed size" (mailboxfull), "Delivery failed N attempts"
// (expired), "Unknown host" (hostunknown). Other lines (a remote server's reply quoted under the
// address line) are left to the classifier.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

struct phrase {
    std::string_view text, also, reason, rule;
};
constexpr phrase own[] = {
    {"Unknown user", "", "userunknown", "imail-unknown-user"},
    {"Invalid final delivery userid", "", "userunknown", "imail-invalid-userid"},
    {"User mailbox exceeds allowed size", "", "mailboxfull", "imail-mailbox-size"},
    {"Delivery failed ", " attempts", "expired", "imail-delivery-failed-attempts"},
    {"Unknown host", "", "hostunknown", "imail-unknown-host"},
};

bool parse(const context& ctx, std::vector<record>& out) {
    bool subject = util::istarts_with(util::trim(ctx.subject), "Undeliverable Mail");
    bool mailer = util::istarts_with(util::trim(ctx.msg.headers.get("X-Mailer")), "<SMTP32 v");
    if (!subject && !mailer) return false;
    std::string_view body = ctx.body;
    std::size_t end = find_marker_line(body, {"Original message follows."});
    if (end == std::string_view::npos) return false;
    std::string_view text = body.substr(0, end);
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);

    std::vector<std::string_view> ls = util::lines(text);
    for (std::size_t i = 0; i < ls.size() && out.size() < ctx.lim.max_recipients; ++i) {
        std::string_view t = util::trim(ls[i]);
        // "<error>: <address>"
        std::size_t colon = t.rfind(": ");
        if (colon == std::string_view::npos || colon == 0) continue;
        std::string addr = util::clean_address(t.substr(colon + 2));
        if (addr.empty()) continue;
        std::string diag(t);
        // A remote server's words quoted on the lines that follow, up to a blank line.
        for (std::size_t j = i + 1; j < ls.size() && j < i + 20; ++j) {
            std::string_view u = util::trim(ls[j]);
            if (u.empty()) break;
            diag += ' ';
            diag.append(u);
            i = j;
        }
        record r = make_record(addr, diag);
        if (r.recipient.empty()) continue;
        std::string_view error = t.substr(0, colon);
        for (const auto& p : own)
            if (util::istarts_with(error, p.text) && (p.also.empty() || util::icontains(error, p.also))) {
                r.reason = std::string(p.reason);
                r.rule = std::string(p.rule);
                break;
            }
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_imailserver{"imailserver", 400, parse};

}  // namespace ricochet::mta
