// mta/rfc3464: standard delivery-status notifications (RFC 3464) inside multipart/report
// (RFC 6522), and the same fields written inline in a text part by MTAs that do not build the
// MIME structure. Per recipient: Final-Recipient (else Original-Recipient or X-Actual-Recipient),
// Action, Status, Remote-MTA, Diagnostic-Code. When Diagnostic-Code is missing, the paragraph of
// the human-readable part that names the recipient stands in.
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view fields = ctx.msg.delivery_status;
    std::string inline_fields;
    if (fields.empty()) {
        // Inline fields: "Final-Recipient:" or "Original-Recipient:" with "Status:" in the text.
        std::size_t p = util::ifind(ctx.body, "final-recipient:");
        if (p == std::string_view::npos) p = util::ifind(ctx.body, "original-recipient:");
        if (p == std::string_view::npos || util::ifind(ctx.body, "status:") == std::string_view::npos) return false;
        std::size_t bol = ctx.body.rfind("\n\n", p);
        fields = ctx.body.substr(bol == std::string_view::npos ? 0 : bol);
        // Stop at the copy of the original message.
        fields = before_original(fields);
    }
    dsn::report rep = dsn::parse(fields, ctx.lim);
    if (rep.recipients.empty()) return false;
    std::string_view text = before_original(ctx.body);
    // The per-recipient paragraph search below is linear in the text: skipped for reports of
    // thousands of recipients, whose fields must speak for themselves.
    if (rep.recipients.size() > 256) text = {};
    for (auto& pr : rep.recipients) {
        record r;
        std::string addr = pr.final_recipient;
        if (!util::looks_like_address(addr, true)) addr = pr.original_recipient;
        for (auto& [k, v] : pr.extra)
            if (!util::looks_like_address(addr, true) && util::iequals(k, "x-actual-recipient")) addr = util::clean_address(dsn::typed_value(v), true);
        if (!util::looks_like_address(addr, true)) addr = pr.final_recipient.empty() ? pr.original_recipient : pr.final_recipient;
        r.recipient = addr;
        r.action = pr.action;
        r.status = pr.status;
        r.remote_mta = pr.remote_mta;
        r.diagnostic_type = pr.diagnostic_type;
        r.diagnostic = pr.diagnostic;
        r.reporting_mta = rep.message.reporting_mta;
        if (r.diagnostic.empty() && !pr.status_comment.empty()) r.diagnostic = pr.status_comment;
        // The reporting MTA's own words for the status ("Status: 5.2.1 (mailbox disabled, not
        // accepting messages)") outrank a remote text that says less.
        if (util::icontains(pr.status_comment, "mailbox disabled")) {
            r.reason = "suspend";
            r.rule = "dsn-status-comment-disabled";
        }
        if (r.diagnostic.empty() || r.diagnostic.size() < 6) {
            // The human-readable part's paragraph about this recipient, unless that paragraph is
            // the delivery-status fields themselves written inline.
            std::string para = paragraph_for(text, r.recipient);
            // A recipient listed alone under the sentence that says why.
            if (!para.empty() && para.size() <= r.recipient.size() + 4) {
                if (std::size_t at = util::ifind(text, r.recipient); at != std::string_view::npos)
                    if (std::string before = paragraph_before(text, at); !before.empty()) para = before + ' ' + para;
            }
            if (!para.empty() && !util::icontains(para, "final-recipient:") && !util::icontains(para, "original-recipient:"))
                r.diagnostic = para;
        }
        if (!pr.last_attempt_date.empty()) r.timestamp = mime::to_rfc3339(pr.last_attempt_date);
        if (rep.truncated) r.warnings.push_back("delivery-status report has more recipients than the limit");
        out.push_back(std::move(r));
    }
    return true;
}

}  // namespace

extern const format format_rfc3464{"rfc3464", 500, parse};

}  // namespace ricochet::mta
