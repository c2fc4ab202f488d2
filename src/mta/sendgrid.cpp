// mta/sendgrid: SendGrid's bounce (From MAILER-DAEMON, "This is an automatically generated message
// from SendGrid."), a multipart/report whose delivery-status part carries X-SendGrid-QueueID /
// X-SendGrid-Sender and the standard per-recipient fields. The text part repeats each failure as
//
//   kijitora:00000:<kijitora@example.org> : Connection timed out in connect
//
// SendGrid writes "Action: expired" for a message it gave up retrying: the queue expired it
// (reason expired, action failed).
#include "dsn/codes.h"
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    bool sendgrid = util::icontains(ctx.body, "automatically generated message from SendGrid") ||
                    util::icontains(ctx.msg.delivery_status, "X-SendGrid-QueueID:");
    if (!sendgrid) return false;
    std::string_view text = before_original(ctx.body);
    dsn::report rep;
    if (!ctx.msg.delivery_status.empty()) rep = dsn::parse(ctx.msg.delivery_status, ctx.lim);
    for (const auto& pr : rep.recipients) {
        std::string addr = pr.final_recipient.empty() ? pr.original_recipient : pr.final_recipient;
        std::string diag = pr.diagnostic;
        if (diag.empty()) diag = paragraph_for(text, addr);
        record r = make_record(addr, diag);
        if (r.recipient.empty()) continue;
        r.action = pr.action;
        r.status = pr.status;
        r.remote_mta = pr.remote_mta;
        r.diagnostic_type = pr.diagnostic_type;
        r.reporting_mta = rep.message.reporting_mta;
        if (r.action == "expired") {
            r.action = "failed";
            r.reason = "expired";
            r.rule = "sendgrid-action-expired";
        }
        out.push_back(std::move(r));
        if (out.size() >= ctx.lim.max_recipients) break;
    }
    if (!out.empty()) return true;
    // No delivery-status part: "local:code:<address> : error" lines.
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        std::size_t lt = t.find(":<");
        std::size_t sep = t.find("> : ");
        if (lt == std::string_view::npos || sep == std::string_view::npos || sep < lt) continue;
        std::string addr = util::clean_address(t.substr(lt + 1, sep - lt));
        if (addr.empty()) continue;
        record r = make_record(addr, t.substr(sep + 4));
        if (r.recipient.empty()) continue;
        out.push_back(std::move(r));
        if (out.size() >= ctx.lim.max_recipients) break;
    }
    return !out.empty();
}

}  // namespace

extern const format format_sendgrid{"sendgrid", 490, parse};

}  // namespace ricochet::mta
