#include "dsn/fields.h"

#include "dsn/codes.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::dsn {

std::string_view typed_value(std::string_view field, std::string* type) {
    field = util::trim(field);
    std::size_t semi = field.find(';');
    if (semi != std::string_view::npos && semi < 24) {
        std::string_view t = util::trim(field.substr(0, semi));
        bool word = !t.empty();
        // ("rfc/822;" as a few gateways misspell the type is a type all the same.)
        for (char c : t)
            if (!(util::is_alpha(c) || util::is_digit(c) || c == '-' || c == '_' || c == '/')) word = false;
        if (word) {
            if (type) *type = util::ascii_lower(t);
            return util::trim(field.substr(semi + 1));
        }
    }
    return field;
}

namespace {

// "Name: value" with a field name of letters, digits, hyphens and underscores (not indented:
// an indented line continues the field before it).
bool field_line(std::string_view line) {
    if (line.empty() || line[0] == ' ' || line[0] == '\t') return false;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 40) return false;
    for (char c : util::trim(line.substr(0, colon)))
        if (!(util::is_alpha(c) || util::is_digit(c) || c == '-' || c == '_')) return false;
    return true;
}

// Unfolds one block into (name, value) fields.
std::vector<std::pair<std::string_view, std::string>> fields_of(const std::vector<std::string_view>& block) {
    std::vector<std::pair<std::string_view, std::string>> out;
    for (std::string_view line : block) {
        if (!line.empty() && (line[0] == ' ' || line[0] == '\t')) {
            if (!out.empty()) {
                out.back().second += ' ';
                out.back().second += util::trim(line);
            }
            continue;
        }
        if (!field_line(line)) {
            // A line that is not a field: a folded diagnostic written without indentation by some
            // MTAs. Append it to the previous field when that is a diagnostic.
            if (!out.empty() && util::iequals(out.back().first, "diagnostic-code")) {
                out.back().second += ' ';
                out.back().second += util::trim(line);
            }
            continue;
        }
        std::size_t colon = line.find(':');
        out.emplace_back(util::trim(line.substr(0, colon)), std::string(util::trim(line.substr(colon + 1))));
    }
    return out;
}

bool is_recipient_field(std::string_view n) {
    return util::iequals(n, "final-recipient") || util::iequals(n, "original-recipient");
}

// The field names a delivery-status block can begin with (RFC 3464 and the X- fields MTAs add).
bool starts_dsn_block(std::string_view line) {
    static constexpr std::string_view names[] = {"reporting-mta:", "final-recipient:", "original-recipient:", "arrival-date:",
                                                 "received-from-mta:", "original-envelope-id:", "dsn-gateway:", "action:",
                                                 "status:", "remote-mta:", "diagnostic-code:", "last-attempt-date:",
                                                 "will-retry-until:", "final-log-id:", "x-"};
    for (std::string_view n : names)
        if (util::istarts_with(line, n)) return n != "x-" || line.find(':') < 40;
    return false;
}

}  // namespace

std::string_view find_inline(std::string_view text) {
    std::size_t start = std::string_view::npos;
    for (std::size_t pos = 0; pos < text.size();) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        if (util::istarts_with(line, "Reporting-MTA:") || util::istarts_with(line, "Final-Recipient:")) {
            start = pos;
            break;
        }
        pos = end + 1;
    }
    if (start == std::string_view::npos) return {};
    // Block by block: a block that does not begin with a delivery-status field (the original
    // message's headers, the next MIME boundary, prose) ends the report.
    std::size_t stop = text.size();
    bool at_block_start = true;
    for (std::size_t pos = start; pos < text.size();) {
        std::size_t end = text.find('\n', pos);
        if (end == std::string_view::npos) end = text.size();
        std::string_view line = text.substr(pos, end - pos);
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        if (util::trim(line).empty()) {
            at_block_start = true;
        } else if (util::istarts_with(line, "Return-Path:") || util::istarts_with(line, "Received:")) {
            // the copied original's headers, written right after the fields
            stop = pos;
            break;
        } else if (at_block_start) {
            if (!starts_dsn_block(line)) {
                stop = pos;
                break;
            }
            at_block_start = false;
        }
        pos = end + 1;
    }
    return text.substr(start, stop - start);
}

