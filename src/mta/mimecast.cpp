// mta/mimecast: Mimecast's "[Postmaster] Email Delivery Failure" notice (plain text, or the first
// part of a multipart/report):
//
//   An email that you attempted to send to the following address could not be delivered:
//   -- sabineko@example.org
//
//   The problem appears to be :
//   -- Recipient email address is possibly incorrect
//
//   Additional information follows :
//   -- 5.4.1 Recipient address rejected: Access denied. [...]
//
// The "-- " line after the address sentence is the recipient; "Additional information follows"
// quotes the remote server (the diagnostic; the delivery-status part's Diagnostic-Code when there
// is one). Mimecast's "The problem appears to be" line is a guess ("possibly incorrect" is written
// for relay refusals too), so it only stands in when the server's words are missing.
#include "dsn/codes.h"
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

// The text of the "-- " line(s) that follow the line at `pos`, unfolded, up to a blank line or the
// next sentence.
std::string dashed_after(std::string_view text, std::size_t pos) {
    if (pos == std::string_view::npos) return {};
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) return {};
    std::string out;
    bool in = false;
    std::size_t n = 0;
    for (std::string_view line : util::lines(text.substr(eol + 1))) {
        if (++n > 20) break;
        std::string_view t = util::trim(line);
        if (t.empty()) {
            if (in) break;
            continue;
        }
        if (util::istarts_with(t, "-- ")) {
            in = true;
            t = util::trim(t.substr(3));
        } else if (!in) {
            break;
        } else if (!util::is_space(line[0]) && util::icontains(t, "could not be delivered")) {
            break;
        }
        if (!out.empty()) out += ' ';
        out.append(t);
        if (out.size() > 4096) break;
    }
    return out;
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = before_original(ctx.body);
    std::size_t problem = util::ifind(text, "The problem appears to be :");
    std::size_t info = util::ifind(text, "Additional information follows :");
    if (problem == std::string_view::npos || info == std::string_view::npos) return false;
    std::size_t addr_line = util::ifind(text, "to the following address could not be delivered:");
    if (addr_line == std::string_view::npos) addr_line = util::ifind(text, "an email you addressed to email address :");
    if (addr_line == std::string_view::npos) return false;
    std::string addr_text = dashed_after(text, addr_line);
    // "-- addr could not be delivered." keeps the sentence on the same dashed paragraph.
    std::string addr = util::first_address(addr_text);
    if (addr.empty()) return false;
    std::string said = dashed_after(text, info);
    std::string guess = dashed_after(text, problem);

    record r = make_record(addr, said.empty() ? guess : said);
    if (r.recipient.empty()) return false;
    if (!ctx.msg.delivery_status.empty()) {
        dsn::report rep = dsn::parse(ctx.msg.delivery_status, ctx.lim);
        for (const auto& pr : rep.recipients) {
            std::string fr = util::first_address(pr.final_recipient);
            if (fr.empty()) fr = util::first_address(pr.original_recipient);
            if (!util::iequals(fr, r.recipient) && rep.recipients.size() != 1) continue;
            if (dsn::valid_status(pr.status)) r.status = pr.status;
            if (!pr.action.empty()) r.action = pr.action;
            if (!pr.remote_mta.empty()) r.remote_mta = pr.remote_mta;
            if (!pr.diagnostic.empty()) {
                r.diagnostic = clean_diagnostic(pr.diagnostic);
                r.diagnostic_type = pr.diagnostic_type;
            }
            r.reporting_mta = rep.message.reporting_mta;
            break;
        }
    }
    out.push_back(std::move(r));
    return true;
}

}  // namespace

extern const format format_mimecast{"mimecast", 490, parse};

}  // namespace ricochet::mta
