// mta/messagelabs: Symantec (Broadcom) Email Security.cloud, formerly MessageLabs. As an outbound
// relay it accepts the message and then tries the recipient's server; when that server refuses, it
// sends this notice with the server's reply (and, usually, an RFC 3464 part with the same fields):
//
//   This is the mail delivery agent at messagelabs.com.
//
//   I was unable to deliver your message to the following addresses:
//
//   user@example.org
//
//   Reason: 550 user@example.org... No such user
//
// Broadcom's own description of these notices says the reason is the recipient server's answer, and
// that "User unknown" and "No such user" there mean the address is not registered on that server. So
// the reply is about the address even though the notice does not say at which SMTP step it came
// (the classifier would otherwise read a "user unknown" of unknown step as a content filter's).
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {

extern const format format_rfc3464;

namespace {

// The addresses listed after "the following addresses:" up to the "Reason:" line, with that reason.
bool read_notice(std::string_view text, const limits& lim, std::vector<record>& out) {
    std::size_t list = util::ifind(text, "to the following addresses:");
    if (list == std::string_view::npos) return false;
    std::vector<std::string> addrs;
    std::string reason;
    std::size_t n = 0;
    for (std::string_view line : util::lines(text.substr(list))) {
        if (++n == 1) continue;
        if (n > 200) break;
        std::string_view t = util::trim(line);
        if (t.empty()) continue;
        if (util::istarts_with(t, "Reason:")) {
            reason = std::string(util::trim(t.substr(7)));
            break;
        }
        std::string a = util::clean_address(t, /*allow_local=*/false);
        if (a.empty()) break;
        if (addrs.size() < lim.max_recipients) addrs.push_back(std::move(a));
    }
    for (const auto& a : addrs) out.push_back(make_record(a, reason));
    return !addrs.empty();
}

bool not_registered(std::string_view diagnostic) {
    return contains_any(diagnostic, {"No such user", "User unknown", "Unknown user", "Invalid recipient"});
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = before_original(ctx.body);
    if (!contains_any(text, {"This is the mail delivery agent at messagelabs.com", "mail delivery agent at messagelabs"})) return false;
    std::size_t first = out.size();
    if (ctx.msg.delivery_status.empty() || !format_rfc3464.parse(ctx, out)) {
        out.resize(first);
        if (!read_notice(text, ctx.lim, out)) return false;
    }
    for (std::size_t i = first; i < out.size(); ++i) {
        record& r = out[i];
        if (r.reason.empty() && not_registered(r.diagnostic)) {
            r.reason = "userunknown";
            r.rule = "messagelabs-recipient-not-registered";
        }
    }
    return true;
}

}  // namespace

extern const format format_messagelabs{"messagelabs", 488, parse};

}  // namespace ricochet::mta