report parse(std::string_view text, const limits& lim) {
    report out;
    std::vector<std::string_view> all = util::lines(text);
    std::vector<std::vector<std::string_view>> blocks(1);
    bool rejoined = false;
    for (std::string_view l : all) {
        if (util::trim(l).empty()) {
            if (!blocks.back().empty()) blocks.emplace_back();
            rejoined = false;
        } else if (rejoined || (blocks.back().empty() && blocks.size() > 1 && !field_line(l))) {
            // A multi-line reply folded with a blank line inside Diagnostic-Code ("550-Please turn
            // on SMTP Authentication ...", blank, "550-host is not permitted to"): the text after
            // the blank line, up to the next blank line, still belongs to the block before it.
            blocks[blocks.size() - 2].push_back(l);
            rejoined = true;
        } else {
            blocks.back().push_back(l);
        }
    }
    for (const auto& block : blocks) {
        auto fields = fields_of(block);
        per_recipient* cur = nullptr;
        bool cur_has_final = false, cur_has_original = false;
        for (auto& [name, value] : fields) {
            if (is_recipient_field(name)) {
                bool is_final = util::iequals(name, "final-recipient");
                bool start_new = !cur || (is_final && cur_has_final) || (!is_final && cur_has_original);
                if (start_new) {
                    if (out.recipients.size() >= lim.max_recipients) {
                        out.truncated = true;
                        return out;
                    }
                    out.recipients.emplace_back();
                    cur = &out.recipients.back();
                    cur_has_final = cur_has_original = false;
                }
                // ("utf-8; user@例子.中国" keeps its type: clean_address reads RFC 6533's form.)
                std::string addr = util::istarts_with(util::trim(value), "utf-8;") ? util::clean_address(util::trim(value), true)
                                                                                   : util::clean_address(typed_value(value), /*allow_local=*/true);
                if (addr.empty()) addr = util::malformed_address(typed_value(value));
                if (is_final) {
                    // A source route ("rfc822;@relay.example.net:user@host", RFC 5321 appendix C) names
                    // the relay's internal address; the address the sender wrote is then the
                    // Original-Recipient, preferred below.
                    std::string_view raw = util::trim(typed_value(value));
                    if (!raw.empty() && raw.front() == '<') raw.remove_prefix(1);
                    cur->final_routed = !raw.empty() && raw.front() == '@';
                    cur->final_recipient = std::move(addr);
                    cur_has_final = true;
                } else {
                    cur->original_recipient = std::move(addr);
                    cur_has_original = true;
                }
                continue;
            }
            if (!cur) {
                // Per-message fields (or recipient fields before any recipient line: a broken
                // report; they are attached to the first recipient that follows, see below).
                if (util::iequals(name, "reporting-mta")) out.message.reporting_mta = std::string(typed_value(value));
                else if (util::iequals(name, "received-from-mta")) out.message.received_from_mta = std::string(typed_value(value));
                else if (util::iequals(name, "arrival-date")) out.message.arrival_date = value;
                else if (util::iequals(name, "original-envelope-id")) out.message.original_envelope_id = value;
                else if (util::iequals(name, "action") || util::iequals(name, "status") ||
                         util::iequals(name, "diagnostic-code") || util::iequals(name, "remote-mta")) {
                    // Fields of a recipient whose Final-Recipient line is missing or comes later.
                    if (out.recipients.size() >= lim.max_recipients) {
                        out.truncated = true;
                        return out;
                    }
                    out.recipients.emplace_back();
                    cur = &out.recipients.back();
                    cur_has_final = cur_has_original = false;
                } else {
                    continue;
                }
                if (!cur) continue;
            }
            if (util::iequals(name, "action")) cur->action = util::ascii_lower(util::trim(value));
            else if (util::iequals(name, "status")) {
                // "Status: 4.0.0 (cat.example.net: host name lookup failure)": the comment is the
                // only diagnostic some Sendmail reports carry.
                std::string_view v = util::trim(value);
                std::size_t paren = v.find('(');
                if (paren != std::string_view::npos) {
                    std::string_view comment = v.substr(paren + 1);
                    if (!comment.empty() && comment.back() == ')') comment.remove_suffix(1);
                    cur->status_comment = std::string(util::trim(comment));
                    v = util::trim(v.substr(0, paren));
                }
                cur->status = std::string(v);
            }
            else if (util::iequals(name, "remote-mta")) cur->remote_mta = std::string(typed_value(value));
            else if (util::iequals(name, "diagnostic-code")) {
                std::string type;
                std::string_view v = typed_value(value, &type);
                cur->diagnostic_type = type;
                cur->diagnostic = util::squeeze(v);
                if (cur->diagnostic.size() > lim.max_diagnostic_bytes) cur->diagnostic.resize(lim.max_diagnostic_bytes);
            } else if (util::iequals(name, "last-attempt-date")) cur->last_attempt_date = value;
            else if (util::iequals(name, "reporting-mta") && out.message.reporting_mta.empty())
                out.message.reporting_mta = std::string(typed_value(value));
            else cur->extra.emplace_back(std::string(name), value);
        }
    }
    for (auto& r : out.recipients) {
        if (r.final_routed && util::looks_like_address(r.original_recipient)) r.final_recipient = r.original_recipient;
        // No Diagnostic-Code, or one without a reply: Microsoft's X-Supplementary-Info ("< #5.5.0
        // smtp;550 Requested action not taken: mailbox unavailable>") and an X.400 gateway's
        // X400-Supplementary-Info ("MTA 'x' gives error message 5.7.1 Unable to relay") carry the
        // server's reply.
        const bool has_reply = !r.diagnostic.empty() && (!find_reply_code(r.diagnostic).empty() || !find_enhanced_status(r.diagnostic).empty());
        if (has_reply) continue;
        for (const auto& [n, v] : r.extra) {
            if (!util::iequals(n, "x-supplementary-info") && !util::iequals(n, "x400-supplementary-info")) continue;
            std::string_view t = util::trim(v);
            while (!t.empty() && (t.front() == '<' || t.front() == '"' || t.front() == ' ')) t.remove_prefix(1);
            while (!t.empty() && (t.back() == '>' || t.back() == '"' || t.back() == ' ')) t.remove_suffix(1);
            if (!t.empty() && t.front() == '#') t = util::trim(t.substr(std::min(t.size(), t.find(' '))));  // "#5.5.0"
            std::string type;
            std::string_view reply = t.find(';') != std::string_view::npos && t.find(';') < 12 ? typed_value(t, &type) : t;
            if (util::trim(reply).empty()) continue;
            if (!r.diagnostic.empty()) {
                // Beside a Diagnostic-Code that quotes no reply ("Reason 1 (Unable-To-Transfer)").
                if (find_reply_code(reply).empty() && find_enhanced_status(reply).empty()) continue;
                r.diagnostic += ' ';
                r.diagnostic += util::squeeze(reply);
            } else {
                r.diagnostic_type = type;
                r.diagnostic = util::squeeze(reply);
            }
            if (r.diagnostic.size() > lim.max_diagnostic_bytes) r.diagnostic.resize(lim.max_diagnostic_bytes);
            break;
        }
    }
    // Drop recipient entries that carry nothing at all.
    std::erase_if(out.recipients, [](const per_recipient& r) {
        return r.final_recipient.empty() && r.original_recipient.empty() && r.status.empty() && r.diagnostic.empty();
    });
    return out;
}

}  // namespace ricochet::dsn
