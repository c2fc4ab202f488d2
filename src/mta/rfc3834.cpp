// mta/rfc3834: automatic responses (RFC 3834): "Auto-Submitted: auto-replied", Exchange's
// "Automatic reply:", X-Autoreply, vacation programs. Not a bounce: one record for the person who
// answered (the From address) with reason `vacation`, unless the text says the mailbox is gone or
// no longer read ("no longer in use"), which the classifier then judges from the text.
//
// Delivery reports are never auto-replies here: a message with a delivery-status part, or a
// subject of a delivery failure, is left to the other formats.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

// The responders' own subject prefixes and words ("Automatic reply:", "Out of Office").
bool auto_reply_subject(std::string_view subject) {
    std::string_view s = util::trim(subject);
    // ("[Automatyczna odpowiedź] ..." brackets the prefix.)
    if (!s.empty() && s.front() == '[') s = util::trim(s.substr(1));
    // The responders' own subject prefixes, in the languages mail clients ship.
    static constexpr std::string_view prefixes[] = {
        "Automatic reply:", "Auto reply:", "Auto-reply:", "Autoreply:", "Auto:", "Out of Office", "Out of the office", "OOO:",
        "AutoResponse", "Automatic response", "Automated response", "Abwesenheitsnotiz", "Automatische Antwort", "Réponse automatique",
        "Risposta automatica", "Fuori ufficio", "Respuesta automática", "Fuera de la oficina", "Resposta automática",
        "Automatisch antwoord", "Afwezig", "Automatyczna odpowiedź", "Automatisk svar", "Autosvar", "Автоответ",
        "Автоматический ответ", "Ответ автоматически", "自動応答", "自动回复", "自動回覆", "자동 응답"};
    for (std::string_view p : prefixes)
        if (util::istarts_with(s, p)) return true;
    return contains_any(s, {"out of office", "out of the office", "automated response", "automatic reply"});
}

bool looks_auto_reply(const context& ctx) {
    const auto& h = ctx.msg.headers;
    std::string_view as = h.get("Auto-Submitted");
    if (util::istarts_with(util::trim(as), "auto-replied")) return true;
    if (h.has("X-Autoreply") || h.has("X-Autorespond") || h.has("X-Autoresponse") || h.has("X-Auto-Reply-From") || h.has("X-Vacation"))
        return true;
    if (util::iequals(util::trim(h.get("Precedence")), "auto_reply")) return true;
    return auto_reply_subject(ctx.subject);
}

bool parse(const context& ctx, std::vector<record>& out) {
    if (!ctx.msg.delivery_status.empty() || !ctx.msg.feedback_report.empty()) return false;
    if (!looks_auto_reply(ctx)) return false;
    const bool daemon = util::first_address(ctx.from).empty() || contains_any(ctx.from, {"mailer-daemon", "postmaster", "mail delivery"});
    const bool auto_replied = util::istarts_with(util::trim(ctx.msg.headers.get("Auto-Submitted")), "auto-replied");
    const bool responder_subject = auto_reply_subject(ctx.subject);
    // A person's own responder by every mark (its address, the RFC 3834 header, a responder's
    // subject prefix, no returned message) is an auto-reply whatever words it borrows from bounces
    // ("Automatic reply: Undeliverable ...", "could not be delivered to me personally").
    const bool certain = !daemon && auto_replied && responder_subject && ctx.msg.original_headers.fields.empty();
    if (!certain &&
        (contains_any(ctx.subject, {"undeliver", "delivery status", "failure notice", "returned mail", "delivery fail", "mail delivery"}) ||
         contains_any(ctx.body.substr(0, 4096), {"could not be delivered", "delivery software", "permanent error", "delivery has failed",
                                                 "undeliverable", "was not delivered", "delivery failed"})))
        return false;
    // Mailer daemons mark their bounces auto-replied too (Exim does): those are not auto-replies.
    // Nor is a message from the null address ("From: <>"): a person's responder has an address.
    // Unless the subject is a responder's own ("Out of Office Re: ...") with every mark of an
    // automatic reply: a sending service (Amazon SES) passes responders' answers on under its own
    // daemon's address.
    const bool relayed = daemon && responder_subject && auto_replied;
    if (daemon && !relayed) return false;
    record r;
    if (relayed) {
        // The responder's address is lost; the returned message's recipient, when it came back.
        r.recipient = util::first_address(ctx.msg.original_headers.get("To"));
        r.warnings.push_back("an automatic reply passed on under a mail system's address: the responder's own address is not given");
    } else {
        r.recipient = util::first_address(ctx.from);
    }
    std::string text = util::squeeze(ctx.body.substr(0, std::min<std::size_t>(ctx.body.size(), 2048)));
    // A responder that says the mailbox is gone is a soft "suspend"-like answer, not a vacation.
    bool gone = contains_any(text, {"no longer in use", "no longer active", "no longer monitored", "no longer valid",
                                    "is no longer with", "has been disabled", "has been closed", "is not monitored"});
    if (!gone) {
        r.reason = "vacation";
        r.rule = "rfc3834-auto-reply";
    }
    r.diagnostic = text.substr(0, std::min<std::size_t>(text.size(), 512));
    r.action = "";
    out.push_back(std::move(r));
    return true;
}

}  // namespace

extern const format format_rfc3834{"rfc3834", 20, parse};

}  // namespace ricochet::mta
