// mta/googleworkspace: the current Gmail / Google Workspace bounce, sent by
// mailer-daemon@googlemail.com (or @google.com) as text + HTML, usually with a
// message/delivery-status part:
//
//   ** Message not delivered **            / "Address not found" / "Delivery incomplete"
//   Your message wasn't delivered to user@example.org because the address couldn't be found. ...
//   There was a temporary problem delivering your message to user@example.org. Gmail will retry ...
//   The response was:                      / "The response from the remote server was:"
//   550 5.1.1 The email account that you tried to reach does not exist. ...
//
// Recipients come from the delivery-status part when there is one, else X-Failed-Recipients; the
// diagnostic is the Diagnostic-Code, else the text after "The response was:", else Google's own
// sentence. Google's own verdicts set the reason: "because the address couldn't be found"
// (userunknown), "did not accept our requests to connect" in a permanent failure (retries
// exhausted: expired), and the 'Send mail as' misconfiguration (the sender was refused: rejected).
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

std::string after_label(std::string_view text, std::string_view label) {
    std::size_t p = util::ifind(text, label);
    if (p == std::string_view::npos) return {};
    std::string_view rest = text.substr(p + label.size());
    std::size_t s = 0;
    while (s < rest.size() && util::is_space(rest[s])) ++s;
    rest.remove_prefix(s);
    std::size_t end = rest.find("\n\n");
    rest = rest.substr(0, end);
    // The HTML alternative repeats the text: stop there.
    for (std::string_view stop : {"** Message not delivered **", "Message not delivered\n", "Address not found\n", "Delivery incomplete\n"}) {
        std::size_t q = util::ifind(rest, stop);
        if (q != std::string_view::npos) rest = rest.substr(0, q);
    }
    return util::squeeze(rest);
}

// The sentence of Google's own explanation that names the recipient.
std::string google_sentence(std::string_view text) {
    for (std::string_view cue : {"Your message wasn't delivered to", "There was a temporary problem delivering your message to",
                                 "You're sending this from a different address"}) {
        std::size_t p = util::ifind(text, cue);
        if (p == std::string_view::npos) continue;
        std::size_t e = text.find('\n', p);
        return util::squeeze(text.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p));
    }
    return {};
}

// Google's sentence decides only when the remote server's words do not: it says "the address
// couldn't be found" for many refusals at RCPT, whatever the server said.
void google_verdict(record& r, std::string_view sentence) {
    bool own_words = r.diagnostic.empty() || r.diagnostic == util::squeeze(sentence) || util::istarts_with(r.diagnostic, "Your message wasn't delivered");
    if (!own_words && !util::icontains(sentence, "'Send mail as'")) {
        if (r.action != "delayed" && util::icontains(r.diagnostic, "did not accept our requests to connect")) {
            r.reason = "expired";
            r.rule = "google-connect-retries-exhausted";
        }
        return;
    }
    if (util::icontains(sentence, "because the address couldn't be found") || util::icontains(sentence, "because the address could not be found")) {
        r.reason = "userunknown";
        r.rule = "google-address-not-found";
    } else if (util::icontains(sentence, "'Send mail as'") || util::icontains(sentence, "CustomFromDenied")) {
        r.reason = "rejected";
        r.rule = "google-send-mail-as-denied";
    } else if (r.action != "delayed" && util::icontains(r.diagnostic, "did not accept our requests to connect")) {
        r.reason = "expired";
        r.rule = "google-connect-retries-exhausted";
    }
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = before_original(ctx.body);
    // Google's own sender; or, for a report passed on without its headers (a pasted body, a
    // relay that rewrote the From to its own daemon), a daemon address and Google's fixed banners.
    const bool google_from = contains_any(ctx.from, {"@googlemail.com", "@google.com"});
    const bool daemon_from = util::icontains(ctx.from, "mailer-daemon@");
    if (!google_from && !(daemon_from && contains_any(text, {"** Delivery incomplete **", "** Message not delivered **", "** Address not found **",
                                                              "Gmail will retry for"})))
        return false;
    bool google_text = contains_any(text, {"** Message not delivered **", "Your message wasn't delivered to",
                                           "There was a temporary problem delivering your message to", "The response was:",
                                           "The response from the remote server was:"});
    if (!google_text) return false;
    std::string response = after_label(text, "The response from the remote server was:");
    if (response.empty()) response = after_label(text, "The response was:");
    std::string sentence = google_sentence(text);
    if (util::icontains(text, "'Send mail as'")) sentence = "'Send mail as' " + sentence;

    dsn::report rep;
    if (!ctx.msg.delivery_status.empty()) rep = dsn::parse(ctx.msg.delivery_status, ctx.lim);
    if (!rep.recipients.empty()) {
        for (auto& pr : rep.recipients) {
            std::string addr = util::looks_like_address(pr.final_recipient) ? pr.final_recipient : pr.original_recipient;
            record r = make_record(addr, pr.diagnostic.empty() ? std::string_view(response) : std::string_view(pr.diagnostic));
            if (r.diagnostic.empty()) r.diagnostic = sentence;
            r.action = pr.action;
            r.status = pr.status;
            r.remote_mta = pr.remote_mta;
            r.diagnostic_type = pr.diagnostic_type;
            r.reporting_mta = rep.message.reporting_mta;
            if (!pr.last_attempt_date.empty()) r.timestamp = mime::to_rfc3339(pr.last_attempt_date);
            google_verdict(r, sentence);
            out.push_back(std::move(r));
        }
        return true;
    }
    std::vector<std::string> rcpts = util::find_addresses(ctx.msg.headers.get("X-Failed-Recipients"), ctx.lim.max_recipients);
    if (rcpts.empty() && !sentence.empty()) {
        std::string a = util::first_address(sentence);
        if (!a.empty()) rcpts.push_back(a);
    }
    if (rcpts.empty()) return false;
    bool delayed = util::icontains(text, "There was a temporary problem delivering");
    for (const std::string& a : rcpts) {
        record r = make_record(a, response.empty() ? std::string_view(sentence) : std::string_view(response));
        r.action = delayed ? "delayed" : "failed";
        google_verdict(r, sentence);
        out.push_back(std::move(r));
    }
    return true;
}

}  // namespace

extern const format format_googleworkspace{"googleworkspace", 460, parse};

}  // namespace ricochet::mta
