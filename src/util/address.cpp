#include "util/address.h"

#include "util/text.h"

#include <algorithm>
#include <unordered_set>

namespace ricochet::util {
namespace {

bool local_char(char c) noexcept {
    return is_alpha(c) || is_digit(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == '=' || c == '%' ||
           c == '\'' || c == '!' || c == '#' || c == '$' || c == '&' || c == '*' || c == '/' || c == '?' ||
           c == '^' || c == '`' || c == '{' || c == '|' || c == '}' || c == '~' ||
           static_cast<unsigned char>(c) >= 0x80;
}
// Envelope domains are ASCII (IDNs travel as punycode); stopping at the first non-ASCII byte keeps
// the punctuation of the surrounding language ("user@example.jp、", "user@example.jp您好") out.
bool domain_char(char c) noexcept { return is_alpha(c) || is_digit(c) || c == '.' || c == '-' || c == '_'; }

}  // namespace

namespace {

bool address_shape(std::string_view s, bool allow_local, bool utf8_domain) noexcept {
    std::size_t at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
    std::string_view dom = s.substr(at + 1);
    if (dom.front() == '[') return dom.back() == ']';
    if (dom.find('.') == std::string_view::npos && !allow_local) return false;
    if (dom.front() == '.' || dom.back() == '.' || dom.back() == '-') return false;
    for (char c : dom)
        if (!domain_char(c) && !(utf8_domain && static_cast<unsigned char>(c) >= 0x80)) return false;
    return true;
}

// RFC 6533's utf-8-address: UTF-8 as it is, with "\x{HEX}" standing for a code point.
std::string decode_utf8_addr_xtext(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.compare(i, 3, "\\x{") == 0) {
            std::size_t close = s.find('}', i + 3);
            if (close != std::string_view::npos && close - i - 3 >= 1 && close - i - 3 <= 6) {
                unsigned long cp = 0;
                bool ok = true;
                for (std::size_t j = i + 3; j < close; ++j) {
                    char c = s[j];
                    int v = is_digit(c) ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
                    if (v < 0) ok = false;
                    cp = cp * 16 + static_cast<unsigned long>(v < 0 ? 0 : v);
                }
                if (ok && cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                    if (cp < 0x80) out += static_cast<char>(cp);
                    else if (cp < 0x800) {
                        out += static_cast<char>(0xC0 | (cp >> 6));
                        out += static_cast<char>(0x80 | (cp & 0x3F));
                    } else if (cp < 0x10000) {
                        out += static_cast<char>(0xE0 | (cp >> 12));
                        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                        out += static_cast<char>(0x80 | (cp & 0x3F));
                    } else {
                        out += static_cast<char>(0xF0 | (cp >> 18));
                        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
                        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                        out += static_cast<char>(0x80 | (cp & 0x3F));
                    }
                    i = close;
                    continue;
                }
            }
        }
        out += s[i];
    }
    return out;
}

}  // namespace

bool looks_like_address(std::string_view s, bool allow_local) noexcept { return address_shape(s, allow_local, false); }
bool looks_like_intl_address(std::string_view s, bool allow_local) noexcept { return address_shape(s, allow_local, true); }

