#include "mta/common.h"

#include <algorithm>

#include "dsn/codes.h"
#include "dsn/fields.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {

std::size_t find_marker_line(std::string_view text, std::initializer_list<std::string_view> markers, std::size_t from) {
    return find_marker_line(text, std::span<const std::string_view>(markers.begin(), markers.size()), from);
}

std::size_t find_marker_line(std::string_view text, std::span<const std::string_view> markers, std::size_t from) {
    // Most lines start with a character no marker starts with: a table of first characters lets
    // them pass without comparing every marker.
    bool first[256] = {};
    for (std::string_view m : markers) {
        if (m.empty()) return from <= text.size() ? from : std::string_view::npos;
        unsigned char c = static_cast<unsigned char>(m[0]);
        first[c] = true;
        if (c >= 'a' && c <= 'z') first[c - 32] = true;
        if (c >= 'A' && c <= 'Z') first[c + 32] = true;
    }
    std::size_t pos = from;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        std::string_view t = util::trim(line);
        if (!t.empty() && first[static_cast<unsigned char>(t[0])])
            for (std::string_view m : markers)
                if (util::istarts_with(t, m)) return pos;
        if (eol == std::string_view::npos) break;
        pos = eol + 1;
    }
    return std::string_view::npos;
}

namespace {
// Lines that introduce the copy of the original message in plain-text bounces (qmail, Sendmail,
// Exim, Postfix, Exchange, Domino, Courier, Japanese and Chinese servers ...).
constexpr std::string_view original_markers[] = {
    "--- Below this line is a copy of the message",
    "--- Below this line is the original message",
    "------ This is a copy of the message",
    "------ This is a copy of your message",
    "----- Original message -----",
    "----- Original Message -----",
    "-----Original Message-----",
    "------ Original message ------",
    "----- Message header follows -----",
    "----- The header of the original message is following",
    "----- Unsent message follows -----",
    "----- Unsent message headers follow -----",
    "----- Undelivered message follows -----",
    "------- Returned Message --------",
    "------ Returned message ------",
    "--- Original message follows",
    "--- The header of the original message is following",
    "Original message headers:",
    "Original message header:",
    "Content-Type: message/rfc822",
    "Content-Type: text/rfc822-headers",
    "----- Original message header -----",
    "Included is a copy of the",
    "--- Attachment is a copy of the message",
    "Below this line is a copy of the message",
    "------- original message -------",
    "Returned mail follows",
    "The original message follows",
    "Old message:",
    // Smail 3 and T-Online's banners.
    "|------------------------- Message text follows",
    "|------------------------- Message header follows",
};
}  // namespace

std::string_view before_original(std::string_view body) {
    std::size_t p = find_marker_line(body, original_markers);
    return p == std::string_view::npos ? body : body.substr(0, p);
}

std::string forwarded_inline(std::string_view body) {
    static constexpr std::string_view markers[] = {"forwarded message", "original message", "begin forwarded message",
                                                   "message transféré", "message d'origine", "weitergeleitete nachricht",
                                                   "ursprüngliche nachricht", "mensaje reenviado", "mensaje original",
                                                   "messaggio inoltrato", "messaggio originale", "转发的邮件", "原始邮件"};
    // The header names mail clients write there, in their languages, and the field each stands for.
    struct field_name {
        std::string_view name, field;
    };
    static constexpr field_name names[] = {
        {"from", "From"},       {"von", "From"},       {"de", "From"},         {"da", "From"},          {"发件人", "From"},
        {"subject", "Subject"}, {"betreff", "Subject"}, {"objet", "Subject"},   {"asunto", "Subject"},   {"oggetto", "Subject"},
        {"主题", "Subject"},     {"date", "Date"},       {"sent", "Date"},       {"datum", "Date"},       {"envoyé", "Date"},
        {"enviado", "Date"},    {"inviato", "Date"},    {"发送时间", "Date"},    {"to", "To"},           {"an", "To"},
        {"à", "To"},            {"para", "To"},         {"a", "To"},            {"收件人", "To"},          {"cc", "Cc"},
        {"reply-to", "Reply-To"}};
    auto line_at = [&](std::size_t p, std::size_t& next) {
        std::size_t e = body.find('\n', p);
        if (e == std::string_view::npos) e = body.size();
        next = e + 1;
        return util::trim(body.substr(p, e - p));
    };
    const std::size_t limit = std::min<std::size_t>(body.size(), 65536);
    for (std::size_t pos = 0, next = 0; pos < limit; pos = next) {
        std::string_view line = line_at(pos, next);
        if (line.empty() || line.size() > 80) continue;
        // A marker is a line of its own ("---------- Forwarded message ---------", "Begin forwarded
        // message:"): a sentence that mentions an original message is not one.
        if (!(line.front() == '-' || line.front() == '_' || line.front() == '=' || line.back() == ':')) continue;
        if (std::none_of(std::begin(markers), std::end(markers), [&](std::string_view m) { return util::icontains(line, m); })) continue;
        // The forwarded header lines, after at most one blank line; the text starts after them.
        std::string hdr;
        bool from = false;
        std::size_t p = next, after = next;
        for (bool blank_seen = false; p < body.size(); p = after) {
            std::string plain;
            for (char c : line_at(p, after))
                if (c != '*') plain += c;  // bold markers some clients write in plain text ("*From:* ...")
            if (plain.empty()) {
                if (!hdr.empty() || blank_seen) {
                    p = after;
                    break;
                }
                blank_seen = true;
                continue;
            }
            std::size_t colon = plain.find(':');
            std::string_view name = colon == std::string::npos ? std::string_view() : util::trim(std::string_view(plain).substr(0, colon));
            const field_name* f = std::find_if(std::begin(names), std::end(names), [&](const field_name& n) { return util::iequals(name, n.name); });
            if (f == std::end(names)) break;  // the text begins at this line
            from = from || f->field == "From";
            hdr.append(f->field).append(": ").append(util::trim(std::string_view(plain).substr(colon + 1))).append("\n");
        }
        if (!from) continue;
        return hdr + "\n" + std::string(body.substr(std::min(p, body.size())));
    }
    return {};
}

