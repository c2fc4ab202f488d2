// mta/postfix: bounces of Postfix (bounce(8) templates). The text part, alone or the first part of
// a multipart/report with a message/delivery-status part:
//
//   This is the mail system at host mx.example.org.        (older: "This is the Postfix program
//   ...                                                     at host ...")
//                      The mail system
//
//   <kijitora@example.jp>: host mx.example.jp[192.0.2.1] said: 550 5.1.1
//       <kijitora@example.jp>: Recipient address rejected: User unknown (in reply to
//       RCPT TO command)
//
//   <alias@example.jp> (expanded from <list@example.org>): ...
//
// Each "<address>:" line at the left margin starts a recipient; indented lines continue it. The
// command is Postfix's "(in reply to RCPT TO command)" (MAIL FROM, DATA, end of DATA, ...), taken
// out of the diagnostic. Status, Remote-MTA and Action come from the delivery-status part when it
// has the same recipient; recipients only the delivery-status part names are reported from it.
// The local delivery agent's "Command died with status N" is a failing mailbox command
// (mailererror); "Command output: ..." is left to the classifier (it often says why: quota ...). Also the postmaster notice "Postfix SMTP server: errors from X"
// ("Transcript of session follows." with " In:" / " Out:" lines): the recipient of "In: RCPT TO",
// the error reply and the command before it.
#include "dsn/codes.h"
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

std::string postfix_command(std::string_view c) {
    c = util::trim(c);
    if (util::istarts_with(c, "RCPT")) return "RCPT";
    if (util::istarts_with(c, "MAIL")) return "MAIL";
    if (util::istarts_with(c, "end of DATA") || util::istarts_with(c, "DATA") || util::istarts_with(c, "BDAT")) return "DATA";
    if (util::istarts_with(c, "initial protocol handshake") || util::istarts_with(c, "greeting")) return "CONN";
    if (util::istarts_with(c, "EHLO")) return "EHLO";
    if (util::istarts_with(c, "HELO")) return "HELO";
    if (util::istarts_with(c, "STARTTLS")) return "STARTTLS";
    if (util::istarts_with(c, "AUTH")) return "AUTH";
    if (util::istarts_with(c, "XFORWARD")) return "XFORWARD";
    return {};
}

// "<addr>: text" or "<addr> (expanded from <alias>): text" at the left margin.
bool recipient_line(std::string_view line, std::string& addr, std::string_view& rest) {
    if (line.size() < 5 || line[0] != '<') return false;
    std::size_t gt = line.find('>');
    if (gt == std::string_view::npos) return false;
    std::size_t p = gt + 1;
    if (util::istarts_with(line.substr(p), " (expanded from")) {
        std::size_t close = line.find("):", p);
        if (close == std::string_view::npos) {
            // "(expanded from" folded onto the next line.
            if (util::trim(line.substr(p)) != "(expanded from" && !util::istarts_with(util::trim(line.substr(p)), "(expanded from <")) return false;
            addr = util::clean_address(line.substr(0, gt + 1), /*allow_local=*/true);
            rest = {};
            return !addr.empty();
        }
        p = close + 1;
    }
    if (p >= line.size() || line[p] != ':') return false;
    addr = util::clean_address(line.substr(0, gt + 1), /*allow_local=*/true);
    rest = util::trim(line.substr(p + 1));
    return !addr.empty();
}

