// mta/exchange2003: Microsoft Exchange 2000/2003 non-delivery reports (plain text):
//
//   Your message did not reach some or all of the intended recipients.   (or "Your message")
//         To:      user@example.com
//         Subject: ...
//         Sent:    ...
//   The following recipient(s) could not be reached:                    (or "did not reach the
//         user@example.com on 4/29/01 11:34:45 PM                          following recipient(s):")
//               The recipient name is not recognized
//               The MTS-ID of the original message is: c=jp;a= ;p=...
//               MSEXCH:IMS:ORG:SITE:SERVER 0 (000C05A6) Unknown Recipient
//
// A recipient line is "<address> on <date>"; the indented lines that follow are its error, minus
// the MTS-ID line (an identifier, not an error). The summary block's "To:" is the original
// message's recipient list, not a failure.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = before_original(ctx.body);
    std::size_t head = util::ifind(text, "did not reach the following recipient(s):");
    if (head == std::string_view::npos) head = util::ifind(text, "The following recipient(s) could not be reached:");
    if (head == std::string_view::npos) head = util::ifind(text, "The following recipient(s) cannot be reached:");
    if (head == std::string_view::npos) return false;
    if (!util::icontains(text, "Your message") && !util::icontains(text, "MSEXCH:")) return false;
    std::size_t eol = text.find('\n', head);
    if (eol == std::string_view::npos) return false;
    std::vector<std::string_view> ls = util::lines(text.substr(eol + 1, 64 * 1024));
    record* cur = nullptr;
    std::string diag;
    auto finish = [&] {
        if (cur) {
            cur->diagnostic = util::squeeze(diag);
            // Exchange's own NDR code 000C05A6 is "unknown recipient": the directory lookup
            // failed, whatever the SMTP phase.
            if (util::icontains(cur->diagnostic, "(000C05A6)")) {
                cur->reason = "userunknown";
                cur->rule = "exchange2003-000c05a6";
            }
        }
        diag.clear();
    };
    for (std::size_t i = 0; i < ls.size(); ++i) {
        std::string_view t = util::trim(ls[i]);
        if (t.empty()) continue;
        std::size_t on = util::ifind(t, " on ");
        std::string a = on == std::string_view::npos ? std::string() : util::clean_address(t.substr(0, on));
        if (!a.empty()) {
            finish();
            if (out.size() >= ctx.lim.max_recipients) break;
            out.push_back(make_record(a, ""));
            cur = &out.back();
            cur->action = "failed";
            continue;
        }
        if (!cur) continue;
        if (util::istarts_with(t, "The MTS-ID of the original message is:")) {
            // The identifier may wrap onto the next line ("...;l=0000\nP").
            if (i + 1 < ls.size() && !util::trim(ls[i + 1]).empty() && !util::icontains(ls[i + 1], "MSEXCH:") &&
                util::trim(ls[i + 1]).find(' ') == std::string_view::npos && ls[i + 1].size() == util::trim(ls[i + 1]).size())
                ++i;
            continue;
        }
        if (!diag.empty()) diag += ' ';
        diag += t;
    }
    finish();
    return !out.empty();
}

}  // namespace

extern const format format_exchange2003{"exchange2003", 480, parse};

}  // namespace ricochet::mta
