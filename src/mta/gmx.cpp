// mta/gmx: bounces of GMX and mail.com (the same platform as 1&1, see einsundeins.cpp). Plain text
// that starts like Exim's but lists the addresses unindented, quoted, each followed by its error:
//
//   This message was created automatically by mail delivery software.
//
//   A message that you sent could not be delivered to one or more of
//   its recipients. This is a permanent error. The following address
//   failed:
//
//   "kijitora@example.jp":
//
//   SMTP error from remote server after RCPT command:
//   host: mx.example.jp
//   5.1.1 <kijitora@example.jp>... User Unknown
//
//   --- The header of the original message is following. ---
//
// or "<kijitora@example.jp>\n\nReason:\ndelivery retry timeout exceeded". The "host: X" line names
// the remote MTA; "after RCPT command" / "for TEXT command" the command. "delivery retry timeout
// exceeded" is the platform's own give-up message (expired).
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {

namespace gmx_detail {

namespace {

// The address when the whole line is one address, possibly quoted, bracketed, with a colon.
std::string address_line(std::string_view t) {
    while (!t.empty() && (t.back() == ':' || t.back() == ' ')) t.remove_suffix(1);
    if (t.size() < 3 || t.find(' ') != std::string_view::npos) return {};
    if ((t.front() == '"' && t.back() == '"') || (t.front() == '<' && t.back() == '>')) t = t.substr(1, t.size() - 2);
    if (!util::looks_like_address(t)) return {};
    return util::clean_address(t);
}

std::string command_of(std::string_view d) {
    static constexpr std::pair<std::string_view, std::string_view> map[] = {
        {"after RCPT command", "RCPT"}, {"for RCPT command", "RCPT"}, {"after MAIL command", "MAIL"},
        {"for MAIL command", "MAIL"},   {"after DATA command", "DATA"}, {"for DATA command", "DATA"},
        {"for TEXT command", "DATA"},   {"after TEXT command", "DATA"}, {"after end of data", "DATA"},
        {"after EHLO command", "EHLO"}, {"after HELO command", "HELO"}, {"for EHLO command", "EHLO"},
        {"after initial connection", "CONN"}};
    for (auto& [k, v] : map)
        if (util::icontains(d, k)) return std::string(v);
    return {};
}

}  // namespace

bool records_from_text(const context& ctx, std::string_view text, std::vector<record>& out) {
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
    std::size_t list = util::ifind(text, "failed:");
    if (list == std::string_view::npos) return false;
    std::size_t eol = text.find('\n', list);
    if (eol == std::string_view::npos) return false;
    text = text.substr(eol + 1);
    std::vector<std::pair<record, std::string>> recs;  // record, command-bearing text
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        if (t.empty()) continue;
        if (util::istarts_with(t, "---")) break;
        std::string a = address_line(t);
        if (!a.empty()) {
            if (recs.size() >= ctx.lim.max_recipients) break;
            record r;
            r.recipient = a;
            recs.emplace_back(std::move(r), std::string());
            continue;
        }
        if (recs.empty()) continue;
        record& r = recs.back().first;
        std::string& intro = recs.back().second;
        if (util::iequals(t, "Reason:") || util::iequals(t, "For the following reason:")) continue;
        if (util::istarts_with(t, "host:")) {
            std::string_view h = util::trim(t.substr(5));
            r.remote_mta = util::ascii_lower(h.substr(0, h.find(' ')));
            continue;
        }
        if (util::istarts_with(t, "SMTP error from remote")) {
            // "SMTP error from remote server for TEXT command, host: X (ip) reason: 550 ..."
            intro = std::string(t);
            std::size_t h = util::ifind(t, "host: ");
            if (h != std::string_view::npos) {
                std::string_view hv = t.substr(h + 6);
                r.remote_mta = util::ascii_lower(hv.substr(0, hv.find_first_of(" ,(")));
            }
            std::size_t why = util::ifind(t, "reason:");
            if (why == std::string_view::npos) continue;
            t = util::trim(t.substr(why + 7));
        }
        if (r.diagnostic.size() < ctx.lim.max_diagnostic_bytes) {
            if (!r.diagnostic.empty()) r.diagnostic += ' ';
            r.diagnostic.append(t);
        }
    }
    for (auto& [r, intro] : recs) {
        r.diagnostic = clean_diagnostic(r.diagnostic);
        r.smtp_command = command_of(intro);
        if (util::icontains(r.diagnostic, "delivery retry timeout exceeded")) {
            r.reason = "expired";
            r.rule = "gmx-retry-timeout";
        } else if (util::istarts_with(r.diagnostic, "Mail size limit exceeded")) {
            r.reason = "mesgtoobig";
            r.rule = "1and1-size-limit";
        }
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace gmx_detail

namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view from = ctx.from;
    if (!util::icontains(from, "@gmx.") && !util::icontains(from, "@mail.gmx.") && !util::icontains(from, "mail.com>") &&
        !util::iends_with(util::trim(from), "@mail.com"))
        return false;
    std::size_t p = util::ifind(ctx.body, "This message was created automatically by mail delivery software");
    if (p == std::string_view::npos) return false;
    if (!util::icontains(ctx.body, "--- The header of the original message is following")) return false;
    return gmx_detail::records_from_text(ctx, before_original(ctx.body.substr(p)), out);
}

}  // namespace

extern const format format_gmx{"gmx", 400, parse};

}  // namespace ricochet::mta
