// mta/mdaemon: MDaemon (Alt-N / MDaemon Technologies). A text notice, the message attached after
// it, and a log of the SMTP session with time stamps, "-->" for what MDaemon sent and "<--" for
// the remote server's replies:
//
//   The attached message had PERMANENT fatal delivery errors!
//
//   After one or more unsuccessful delivery attempts the attached message has
//   been removed from the mail queue on this server. ...
//
//   --- Session Transcript ---
//    Mon 2024-03-04 09:59:58: *  To: user@example.org
//    Mon 2024-03-04 09:59:58: Attempting SMTP connection to [mx.example.org : 25]
//    Mon 2024-03-04 09:59:58: --> RCPT To:<user@example.org>
//    Mon 2024-03-04 09:59:58: <-- 550 5.1.1 <user@example.org>: User unknown
//   --- End Transcript ---
//
// Delay notices say "has been delayed" or "temporarily undeliverable" in the first line instead.
// Per recipient, the reply to its RCPT is the answer when it refused; when it was accepted, the
// first refusal after it (to DATA, usually) is. Without a session (a connection that never
// opened), the log's last line is the diagnostic.
#include "dsn/codes.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

constexpr std::string_view permanent_marks[] = {"had PERMANENT fatal delivery errors", "PERMANENT fatal delivery error"};
constexpr std::string_view delay_marks[] = {"has been delayed", "temporarily undeliverable", "had TEMPORARY delivery errors",
                                            "temporary delivery error"};

// The log line's text after its "Day YYYY-MM-DD HH:MM:SS: " stamp, trimmed.
std::string_view after_stamp(std::string_view line) {
    std::string_view t = util::trim(line);
    // "Mon 2024-03-04 09:59:58: " (the weekday is optional in some versions)
    std::size_t c = t.find(": ");
    if (c != std::string_view::npos && c <= 28) {
        std::string_view stamp = t.substr(0, c);
        bool has_time = stamp.size() >= 8 && util::is_digit(stamp[stamp.size() - 1]) && stamp[stamp.size() - 3] == ':';
        if (has_time) return util::trim(t.substr(c + 2));
    }
    return t;
}

template <std::size_t N>
bool says_any(std::string_view text, const std::string_view (&marks)[N]) {
    for (std::string_view m : marks)
        if (util::icontains(text, m)) return true;
    return false;
}

bool is_reply(std::string_view t) { return util::istarts_with(t, "<--"); }
bool is_sent(std::string_view t) { return util::istarts_with(t, "-->"); }

// "<-- 550 5.1.1 text": the reply without the arrow; empty when not a 4xx/5xx.
std::string_view refusal(std::string_view t) {
    if (!is_reply(t)) return {};
    std::string_view r = util::trim(t.substr(3));
    if (r.size() < 3 || (r[0] != '4' && r[0] != '5') || !util::is_digit(r[1]) || !util::is_digit(r[2])) return {};
    return r;
}

struct session {
    std::vector<std::string_view> log;  // stamped lines, stamps removed
    std::vector<std::string> recipients;
};

session read_session(std::string_view text, const limits& lim) {
    session s;
    for (std::string_view line : util::lines(text)) {
        std::string_view t = after_stamp(line);
        if (t.empty()) continue;
        if (s.log.size() < 4096) s.log.push_back(t);
        // "*  To: user@example.org" (the envelope recipients MDaemon was delivering to)
        if (t.front() == '*') {
            std::string_view v = util::trim(t.substr(1));
            if (util::istarts_with(v, "To:")) {
                for (const std::string& a : util::find_addresses(v.substr(3), lim.max_recipients))
                    if (s.recipients.size() < lim.max_recipients) s.recipients.push_back(a);
            }
        }
    }
    return s;
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = before_original(ctx.body);
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
    bool permanent = says_any(text, permanent_marks);
    bool delayed = !permanent && says_any(text, delay_marks);
    bool transcript = util::icontains(text, "Session Transcript") && util::icontains(text, "<-- ");
    bool header = ctx.msg.headers.has("X-MDaemon-Deliver-To") || util::icontains(ctx.from, "MDaemon@");
    if (!(permanent || delayed) || !(transcript || header)) return false;

    session s = read_session(text.substr(std::min(text.size(), util::ifind(text, "Session Transcript"))), ctx.lim);
    std::vector<std::string> rcpts = s.recipients;
    if (rcpts.empty()) {
        // The RCPT commands in the log, else the addresses listed in the notice.
        for (std::string_view t : s.log)
            if (is_sent(t) && util::icontains(t, "RCPT TO"))
                if (std::string a = util::first_address(t); !a.empty() && rcpts.size() < ctx.lim.max_recipients) rcpts.push_back(a);
    }
    if (rcpts.empty()) return false;

    std::string remote;
    for (std::string_view t : s.log)
        if (std::size_t p = util::ifind(t, "connection to ["); p != std::string_view::npos) {
            std::string_view h = t.substr(p + 15);
            remote = std::string(util::trim(h.substr(0, h.find_first_of(" :]"))));
            break;
        }
    for (const std::string& a : rcpts) {
        std::string diag, command;
        // The reply to this recipient's RCPT; when it was accepted, the first refusal after it.
        std::size_t i = 0;
        for (; i < s.log.size(); ++i)
            if (is_sent(s.log[i]) && util::icontains(s.log[i], "RCPT TO") && util::icontains(s.log[i], a)) break;
        if (i < s.log.size()) {
            std::string_view current = "RCPT";
            for (std::size_t j = i + 1; j < s.log.size(); ++j) {
                std::string_view t = s.log[j];
                if (is_sent(t)) {
                    std::string_view c = util::trim(t.substr(3));
                    current = util::istarts_with(c, "DATA") || c == "." ? std::string_view("DATA") : util::istarts_with(c, "QUIT") ? "QUIT" : current;
                    continue;
                }
                if (std::string_view r = refusal(t); !r.empty() && current != "QUIT") {
                    diag = std::string(r);
                    command = std::string(current);
                    break;
                }
            }
        }
        if (diag.empty()) {
            // No RCPT for it (refused at connection, greeting or MAIL): the first refusal, else
            // the log's last words.
            std::string_view last_sent;
            for (std::string_view t : s.log) {
                if (is_sent(t)) last_sent = util::trim(t.substr(3));
                if (std::string_view r = refusal(t); !r.empty()) {
                    diag = std::string(r);
                    command = util::istarts_with(last_sent, "MAIL") ? "MAIL" : util::istarts_with(last_sent, "EHLO") ? "EHLO"
                              : util::istarts_with(last_sent, "HELO")   ? "HELO" : last_sent.empty() ? "CONN" : "";
                    break;
                }
            }
        }
        if (diag.empty() && !s.log.empty()) {
            for (auto it = s.log.rbegin(); it != s.log.rend(); ++it)
                if (!util::istarts_with(*it, "---") && !is_sent(*it)) {
                    diag = std::string(*it);
                    break;
                }
        }
        record r = make_record(a, diag);
        if (r.recipient.empty()) continue;
        r.smtp_command = command;
        r.remote_mta = remote;
        r.action = delayed ? "delayed" : "failed";
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_mdaemon{"mdaemon", 400, parse};

}  // namespace ricochet::mta