bool inline_original(std::string_view body, const limits& lim, mime::header_block& out) {
    std::size_t p = find_marker_line(body, original_markers);
    if (p == std::string_view::npos) return false;
    std::size_t eol = body.find('\n', p);
    if (eol == std::string_view::npos) return false;
    std::string_view rest = body.substr(eol + 1);
    // Skip blank lines and indentation some servers add before the copied headers.
    std::string unindented;
    unindented.reserve(std::min<std::size_t>(rest.size(), 64 * 1024));
    for (std::string_view l : util::lines(rest.substr(0, 64 * 1024))) {
        if (unindented.empty() && util::trim(l).empty()) continue;
        std::string_view t = l;
        if (t.size() > 2 && t[0] == ' ' && t[1] != ' ' && t.find(':') != std::string_view::npos) t.remove_prefix(1);
        unindented.append(t);
        unindented += '\n';
    }
    out = mime::parse_headers(unindented, lim);
    return !out.fields.empty();
}

std::string paragraph_for(std::string_view text, std::string_view address, std::size_t from) {
    if (address.empty()) return {};
    std::size_t p = util::ifind(text, address, from);
    if (p == std::string_view::npos) return {};
    // Only a 2 KB window around the address is kept: search no further than that.
    std::size_t lo = p > 2048 ? p - 2048 : 0;
    std::size_t bol = text.substr(lo, p - lo).rfind('\n');
    bol = bol == std::string_view::npos ? lo : lo + bol + 1;
    std::string_view window = text.substr(p, 2048);
    std::size_t rel_end = window.find("\n\n");
    std::size_t end = rel_end == std::string_view::npos ? std::string_view::npos : p + rel_end;
    if (end == std::string_view::npos && text.size() - p > 2048) end = p + 2048;
    std::string_view para = text.substr(bol, end == std::string_view::npos ? std::string_view::npos : end - bol);
    if (para.size() > 2048) para = para.substr(0, 2048);
    return util::squeeze(para);
}

std::string expanded_from(std::string_view text, std::string_view address) {
    if (address.empty()) return {};
    for (std::size_t p = util::ifind(text, address); p != std::string_view::npos; p = util::ifind(text, address, p + 1)) {
        // What follows the address, up to the next blank line (at most 300 bytes).
        std::string_view after = text.substr(p + address.size(), 300);
        if (std::size_t blank = after.find("\n\n"); blank != std::string_view::npos) after = after.substr(0, blank);
        std::string_view rest = util::trim(after);
        if (!rest.empty() && rest.front() == '>') rest = util::trim(rest.substr(1));
        // The marker must come first: another address in between belongs to another recipient.
        std::string found;
        if (util::istarts_with(rest, "(expanded from")) found = util::first_address(rest.substr(0, rest.find(')')));
        else if (util::istarts_with(rest, "generated by ")) found = util::first_address(rest.substr(0, rest.find('\n')));
        else if (util::istarts_with(rest, "(generated from") || util::istarts_with(rest, "(ultimately generated from")) {
            std::size_t ult = util::ifind(rest, "(ultimately generated from");
            std::string_view from = ult == std::string_view::npos ? rest : rest.substr(ult);
            found = util::first_address(from.substr(0, from.find(')')));
        }
        if (!found.empty() && found.find('@') != std::string::npos && !util::iequals(found, address)) return found;
        if (!found.empty()) return {};
    }
    return {};
}

