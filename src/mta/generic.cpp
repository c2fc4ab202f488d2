// mta/generic: the last resort for plain-text bounces no specific format claimed. A message is a
// bounce when a mail system sent it (a daemon or postmaster address, the null reverse-path, or an
// automatic message with one of the usual delivery-failure subjects; see from_mail_system), and
// its text (before the copy of the original) names at least one address with an error near it.
// Each such address becomes a record whose diagnostic is the paragraph that names it. Records
// from this format carry a warning: the structure was guessed.
#include <algorithm>

#include "dsn/codes.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool bounce_sender(std::string_view from) {
    return contains_any(from, {"mailer-daemon", "postmaster", "mail delivery", "mail-daemon", "maildaemon", "mailerdaemon",
                               "mail administrator", "delivery subsystem", "mdaemon", "mail system", "returned mail"});
}

bool bounce_subject(std::string_view s) {
    return contains_any(s, {"undeliver", "undelivered", "delivery status notification", "failure notice", "returned mail",
                            "mail delivery failed", "delivery failure", "delivery failed", "could not be delivered",
                            "not delivered", "delivery problem", "mail system error", "nondeliverable", "non-deliverable",
                            "non remis", "unzustellbar", "returned to sender", "message delivery", "delivery notification",
                            "rejected", "bounce", "warning: could not send", "mail failure", "failed delivery",
                            "未送達", "不能送達", "送信できません", "配信不能", "到達不能", "退信", "投递失败", "系统退信", "邮件投递", "発信失敗",
                            "delayed mail", "delivery delay", "error sending", "undeliverable", "non-delivery", "delivery warning"});
}

// The local part of a mail system's own address (mailer-daemon@, postmaster@ ...).
bool mail_system_local_part(std::string_view local) {
    for (std::string_view d : {"mailer-daemon", "mailer_daemon", "mailerdaemon", "mail-daemon", "maildaemon", "postmaster", "mdaemon",
                               "mail.daemon", "double-bounce", "post_master"})
        if (util::iequals(local, d)) return true;
    // Exchange's own sender: "MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.com".
    return util::istarts_with(local, "microsoftexchange");
}

std::string_view local_part(std::string_view address) { return address.substr(0, address.find('@')); }

// An address that is the bounce's own sender side, not a failed recipient.
bool infrastructure(std::string_view a) {
    std::string_view local = local_part(a);
    return mail_system_local_part(local) || util::iequals(local, "abuse") || util::iequals(local, "noreply") ||
           util::iequals(local, "no-reply");
}

// An address the notice names as the failed one: a refusal's code right after it ("<root@example.org>:
// 550 5.1.1 ..."), or a failure phrase just before it on its line ("Unable to send to
// abuse@example.org"). A role address (abuse@, postmaster@) that the report says this of is a
// recipient, not the mail system's signature.
bool named_as_failed(std::string_view text, std::string_view a, std::size_t at) {
    std::string_view after = text.substr(std::min(text.size(), at + a.size()), 24);
    while (!after.empty() && (after.front() == '>' || after.front() == ':' || after.front() == '`' || util::is_space(after.front())))
        after.remove_prefix(1);
    if (after.size() >= 3 && (after[0] == '4' || after[0] == '5') && util::is_digit(after[1]) && util::is_digit(after[2])) return true;
    // (The last 48 bytes of its line before it.)
    std::size_t bol = text.rfind('\n', at);
    bol = std::max(bol == std::string_view::npos ? 0 : bol + 1, at > 48 ? at - 48 : 0);
    std::string_view before = util::trim(text.substr(bol, at - bol));
    while (!before.empty() && (before.back() == '<' || before.back() == '"' || before.back() == '(')) before.remove_suffix(1);
    before = util::trim(before);
    for (std::string_view cue : {"send to", "deliver to", "delivered to", "delivery to", "failed to", "recipient:", "recipient address:"})
        if (util::iends_with(before, cue)) return true;
    return false;
}

