// mta/x1: an unnamed Japanese gateway ("Mail Deliver System" <MAILER-DAEMON@...>):
//
//   The original message was received at Thu, 29 Apr 2010 23:34:45 +0900 (JST)
//   from sender@example.jp
//
//   ---The following addresses had delivery errors---
//
//   user@example.co.jp [User unknown]
//
// One line per recipient: the address, then the error in square brackets. A subject that starts
// with "Warning--" ("Warning--Could not send mail for past 8.5 hours") is a delay notice.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = ctx.body;
    std::size_t head = util::ifind(text, "---The following addresses had delivery errors---");
    if (head == std::string_view::npos) return false;
    bool warning = util::istarts_with(util::trim(ctx.subject), "Warning--");
    std::size_t eol = text.find('\n', head);
    if (eol == std::string_view::npos) return false;
    bool seen = false;
    for (std::string_view l : util::lines(text.substr(eol + 1, 64 * 1024))) {
        std::string_view t = util::trim(l);
        if (t.empty()) {
            if (seen) break;
            continue;
        }
        std::size_t br = t.find(" [");
        std::string addr = util::clean_address(t.substr(0, br));
        if (addr.empty()) break;
        seen = true;
        std::string_view diag;
        if (br != std::string_view::npos && t.back() == ']') diag = t.substr(br + 2, t.size() - br - 3);
        record r = make_record(addr, diag);
        r.action = warning ? "delayed" : "failed";
        out.push_back(std::move(r));
        if (out.size() >= ctx.lim.max_recipients) break;
    }
    return !out.empty();
}

}  // namespace

extern const format format_x1{"x1", 470, parse};

}  // namespace ricochet::mta
