// mta/googlegroups: Google Groups refusing a post to a group. Sent by mailer-daemon@googlemail.com
// as plain text in the sender's language, e.g.
//
//   Hello sender@example.jp,
//   We're writing to let you know that the group you tried to contact (name) may not exist, or
//   you may not have permission to post messages to the group. ...
//   If you have questions related to this or any other Google Group, visit the Help Center at
//   https://groups.google.com/support/.
//
// The language varies; the fixed parts are the sender, the "groups.google.com/support" link and the
// X-Failed-Recipients header, which names the group address (the recipient of the record). The
// post was refused by the group, not the address found missing: reason "rejected".
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    if (!ctx.msg.delivery_status.empty()) return false;
    if (!contains_any(ctx.from, {"@googlemail.com", "@google.com", "@googlegroups.com"})) return false;
    std::string_view text = before_original(ctx.body);
    if (!util::icontains(text, "groups.google.com/support")) return false;
    std::vector<std::string> groups = util::find_addresses(ctx.msg.headers.get("X-Failed-Recipients"), ctx.lim.max_recipients);
    if (groups.empty()) {
        // The original message's To names the group.
        for (const std::string& a : util::find_addresses(ctx.msg.original_headers.get("To"), 1)) groups.push_back(a);
    }
    if (groups.empty()) return false;
    // The explanation: the first paragraph that names the group "(name)"; the whole text otherwise.
    std::string diag;
    for (const std::string& g : groups) {
        std::string_view local = std::string_view(g).substr(0, g.find('@'));
        std::string named = "(";
        named.append(local).append(")");
        std::size_t p = util::ifind(text, named);
        if (p == std::string_view::npos) p = util::ifind(text, std::string(local));
        if (p == std::string_view::npos) continue;
        std::size_t bol = text.rfind("\n\n", p);
        bol = bol == std::string_view::npos ? 0 : bol + 2;
        std::size_t end = text.find("\n\n", p);
        diag = util::squeeze(text.substr(bol, end == std::string_view::npos ? std::string_view::npos : end - bol));
        break;
    }
    if (diag.empty()) diag = util::squeeze(text.substr(0, std::min<std::size_t>(text.size(), 1024)));
    for (const std::string& g : groups) {
        record r = make_record(g, diag);
        r.action = "failed";
        r.reason = "rejected";
        r.rule = "google-groups-post-refused";
        out.push_back(std::move(r));
    }
    return true;
}

}  // namespace

extern const format format_googlegroups{"googlegroups", 440, parse};

}  // namespace ricochet::mta
