// mta/x2: an unnamed qmail-derived MTA (From MAILER-DAEMON, Subject "Delivery failure" / "failed
// delivery" / "Permanent Delivery Failure"):
//
//   Message from example.com.
//   Unable to deliver message to the following address(es).
//
//   <kijitora@example.com>:
//   This user doesn't have a example.com account (kijitora@example.com) [0]
//
//   --- Original message follows.
//
// Each "<address>:" line starts a recipient; the lines under it up to a blank line are its error.
// qmail's own "I'm not going to try again; this message has been in the queue too long." states
// that the queue expired the message (expired).
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    std::size_t head = find_marker_line(body, {"Unable to deliver message to the following address(es)."});
    if (head == std::string_view::npos) return false;
    // "Message from <domain>." on the line right before it.
    std::string_view before = body.substr(0, head);
    while (!before.empty() && (before.back() == '\n' || util::is_space(before.back()))) before.remove_suffix(1);
    if (std::size_t nl = before.rfind('\n'); nl != std::string_view::npos) before = before.substr(nl + 1);
    if (!util::istarts_with(util::trim(before), "Message from ")) return false;
    std::string_view text = body.substr(head);
    std::size_t end = find_marker_line(text, {"--- Original message follows", "--- Below this line is a copy of the message"});
    if (end != std::string_view::npos) text = text.substr(0, end);
    return read_qmail_blocks(text, ctx.lim, out);
}

}  // namespace

extern const format format_x2{"x2", 470, parse};

}  // namespace ricochet::mta
