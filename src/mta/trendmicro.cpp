// mta/trendmicro: Trend Micro InterScan Messaging Security Suite (From "InterScan MSS" /
// "InterScan Notification", MIME boundary "InterScan_NT_MIME_Boundary"). Two forms:
//
//   Sent <<< RCPT TO:<kijitora@example.co.jp>
//   Received >>> 550 5.1.1 <kijitora@example.co.jp>... user unknown
//
// (the command it sent and the remote server's reply), and InterScan's own notice
//
//   ****** Message from InterScan Messaging Security Suite ******
//   The following mail could not be delivered.
//   Reason:  Unable to deliver message to <kijitora@example.jp> (and other recipients in the same domain).
//
// whose fixed sentence "Unable to deliver message to <addr> ... Please check if address is
// correct" is InterScan's report that the address was refused as unknown (userunknown).
#include "dsn/codes.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool is_interscan(const context& ctx) {
    if (util::icontains(ctx.from, "InterScan")) return true;
    if (util::icontains(ctx.msg.headers.get("Content-Type"), "InterScan_NT_MIME_Boundary")) return true;
    return util::icontains(ctx.body, "Message from InterScan Messaging Security Suite");
}

bool parse(const context& ctx, std::vector<record>& out) {
    if (!is_interscan(ctx)) return false;
    std::string_view text = before_original(ctx.body);
    std::size_t end = util::ifind(text, "*****     End of message     *****");
    if (end != std::string_view::npos) text = text.substr(0, end);
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);

    std::string sent_addr, sent_command;
    for (std::string_view line : util::lines(text)) {
        if (out.size() >= ctx.lim.max_recipients) break;
        std::string_view t = util::trim(line);
        if (util::istarts_with(t, "Sent <<<")) {
            sent_command = dsn::find_command(t);
            sent_addr = util::istarts_with(util::trim(t.substr(8)), "RCPT") ? util::first_address(t) : std::string();
            continue;
        }
        if (util::istarts_with(t, "Received >>>")) {
            std::string_view reply = util::trim(t.substr(12));
            std::string addr = !sent_addr.empty() ? sent_addr : util::first_address(reply);
            if (addr.empty()) {
                std::vector<std::string> to = util::find_addresses(ctx.msg.original_headers.get("To"), 2);
                if (to.size() == 1) addr = to[0];
            }
            if (addr.empty()) continue;
            record r = make_record(addr, reply);
            if (r.recipient.empty()) continue;
            r.smtp_command = sent_command;
            out.push_back(std::move(r));
            continue;
        }
        std::size_t at = util::ifind(t, "Unable to deliver message to <");
        if (at != std::string_view::npos) {
            std::string_view sentence = t.substr(at);
            std::string addr = util::first_address(sentence);
            if (addr.empty()) continue;
            record r = make_record(addr, sentence);
            if (r.recipient.empty()) continue;
            r.reason = "userunknown";
            r.rule = "interscan-unable-to-deliver";
            out.push_back(std::move(r));
        }
    }
    return !out.empty();
}

}  // namespace

extern const format format_trendmicro{"trendmicro", 400, parse};

}  // namespace ricochet::mta
