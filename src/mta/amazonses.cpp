// mta/amazonses: Amazon SES. Its e-mail bounces are ordinary RFC 3464 reports (read by rfc3464);
// this format reads the JSON notification SES publishes through Amazon SNS
// (From: no-reply@sns.amazonaws.com, Subject: "AWS Notification Message"), including the SES
// mailbox simulator's (bounce@ / success@ / complaint@simulator.amazonses.com):
//
//   {"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General",
//    "bouncedRecipients":[{"emailAddress":"user@example.org","action":"failed","status":"5.1.1",
//    "diagnosticCode":"smtp; 550 5.1.1 user unknown"}], "reportingMTA":"dsn; a1-2.smtp-out..."}, ...}
//   {"notificationType":"Delivery","delivery":{"recipients":["user@example.org"],
//    "smtpResponse":"250 2.6.0 Message received", ...}}
//   {"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":...}],
//    "complaintFeedbackType":"abuse", ...}}
//
// The notification may come wrapped in the SNS envelope: {"Type" : "Notification", "Message" :
// "<the notification as a JSON string>", ...}. ("eventType" instead of "notificationType" in configuration-set event publishing.)
#include <nlohmann/json.hpp>

#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

using json = nlohmann::json;

std::string str(const json& obj, const char* key) {
    if (!obj.is_object()) return {};
    auto it = obj.find(key);
    if (it == obj.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

const json* member(const json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = ctx.body;
    std::size_t open = text.find('{');
    if (open == std::string_view::npos) return false;
    if (!util::icontains(text, "notificationType") && !util::icontains(text, "eventType")) return false;
    // The object ends at the last closing brace before the SNS footer.
    std::size_t close = text.rfind('}');
    if (close == std::string_view::npos || close < open) return false;
    std::string raw;
    raw.reserve(close - open + 1);
    for (char c : text.substr(open, close - open + 1))
        if (c != '\n') raw += c;
    json doc = json::parse(raw, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) return false;
    // The SNS envelope ({"Type" : "Notification", "Message" : "<JSON text>", ...}) carries the SES
    // notification as a string.
    if (str(doc, "Type") == "Notification") {
        json inner = json::parse(str(doc, "Message"), nullptr, false);
        if (inner.is_discarded() || !inner.is_object()) return false;
        doc = std::move(inner);
    }
    std::string kind = str(doc, "notificationType");
    if (kind.empty()) kind = str(doc, "eventType");
    std::string ts;
    if (kind == "Bounce") {
        const json* b = member(doc, "bounce");
        const json* list = b ? member(*b, "bouncedRecipients") : nullptr;
        if (!list || !list->is_array()) return false;
        std::string type = str(*b, "bounceType");
        std::string mta = str(*b, "reportingMTA");
        if (util::istarts_with(mta, "dsn;")) mta = std::string(util::trim(std::string_view(mta).substr(4)));
        for (const json& e : *list) {
            if (out.size() >= ctx.lim.max_recipients) break;
            record r = make_record(str(e, "emailAddress"), str(e, "diagnosticCode"));
            if (r.recipient.empty()) continue;
            r.action = str(e, "action");
            if (r.action.empty()) r.action = type == "Transient" ? "delayed" : "failed";
            r.status = str(e, "status");
            r.reporting_mta = mta;
            r.timestamp = str(*b, "timestamp");
            if (r.diagnostic.empty()) {
                // No server reply: SES's own classification is all there is.
                std::string sub = str(*b, "bounceSubType");
                r.diagnostic = type + (sub.empty() ? "" : " / " + sub);
                if (sub == "NoEmail") {
                    r.reason = "userunknown";
                    r.rule = "ses-bounce-noemail";
                } else if (sub == "MailboxFull") {
                    r.reason = "mailboxfull";
                    r.rule = "ses-bounce-mailboxfull";
                } else if (sub == "MessageTooLarge") {
                    r.reason = "mesgtoobig";
                    r.rule = "ses-bounce-messagetoolarge";
                } else if (sub == "ContentRejected") {
                    r.reason = "spamdetected";
                    r.rule = "ses-bounce-contentrejected";
                }
            }
            out.push_back(std::move(r));
        }
        return !out.empty();
    }
    if (kind == "Delivery") {
        const json* d = member(doc, "delivery");
        const json* list = d ? member(*d, "recipients") : nullptr;
        if (!list || !list->is_array()) return false;
        std::string resp = str(*d, "smtpResponse");
        for (const json& e : *list) {
            if (out.size() >= ctx.lim.max_recipients) break;
            if (!e.is_string()) continue;
            record r = make_record(e.get<std::string>(), resp);
            if (r.recipient.empty()) continue;
            r.action = "delivered";
            r.reporting_mta = str(*d, "reportingMTA");
            r.timestamp = str(*d, "timestamp");
            out.push_back(std::move(r));
        }
        return !out.empty();
    }
    if (kind == "Complaint") {
        const json* c = member(doc, "complaint");
        const json* list = c ? member(*c, "complainedRecipients") : nullptr;
        if (!list || !list->is_array()) return false;
        for (const json& e : *list) {
            if (out.size() >= ctx.lim.max_recipients) break;
            record r = make_record(str(e, "emailAddress"), "");
            if (r.recipient.empty()) continue;
            r.feedback_type = str(*c, "complaintFeedbackType");
            if (r.feedback_type.empty()) r.feedback_type = "abuse";
            r.reason = "feedback";
            r.rule = "ses-complaint-notification";
            r.timestamp = str(*c, "timestamp");
            out.push_back(std::move(r));
        }
        return !out.empty();
    }
    return false;
}

}  // namespace

extern const format format_amazonses{"amazonses", 400, parse};

}  // namespace ricochet::mta
