#include "dsn/codes.h"

#include "util/text.h"

namespace ricochet::dsn {
namespace {

bool is_d(char c) { return util::is_digit(c); }

}  // namespace

bool valid_status(std::string_view s) noexcept {
    // class "." subject(1-3 digits) "." detail(1-3 digits)
    if (s.size() < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.') return false;
    std::size_t i = 2, n = 0;
    while (i < s.size() && is_d(s[i])) ++i, ++n;
    if (n < 1 || n > 3 || i >= s.size() || s[i] != '.') return false;
    ++i;
    n = 0;
    while (i < s.size() && is_d(s[i])) ++i, ++n;
    return n >= 1 && n <= 3 && i == s.size();
}

std::string find_enhanced_status(std::string_view t) {
    // As for reply codes: in a transcript the accepted commands' 2.x.x come before the refusal, so
    // the first 4.x.x or 5.x.x is the answer; a 2.x.x only when there is no other.
    std::string_view success;
    for (std::size_t i = 0; i + 5 <= t.size(); ++i) {
        char c = t[i];
        if (c != '2' && c != '4' && c != '5') continue;
        if (t[i + 1] != '.') continue;
        if (i > 0 && (is_d(t[i - 1]) || t[i - 1] == '.' || util::is_alpha(t[i - 1]))) continue;
        std::size_t j = i + 2, n = 0;
        while (j < t.size() && is_d(t[j])) ++j, ++n;
        if (n < 1 || n > 3 || j >= t.size() || t[j] != '.') continue;
        ++j;
        std::size_t m = 0;
        while (j < t.size() && is_d(t[j])) ++j, ++m;
        if (m < 1 || m > 3) continue;
        // "5.1.1.2" (an IP or a version) is not a status.
        if (j < t.size() && (is_d(t[j]) || (t[j] == '.' && j + 1 < t.size() && is_d(t[j + 1])))) continue;
        if (j < t.size() && util::is_alpha(t[j])) continue;
        if (c != '2') return std::string(t.substr(i, j - i));
        if (success.empty()) success = t.substr(i, j - i);
    }
    return std::string(success);
}

std::string find_reply_code(std::string_view t) {
    // A transcript holds the greeting and the accepted commands' 2xx replies before the refusal:
    // the first 4xx or 5xx reply is the answer; a 2xx only when there is no other.
    std::string_view success;
    for (std::size_t i = 0; i + 3 <= t.size(); ++i) {
        char c = t[i];
        if (c != '2' && c != '4' && c != '5') continue;
        if (!is_d(t[i + 1]) || !is_d(t[i + 2])) continue;
        if (t[i + 1] > '5') continue;
        if (i > 0) {
            char p = t[i - 1];
            if (is_d(p) || util::is_alpha(p) || p == '.' || p == '-' || p == '_' || p == '/' || p == '=' || p == '#' || p == '+' ||
                p == '@' || p == '%' || p == '$')
                continue;
            // "[-5]" style provider codes and times "10:550" are not reply codes.
            if (p == ':' && i >= 2 && is_d(t[i - 2])) continue;
        }
        std::size_t j = i + 3;
        if (j < t.size()) {
            char n = t[j];
            if (!(n == ' ' || n == '-' || n == '\t' || n == '\r' || n == '\n' || n == ')' || n == ',' || n == ';' || n == ':' || n == '"' || n == ']'))
                continue;
            // "550-5.1.1" or "550 5.1.1" or "550 text"; reject "250 bytes"/"500 KB" style sizes.
            std::string_view rest = util::trim(t.substr(j, 8));
            if (util::istarts_with(rest, "bytes") || util::istarts_with(rest, "kb") || util::istarts_with(rest, "mb") ||
                util::istarts_with(rest, "ms") || util::istarts_with(rest, "seconds") || util::istarts_with(rest, "minutes"))
                continue;
        }
        if (c != '2') return std::string(t.substr(i, 3));
        if (success.empty()) success = t.substr(i, 3);
    }
    return std::string(success);
}

std::string find_command(std::string_view t) {
    struct cue {
        std::string_view text;
        std::string_view command;
    };
    // The most explicit forms first: Postfix "in reply to X command", Exim "after X", Sendmail ">>> X".
    static const cue cues[] = {
        {"in reply to rcpt to", "RCPT"}, {"in reply to mail from", "MAIL"}, {"in reply to end of data", "DATA"},
        {"in reply to data", "DATA"}, {"in reply to ehlo", "EHLO"}, {"in reply to helo", "HELO"},
        {"in reply to starttls", "STARTTLS"}, {"in reply to auth", "AUTH"}, {"in reply to the rcpt", "RCPT"},
        {"after rcpt to", "RCPT"}, {"after rcpt command", "RCPT"}, {"after mail from", "MAIL"}, {"after mail command", "MAIL"}, {"after end of data", "DATA"}, {"after data", "DATA"},
        {"after ehlo", "EHLO"}, {"after helo", "HELO"}, {"after starttls", "STARTTLS"}, {"after auth", "AUTH"},
        {"after initial connection", "CONN"}, {"after pipelined rcpt to", "RCPT"}, {"after pipelined mail from", "MAIL"},
        {"after pipelined data", "DATA"}, {"after sending data block", "DATA"}, {"refused to talk to me", "CONN"},
        {">>> rcpt to", "RCPT"}, {">>> mail from", "MAIL"}, {">>> data", "DATA"}, {">>> ehlo", "EHLO"}, {">>> helo", "HELO"},
        {"rcpt to:", "RCPT"}, {"rcpt to <", "RCPT"}, {"mail from:", "MAIL"}, {"smtp; rcpt", "RCPT"},
        {"while talking to", ""},
        {"connect to", "CONN"}, {"failure reply of rcpt", "RCPT"}, {"does not like recipient", "RCPT"},
        // qmail's framing of the remote reply.
        {"but sender was rejected", "MAIL"}, {"but my name was rejected", "HELO"}, {"but greeting failed", "CONN"},
        {"failed after i sent the message", "DATA"},
        {"rcpt to", "RCPT"}, {"mail from", "MAIL"}, {"end of data", "DATA"},
    };
    // The bare "rcpt to" / "mail from" are also prose ("does not accept mail from this sender"):
    // only the command's own upper-case spelling counts for them.
    auto bare = [](std::string_view cue) { return cue == "rcpt to" || cue == "mail from"; };
    // One lower-cased copy, then plain searches: cheaper than ~45 case-insensitive ones.
    std::string lower(t);
    for (char& ch : lower) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
    // The explicit forms ("in reply to X", "after X", ">>> X") win over the generic ones wherever
    // they are: "550 Your host is not allowed to connect to this server (in reply to RCPT TO
    // command)" was refused at RCPT. Within a tier, the earliest mention wins.
    auto explicit_cue = [](std::string_view cue) { return cue.starts_with("in reply to") || cue.starts_with("after ") || cue.starts_with(">>> ") || cue.starts_with("refused to talk"); };
    std::size_t best = std::string_view::npos;
    std::string_view cmd;
    bool best_explicit = false;
    for (const auto& c : cues) {
        if (c.command.empty()) continue;
        if (best_explicit && !explicit_cue(c.text)) break;  // the table lists the explicit tier first
        std::size_t p = lower.find(c.text);
        if (bare(c.text))
            while (p != std::string_view::npos && t.substr(p, 4) != (c.text == "rcpt to" ? "RCPT" : "MAIL")) p = lower.find(c.text, p + 1);
        if (p != std::string_view::npos && (best == std::string_view::npos || p < best)) {
            best = p;
            cmd = c.command;
            best_explicit = explicit_cue(c.text);
        }
    }
    return std::string(cmd);
}

char status_class(std::string_view status, std::string_view reply_code) noexcept {
    if (!status.empty() && (status[0] == '2' || status[0] == '4' || status[0] == '5')) return status[0];
    if (!reply_code.empty() && (reply_code[0] == '2' || reply_code[0] == '4' || reply_code[0] == '5')) return reply_code[0];
    return 0;
}

}  // namespace ricochet::dsn
