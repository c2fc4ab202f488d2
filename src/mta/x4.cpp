// mta/x4: an unnamed qmail-derived MTA (From MAILER-DAEMON@..., Subject "failure notice"):
//
//   Your mail message to the following address(es) could not be delivered. This
//   is a permanent error. Please verify the addresses and try again. ...
//
//   <kijitora@example.com>:
//   child status 100...The e-mail message could not be delivered because the user's mailfolder is full.
//
//   --- Below this line is a copy of the message.
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
    std::size_t head = find_marker_line(body, {"Your mail message to the following address(es) could not be delivered."});
    if (head == std::string_view::npos) return false;
    std::string_view text = body.substr(head);
    std::size_t end = find_marker_line(text, {"--- Below this line is a copy of the message", "--- Original message follows"});
    if (end != std::string_view::npos) text = text.substr(0, end);
    return read_qmail_blocks(text, ctx.lim, out);
}

}  // namespace

extern const format format_x4{"x4", 470, parse};

}  // namespace ricochet::mta
