// mta/gmail: the plain-text bounces Gmail (googlemail.com) sent before it attached RFC 3464 parts.
//
//   Delivery to the following recipient failed permanently:      (or "recipients")
//
//        user@example.jp
//
//   Technical details of permanent failure:
//   Google tried to deliver your message, but it was rejected by the server for the recipient
//   domain example.jp by mx.example.jp. [192.0.2.153].
//
//   The error that the other server returned was:
//   550 5.1.1 <user@example.jp>... User Unknown
//
// and the warning "Delivery to the following recipient has been delayed:" with "Message will be
// retried for 2 more day(s)" / "Technical details of temporary failure:". Gmail's own verdicts:
// "The recipient server did not accept our requests to connect." in a permanent failure means it
// gave up after retrying (expired); "Remote server does not support TLS" is a STARTTLS failure.
// Messages that carry a message/delivery-status part are left to the googleworkspace/rfc3464 formats.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool from_google(std::string_view from) {
    return contains_any(from, {"@googlemail.com", "@google.com", "@gmail.com"});
}

// The indented addresses listed after the "Delivery to the following recipient(s) ..." line.
std::vector<std::string> listed(std::string_view text, std::size_t head, std::size_t max) {
    std::vector<std::string> out;
    std::size_t eol = text.find('\n', head);
    if (eol == std::string_view::npos) return out;
    bool seen = false;
    for (std::string_view l : util::lines(text.substr(eol + 1, 64 * 1024))) {
        std::string_view t = util::trim(l);
        if (t.empty()) {
            if (seen) break;
            continue;
        }
        std::string a = util::clean_address(t);
        if (a.empty()) break;
        seen = true;
        if (out.size() < max) out.push_back(a);
    }
    return out;
}

// Text after `label` up to the next blank line (or the end), unfolded.
std::string after_label(std::string_view text, std::string_view label) {
    std::size_t p = util::ifind(text, label);
    if (p == std::string_view::npos) return {};
    std::string_view rest = text.substr(p + label.size());
    // The value may start on the next line.
    std::size_t s = 0;
    while (s < rest.size() && util::is_space(rest[s])) ++s;
    rest.remove_prefix(s);
    std::size_t end = rest.find("\n\n");
    return util::squeeze(rest.substr(0, end));
}

bool parse(const context& ctx, std::vector<record>& out) {
    if (!ctx.msg.delivery_status.empty()) return false;
    std::string_view text = before_original(ctx.body);
    std::size_t head = find_marker_line(text, {"Delivery to the following recipient failed permanently",
                                               "Delivery to the following recipients failed permanently",
                                               "Delivery to the following recipient has been delayed",
                                               "Delivery to the following recipients have been delayed"});
    if (head == std::string_view::npos) return false;
    if (!from_google(ctx.from) && !util::icontains(text, "Technical details of")) return false;
    bool delayed = util::icontains(text.substr(head, 80), "delayed");

    std::vector<std::string> rcpts = listed(text, head, ctx.lim.max_recipients);
    if (rcpts.empty()) {
        for (const std::string& a : util::find_addresses(ctx.msg.headers.get("X-Failed-Recipients"), ctx.lim.max_recipients))
            rcpts.push_back(a);
    }
    if (rcpts.empty()) return false;

    std::string details = after_label(text, delayed ? "Technical details of temporary failure:" : "Technical details of permanent failure:");
    std::string returned = after_label(text, "The error that the other server returned was:");
    std::string remote;
    // "... by mx.example.jp. [192.0.2.153]."
    if (std::size_t by = details.rfind(" by "); by != std::string::npos && util::icontains(details, "recipient domain")) {
        std::size_t s = by + 4, e = s;
        while (e < details.size() && !util::is_space(details[e])) ++e;
        std::string_view host(details.data() + s, e - s);
        while (!host.empty() && host.back() == '.') host.remove_suffix(1);
        if (host.find('.') != std::string_view::npos && host.find('[') == std::string_view::npos) remote = util::ascii_lower(host);
    }
    std::string diag = returned;
    if (diag.empty()) diag = details;
    if (diag.empty() && delayed) {
        // "Message will be retried for 2 more day(s)"
        std::size_t p = util::ifind(text, "Message will be retried");
        if (p != std::string_view::npos) {
            std::size_t e = text.find('\n', p);
            diag = util::squeeze(text.substr(p, e == std::string_view::npos ? std::string_view::npos : e - p));
        }
    }
    for (const std::string& a : rcpts) {
        record r = make_record(a, diag);
        r.action = delayed ? "delayed" : "failed";
        r.remote_mta = remote;
        if (!delayed && util::icontains(diag, "did not accept our requests to connect")) {
            r.reason = "expired";
            r.rule = "gmail-connect-retries-exhausted";
        } else if (util::icontains(diag, "does not support TLS")) {
            r.reason = "failedstarttls";
            r.rule = "gmail-remote-no-tls";
        }
        out.push_back(std::move(r));
    }
    return true;
}

}  // namespace

extern const format format_gmail{"gmail", 450, parse};

}  // namespace ricochet::mta
