// mta/ezweb: the notice of au by KDDI's EZweb mail system (From: Postmaster@ezweb.ne.jp, Received
// "by ... (EZweb Mail)", Subject "Mail System Error - Returned Mail"). A Japanese preface, then:
//
//   The user(s) account is disabled.
//
//   <user@ezweb.ne.jp>: 550 user unknown (in reply to RCPT TO command)
//
// or the SMTP transcript form:
//
//   Each of the following recipients was rejected by a remote
//   mail server.
//
//       Recipient: <user@example.com>
//       >>> RCPT TO:<user@example.com>
//       <<< 550 <user@example.com>: User unknown
//
// Recipients are the "Recipient: <addr>" lines and the lines that start with "<addr>"; "<<<" lines
// are the remote server's reply and ">>>" lines the command. EZweb's own sentences state the
// reason: "The user(s) account is disabled." / "... is temporarily limited." (suspend), "... is
// temporarily over quota" (mailboxfull), "Your message was not delivered within" (expired); a notice
// with the header "X-SPASIGN: NG" was refused by the recipient's own domain filter (filtered).
#include "dsn/codes.h"
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

struct phrase {
    std::string_view text, reason, rule;
};
constexpr phrase own[] = {
    {"The user(s) account is disabled", "suspend", "ezweb-account-disabled"},
    {"The user(s) account is temporarily limited", "suspend", "ezweb-account-limited"},
    {"The user(s) account is temporarily over quota", "mailboxfull", "ezweb-over-quota"},
    {"Your message was not delivered within", "expired", "ezweb-not-delivered-within"},
};

bool is_ezweb(const context& ctx) {
    if (util::icontains(ctx.from, "@ezweb.ne.jp")) return true;
    for (const auto& f : ctx.msg.headers.fields)
        if (util::iequals(f.name, "Received") && util::icontains(f.value, "(EZweb Mail)")) return true;
    return false;
}

// "<addr>" or "<addr>: text" at the start of a line: the address, and the text after it.
bool angle_line(std::string_view t, std::string& addr, std::string_view& rest) {
    if (t.empty() || t.front() != '<') return false;
    std::size_t gt = t.find('>');
    if (gt == std::string_view::npos) return false;
    addr = util::clean_address(t.substr(0, gt + 1));
    if (addr.empty()) return false;
    rest = util::trim(t.substr(gt + 1));
    if (!rest.empty() && rest.front() == ':') rest = util::trim(rest.substr(1));
    return true;
}

bool parse(const context& ctx, std::vector<record>& out) {
    if (!is_ezweb(ctx)) return false;
    std::string_view text = before_original(ctx.body);
    if (!contains_any(text, {"Each of the following recipients was rejected", "The user(s) account is",
                             "Your message was not delivered within"}) &&
        !util::icontains(ctx.subject, "Mail System Error - Returned Mail"))
        return false;
    // The copy of the original headers follows a line of dashes.
    std::size_t dash = text.find("\n-----");
    if (dash != std::string_view::npos) text = text.substr(0, dash + 1);
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);

    const phrase* said = nullptr;
    std::string said_line;
    for (const auto& p : own) {
        std::size_t at = util::ifind(text, p.text);
        if (at == std::string_view::npos) continue;
        said = &p;
        std::size_t eol = text.find('\n', at);
        said_line = std::string(util::trim(text.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at)));
        break;
    }
    const bool spasign_ng = util::iequals(util::trim(ctx.msg.headers.get("X-SPASIGN")), "NG");

    struct entry {
        std::string addr, command, diag;
    };
    std::vector<entry> found;
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        if (t.empty()) continue;
        std::string addr;
        std::string_view rest;
        if (util::istarts_with(t, "Recipient:")) {
            addr = util::first_address(t.substr(10));
            if (addr.empty()) continue;
            if (found.size() >= ctx.lim.max_recipients) break;
            found.push_back({addr, {}, {}});
        } else if (util::istarts_with(t, ">>>")) {
            if (!found.empty()) found.back().command = dsn::find_command(t);
        } else if (util::istarts_with(t, "<<<")) {
            if (found.empty()) continue;
            entry& e = found.back();
            if (e.diag.size() < ctx.lim.max_diagnostic_bytes) {
                if (!e.diag.empty()) e.diag += ' ';
                e.diag.append(util::trim(t.substr(3)));
            }
        } else if (angle_line(t, addr, rest)) {
            if (found.size() >= ctx.lim.max_recipients) break;
            found.push_back({addr, {}, std::string(rest)});
        }
    }
    for (auto& e : found) {
        bool dup = false;
        for (const auto& o : out) dup = dup || o.recipient == e.addr;
        if (dup) continue;
        record r = make_record(e.addr, e.diag.empty() ? std::string_view(said_line) : std::string_view(e.diag));
        if (r.recipient.empty()) continue;
        r.smtp_command = e.command;
        if (spasign_ng) {
            r.reason = "filtered";
            r.rule = "ezweb-spasign-ng";
        } else if (said) {
            r.reason = std::string(said->reason);
            r.rule = std::string(said->rule);
        }
        out.push_back(std::move(r));
    }
    if (out.empty()) return false;
    if (!ctx.msg.delivery_status.empty()) {
        dsn::report rep = dsn::parse(ctx.msg.delivery_status, ctx.lim);
        for (auto& r : out)
            if (const dsn::per_recipient* pr = dsn_entry_for(rep, r.recipient)) complete_from_dsn(r, *pr, rep);
    }
    return true;
}

}  // namespace

extern const format format_ezweb{"ezweb", 400, parse};

}  // namespace ricochet::mta