std::string clean_address(std::string_view s, bool allow_local) {
    s = trim(s);
    if (istarts_with(s, "rfc822;")) s = trim(s.substr(7));
    if (istarts_with(s, "utf-8;")) {
        // An internationalised address in a global delivery report (RFC 6533): its domain may be
        // UTF-8 too.
        std::string decoded = decode_utf8_addr_xtext(trim(s.substr(6)));
        std::string a = clean_address(decoded, allow_local);
        if (!a.empty()) return a;
        std::string_view d = trim(std::string_view(decoded));
        while (!d.empty() && d.front() == '<') d.remove_prefix(1);
        while (!d.empty() && d.back() == '>') d.remove_suffix(1);
        if (d.find_first_of(" \t<>()") == std::string_view::npos && address_shape(d, allow_local, true)) {
            std::string out(d);
            for (std::size_t i = out.rfind('@') + 1; i < out.size(); ++i) out[i] = lower(out[i]);
            return out;
        }
        return {};
    }
    if (istarts_with(s, "mailto:")) s = s.substr(7);
    // An X.400 originator/recipient with an SMTP domain-defined attribute
    // ("c=US;a= ;p=Org;o=Site;dda:SMTP=user@example.com;") or an Exchange proxy ("SMTP:user@...").
    if (std::size_t k = ifind(s, "dda:smtp="); k != std::string_view::npos) {
        s = s.substr(k + 9);
        s = s.substr(0, s.find(';'));
    } else if (istarts_with(s, "smtp:")) {
        s = s.substr(5);
    }
    // "Name <addr>" or "<addr>": take what is inside the last angle brackets.
    std::size_t lt = s.rfind('<');
    if (lt != std::string_view::npos) {
        std::size_t gt = s.find('>', lt);
        std::string_view inner = s.substr(lt + 1, gt == std::string_view::npos ? std::string_view::npos : gt - lt - 1);
        if (inner.find('@') != std::string_view::npos) s = inner;
    }
    s = trim(s);
    // An RFC 5321 source route ("@relay.example.net,@b.example.org:user@example.org") ends at its colon.
    if (!s.empty() && s.front() == '@') {
        std::size_t colon = s.find(':');
        if (colon != std::string_view::npos && colon < s.rfind('@')) s = trim(s.substr(colon + 1));
    }
    // A quoted local part ("first..last"@example.org, RFC 5321 section 4.1.2) keeps its quotes.
    if (std::size_t at = s.rfind("\"@"); at != std::string_view::npos && at > 0) {
        std::size_t open = s.rfind('"', at - 1);
        if (open != std::string_view::npos && open + 1 < at) {
            std::size_t e = at + 2;
            while (e < s.size() && domain_char(s[e])) ++e;
            std::string q(s.substr(open, e - open));
            while (!q.empty() && q.back() == '.') q.pop_back();
            for (std::size_t i = q.rfind('@') + 1; i < q.size(); ++i) q[i] = lower(q[i]);
            if (looks_like_address(q, allow_local)) return q;
        }
    }
    while (!s.empty() && (s.front() == '<' || s.front() == '(' || s.front() == '[' || s.front() == '\'' || s.front() == '"' || s.front() == ':'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == '>' || s.back() == ')' || s.back() == '.' || s.back() == ',' || s.back() == ';' ||
                          s.back() == ':' || s.back() == '\'' || s.back() == '"' || s.back() == ']'))
        s.remove_suffix(1);
    // An address literal domain keeps its brackets: restore when stripped above.
    std::string out(trim(s));
    if (out.find(' ') != std::string::npos) {
        // "user@example.com (comment)" -> first word with an @.
        std::size_t at = out.find('@');
        std::size_t b = out.rfind(' ', at);
        std::size_t e = out.find(' ', at);
        out = out.substr(b == std::string::npos ? 0 : b + 1, e == std::string::npos ? std::string::npos : e - (b == std::string::npos ? 0 : b + 1));
    }
    std::size_t at = out.rfind('@');
    if (at == std::string::npos) return {};
    for (std::size_t i = at + 1; i < out.size(); ++i) out[i] = lower(out[i]);
    if (out.size() > at + 1 && out[at + 1] == '[' && out.back() != ']') out += ']';
    if (!looks_like_address(out, allow_local)) return {};
    return out;
}

// An address the sender mistyped into something no domain can be ("ann@#example.net",
// "bob@example..com"): still the recipient the report is about, kept as written when it is one
// token with one '@' inside it.
std::string malformed_address(std::string_view v) {
    v = trim(v);
    if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
    std::size_t at = v.find('@');
    if (v.empty() || v.size() > 254 || at == std::string_view::npos || at == 0 || at + 1 == v.size() || v.find('@', at + 1) != std::string_view::npos)
        return {};
    for (char c : v)
        if (is_space(c) || c == '<' || c == '>' || c == '(' || c == ')' || c == '"' || c == ',' || c == ';' || static_cast<unsigned char>(c) < 0x20)
            return {};
    return std::string(v);
}