std::string paragraph_before(std::string_view text, std::size_t at) {
    if (at > text.size()) return {};
    std::size_t lo = at > 1024 ? at - 1024 : 0;
    std::string_view window = text.substr(lo, at - lo);
    std::size_t end = window.find_last_not_of(" \t\n");
    std::size_t bol = window.rfind('\n');
    if (end == std::string_view::npos || bol == std::string_view::npos || bol < end) return {};
    if (window.substr(end, bol + 1 - end).find("\n\n") == std::string_view::npos) return {};
    std::size_t start = window.rfind("\n\n", end);
    start = start == std::string_view::npos ? 0 : start + 2;
    return util::squeeze(window.substr(start, end + 1 - start));
}

std::string_view line_value(std::string_view text, std::string_view name) {
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        std::string_view line = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        std::string_view t = util::trim(line);
        if (util::istarts_with(t, name) && t.size() > name.size() && t[name.size()] == ':')
            return util::trim(t.substr(name.size() + 1));
        if (eol == std::string_view::npos) break;
        pos = eol + 1;
    }
    return {};
}

const phrase_rule* find_phrase(std::string_view text, std::span<const phrase_rule> table) {
    for (const phrase_rule& e : table)
        if (util::icontains(text, e.phrase)) return &e;
    return nullptr;
}

bool contains_any(std::string_view text, std::initializer_list<std::string_view> needles) {
    for (std::string_view n : needles)
        if (util::icontains(text, n)) return true;
    return false;
}

std::string clean_diagnostic(std::string_view text) {
    std::string_view t = util::trim(text);
    std::string type;
    std::string_view v = dsn::typed_value(t, &type);
    if (type == "smtp" || type == "x-postfix" || type == "x-unix" || type == "x-notes" || type == "x-local") t = v;
    return util::squeeze(t);
}

record make_record(std::string_view recipient, std::string_view diagnostic) {
    record r;
    r.recipient = util::clean_address(recipient);
    r.diagnostic = clean_diagnostic(diagnostic);
    return r;
}

bool read_qmail_blocks(std::string_view text, const limits& lim, std::vector<record>& out) {
    if (text.size() > lim.max_text_bytes) text = text.substr(0, lim.max_text_bytes);
    const std::size_t before = out.size();
    std::string addr, diag;
    auto flush = [&] {
        if (addr.empty()) return;
        record r = make_record(addr, diag);
        if (!r.recipient.empty() && out.size() < lim.max_recipients) {
            if (util::icontains(diag, "this message has been in the queue too long")) {
                r.reason = "expired";
                r.rule = "qmail-queue-too-long";
            }
            out.push_back(std::move(r));
        }
        addr.clear();
        diag.clear();
    };
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        if (t.empty()) {
            flush();
            continue;
        }
        if (t.front() == '<' && t.size() > 3 && t.substr(t.size() - 2) == ">:") {
            flush();
            addr = util::clean_address(t.substr(0, t.size() - 1));
            continue;
        }
        if (addr.empty() || diag.size() > lim.max_diagnostic_bytes) continue;
        if (!diag.empty()) diag += ' ';
        diag.append(t);
    }
    flush();
    return out.size() > before;
}

std::string find_remote_host(std::string_view text) {
    static constexpr std::string_view cues[] = {"host ", "while talking to ", "remote host "};
    for (std::string_view cue : cues) {
        std::size_t p = 0;
        while ((p = util::ifind(text, cue, p)) != std::string_view::npos) {
            std::size_t s = p + cue.size();
            std::size_t e = s;
            while (e < text.size() && !util::is_space(text[e]) && text[e] != ':' && text[e] != ',') ++e;
            std::string_view host = text.substr(s, e - s);
            p = e;
            if (host.find('.') == std::string_view::npos) continue;
            std::size_t br = host.find('[');
            if (br != std::string_view::npos && br > 0) host = host.substr(0, br);
            while (!host.empty() && (host.back() == '.' || host.back() == ']')) host.remove_suffix(1);
            if (!host.empty() && host.front() == '[') host.remove_prefix(1);
            if (host.find('.') != std::string_view::npos) return util::ascii_lower(host);
        }
    }
    return {};
}

const dsn::per_recipient* dsn_entry_for(const dsn::report& rep, std::string_view recipient) {
    for (const auto& pr : rep.recipients)
        if (util::iequals(util::clean_address(pr.final_recipient, true), recipient)) return &pr;
    return nullptr;
}

void complete_from_dsn(record& r, const dsn::per_recipient& pr, const dsn::report& rep) {
    if (dsn::valid_status(pr.status)) r.status = pr.status;
    if (!pr.action.empty()) r.action = pr.action;
    if (!pr.remote_mta.empty()) r.remote_mta = pr.remote_mta;
    r.reporting_mta = rep.message.reporting_mta;
    if (r.diagnostic.empty() && !pr.diagnostic.empty()) r.diagnostic = clean_diagnostic(pr.diagnostic);
}

}  // namespace ricochet::mta