// Postfix SMTP server's error notice to the postmaster: an In:/Out: transcript.
bool server_transcript(const context& ctx, std::vector<record>& out) {
    std::size_t t = util::ifind(ctx.body, "Transcript of session follows");
    if (t == std::string_view::npos) return false;
    std::string_view text = ctx.body.substr(t);
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
    // Unfold: indented lines that are not In:/Out: continue the previous one.
    std::vector<std::string> lines;
    for (std::string_view l : util::lines(text)) {
        std::string_view s = util::trim(l);
        if (util::istarts_with(s, "In:") || util::istarts_with(s, "Out:")) lines.emplace_back(s);
        else if (!lines.empty() && !l.empty() && util::is_space(l[0])) lines.back().append(" ").append(s);
        else if (!lines.empty()) break;
    }
    std::vector<std::string> rcpts;
    std::string last_in, error, error_cmd;
    for (const auto& l : lines) {
        std::string_view s = l;
        if (util::istarts_with(s, "In:")) {
            last_in = std::string(util::trim(s.substr(3)));
            if (util::istarts_with(last_in, "RCPT")) {
                std::string a = util::first_address(last_in.substr(0, last_in.find('>') == std::string::npos ? last_in.size() : last_in.find('>') + 1));
                if (!a.empty()) rcpts.push_back(a);
            }
        } else {
            std::string_view reply = util::trim(s.substr(4));
            if (error.empty() && !reply.empty() && (reply[0] == '4' || reply[0] == '5')) {
                error = std::string(reply);
                error_cmd = last_in;
            }
        }
    }
    if (error.empty() || rcpts.empty()) return false;
    for (const auto& a : rcpts) {
        record r = make_record(a, error);
        if (r.recipient.empty()) continue;
        r.smtp_command = postfix_command(error_cmd);
        if (r.smtp_command == "DATA" || error_cmd.empty()) r.smtp_command = "DATA";
        out.push_back(std::move(r));
    }
    return !out.empty();
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    // (The program's name is the site's mail_name setting: "This is the BNS Postfix program at host".)
    bool postfix = contains_any(body, {"This is the mail system at host", "This is the Postfix program at host"}) ||
                   (body.substr(0, 4096).find(" program at host ") != std::string_view::npos &&
                    util::icontains(body.substr(0, 8192), "I'm sorry to have to inform you that")) ||
                   util::icontains(ctx.msg.delivery_status, "X-Postfix-Queue-ID:") ||
                   util::icontains(ctx.msg.delivery_status, "X-Postfix-Sender:");
    if (!postfix) {
        if (util::istarts_with(ctx.subject, "Postfix SMTP server: errors from")) return server_transcript(ctx, out);
        return false;
    }
    std::string_view text = before_original(body);
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
    struct item {
        std::string addr, text;
    };
    std::vector<item> items;
    bool open = false;
    for (std::string_view line : util::lines(text)) {
        std::string addr;
        std::string_view rest;
        if (recipient_line(line, addr, rest)) {
            if (items.size() >= ctx.lim.max_recipients) break;
            items.push_back({addr, std::string(rest)});
            open = true;
            continue;
        }
        std::string_view t = util::trim(line);
        // Continuation lines are indented; a few relays re-wrap them at the margin.
        if (t.empty() || (!util::is_space(line[0]) && !open)) {
            open = false;
            continue;
        }
        if (!open || util::istarts_with(t, "--")) {
            open = false;
            continue;
        }
        std::string& d = items.back().text;
        if (d.size() < ctx.lim.max_diagnostic_bytes) {
            if (!d.empty()) d += ' ';
            d.append(t);
        }
    }
    // A "(expanded from" that was folded leaves "<alias>): text" at the start of the text.
    for (auto& it : items) {
        std::string_view d = util::trim(it.text);
        if (!d.empty() && d.front() == '<') {
            std::size_t close = d.find(">):");
            if (close != std::string_view::npos) it.text = std::string(util::trim(d.substr(close + 3)));
        }
    }

    dsn::report rep;
    if (!ctx.msg.delivery_status.empty()) rep = dsn::parse(ctx.msg.delivery_status, ctx.lim);
    else if (std::string_view inline_fields = dsn::find_inline(body); !inline_fields.empty()) rep = dsn::parse(inline_fields, ctx.lim);
    std::vector<bool> used(rep.recipients.size(), false);
    const bool warning = util::icontains(text, "THIS IS A WARNING ONLY");
    // "... your message could not be delivered to one or more recipients": the notice returns the
    // message, so each listed recipient failed (the delivery-status part, when there is one, says
    // the same per recipient).
    const bool returned = !warning && util::icontains(util::squeeze(text.substr(0, 4096)), "could not be delivered");
    for (auto& it : items) {
        std::string diag = it.text;
        std::string cmd;
        std::size_t irt = util::ifind(diag, "(in reply to ");
        if (irt != std::string::npos) {
            std::size_t close = diag.find(')', irt);
            std::string_view c = std::string_view(diag).substr(irt + 13, close == std::string::npos ? std::string_view::npos : close - irt - 13);
            if (util::iends_with(c, " command")) c.remove_suffix(8);
            cmd = postfix_command(c);
            diag.erase(irt, close == std::string::npos ? std::string::npos : close + 1 - irt);
        }
        record r = make_record(it.addr, diag);
        // Local delivery names a single-label domain ("user@mailhub"); the line already checked it.
        if (r.recipient.empty()) r.recipient = it.addr;
        if (r.recipient.empty()) continue;
        r.smtp_command = cmd;
        if (warning) r.action = "delayed";
        else if (returned) r.action = "failed";
        for (std::size_t i = 0; i < rep.recipients.size(); ++i) {
            const auto& pr = rep.recipients[i];
            if (used[i]) continue;
            if (!util::iequals(util::clean_address(pr.final_recipient, true), r.recipient) &&
                !util::iequals(util::clean_address(pr.original_recipient, true), r.recipient))
                continue;
            used[i] = true;
            if (dsn::valid_status(pr.status)) r.status = pr.status;
            if (!pr.remote_mta.empty()) r.remote_mta = pr.remote_mta;
            if (!pr.action.empty()) r.action = pr.action;
            r.diagnostic_type = pr.diagnostic_type;
            r.reporting_mta = rep.message.reporting_mta;
            std::string dd = clean_diagnostic(pr.diagnostic);
            // The text's own summary ("temporary failure", "user unknown") says less than the
            // delivery agent's words in Diagnostic-Code when no remote server was quoted.
            if (r.diagnostic.empty() || (!dd.empty() && !util::icontains(r.diagnostic, dd) && !util::icontains(r.diagnostic, " said:") &&
                                         !util::icontains(r.diagnostic, "Command output:")))
                r.diagnostic = dd;
            if (!pr.last_attempt_date.empty()) r.timestamp = mime::to_rfc3339(pr.last_attempt_date);
            break;
        }
        if (contains_any(r.diagnostic, {"Command died with status", "Command time limit exceeded"})) {
            r.reason = "mailererror";
            r.rule = "postfix-mailbox-command";
        }
        out.push_back(std::move(r));
    }
    // Recipients only the delivery-status part names.
    for (std::size_t i = 0; i < rep.recipients.size() && out.size() < ctx.lim.max_recipients; ++i) {
        if (used[i]) continue;
        const auto& pr = rep.recipients[i];
        std::string a = util::clean_address(pr.final_recipient, /*allow_local=*/true);
        if (a.empty()) a = util::clean_address(pr.original_recipient, /*allow_local=*/true);
        if (a.empty()) continue;
        bool dup = false;
        for (const auto& o : out) dup = dup || o.recipient == a;
        if (dup) continue;
        record r = make_record(a, pr.diagnostic);
        r.recipient = a;  // a local delivery's single-label domain ("user@mailhub") stays
        r.status = dsn::valid_status(pr.status) ? pr.status : std::string();
        r.remote_mta = pr.remote_mta;
        r.action = pr.action;
        r.diagnostic_type = pr.diagnostic_type;
        r.reporting_mta = rep.message.reporting_mta;
        out.push_back(std::move(r));
    }
    if (out.empty() && util::icontains(text, "Delivery report unavailable")) {
        // Postfix could not write the report: the original message's recipient is all there is.
        std::string to = util::first_address(ctx.msg.original_headers.get("To"));
        if (!to.empty()) {
            record r;
            r.recipient = to;
            r.warnings.push_back("delivery report unavailable: recipient taken from the original message");
            out.push_back(std::move(r));
        }
    }
    return !out.empty();
}

}  // namespace

extern const format format_postfix{"postfix", 440, parse};

}  // namespace ricochet::mta
