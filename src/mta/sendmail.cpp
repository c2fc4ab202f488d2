// mta/sendmail: bounces of Sendmail 8 (savemail.c / deliver.c). A text part, usually followed by a
// message/delivery-status part:
//
//   The original message was received at Thu, 29 Apr 2010 23:34:45 +0900
//   from [192.0.2.1]
//
//      ----- The following addresses had permanent fatal errors -----
//   <kijitora@example.jp>
//       (reason: 550 5.1.1 <kijitora@example.jp>... User Unknown)
//       (expanded from: <alias@example.org>)
//
//      ----- Transcript of session follows -----
//   ... while talking to mx.example.jp.:
//   >>> RCPT To:<kijitora@example.jp>
//   <<< 550 5.1.1 <kijitora@example.jp>... User Unknown
//   550 5.1.1 <kijitora@example.jp>... User Unknown
//
// ("----- The following addresses had transient non-fatal errors -----" in delay warnings.) The
// transcript tells, per recipient, what the remote server answered ("<<<" lines) and to which
// command (the ">>>" line before it); sendmail's summary line "NNN <addr>... text" closes each
// exchange. Recipients and status come from the delivery-status part when present, else from the
// "addresses had" list, else from the transcript. The diagnostic is the remote answer from the
// transcript, else Diagnostic-Code, else sendmail's own line.
#include <algorithm>

