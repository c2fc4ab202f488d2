// mta/mailmarshal: Trustwave (Marshal) MailMarshal SMTP (Subject "Undeliverable Mail: ..."):
//
//   Your message:
//      From:    sironeko@example.com
//      Subject: Nyaan
//
//   Could not be delivered because of
//
//   550 5.1.1 User unknown
//
//   The following recipients were affected:
//       kijitora@nyaan.example.com
//
//   Additional Information
//   ======================
//   Remote-MTA:         <203.0.113.2>
//
// The text under "Could not be delivered because of" is the remote server's reply for every
// address listed under "The following recipients were affected:".
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = before_original(ctx.body);
    std::size_t because = find_marker_line(body, {"Could not be delivered because of"});
    if (because == std::string_view::npos) return false;
    std::size_t affected = find_marker_line(body, {"The following recipients were affected:"}, because);
    if (affected == std::string_view::npos) return false;

    std::string diag;
    std::vector<std::string_view> dl = util::lines(body.substr(because, affected - because));
    for (std::size_t i = 1; i < dl.size(); ++i) {
        std::string_view t = util::trim(dl[i]);
        if (t.empty() || diag.size() > ctx.lim.max_diagnostic_bytes) continue;
        if (!diag.empty()) diag += ' ';
        diag.append(t);
    }

    std::string_view rest = body.substr(affected);
    std::size_t info = find_marker_line(rest, {"Additional Information"});
    std::string_view list = rest.substr(0, info);
    std::string remote;
    if (info != std::string_view::npos) {
        std::string_view v = line_value(rest.substr(info), "Remote-MTA");
        if (!v.empty() && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
        remote = std::string(v);
    }
    std::vector<std::string_view> ls = util::lines(list);
    for (std::size_t i = 1; i < ls.size() && out.size() < ctx.lim.max_recipients; ++i) {
        std::string_view t = util::trim(ls[i]);
        if (t.empty()) {
            if (!out.empty()) break;
            continue;
        }
        std::string a = util::clean_address(t);
        if (a.empty()) a = util::first_address(t);
        if (a.empty()) continue;
        record r = make_record(a, diag);
        if (r.recipient.empty()) continue;
        r.remote_mta = remote;
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_mailmarshal{"mailmarshal", 400, parse};

}  // namespace ricochet::mta
