// mta/activehunter: the ActiveHunter mail filter (X-AHMAILID header), a Sendmail-like report:
//
//   The original message was received at Thu, 29 Apr 2011 23:34:45 +0900
//   from example.co.jp
//     ----- The following addresses had permanent fatal errors -----
//   >>> user@example.org <user@example.org>
//     ----- Transcript of session follows -----
//   550 sorry, no mailbox here by that name (#5.1.1 - chkusr)
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    if (!ctx.msg.headers.has("X-AHMAILID")) return false;
    std::string_view text = ctx.body;
    std::size_t head = util::ifind(text, "----- The following addresses had permanent fatal errors -----");
    if (head == std::string_view::npos) return false;
    std::size_t tr = util::ifind(text, "----- Transcript of session follows -----", head);
    std::string diag;
    if (tr != std::string_view::npos) {
        std::size_t s = text.find('\n', tr);
        if (s != std::string_view::npos) {
            std::string_view rest = text.substr(s + 1);
            diag = util::squeeze(rest.substr(0, rest.find("\n\n")));
        }
    }
    std::string_view list = text.substr(head, tr == std::string_view::npos ? 2048 : tr - head);
    for (const std::string& a : util::find_addresses(list, ctx.lim.max_recipients)) {
        record r = make_record(a, diag);
        r.action = "failed";
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_activehunter{"activehunter", 410, parse};

}  // namespace ricochet::mta
