// mta/verizon: Verizon Wireless gateways. Two forms:
//
// MMS (sysadmin@<host>.vzwpix.com, "MMSC NDR Administrator"):
//   Message could not be delivered to mobile.
//   Error: No valid recipients for this MM
//   Original Message:
//   From: sender <sender@example.jp>
//   To: 0000000000@vzwpix.com
//
// SMS (post_master@vtext.com):
//   Error: Invalid user address
//   Error message below:
//   550 - Requested action not taken: no such user here
//   Message details:
//     RCPT TO: 0000000000@vtext.com
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    if (!contains_any(ctx.from, {"vzwpix.com", "vtext.com", "vzw.com", "verizon"})) return false;
    std::string_view text = ctx.body;
    if (util::icontains(text, "Message could not be delivered to mobile")) {
        std::size_t orig = util::ifind(text, "Original Message:");
        std::string addr;
        if (orig != std::string_view::npos) addr = util::first_address(line_value(text.substr(orig), "To"));
        if (addr.empty()) addr = util::first_address(ctx.msg.original_headers.get("To"));
        if (addr.empty()) return false;
        std::string_view err = line_value(text, "Error");
        record r = make_record(addr, err.empty() ? std::string_view("Message could not be delivered to mobile.") : err);
        r.action = "failed";
        // The multimedia gateway's "No valid recipients for this MM": the number has no mailbox.
        if (util::icontains(err, "No valid recipients")) {
            r.reason = "userunknown";
            r.rule = "verizon-no-valid-recipients";
        }
        out.push_back(std::move(r));
        return true;
    }
    std::size_t below = util::ifind(text, "Error message below:");
    std::size_t details = util::ifind(text, "Message details:");
    if (below == std::string_view::npos || details == std::string_view::npos) return false;
    std::string addr = util::first_address(line_value(text.substr(details), "RCPT TO"));
    if (addr.empty()) return false;
    std::size_t s = text.find('\n', below);
    std::string_view msg = s == std::string_view::npos || s > details ? std::string_view() : text.substr(s + 1, details - s - 1);
    std::string diag = util::squeeze(msg);
    if (diag.empty()) diag = std::string(line_value(text, "Error"));
    // "550 - Requested action ..." : the dash is not part of the reply.
    if (diag.size() > 6 && util::is_digit(diag[0]) && diag.compare(3, 3, " - ") == 0) diag.erase(3, 2);
    record r = make_record(addr, diag);
    r.action = "failed";
    r.smtp_command = "RCPT";
    out.push_back(std::move(r));
    return true;
}

}  // namespace

extern const format format_verizon{"verizon", 430, parse};

}  // namespace ricochet::mta
