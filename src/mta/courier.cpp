// mta/courier: bounces of the Courier mail server (courier/module.dsn). A multipart/report whose
// text part reads:
//
//   This is a delivery status notification from mx.example.org,
//   running the Courier mail server, version 0.65.2.
//   ...
//                              UNDELIVERABLE MAIL
//   Your message to the following recipients cannot be delivered:
//
//   <kijitora@example.jp>:
//       mx.example.jp [192.0.2.1]:
//   >>> RCPT TO:<kijitora@example.jp>
//   <<< 550 5.1.1 <kijitora@example.jp>... User Unknown
//
//   ---------------------------------------------------------------------------
//
// ("DELAYS IN DELIVERING YOUR MESSAGE" / "has not yet been delivered" for delay notices, whose
// list follows "the following addresses only:".) Each
// "<address>:" line starts a recipient; the indented "host [ip]:" line names the remote MTA, ">>>"
// the command and "<<<" lines the remote server's answer. Status and Action come from the
// delivery-status part. Courier's own "No such domain." (without a remote answer) is hostunknown;
// its local delivery's "550 User <name> unknown" (no remote host, no command) is userunknown.
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

std::string cmd_of(std::string_view c) {
    if (util::istarts_with(c, "RCPT")) return "RCPT";
    if (util::istarts_with(c, "MAIL")) return "MAIL";
    if (util::istarts_with(c, "DATA") || c == ".") return "DATA";
    if (util::istarts_with(c, "EHLO")) return "EHLO";
    if (util::istarts_with(c, "HELO")) return "HELO";
    if (util::istarts_with(c, "(initial greeting)")) return "CONN";  // refused in the greeting
    return {};
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    if (!util::icontains(body, "running the Courier mail server")) return false;
    // "Your message to the following recipients cannot be delivered:"; a delay notice ends its
    // advice with "This is an advisory notice for the following addresses only:".
    std::size_t p = util::ifind(body, "following recipients");
    if (p == std::string_view::npos) p = util::ifind(body, "following addresses");
    if (p == std::string_view::npos) return false;
    std::string_view text = body.substr(p);
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
    const bool delayed = util::icontains(body, "DELAYS IN DELIVERING YOUR MESSAGE") || util::icontains(body, "has not yet been delivered");
    std::vector<std::string> replies;
    bool first = true;
    for (std::string_view line : util::lines(text)) {
        if (first) {
            first = false;
            continue;
        }
        std::string_view t = util::trim(line);
        if (t.empty()) continue;
        if (util::istarts_with(t, "-----")) {
            if (!out.empty()) break;
            continue;
        }
        if (t.front() == '<' && t.back() == ':' && !util::istarts_with(t, "<<<")) {
            // "<address>:" on a line of its own: an address even without a dot in its domain
            // ("user@localhost", Courier's own local delivery).
            std::string a = util::clean_address(t.substr(0, t.size() - 1), true);
            if (a.empty() || out.size() >= ctx.lim.max_recipients) continue;
            record r;
            r.recipient = a;
            out.push_back(std::move(r));
            replies.emplace_back();
            continue;
        }
        if (out.empty()) continue;
        record& r = out.back();
        if (util::istarts_with(t, ">>>")) {
            r.smtp_command = cmd_of(util::trim(t.substr(3)));
            replies.back().clear();
        } else if (util::istarts_with(t, "<<<")) {
            if (!replies.back().empty()) replies.back() += ' ';
            replies.back().append(util::trim(t.substr(3)));
        } else if (t.back() == ':' && util::is_space(line[0])) {
            std::string_view h = t.substr(0, t.size() - 1);
            r.remote_mta = util::ascii_lower(h.substr(0, h.find(' ')));
        } else {
            if (!replies.back().empty()) replies.back() += ' ';
            replies.back().append(t);
        }
    }
    if (out.empty()) return false;
    dsn::report rep;
    if (!ctx.msg.delivery_status.empty()) rep = dsn::parse(ctx.msg.delivery_status, ctx.lim);
    for (std::size_t i = 0; i < out.size(); ++i) {
        record& r = out[i];
        r.diagnostic = clean_diagnostic(replies[i]);
        if (delayed) r.action = "delayed";
        if (const dsn::per_recipient* pr = dsn_entry_for(rep, r.recipient)) complete_from_dsn(r, *pr, rep);
        if (r.smtp_command.empty() && util::istarts_with(r.diagnostic, "No such domain")) {
            r.reason = "hostunknown";
            r.rule = "courier-no-such-domain";
        }
        // Its local delivery, no remote server involved: "550 User <name> unknown" is a mailbox
        // this host does not have (not a filter's refusal after the address was accepted).
        if (r.smtp_command.empty() && r.remote_mta.empty() && util::icontains(r.diagnostic, "User <") &&
            util::iends_with(util::trim(r.diagnostic), "> unknown")) {
            r.reason = "userunknown";
            r.rule = "courier-local-user-unknown";
        }
    }
    return true;
}

}  // namespace

extern const format format_courier{"courier", 400, parse};

}  // namespace ricochet::mta
