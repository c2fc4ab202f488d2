// mta/mdn: refusals sent as message disposition notifications (RFC 8098): a multipart/report with
// report-type=disposition-notification whose message/disposition-notification part says
// "Disposition: automatic-action/MDN-sent-automatically; deleted". That is how a Sieve "reject"
// (RFC 5429) answers when the message was already accepted: Dovecot's Pigeonhole ("Your message to
// <x> was automatically rejected:", Auto-Submitted: auto-replied (rejected)), Cyrus ("Automatically
// rejected mail"), and older Dovecot's delivery agent for any refusal ("Quota exceeded"). One
// record for the Final-Recipient with the text; its reason is what the text names, and when the
// text is only the user's own words ("I no longer accept mail from this address"), `filtered`: the
// recipient's own filter refused the message.
//
// Every other disposition notification is a receipt, not a failure, and is left alone: "displayed"
// (a read receipt), "dispatched", "processed", and "deleted" without a refusal (Outlook's "Not read:
// ... was deleted without being read"). RFC 2298's "denied" and "failed" say that no receipt is
// sent or that making one failed, not that the message was refused.
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

// "automatic-action/MDN-sent-automatically; deleted/error": the action mode and the disposition
// type, lower case.
struct disposition {
    std::string mode, type;
};

disposition read_disposition(std::string_view value) {
    disposition d;
    std::size_t semi = value.find(';');
    std::string_view modes = util::trim(value.substr(0, semi));
    d.mode = util::ascii_lower(modes.substr(0, modes.find('/')));
    if (semi != std::string_view::npos) {
        std::string_view type = util::trim(value.substr(semi + 1));
        type = type.substr(0, type.find_first_of("/ \t;("));
        d.type = util::ascii_lower(type);
    }
    return d;
}

// A refusal, not a receipt: the marks Sieve implementations put on a rejection. RFC 5429's
// "Auto-Submitted: auto-replied (rejected)" decides alone (whatever the user's words); otherwise
// the subject or the text must say so, and Outlook's "Not read" is never one.
bool says_rejected(const context& ctx) {
    if (util::icontains(ctx.msg.headers.get("Auto-Submitted"), "rejected")) return true;
    if (util::icontains(ctx.body, "without being read") || util::istarts_with(util::trim(ctx.subject), "not read")) return false;
    return util::icontains(ctx.subject, "reject") || contains_any(ctx.body.substr(0, 2048), {"automatically rejected", "was rejected", "rejected by"});
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view report = ctx.msg.disposition_notification;
    if (report.empty()) return false;
    disposition d = read_disposition(line_value(report, "Disposition"));
    if (d.mode != "automatic-action" || d.type != "deleted" || !says_rejected(ctx)) return false;
    std::string rcpt = util::clean_address(dsn::typed_value(line_value(report, "Final-Recipient")), /*allow_local=*/true);
    if (rcpt.empty()) rcpt = util::clean_address(dsn::typed_value(line_value(report, "Original-Recipient")), true);
    if (rcpt.empty()) rcpt = util::first_address(ctx.msg.original_headers.get("To"));
    // The text a person reads, whole lines of its first kilobyte (the refusal and the rule's words).
    std::string_view text = ctx.body;
    if (text.size() > 1024) {
        std::size_t cut = text.rfind('\n', 1024);
        if (cut == std::string_view::npos || cut == 0) {
            cut = 1024;  // one long line: cut it, not inside a UTF-8 sequence
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        }
        text = text.substr(0, cut);
    }
    record r = make_record("", text);
    r.recipient = rcpt;
    r.action = "failed";
    std::string_view ua = line_value(report, "Reporting-UA");
    r.reporting_mta = std::string(util::trim(ua.substr(0, ua.find(';'))));
    if (r.recipient.empty()) r.warnings.push_back("the refusal names no recipient");
    out.push_back(std::move(r));
    return true;
}

}  // namespace

extern const format format_mdn{"mdn", 15, parse, "filtered", "mdn-refused-by-recipient-filter"};

}  // namespace ricochet::mta