#include "dsn/codes.h"
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {

namespace sendmail_detail {

struct tx_entry {
    std::string addr, diag, command, remote;
    bool remote_reply = false;  // diag is what the remote server said ("<<<")
};

namespace {

std::string tx_command(std::string_view c) {
    c = util::trim(c);
    if (util::istarts_with(c, "MAIL")) return "MAIL";
    if (util::istarts_with(c, "RCPT")) return "RCPT";
    if (util::istarts_with(c, "DATA") || c == ".") return "DATA";
    if (util::istarts_with(c, "EHLO")) return "EHLO";
    if (util::istarts_with(c, "HELO")) return "HELO";
    if (util::istarts_with(c, "STARTTLS")) return "STARTTLS";
    if (util::istarts_with(c, "AUTH")) return "AUTH";
    if (util::istarts_with(c, "QUIT")) return "QUIT";
    return {};
}

// "550 5.1.1 <addr>... text", "<addr>... Deferred: ...", "addr... text": the address and the text.
bool summary_line(std::string_view t, std::string& addr, std::string& text) {
    std::size_t dots = t.find("... ");
    if (dots == std::string_view::npos) {
        if (!util::iends_with(t, "...")) return false;
        dots = t.size() - 3;
    }
    std::string_view head = util::trim(t.substr(0, dots));
    // Skip a leading reply code and enhanced status.
    if (head.size() > 4 && util::is_digit(head[0]) && util::is_digit(head[1]) && util::is_digit(head[2]) && (head[3] == ' ' || head[3] == '-')) {
        head = util::trim(head.substr(4));
        std::size_t sp = head.find(' ');
        if (sp != std::string_view::npos && !dsn::find_enhanced_status(head.substr(0, sp)).empty() && util::is_digit(head[0])) head = util::trim(head.substr(sp + 1));
    }
    if (head.find(' ') != std::string_view::npos) return false;
    addr = util::clean_address(head);
    if (addr.empty()) return false;
    std::string_view code = util::trim(t.substr(0, t.find('<') == std::string_view::npos ? 0 : t.find('<')));
    std::string_view said = util::trim(t.substr(std::min(t.size(), dots + 3)));
    // "554 <addr>... 550 Host unknown": the inner code is the answer; sendmail's own is a wrapper.
    if (said.size() > 3 && util::is_digit(said[0]) && util::is_digit(said[1]) && util::is_digit(said[2]) && said[3] == ' ') code = {};
    text = std::string(code);
    if (!text.empty()) text += ' ';
    text.append(said);
    return true;
}

}  // namespace

std::vector<tx_entry> read_transcript(std::string_view text, const limits& lim) {
    std::vector<tx_entry> out;
    std::size_t p = util::ifind(text, "Transcript of session follows");
    if (p == std::string_view::npos) return out;
    std::size_t eol = text.find('\n', p);
    if (eol == std::string_view::npos) return out;
    text = text.substr(eol + 1);
    if (text.size() > lim.max_text_bytes) text = text.substr(0, lim.max_text_bytes);
    std::string host, cmd, rcpt, reply, last_error, last_error_cmd, output;
    bool fresh = false, last_was_reply = false;
    auto add = [&](const std::string& a, const std::string& d, const std::string& c, bool remote) {
        for (auto& e : out)
            if (e.addr == a) return;
        if (out.size() < lim.max_recipients) out.push_back({a, d, c, host, remote});
    };
    auto close_exchange = [&]() {
        // A refused RCPT with no summary line of its own.
        if (fresh && cmd == "RCPT" && !rcpt.empty() && !reply.empty() && (reply[0] == '4' || reply[0] == '5')) add(rcpt, reply, cmd, true);
        fresh = false;
    };
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        if (util::istarts_with(t, "-----")) break;
        if (t.empty()) {
            last_was_reply = false;
            continue;
        }
        if (util::istarts_with(t, "... while talking to ") || util::istarts_with(t, "While talking to ")) {
            close_exchange();
            std::size_t tt = util::ifind(t, "talking to ");
            std::string_view h = tt == std::string_view::npos ? std::string_view() : t.substr(tt + 11);
            while (!h.empty() && (h.back() == ':' || h.back() == '.')) h.remove_suffix(1);
            host = util::ascii_lower(h);
            cmd = "CONN";  // a reply before any command is the greeting
            rcpt.clear();
            reply.clear();
            last_was_reply = false;
            continue;
        }
        if (util::istarts_with(t, ">>>")) {
            close_exchange();
            std::string_view c = util::trim(t.substr(3));
            cmd = tx_command(c);
            rcpt = cmd == "RCPT" ? util::first_address(c) : std::string();
            reply.clear();
            last_was_reply = false;
            continue;
        }
        if (util::istarts_with(t, "<<<")) {
            std::string_view r = util::trim(t.substr(3));
            // The answer to QUIT after a refusal ("421 4.7.0 Error: too many errors"), or a "503
            // No recipients" to DATA once every RCPT was refused, is the consequence, not the
            // reason: the refusal before it stands.
            if ((cmd == "QUIT" || util::istarts_with(r, "503")) && !last_error.empty()) {
                last_was_reply = false;
                continue;
            }
            if (last_was_reply && !reply.empty()) {
                reply += ' ';
                reply.append(r);
            } else {
                reply = std::string(r);
            }
            fresh = true;
            last_was_reply = true;
            if (!reply.empty() && (reply[0] == '4' || reply[0] == '5')) {
                last_error = reply;
                last_error_cmd = cmd;
            }
            continue;
        }
        last_was_reply = false;
        std::string a, s;
        if (summary_line(t, a, s)) {
            if (fresh && !reply.empty()) add(a, reply, cmd, true);
            else add(a, output.empty() ? s : output + " " + s, std::string(), false);
            fresh = false;
            output.clear();
        } else if (t.size() > 8 && (t[0] == '4' || t[0] == '5') && util::is_digit(t[1]) && util::is_digit(t[2]) && t[3] == ' ' &&
                   t.find("... ") != std::string_view::npos) {
            // "554 "|/usr/bin/procmail ..."... Service unavailable": a summary line whose address is
            // a program or file, not something summary_line() accepts.
            if (last_error.empty()) {
                last_error = std::string(t.substr(0, 4));
                last_error.append(util::trim(t.substr(t.find("... ") + 4)));
            }
        } else if (output.size() < 1024) {
            // A local mailer's own words ("mail.local: unknown user: x") before the summary line.
            if (!output.empty()) output += ' ';
            output.append(t);
        }
    }
    close_exchange();
    // A refusal the summary lines do not tie to an address ("554 5.0.0 Service unavailable"): it
    // belongs to the only recipient, which the caller decides.
    if (out.empty() && !last_error.empty()) out.push_back({std::string(), last_error, last_error_cmd, host, true});
    return out;
}

}  // namespace sendmail_detail

