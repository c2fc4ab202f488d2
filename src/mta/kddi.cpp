// mta/kddi: the au one net (KDDI, dion.ne.jp) notice, sent from no-reply@<host>.dion.ne.jp, often
// with a Japanese (ISO-2022-JP) preface and then, in English:
//
//   Your mail sent on: Thu, 29 Apr 2013 23:45:22 +0900
//        Could not be delivered to: <user@example.dion.ne.jp>
//        As their mailbox is full.
//
// The lines after "Could not be delivered to:" up to the next blank line are the reason ("As their
// mailbox is full.", "Due to the following SMTP relay error", "As the remote host did not respond").
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = ctx.body;
    std::size_t head = util::ifind(text, "Could not be delivered to:");
    if (head == std::string_view::npos || !util::icontains(text, "Your mail sent on:")) return false;
    std::size_t pos = head;
    for (std::size_t n = 0; n < ctx.lim.max_recipients && pos != std::string_view::npos; ++n) {
        std::size_t eol = text.find('\n', pos);
        std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        std::string addr = util::first_address(line);
        std::string diag;
        if (eol != std::string_view::npos) {
            std::string_view rest = text.substr(eol + 1);
            std::size_t end = rest.find("\n\n");
            std::size_t next = util::ifind(rest, "Could not be delivered to:");
            if (next != std::string_view::npos && next < end) end = next;
            diag = util::squeeze(rest.substr(0, end));
        }
        if (!addr.empty()) {
            record r = make_record(addr, diag);
            r.action = "failed";
            out.push_back(std::move(r));
        }
        pos = util::ifind(text, "Could not be delivered to:", pos + 1);
    }
    return !out.empty();
}

}  // namespace

extern const format format_kddi{"kddi", 420, parse};

}  // namespace ricochet::mta
