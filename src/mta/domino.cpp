// mta/domino: IBM / Lotus Domino's delivery failure report (Subject "DELIVERY FAILURE: ..."),
// plain text or the first part of a multipart/report:
//
//   Your message
//
//     Subject: Test Bounce
//
//   was not delivered to:
//
//     kijitora@example.jp
//
//   because:
//
//     User some.name (kijitora@example.jp) not listed in Domino Directory
//
// The addresses under "was not delivered to:" are the recipients, the text under "because:" the
// error. Domino's own sentence "not listed in Domino Directory" (and its translations, and the
// older "not listed in public Name & Address Book") states that the address is unknown.
// Status and Remote-MTA come from the delivery-status part when there is one.
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

constexpr std::string_view not_listed[] = {
    "not listed in Domino Directory",
    "not listed in public Name & Address Book",
    "no se encuentra en el Directorio de Domino",
    "non répertorié dans l'annuaire Domino",
    "Domino ディレクトリには見つかりません",
    "nicht im Domino-Verzeichnis",
};

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = before_original(ctx.body);
    std::size_t to = find_marker_line(body, {"was not delivered to:"});
    if (to == std::string_view::npos) return false;
    std::size_t because = find_marker_line(body, {"because:"}, to);
    if (because == std::string_view::npos) return false;
    if (!util::istarts_with(util::trim(ctx.subject), "DELIVERY FAILURE") && find_marker_line(body, {"Your message"}) > to) return false;

    std::vector<std::string> addrs;
    std::string_view list = body.substr(to, because - to);
    std::vector<std::string_view> ls = util::lines(list);
    for (std::size_t i = 1; i < ls.size() && addrs.size() < ctx.lim.max_recipients; ++i) {
        std::string a = util::clean_address(util::trim(ls[i]));
        if (a.empty()) a = util::first_address(ls[i]);
        if (!a.empty()) addrs.push_back(a);
    }
    if (addrs.empty()) return false;

    // The error: the lines after "because:" up to the first blank line after some text.
    std::string diag;
    std::vector<std::string_view> bl = util::lines(body.substr(because));
    for (std::size_t i = 1; i < bl.size() && i < 50; ++i) {
        std::string_view t = util::trim(bl[i]);
        if (t.empty()) {
            if (!diag.empty()) break;
            continue;
        }
        if (!diag.empty()) diag += ' ';
        diag.append(t);
        if (diag.size() > ctx.lim.max_diagnostic_bytes) break;
    }

    dsn::report rep;
    if (!ctx.msg.delivery_status.empty()) rep = dsn::parse(ctx.msg.delivery_status, ctx.lim);
    for (const auto& a : addrs) {
        record r = make_record(a, diag);
        if (r.recipient.empty()) continue;
        for (std::string_view p : not_listed)
            if (util::icontains(diag, p)) {
                r.reason = "userunknown";
                r.rule = "domino-not-listed";
                break;
            }
        // The delivery-status part: the same recipient, or the only one when the text names one.
        const dsn::per_recipient* match = nullptr;
        for (const auto& pr : rep.recipients)
            if (util::iequals(util::clean_address(pr.final_recipient), r.recipient)) match = &pr;
        if (!match && rep.recipients.size() == 1 && addrs.size() == 1) match = &rep.recipients[0];
        if (match) {
            complete_from_dsn(r, *match, rep);
            r.diagnostic_type = match->diagnostic_type;
        }
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_domino{"domino", 400, parse};

}  // namespace ricochet::mta