// Every mention of `a` in `text` from `at` on (the first four, within 4 KB) comes right after the
// word "from" ("mail from x@example.org", "from: <x@example.org>", "MAIL FROM:<x@example.org>"), or
// after a Chinese or Japanese sender label ("发件人：x@example.org", "差出人: x@example.org").
bool said_as_sender(std::string_view text, std::string_view a, std::size_t at) {
    static constexpr std::string_view labels[] = {"发件人", "發件人", "寄件人", "寄件者", "差出人", "送信者"};
    bool any = false;
    int seen = 0;
    text = text.substr(0, std::min(text.size(), at + 4096));  // (a long list stays linear)
    for (std::size_t p = at; p != std::string_view::npos && seen < 4; p = util::ifind(text, a, p + 1), ++seen) {
        std::string_view before = text.substr(p > 16 ? p - 16 : 0, p > 16 ? 16 : p);
        for (;;) {
            if (!before.empty() && (before.back() == '<' || before.back() == ':' || util::is_space(before.back()) || before.back() == '"'))
                before.remove_suffix(1);
            else if (before.ends_with("\xEF\xBC\x9A"))  // a full-width colon
                before.remove_suffix(3);
            else
                break;
        }
        if (std::any_of(std::begin(labels), std::end(labels), [&](std::string_view l) { return before.ends_with(l); })) {
            any = true;
            continue;
        }
        if (before.size() < 4 || !util::iends_with(before, "from")) return false;
        if (before.size() > 4 && util::is_alpha(before[before.size() - 5])) return false;  // "wherefrom", not a word
        any = true;
    }
    return any;
}

// Cuts the text at the first header block (two or more header lines in a row that start with the
// usual names): an inline copy of the original message without a marker line.
std::string_view before_header_block(std::string_view text) {
    static constexpr std::string_view names[] = {"received:", "return-path:", "message-id:", "from:", "to:", "subject:",
                                                 "date:", "mime-version:", "content-type:", "reply-to:", "x-mailer:", "cc:"};
    auto is_header = [](std::string_view l) {
        for (std::string_view n : names)
            if (util::istarts_with(l, n)) return true;
        return false;
    };
    std::size_t pos = 0, prev_start = std::string_view::npos;
    bool prev = false;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        bool h = is_header(line);
        if (h && prev) return text.substr(0, prev_start);
        if (h) prev_start = pos;
        // Continuation lines of a folded header keep the block going.
        if (!(prev && !line.empty() && (line[0] == ' ' || line[0] == '\t'))) prev = h;
        if (eol == std::string_view::npos) break;
        pos = eol + 1;
    }
    return text;
}

// The fixed wording of a delivery report.
bool report_words(std::string_view text) {
    // ("delivered to" as words: "could not be delivered today" is a parcel, not a message.)
    if (contains_any(text, {"could not be delivered to ", "could not be delivered to\n", "could not be delivered to:",
                            "failed recipient", "did not reach the following recipient",
                            "permanent fatal", "non-delivery report", "delivery has failed to", "following recipients failed",
                            "following address(es) failed", "was not delivered to ", "was not delivered to\n",
                            "was not delivered to:", "delivery to the following recipient",
                            "unable to deliver your message", "undeliverable address:", "could not deliver the message",
                            "wasn't able to deliver", "was not able to deliver"}))
        return true;
    // A filtering gateway's notice: "Your message to x@example.org was rejected. Reason: ...".
    return util::icontains(text, "your message") &&
           contains_any(text, {"was rejected", "has been rejected", "was blocked", "has been blocked", "was refused", "has been refused"});
}

// Words of a refusal, for a message already sent with the null reverse-path.
bool refusal_words(std::string_view text) {
    return report_words(text) || contains_any(text, {"could not be delivered", "delivery failed", "not a valid user", "user unknown",
                                                     "no such user", "mailbox unavailable", "undeliverable"});
}

}  // namespace

