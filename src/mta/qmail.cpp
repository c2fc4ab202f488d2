// mta/qmail: bounces of qmail-send (and netqmail, vpopmail setups, and the servers that copied its
// wording, e.g. Winmail's "smtp delivery program"). Plain text:
//
//   Hi. This is the qmail-send program at example.jp.
//   I'm afraid I wasn't able to deliver your message to the following addresses.
//   This is a permanent error; I've given up. Sorry it didn't work out.
//
//   <kijitora@example.jp>:
//   192.0.2.1 does not like recipient.
//   Remote host said: 550 5.1.1 <kijitora@example.jp>... User Unknown
//   Giving up on 192.0.2.1.
//
//   --- Below this line is a copy of the message.
//
// Each "<address>:" line starts a paragraph that runs to the next blank line or the next address.
// qmail-remote's sentences name the SMTP phase: "does not like recipient" (RCPT), "does not like
// sender" / "Connected to X but sender was rejected" (MAIL), "Connected to X but my name was
// rejected" (HELO), "failed on DATA command" / "failed after I sent the message" (DATA), "Sorry, no
// SMTP connection got far enough; most progress was RCPT TO response" (RCPT). qmail's own fixed
// messages state the reason: "Sorry, I couldn't find any host named" (hostunknown), "Sorry, no
// mailbox here by that name" (userunknown), "Sorry, I couldn't find a mail exchanger or IP address"
// (notaccept), "Sorry, I wasn't able to establish an SMTP connection" (networkerror).
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

constexpr std::string_view intro[] = {
    "This is the qmail-send program",
    "Hi. This is the smtp delivery program",
    "I'm afraid I wasn't able to deliver your message to the following addresses",
    "I'm afraid I wasn't able to deliver your message to the following address",
};

std::string qmail_command(std::string_view d) {
    struct m {
        std::string_view text, cmd;
    };
    static constexpr m map[] = {
        {"does not like recipient", "RCPT"},
        {"does not like sender", "MAIL"},
        {"but sender was rejected", "MAIL"},
        {"but my name was rejected", "HELO"},
        {"failed on DATA command", "DATA"},
        {"failed after I sent the message", "DATA"},
        {"most progress was RCPT TO response", "RCPT"},
        {"most progress was MAIL FROM response", "MAIL"},
        {"most progress was DATA response", "DATA"},
        {"but greeting failed", "CONN"},
        {"wasn't able to establish an SMTP connection", "CONN"},
    };
    for (const auto& e : map)
        if (util::icontains(d, e.text)) return std::string(e.cmd);
    return {};
}

void qmail_reason(record& r) {
    struct m {
        std::string_view text, reason, rule;
    };
    static constexpr m own[] = {
        {"Sorry, I couldn't find any host named", "hostunknown", "qmail-no-host"},
        {"Sorry, I couldn't find any host by that name", "hostunknown", "qmail-no-host"},
        {"Sorry, no mailbox here by that name", "userunknown", "qmail-no-mailbox"},
        {"Sorry, I couldn't find a mail exchanger or IP address", "notaccept", "qmail-no-mx"},
        {"Sorry, I wasn't able to establish an SMTP connection", "networkerror", "qmail-no-connection"},
    };
    // Only when no remote server answered: a quoted reply says more.
    if (util::icontains(r.diagnostic, " said:")) return;
    for (const auto& e : own)
        if (util::icontains(r.diagnostic, e.text)) {
            r.reason = std::string(e.reason);
            r.rule = std::string(e.rule);
            return;
        }
}

// "<addr>:" at the start of a line, possibly followed by the error on the same line.
std::string address_head(std::string_view line, std::string_view* rest) {
    std::string_view t = util::trim(line);
    if (t.size() < 5 || t.front() != '<') return {};
    std::size_t gt = t.find(">:");
    if (gt == std::string_view::npos) return {};
    std::string a = util::clean_address(t.substr(0, gt + 1));
    if (a.empty()) return {};
    *rest = util::trim(t.substr(gt + 2));
    return a;
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    std::size_t start = std::string_view::npos;
    for (std::string_view m : intro) start = std::min(start, util::ifind(body, m));
    if (start == std::string_view::npos) return false;
    std::string_view text = before_original(body.substr(start));
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
    const bool delayed = util::icontains(text, "This is a temporary") || util::icontains(text, "still trying") ||
                         util::icontains(text, "not yet been delivered");
    bool open = false;
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        std::string_view rest;
        std::string a = address_head(line, &rest);
        if (!a.empty()) {
            if (out.size() >= ctx.lim.max_recipients) break;
            record r;
            r.recipient = a;
            r.diagnostic = std::string(rest);
            out.push_back(std::move(r));
            open = true;
            continue;
        }
        if (t.empty()) {
            // (A paste that doubled the line breaks puts a blank line between "<addr>:" and its
            // error: an address with nothing said yet stays open.)
            if (open && !out.back().diagnostic.empty()) open = false;
            continue;
        }
        if (!open || util::istarts_with(t, "--- ")) continue;
        // "From: <sender> RCPT: <recipient>" lines some patched qmail add name the envelope.
        if (util::istarts_with(t, "From: <") && util::icontains(t, "RCPT: <")) continue;
        std::string& d = out.back().diagnostic;
        if (d.size() < ctx.lim.max_diagnostic_bytes) {
            if (!d.empty()) d += ' ';
            d.append(t);
        }
    }
    if (out.empty()) return false;
    for (auto& r : out) {
        if (util::icontains(r.diagnostic, " said:")) {
            // qmail's own closing sentences are not part of the remote server's answer.
            for (std::string_view tail : {"I'm not going to try again; this message has been in the queue too long.", "Giving up on "}) {
                std::size_t p = util::ifind(r.diagnostic, tail);
                std::size_t said = util::ifind(r.diagnostic, " said:");
                if (p != std::string::npos && p > said) r.diagnostic.resize(p);
            }
        }
        r.diagnostic = clean_diagnostic(r.diagnostic);
        r.smtp_command = qmail_command(r.diagnostic);
        if (delayed) r.action = "delayed";
        qmail_reason(r);
    }
    return true;
}

}  // namespace

extern const format format_qmail{"qmail", 430, parse};

}  // namespace ricochet::mta