namespace {

struct listed {
    std::string addr, reason;
};

// "----- The following addresses had permanent fatal errors -----" and its "(reason: ...)" lines.
std::vector<listed> addresses_had(std::string_view text, const limits& lim) {
    std::vector<listed> out;
    std::size_t p = util::ifind(text, "The following addresses had");
    while (p != std::string_view::npos) {
        std::size_t eol = text.find('\n', p);
        if (eol == std::string_view::npos) break;
        std::string_view rest = text.substr(eol + 1);
        for (std::string_view line : util::lines(rest)) {
            std::string_view t = util::trim(line);
            if (t.empty()) {
                if (!out.empty()) break;
                continue;
            }
            if (util::istarts_with(t, "-----")) break;
            if (util::istarts_with(t, "(reason:")) {
                if (!out.empty()) {
                    std::string_view r = t.substr(8);
                    if (!r.empty() && r.back() == ')') r.remove_suffix(1);
                    out.back().reason = std::string(util::trim(r));
                }
                continue;
            }
            if (util::istarts_with(t, "(expanded from:")) {
                // A pipe or file target ("|/home/u/bin/filter") failed: the address it was
                // expanded from is the recipient the sender knows.
                if (!out.empty() && out.back().addr.empty()) out.back().addr = util::first_address(t);
                continue;
            }
            if (t.front() == '(') continue;
            std::string a = util::clean_address(t);
            if (a.empty()) a = util::first_address(t);
            const bool program = t.front() == '|' || t.front() == '/' || t.starts_with("\"|") || t.starts_with("\"/");
            if ((!a.empty() || program) && out.size() < lim.max_recipients) out.push_back({a, {}});
        }
        p = util::ifind(text, "The following addresses had", eol);
    }
    return out;
}

// The last "5xx x.y.z text" line of the transcript: sendmail's own summary, which is all there is
// when a pipe or file delivery failed ("554 5.3.0 unknown mailer error 255").
std::string transcript_summary(std::string_view text) {
    std::size_t p = util::ifind(text, "----- Transcript of session follows -----");
    if (p == std::string_view::npos) return {};
    std::string last;
    for (std::string_view line : util::lines(text.substr(p))) {
        std::string_view t = util::trim(line);
        if (t.size() > 4 && (t[0] == '4' || t[0] == '5') && util::is_digit(t[1]) && util::is_digit(t[2]) && t[3] == ' ')
            last = std::string(t);
    }
    return last;
}

bool all_digits(std::string_view s) {
    s = util::trim(s);
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return util::is_digit(c); });
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    bool sm = contains_any(body, {"----- The following addresses had permanent fatal errors -----",
                                  "----- The following addresses had transient non-fatal errors -----",
                                  "----- Transcript of session follows -----"});
    if (!sm) return false;
    bool v5 = util::icontains(body, "----- Unsent message follows -----") && !util::icontains(body, "The original message was received") &&
              ctx.msg.delivery_status.empty();
    if (v5) return false;  // v5sendmail.cpp
    // A bounce forwarded as quoted text ("> " before every line): read it unquoted.
    std::string unquoted;
    std::size_t mark = std::min(util::ifind(body, "----- The following addresses had"), util::ifind(body, "----- Transcript of session follows"));
    std::size_t mark_bol = mark == std::string_view::npos ? mark : body.rfind('\n', mark);
    mark_bol = mark_bol == std::string_view::npos ? 0 : mark_bol + 1;
    if (mark != std::string_view::npos && body[mark_bol] == '>') {
        for (std::string_view l : util::lines(body.substr(0, std::min(body.size(), ctx.lim.max_text_bytes)))) {
            if (!l.empty() && l[0] == '>') l.remove_prefix(l.size() > 1 && l[1] == ' ' ? 2 : 1);
            unquoted.append(l);
            unquoted += '\n';
        }
        body = unquoted;
    }
    std::string_view text = before_original(body.substr(0, std::min(body.size(), ctx.lim.max_text_bytes)));
    // before_original() stops at "The original message was received": Sendmail puts it first, so
    // the error text is what follows that paragraph, up to the copy of the message.
    if (util::trim(text).size() < 200) {
        std::size_t p = util::ifind(body, "The original message was received");
        std::size_t eol = p == std::string_view::npos ? p : body.find('\n', p);
        if (eol != std::string_view::npos) {
            std::string_view rest = body.substr(eol + 1);
            text = body.substr(0, eol + 1 + before_original(rest).size());
            if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
        }
    }
    std::vector<sendmail_detail::tx_entry> tx = sendmail_detail::read_transcript(text, ctx.lim);
    std::vector<listed> had = addresses_had(text, ctx.lim);
    const bool delayed = util::icontains(text, "THIS IS A WARNING MESSAGE ONLY") || util::icontains(text, "transient non-fatal errors");
    dsn::report rep;
    if (!ctx.msg.delivery_status.empty()) rep = dsn::parse(ctx.msg.delivery_status, ctx.lim);
    else if (std::string_view fields = dsn::find_inline(body); !fields.empty())
        rep = dsn::parse(fields, ctx.lim);  // a quoted or pasted bounce's delivery-status fields
    // Sendmail's own give-up note ("Message could not be delivered for 5 days / Message will be
    // deleted from queue") is about every recipient the report names without a reason of its own.
    std::string queue_note;
    if (std::size_t q = util::ifind(text, "Message could not be delivered for"); q != std::string_view::npos)
        queue_note = util::squeeze(text.substr(q, std::min<std::size_t>(text.find('\n', q) - q, 200)));

    auto find_tx = [&](const std::string& a) -> const sendmail_detail::tx_entry* {
        for (const auto& e : tx)
            if (util::iequals(e.addr, a)) return &e;
        // One recipient, one exchange: they go together.
        if (tx.size() == 1 && (rep.recipients.size() <= 1 && had.size() <= 1)) return &tx[0];
        return nullptr;
    };
    auto find_had = [&](const std::string& a) -> const listed* {
        for (const auto& e : had)
            if (util::iequals(e.addr, a)) return &e;
        return nullptr;
    };
    auto fill = [&](record& r, const std::string& dsn_diag) {
        const auto* e = find_tx(r.recipient);
        const auto* h = find_had(r.recipient);
        std::string d;
        if (e && e->remote_reply) d = e->diag;
        else if (!util::trim(dsn_diag).empty() && clean_diagnostic(dsn_diag).size() > 3) d = dsn_diag;
        else if (e) d = e->diag;
        else if (h && !h->reason.empty()) d = h->reason;
        else d = dsn_diag;
        // "(reason: 255)" is a delivery program's exit status, not a reply.
        if (all_digits(d)) {
            if (std::string sum = transcript_summary(text); !sum.empty()) d = sum;
        }
        // A bare reply code ("<<< 421") says less than the give-up note: both, then.
        if (!queue_note.empty() && std::none_of(d.begin(), d.end(), [](char c) { return util::is_alpha(c); }))
            d = util::trim(d).empty() ? queue_note : std::string(util::trim(d)) + " " + queue_note;
        if (util::trim(d).empty()) d = transcript_summary(text);  // "554 could not connect and send the mail to ..."
        r.diagnostic = clean_diagnostic(d);
        if (e) {
            r.smtp_command = e->command;
            if (r.remote_mta.empty()) r.remote_mta = e->remote;
        }
        if (r.action.empty() && delayed) r.action = "delayed";
        // Listed under "permanent fatal errors": Sendmail has given up on it.
        if (r.action.empty() && h) r.action = "failed";
    };

    if (!rep.recipients.empty()) {
        for (const auto& pr : rep.recipients) {
            record r;
            // A Final-Recipient field names an address even without a dot in its domain
            // ("user@localhost" from a local delivery).
            r.recipient = util::clean_address(pr.final_recipient, true);
            if (r.recipient.empty()) r.recipient = util::clean_address(pr.original_recipient, true);
            if (r.recipient.empty()) continue;
            r.action = pr.action;
            if (dsn::valid_status(pr.status)) r.status = pr.status;
            r.remote_mta = pr.remote_mta;
            r.diagnostic_type = pr.diagnostic_type;
            r.reporting_mta = rep.message.reporting_mta;
            if (!pr.last_attempt_date.empty()) r.timestamp = mime::to_rfc3339(pr.last_attempt_date);
            fill(r, pr.diagnostic);
            out.push_back(std::move(r));
        }
    } else if (!had.empty()) {
        for (const auto& h : had) {
            if (h.addr.empty()) continue;
            record r;
            r.recipient = h.addr;
            fill(r, "");
            out.push_back(std::move(r));
        }
    } else {
        for (const auto& e : tx) {
            if (e.addr.empty()) continue;
            record r;
            r.recipient = e.addr;
            fill(r, "");
            out.push_back(std::move(r));
        }
    }
    return !out.empty();
}

}  // namespace

extern const format format_sendmail{"sendmail", 450, parse};

}  // namespace ricochet::mta