// The message comes from a mail system, not a person or a newsletter: a daemon or postmaster
// address, the null reverse-path, or a message whose subject says delivery failed and that is
// automatic or written in a delivery report's fixed words. A display name alone ("Mail Delivery
// Tips <news@...>") or a subject alone ("Delivery failed: we missed you", "Re: returned mail") is
// not enough.
bool from_mail_system(const context& ctx) {
    // A daemon or postmaster address, with any sign of a report: a postmaster also writes to
    // people ("yes, we accept mail for team@ again").
    if (mail_system_local_part(local_part(util::first_address(ctx.from)))) {
        std::string_view as = util::trim(ctx.msg.headers.get("Auto-Submitted"));
        if (bounce_subject(ctx.subject) || !ctx.msg.report_type.empty() || ctx.msg.has_original ||
            (!as.empty() && !util::iequals(as, "no")) || util::trim(ctx.msg.headers.get("Return-Path")) == "<>")
            return true;
        std::string_view text = before_original(ctx.body);  // looked up once for both word lists
        return refusal_words(text) ||
               contains_any(text, {"delivery", "deliver", "recipient", "transcript", "smtp", "mailbox", "配送", "配信", "送信",
                                                        "投递", "退信", "zugestellt", "remis", "entregar", "consegna"});
    }
    // "From: <>", "From: MAILER-DAEMON", "From: System Administrator"; no From at all only on a
    // delivery report. (A person's bare name, as a mail client writes it in a forwarded message's
    // "From: Ann Smith" line, is no mail system.)
    std::string_view from = util::trim(ctx.from);
    auto system_name = [&] {
        return from.find_first_of("<@") != std::string_view::npos || bounce_sender(from) ||
               contains_any(from, {"administrator", "system", "daemon", "gateway", "server", "notification", "delivery"});
    };
    if (!from.empty() ? util::first_address(from).empty() && system_name() : util::iequals(ctx.msg.report_type, "delivery-status")) return true;
    std::string_view subject = util::trim(ctx.subject);
    bool reply = util::istarts_with(subject, "re:") || util::istarts_with(subject, "aw:") || util::istarts_with(subject, "sv:");
    // The null reverse-path marks bounces, but also auto-replies (RFC 3834 asks them to use it):
    // with a person's From, the subject or the report's words must say delivery failed.
    std::string_view rp = util::trim(ctx.msg.headers.get("Return-Path"));
    if (rp == "<>" && ((!reply && bounce_subject(subject)) || refusal_words(before_original(ctx.body)))) return true;
    if (reply || !bounce_subject(subject)) return false;
    std::string_view auto_submitted = util::trim(ctx.msg.headers.get("Auto-Submitted"));
    if (!auto_submitted.empty() && !util::iequals(auto_submitted, "no")) return true;
    // (A postmaster's address mangled by a gateway, "<Postmaster\\@example.com@relay.example>",
    // still says postmaster.)
    if (bounce_sender(ctx.from) && contains_any(ctx.from, {"mail delivery subsystem", "mail delivery system", "mail administrator",
                                                           "delivery subsystem", "mail system", "postmaster"}))
        return true;
    // Gateways and old servers send from any address ("E500_SMTP_Mail_Service@", "System
    // Administrator"): a failure subject and the fixed wording of a delivery report together.
    return report_words(before_original(ctx.body));
}

namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    if (!from_mail_system(ctx)) return false;
    std::string_view text = before_header_block(before_original(ctx.body));
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
    std::string sender = util::first_address(ctx.msg.original_headers.get("From"));
    std::string bounce_to = util::first_address(ctx.msg.headers.get("To"));
    // The returned message's envelope sender (a VERP address, "0000...@email-bounces.example.com")
    // is the sender's side, even when a refusal quotes it.
    std::string envelope = util::first_address(ctx.msg.original_headers.get("Return-Path"));
    // A warning that delivery is still being tried, not a failure.
    const bool still_trying = contains_any(text, {"this is just a warning", "this is only a warning", "this is a warning only",
                                                  "you do not need to take any action", "attempts will continue", "will continue to try",
                                                  "will continue to attempt", "will keep trying", "still trying to deliver",
                                                  "no need to resend", "do not need to resend", "do not resend your original message"}) &&
                             // ("You do not need to resend this message. It has been deleted.")
                             !contains_any(text, {"permanent fatal", "permanent error", "permanent failure", "has been deleted",
                                                  "removed from the mail queue", "giving up", "gave up"});
    std::size_t from = 0;  // addresses come in order of first appearance: search on from the last
    for (const std::string& a : util::find_addresses(text, ctx.lim.max_recipients)) {
        if (util::iequals(a, sender) || util::iequals(a, bounce_to) || util::iequals(a, envelope)) continue;
        std::size_t at = util::ifind(text, a, from);
        if (at == std::string_view::npos) at = util::ifind(text, a);
        if (infrastructure(a) && (at == std::string_view::npos || !named_as_failed(text, a, at))) continue;
        // Every mention of it says "from" just before ("not accepting mail from list@example.org",
        // "MAIL FROM:<...>"): the sender's side, not a recipient.
        if (at != std::string_view::npos && said_as_sender(text, a, at)) continue;
        if (at != std::string_view::npos) from = at;
        // The address's own line when it says more than the address ("user@example.org: mailbox
        // unavailable", one line per recipient), else its paragraph.
        std::string para;
        bool address_ends_line = true;
        if (at != std::string_view::npos) {
            std::size_t bol = text.rfind('\n', at);
            bol = bol == std::string_view::npos ? 0 : bol + 1;
            std::size_t eol = text.find('\n', at);
            std::string_view line = text.substr(bol, eol == std::string_view::npos ? std::string_view::npos : eol - bol);
            std::string_view after = line.substr(std::min(line.size(), at - bol + a.size()));
            while (!after.empty() && (after.front() == '>' || after.front() == ':' || after.front() == ',' || after.front() == ';' ||
                                      util::is_space(after.front())))
                after.remove_prefix(1);
            address_ends_line = after.size() < 6;
            // (A line that ends in ':' introduces the reason on the lines after it.)
            if (after.size() >= 6 && line.size() < 1024 && util::trim(line).back() != ':') {
                para = std::string(line);
                // The reply folded onto lines indented deeper than the address's own ("said: 554
                // No\n    Resent-From field given"), naming no other address.
                const std::size_t indent = line.find_first_not_of(" \t");
                std::size_t next = eol;
                for (int k = 0; k < 8 && next != std::string_view::npos && next + 1 < text.size(); ++k) {
                    std::size_t end = text.find('\n', next + 1);
                    std::string_view cont = text.substr(next + 1, end == std::string_view::npos ? std::string_view::npos : end - next - 1);
                    std::size_t ci = cont.find_first_not_of(" \t");
                    if (ci == std::string_view::npos || ci <= indent || cont.find('@') != std::string_view::npos) break;
                    para += ' ';
                    para += cont;
                    next = end;
                }
                para = util::squeeze(para);
            }
        }
        if (para.empty()) {
            para = paragraph_for(text, a, from);
        } else if (dsn::find_reply_code(para).empty() && dsn::find_enhanced_status(para).empty()) {
            // The line quotes no reply ("The following message to <x> was undeliverable."): the
            // rest of its paragraph says why, when that paragraph is about this recipient alone.
            std::string whole = paragraph_for(text, a, from);
            std::vector<std::string> named = util::find_addresses(whole, 3);
            bool alone = std::all_of(named.begin(), named.end(), [&](const std::string& n) {
                return util::iequals(n, a) || infrastructure(n) || util::iequals(n, sender) || util::iequals(n, bounce_to) || util::iequals(n, envelope);
            });
            if (alone && whole.size() > para.size()) para = whole;
        }
        // A labelled line ("target address: user@example.org") with the reason on the lines before
        // it ("reject reason: mailbox full"): the paragraph from its start.
        if (at != std::string_view::npos && address_ends_line && para.find(' ') != std::string::npos && util::squeeze(para).size() <= a.size() + 40) {
            // Within 1 KB before the address only: a search back to the text's start for every
            // address would be quadratic in a list of thousands.
            std::size_t lo = at > 1024 ? at - 1024 : 0;
            std::string_view window = text.substr(lo, at - lo);
            std::size_t blank = window.rfind("\n\n");
            std::size_t start = blank == std::string_view::npos ? (lo == 0 ? 0 : std::string_view::npos) : lo + blank + 2;
            std::size_t nl = window.rfind('\n');
            std::size_t bol = nl == std::string_view::npos ? std::string_view::npos : lo + nl;
            if (start != std::string_view::npos && bol != std::string_view::npos && bol > start) {
                std::string before = util::squeeze(text.substr(start, bol - start));
                if (!before.empty()) para = before + ' ' + para;
            }
        }
        // A paragraph that is only the address, or that ends with it and gives no code: the
        // explanation is the next paragraph (Sendmail, Domino, many Japanese servers; "Undeliverable
        // Address: x" then "Reason: ...").
        bool ends_paragraph = false;
        if (at != std::string_view::npos) {
            std::size_t eol = text.find('\n', at);
            ends_paragraph = eol == std::string_view::npos || text.compare(eol, 2, "\n\n") == 0 ||
                             util::trim(text.substr(eol + 1, text.find('\n', eol + 1) - eol - 1)).empty();
        }
        bool no_code = dsn::find_reply_code(para).empty() && dsn::find_enhanced_status(para).empty();
        std::size_t words = util::squeeze(para).size();
        // (A line that already says something after the address, "dan@example.edu (user not
        // found)", is its own explanation unless it ends the paragraph.)
        // (A paragraph that ends in ':' announces the reason in the next one: "unable to deliver
        // your message to x for the following reason:".)
        const bool announces = no_code && !para.empty() && util::trim(para).back() == ':';
        if (words <= a.size() + 4 || announces || (no_code && (ends_paragraph || (address_ends_line && words <= a.size() + 40)))) {
            // Within 2 KB after the address: a long list without blank lines must stay linear.
            std::string_view ahead = text.substr(from, 2048);
            std::size_t next = ahead.find("\n\n");
            if (next != std::string_view::npos) {
                std::string_view rest = text.substr(from + next + 2);
                std::size_t end = std::min<std::size_t>(rest.find("\n\n"), 600);
                para += ' ';
                para += util::squeeze(rest.substr(0, end));
            }
        }
        // Still only the address, and nothing after it: the paragraph before introduced it and may
        // say why ("Unable to deliver to the following recipients, because ... a mail loop.").
        if (at != std::string_view::npos && util::squeeze(para).size() <= a.size() + 4) {
            if (std::string before = paragraph_before(text, at); !before.empty()) para = before + ' ' + para;
        }
        record r = make_record(a, para);
        // A notice that quotes no reply and is not a warning reports a final failure.
        if (still_trying) r.action = "delayed";
        else if (dsn::find_reply_code(r.diagnostic).empty() && dsn::find_enhanced_status(r.diagnostic).empty()) r.action = "failed";
        r.warnings.push_back("plain-text bounce of an unrecognised format: recipients and text found by heuristics");
        out.push_back(std::move(r));
    }
    if (out.empty()) {
        // A mail system that names its own users by their bare mailbox names under "the following
        // recipients" (AOL's "Your mail to the following recipients could not be delivered ...:"
        // then a tab and "someuser"): those names are addresses at the mail system's own domain.
        std::string daemon = util::first_address(ctx.from);
        std::size_t at = daemon.rfind('@');
        std::size_t intro = util::ifind(text, "following recipients");
        if (at != std::string::npos && mail_system_local_part(local_part(daemon)) && daemon.find('.', at) != std::string::npos &&
            intro != std::string_view::npos) {
            std::size_t eol = text.find('\n', intro);
            for (std::string_view line : util::lines(eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1))) {
                std::string_view name = util::trim(line);
                if (name.empty()) break;
                if (!util::is_space(line[0]) || name.size() > 64 ||
                    !std::all_of(name.begin(), name.end(), [](char c) { return util::is_alpha(c) || util::is_digit(c) || c == '.' || c == '_' || c == '-' || c == '+'; }))
                    break;
                std::size_t bol = text.rfind('\n', intro);
                bol = bol == std::string_view::npos ? 0 : bol + 1;
                record r = make_record(std::string(name) + daemon.substr(at), util::squeeze(text.substr(bol, eol - bol)));
                if (r.recipient.empty() || out.size() >= ctx.lim.max_recipients) break;
                r.action = "failed";
                r.warnings.push_back("the bounce names a bare mailbox: completed with the reporting system's domain");
                out.push_back(std::move(r));
            }
            if (!out.empty()) return true;
        }
        // A notice that sums up the returned message in header lines of its own ("Subject: ...",
        // "To: user@example.com", Yahoo's and qmail's "I wasn't able to deliver the following
        // message") and names the recipient only there.
        if (std::string_view whole = before_original(ctx.body); text.size() < whole.size() && refusal_words(text)) {
            mime::header_block summary = mime::parse_headers(whole.substr(text.size(), 4096), ctx.lim);
            std::vector<std::string> to = util::find_addresses(summary.get("To"), 2);
            if (to.size() == 1 && !infrastructure(to[0]) && !util::iequals(to[0], sender) && !util::iequals(to[0], bounce_to) &&
                !util::iequals(to[0], envelope)) {
                record r = make_record(to[0], util::squeeze(text.substr(0, std::min<std::size_t>(text.size(), 1024))));
                r.action = "failed";
                r.warnings.push_back("the notice names the recipient only in its summary of the returned message");
                out.push_back(std::move(r));
                return true;
            }
        }
        // A delivery failure with no address: report it as a recipient-less record so the failure is
        // not lost, marked as best effort.
        if (!bounce_subject(ctx.subject)) return false;
        std::string t = util::squeeze(text.substr(0, std::min<std::size_t>(text.size(), 1024)));
        if (t.empty()) return false;
        record r = make_record("", t);
        r.warnings.push_back("bounce names no recipient address");
        out.push_back(std::move(r));
    }
    return true;
}

}  // namespace

extern const format format_generic{"generic", 990, parse};

}  // namespace ricochet::mta
