// mta/yahoo: Yahoo! Mail (and AOL / Yahoo Japan, sent by MAILER-DAEMON@<yahoo host>, "Failure
// Notice"), a qmail-like text:
//
//   Sorry, we were unable to deliver your message to the following address.
//
//   <user@example.org>:
//   Remote host said: 550 5.1.1 <user@example.org>... User Unknown [RCPT_TO]
//
//   --- Below this line is a copy of the message.
//
// Also "<user@example.org>:\n550: 5.2.2 ..." (no "Remote host said:") and Yahoo's own words
// ("No mx record found for domain=...", "Unable to deliver message after multiple retries, giving
// up."). The bracketed suffix names the SMTP command: [RCPT_TO], [MAIL_FROM], [DATA], [CONNECT].
#include "mta/common.h"
#include "mta/provider_codes.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = before_original(ctx.body);
    std::size_t head = util::ifind(text, "Sorry, we were unable to deliver your message to the following address");
    if (head == std::string_view::npos) return false;
    std::vector<std::string_view> ls = util::lines(text.substr(head));
    record* cur = nullptr;
    std::string diag;
    auto finish = [&] {
        if (!cur) return;
        std::string d = util::squeeze(diag);
        diag.clear();
        // "[RCPT_TO]" at the end names the command.
        static constexpr std::pair<std::string_view, std::string_view> cmds[] = {
            {"[RCPT_TO]", "RCPT"}, {"[MAIL_FROM]", "MAIL"}, {"[DATA]", "DATA"}, {"[CONNECT]", "CONN"}, {"[EHLO]", "EHLO"}, {"[HELO]", "HELO"}};
        for (auto [tag, cmd] : cmds) {
            if (util::iends_with(d, tag)) {
                cur->smtp_command = std::string(cmd);
                d = std::string(util::trim(std::string_view(d).substr(0, d.size() - tag.size())));
            }
        }
        if (util::istarts_with(d, "Remote host said:")) d = std::string(util::trim(std::string_view(d).substr(17)));
        // "550: 5.2.2 ..." : the colon after the reply code is Yahoo's, not the server's.
        if (d.size() > 4 && util::is_digit(d[0]) && util::is_digit(d[1]) && util::is_digit(d[2]) && d[3] == ':') d.erase(3, 1);
        cur->diagnostic = util::squeeze(d);
        auto [reason, rule] = provider_reason(cur->recipient, cur->diagnostic);
        if (!reason.empty()) {
            cur->reason = std::string(reason);
            cur->rule = std::string(rule);
        }
    };
    for (std::size_t i = 1; i < ls.size(); ++i) {
        std::string_view t = util::trim(ls[i]);
        if (t.empty()) continue;
        if (t.front() == '<' && t.back() == ':' && t.size() > 3) {
            std::string a = util::clean_address(t.substr(0, t.size() - 1));
            if (!a.empty()) {
                finish();
                if (out.size() >= ctx.lim.max_recipients) break;
                out.push_back(make_record(a, ""));
                cur = &out.back();
                cur->action = "failed";
                continue;
            }
        }
        if (!cur) continue;
        if (!diag.empty()) diag += ' ';
        diag += t;
    }
    finish();
    return !out.empty();
}

}  // namespace

extern const format format_yahoo{"yahoo", 460, parse};

}  // namespace ricochet::mta
