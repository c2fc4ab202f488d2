// mta/notes: Lotus Notes' SMTP gateway (Subject "Undeliverable message"):
//
//   ------- Failure Reasons  --------
//
//   User  not listed in public Name & Address Book
//   kijitora@example.com
//
//   ------- Returned Message --------
//
// Between the two markers: the error line(s), then the address(es). Notes' own sentences "not
// listed in public Name & Address Book" and "ディレクトリのリストにありません" ("not in the
// directory list") state that the address is unknown.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

constexpr std::string_view not_listed[] = {
    "not listed in public Name & Address Book",
    "not listed in Domino Directory",
    "ディレクトリのリストにありません",
};

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    std::size_t start = find_marker_line(body, {"------- Failure Reasons"});
    if (start == std::string_view::npos) return false;
    std::size_t end = find_marker_line(body, {"------- Returned Message"}, start);
    std::string_view text = body.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);

    std::string diag;
    std::vector<std::string> addrs;
    std::vector<std::string_view> ls = util::lines(text);
    for (std::size_t i = 1; i < ls.size(); ++i) {
        std::string_view t = util::trim(ls[i]);
        if (t.empty()) continue;
        std::string a = util::clean_address(t);
        if (!a.empty()) {
            if (addrs.size() < ctx.lim.max_recipients) addrs.push_back(a);
            continue;
        }
        if (diag.size() < ctx.lim.max_diagnostic_bytes) {
            if (!diag.empty()) diag += ' ';
            diag.append(t);
        }
    }
    for (const auto& a : addrs) {
        record r = make_record(a, diag);
        if (r.recipient.empty()) continue;
        for (std::string_view p : not_listed)
            if (util::icontains(diag, p)) {
                r.reason = "userunknown";
                r.rule = "notes-not-listed";
                break;
            }
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_notes{"notes", 400, parse};

}  // namespace ricochet::mta
