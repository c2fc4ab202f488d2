#include "util/address.h"

#include "util/text.h"

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

bool looks_like_address(std::string_view s, bool allow_local) noexcept {
    std::size_t at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= s.size()) return false;
    std::string_view dom = s.substr(at + 1);
    if (dom.front() == '[') return dom.back() == ']';
    if (dom.find('.') == std::string_view::npos && !allow_local) return false;
    if (dom.front() == '.' || dom.back() == '.' || dom.back() == '-') return false;
    for (char c : dom)
        if (!domain_char(c)) return false;
    return true;
}

std::string clean_address(std::string_view s, bool allow_local) {
    s = trim(s);
    if (istarts_with(s, "rfc822;")) s = trim(s.substr(7));
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

std::vector<std::string> find_addresses(std::string_view text, std::size_t max) {
    std::vector<std::string> out;
    std::unordered_set<std::string> seen;
    std::size_t pos = 0;
    while (out.size() < max) {
        std::size_t at = text.find('@', pos);
        if (at == std::string_view::npos) break;
        std::size_t b = at;
        while (b > 0 && local_char(text[b - 1])) --b;
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
        // Local parts that start with dots or hyphens come from a preceding word; trim them.
        while (!a.empty() && (a.front() == '.' || a.front() == '-' || a.front() == '/' || a.front() == '=')) a.erase(0, 1);
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
