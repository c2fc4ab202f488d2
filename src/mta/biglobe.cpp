// mta/biglobe: BIGLOBE (biglobe.ne.jp) returns, sent from postmaster@biglobe.ne.jp:
//
//      ----- The following addresses had delivery problems -----
//   user@example.jp
//      ----- Non-delivered information -----
//   The number of messages in recipient's mailbox exceeded the local limit.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    if (!util::icontains(ctx.from, "biglobe.ne.jp")) return false;
    std::string_view text = ctx.body;
    std::size_t head = util::ifind(text, "----- The following addresses had delivery problems -----");
    std::size_t info = util::ifind(text, "----- Non-delivered information -----");
    if (head == std::string_view::npos || info == std::string_view::npos || info < head) return false;
    std::size_t s = text.find('\n', info);
    std::string diag;
    if (s != std::string_view::npos) {
        std::string_view rest = text.substr(s + 1);
        while (!rest.empty() && rest.front() == '\n') rest.remove_prefix(1);
        diag = util::squeeze(rest.substr(0, rest.find("\n\n")));
    }
    for (const std::string& a : util::find_addresses(text.substr(head, info - head), ctx.lim.max_recipients)) {
        record r = make_record(a, diag);
        r.action = "failed";
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_biglobe{"biglobe", 410, parse};

}  // namespace ricochet::mta
