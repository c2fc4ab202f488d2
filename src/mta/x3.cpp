// mta/x3: an unnamed MTA (From: Mail Delivery System <Mail.Delivery.System@...>, "Delivery status
// notification"):
//
//   ============================================================================
//         This is an automatically generated Delivery Status Notification.
//   Delivery to the following recipients failed permanently:
//      * user@example.com
//   ============================================================================
//                                Technical details:
//   SMTP:RCPT host 192.0.2.8: 553 5.3.0 <user@example.com>... No such user here
//
// "Delevery to the following recipients was aborted after 5.0 hour(s):" (sic) is the queue
// giving up (expired). "SMTP:<COMMAND> host <host>:" names the command and the remote host.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = ctx.body;
    if (!util::icontains(text, "This is an automatically generated Delivery Status Notification")) return false;
    std::size_t head = find_marker_line(text, {"Delivery to the following recipients failed permanently",
                                               "Delivery to the following recipient failed permanently",
                                               "Delevery to the following recipients was aborted", "Delevery to the following recipients failed permanently",
                                               "Delivery to the following recipients was aborted"});
    if (head == std::string_view::npos) return false;
    bool aborted = util::icontains(text.substr(head, 80), "aborted");
    std::vector<std::string> rcpts;
    std::size_t eol = text.find('\n', head);
    std::size_t after = std::string_view::npos;
    if (eol != std::string_view::npos) {
        std::size_t pos = eol + 1;
        while (pos < text.size()) {
            std::size_t e = text.find('\n', pos);
            std::string_view t = util::trim(text.substr(pos, e == std::string_view::npos ? std::string_view::npos : e - pos));
            if (!t.empty() && t.front() == '*') {
                std::string a = util::clean_address(util::trim(t.substr(1)));
                if (!a.empty() && rcpts.size() < ctx.lim.max_recipients) rcpts.push_back(a);
            } else if (!t.empty()) {
                after = pos;
                break;
            }
            if (e == std::string_view::npos) break;
            pos = e + 1;
        }
    }
    if (rcpts.empty()) return false;
    std::string diag, command, host;
    std::size_t td = after == std::string_view::npos ? std::string_view::npos : util::ifind(text, "Technical details:", after);
    if (td != std::string_view::npos) {
        std::size_t s = text.find('\n', td);
        if (s != std::string_view::npos) {
            std::string_view rest = text.substr(s + 1);
            std::size_t end = rest.find("====");
            std::size_t blank = rest.find("\n\n");
            if (blank < end) end = blank;
            std::string_view d = util::trim(rest.substr(0, end));
            // "SMTP:RCPT host 192.0.2.8: 553 ..."
            if (util::istarts_with(d, "SMTP:")) {
                std::size_t sp = d.find(' ');
                command = std::string(d.substr(5, sp == std::string_view::npos ? 0 : sp - 5));
                for (auto& c : command) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);  // upper case
                std::size_t hp = util::ifind(d, " host ");
                std::size_t colon = hp == std::string_view::npos ? std::string_view::npos : d.find(':', hp + 6);
                if (colon != std::string_view::npos) {
                    host = std::string(util::trim(d.substr(hp + 6, colon - hp - 6)));
                    d = util::trim(d.substr(colon + 1));
                }
            }
            diag = util::squeeze(d);
        }
    }
    for (const std::string& a : rcpts) {
        record r = make_record(a, diag);
        r.action = "failed";
        if (command == "RCPT" || command == "DATA" || command == "MAIL" || command == "HELO" || command == "EHLO") r.smtp_command = command;
        r.remote_mta = host;
        if (aborted && diag.find_first_of("0123456789") != 0) {
            r.reason = "expired";
            r.rule = "x3-delivery-aborted-after-hours";
        }
        out.push_back(std::move(r));
    }
    return true;
}

}  // namespace

extern const format format_x3{"x3", 470, parse};

}  // namespace ricochet::mta
