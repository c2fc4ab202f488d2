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
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);

    std::string addr, diag;
    auto flush = [&] {
        if (addr.empty()) return;
        record r = make_record(addr, diag);
        if (!r.recipient.empty() && out.size() < ctx.lim.max_recipients) {
            if (util::icontains(diag, "this message has been in the queue too long")) {
                r.reason = "expired";
                r.rule = "qmail-queue-too-long";
            }
            out.push_back(std::move(r));
        }
        addr.clear();
        diag.clear();
    };
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        if (t.empty()) {
            flush();
            continue;
        }
        if (t.front() == '<' && t.size() > 3 && t.substr(t.size() - 2) == ">:") {
            flush();
            addr = util::clean_address(t.substr(0, t.size() - 1));
            continue;
        }
        if (addr.empty() || diag.size() > ctx.lim.max_diagnostic_bytes) continue;
        if (!diag.empty()) diag += ' ';
        diag.append(t);
    }
    flush();
    return !out.empty();
}

}  // namespace

extern const format format_x4{"x4", 470, parse};

}  // namespace ricochet::mta
