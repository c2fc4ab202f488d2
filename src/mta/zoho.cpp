// mta/zoho: bounces of Zoho Mail (mailer-daemon@mail.zoho.com). Plain text, one line per address:
//
//   This message was created automatically by mail delivery software.
//   A message that you sent could not be delivered to one or more of its recipients. This is a permanent error.
//
//   kijitora@example.jp Invalid Address, ERROR_CODE :550, ERROR_CODE :5.1.1 <kijitora@example.jp>... User Unknown
//
// and the delay warning ("THIS IS A WARNING MESSAGE ONLY."):
//
//   ----- The following addresses had fatal errors -----
//   [Status: Error, Address: <kijitora@example.jp>, ResponseCode 421, , Host not reachable.]
//   Message will be retried for 4 more day(s)
//
// The reply code is the first ERROR_CODE (or ResponseCode); the diagnostic is the remote text after
// the last one. A warning whose message "will be retried" is still in the queue (action delayed).
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool three_digits(std::string_view s) {
    return s.size() == 3 && util::is_digit(s[0]) && util::is_digit(s[1]) && util::is_digit(s[2]) && (s[0] == '4' || s[0] == '5' || s[0] == '2');
}

// "Received:from ...", "Message-ID:<...>": the inline copy of the original message.
bool header_line(std::string_view l) {
    std::size_t i = 0;
    while (i < l.size() && (util::is_alpha(l[i]) || util::is_digit(l[i]) || l[i] == '-')) ++i;
    return i > 1 && i < l.size() && l[i] == ':';
}

bool parse(const context& ctx, std::vector<record>& out) {
    bool zoho = util::icontains(ctx.from, "zoho");
    for (const auto& h : ctx.msg.headers.fields)
        if (util::istarts_with(h.name, "X-Zoho")) zoho = true;
    if (!zoho) return false;
    if (!util::icontains(ctx.body, "created automatically by mail delivery")) return false;
    // Not before_original(): the warning's "The original message was received at" line comes before
    // the list. The copy of the original starts at its first header line.
    std::string_view text = ctx.body;
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
    const bool warning = util::icontains(text, "THIS IS A WARNING MESSAGE ONLY") || util::icontains(text, "will be retried");
    // Join folded lines: an entry continues on lines that do not start a new entry.
    std::vector<std::string> entries;
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        if (t.empty()) continue;
        if (header_line(line)) break;
        bool starts = util::istarts_with(t, "[Status:") || util::icontains(t, "ERROR_CODE :") || util::icontains(t, "ERROR_CODE:");
        if (starts) {
            if (entries.size() >= ctx.lim.max_recipients) break;
            entries.emplace_back(t);
        } else if (!entries.empty() && entries.back().back() != ']' && !util::istarts_with(t, "Message will be retried") &&
                   !util::istarts_with(t, "-----") && util::is_space(line[0])) {
            entries.back() += ' ';
            entries.back().append(t);
        }
    }
    for (const std::string& e : entries) {
        std::string_view v = e;
        record r;
        if (util::istarts_with(v, "[Status:")) {
            // [Status: Error, Address: <addr>, ResponseCode 421, , Host not reachable.]
            if (v.back() == ']') v.remove_suffix(1);
            std::size_t a = util::ifind(v, "Address:");
            if (a == std::string_view::npos) continue;
            std::size_t comma = v.find(',', a);
            r.recipient = util::clean_address(util::trim(v.substr(a + 8, comma == std::string_view::npos ? std::string_view::npos : comma - a - 8)));
            std::size_t rc = util::ifind(v, "ResponseCode");
            std::string_view rest = comma == std::string_view::npos ? std::string_view() : v.substr(comma + 1);
            if (rc != std::string_view::npos) {
                std::string_view code = util::trim(v.substr(rc + 12, 4));
                if (three_digits(code.substr(0, 3))) r.reply_code = std::string(code.substr(0, 3));
                std::size_t c2 = v.find(',', rc);
                rest = c2 == std::string_view::npos ? std::string_view() : v.substr(c2 + 1);
            }
            while (!rest.empty() && (rest.front() == ',' || rest.front() == ' ')) rest.remove_prefix(1);
            r.diagnostic = util::squeeze(rest);
        } else {
            // addr Invalid Address, ERROR_CODE :550, ERROR_CODE :text
            std::size_t sp = v.find(' ');
            r.recipient = util::clean_address(v.substr(0, sp));
            std::size_t first = util::ifind(v, "ERROR_CODE");
            std::size_t last = first;
            for (std::size_t p = first; (p = util::ifind(v, "ERROR_CODE", p + 1)) != std::string_view::npos;) last = p;
            auto value_at = [&](std::size_t p) {
                std::size_t c = v.find(':', p);
                return c == std::string_view::npos ? std::string_view() : util::trim(v.substr(c + 1));
            };
            std::string_view code = value_at(first);
            if (code.size() >= 3 && three_digits(code.substr(0, 3))) r.reply_code = std::string(code.substr(0, 3));
            std::string_view diag = last != first ? value_at(last) : code.substr(std::min<std::size_t>(code.size(), 3));
            r.diagnostic = util::squeeze(diag);
        }
        if (r.recipient.empty()) continue;
        if (warning) {
            r.action = "delayed";
            if (util::icontains(r.diagnostic, "Host not reachable")) {
                r.reason = "expired";
                r.rule = "zoho-delayed-unreachable";
            }
        }
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_zoho{"zoho", 400, parse};

}  // namespace ricochet::mta