std::vector<std::string> find_addresses(std::string_view text, std::size_t max) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    std::size_t pos = 0;
    while (out.size() < max) {
        std::size_t at = text.find('@', pos);
        if (at == std::string_view::npos) break;
        std::size_t b = at;
        while (b > 0 && local_char(text[b - 1])) --b;
        // Non-ASCII spaces and punctuation end a word as ASCII ones do: a no-break space, the
        // ideographic space and comma, full-width colon and brackets, a zero-width space.
        if (b < at)
            for (std::string_view sep : {"\xC2\xA0", "\xE3\x80\x80", "\xE3\x80\x81", "\xE3\x80\x82", "\xE3\x80\x8C", "\xE3\x80\x8D",
                                         "\xEF\xBC\x9A", "\xEF\xBC\x8C", "\xEF\xBC\x88", "\xEF\xBC\x89", "\xE2\x80\x8B",
                                         "\xE2\x80\x9C", "\xE2\x80\x9D"})
                if (std::size_t cut = text.substr(b, at - b).rfind(sep); cut != std::string_view::npos) b += cut + sep.size();
        // Chinese, Japanese or Korean prose run into an ASCII local part ("无法发送到admin@example.com",
        // "宛先user@example.jp"): the address starts where the script changes. (Two-byte letters
        // stay: "josé.garcia@" is one local part.)
        for (std::size_t k = at; k > b; --k) {
            const auto c = static_cast<unsigned char>(text[k - 1]);
            if (c < 0x80) continue;
            if (k >= b + 3 && k < at) {
                const auto lead = static_cast<unsigned char>(text[k - 3]);
                if (lead >= 0xE3 && lead <= 0xED && (static_cast<unsigned char>(text[k - 2]) & 0xC0) == 0x80 && (c & 0xC0) == 0x80) b = k;
            }
            break;
        }
        std::size_t e = at + 1;
        if (e < text.size() && text[e] == '[') {
            std::size_t close = text.find(']', e);
            e = close == std::string_view::npos ? e : close + 1;
        } else {
            while (e < text.size() && domain_char(text[e])) ++e;
        }
        pos = at + 1;
        if (b == at || e == at + 1) continue;
        std::string a = clean_address(text.substr(b, e - b));
        if (a.empty()) continue;
        // Local parts that start with dots, hyphens or asterisks come from a preceding word or
        // markup ("**bob@example.org**"); trim them.
        while (!a.empty() && (a.front() == '.' || a.front() == '-' || a.front() == '/' || a.front() == '=' || a.front() == '*')) a.erase(0, 1);
        // A log's key=value field ("to=user@example.org", "rcpt=user@example.org"): the value.
        // (An SRS address, "SRS0=hash=tt=example.com=user@", starts with no such key.)
        if (std::size_t eq = a.find('='); eq != std::string::npos && eq < a.find('@')) {
            static constexpr std::string_view keys[] = {"to", "from", "rcpt", "recipient", "orcpt", "sender", "mailfrom", "rcptto",
                                                        "address", "addr", "email", "user", "mail"};
            const std::string_view key = std::string_view(a).substr(0, eq);
            if (std::any_of(std::begin(keys), std::end(keys), [&](std::string_view k) { return iequals(key, k); })) a.erase(0, eq + 1);
        }
        if (a.empty() || a.front() == '@') continue;
        if (seen.insert(ascii_lower(a)).second) out.push_back(std::move(a));
        pos = e;
    }
    return out;
}

std::string first_address(std::string_view text) {
    auto v = find_addresses(text, 1);
    return v.empty() ? std::string() : v.front();
}

std::string_view domain_of(std::string_view address) noexcept {
    std::size_t at = address.rfind('@');
    return at == std::string_view::npos ? std::string_view() : address.substr(at + 1);
}

}  // namespace ricochet::util
