// ricochet — extraction of the facts a bounce states: see facts.h.
//
// The scans work on an ASCII-lower-cased copy of the diagnostic, so positions in the copy and in the
// original agree (UTF-8 bytes are left alone). They are linear in the text and look at no more than
// `max_scan_bytes` of it, whatever the caller's limits were.
#include "explain/facts.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <limits>
#include <optional>
#include <vector>

namespace ricochet::explain_detail {
namespace {

// A diagnostic is already cut to limits::max_diagnostic_bytes (4 KiB by default); this bound only
// protects against records built by other means.
constexpr std::size_t max_scan_bytes = 64 * 1024;

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_alnum(char c) noexcept { return is_digit(c) || is_alpha(c); }
constexpr bool is_hex(char c) noexcept {
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
constexpr bool is_host_char(char c) noexcept { return is_alnum(c) || c == '.' || c == '-'; }
constexpr char to_lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower_copy(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = to_lower(c);
    return out;
}

bool starts_with_at(std::string_view text, std::size_t pos, std::string_view word) noexcept {
    return pos <= text.size() && text.substr(pos).starts_with(word);
}

/// True when `text[pos]` begins a word (so "rbl " does not match inside "surbl ").
bool word_start(std::string_view text, std::size_t pos) noexcept {
    return pos == 0 || !is_alnum(text[pos - 1]);
}

/// The run of host-name characters at `pos`, without trailing dots or hyphens ("bl.spamcop.net(" ->
/// "bl.spamcop.net", "zen.spamhaus.org." -> "zen.spamhaus.org").
std::string_view host_token_at(std::string_view text, std::size_t pos) noexcept {
    std::size_t end = pos;
    while (end < text.size() && end - pos < 255 && is_host_char(text[end])) ++end;
    std::string_view token = text.substr(pos, end - pos);
    while (!token.empty() && (token.back() == '.' || token.back() == '-')) token.remove_suffix(1);
    return token;
}

std::size_t skip_spaces(std::string_view text, std::size_t pos) noexcept {
    while (pos < text.size() && (text[pos] == ' ' || text[pos] == '\t')) ++pos;
    return pos;
}

bool parse_ipv6(std::string_view s, std::array<std::uint16_t, 8>& out) noexcept {
    if (s.size() < 2 || s.size() > 45) return false;
    std::size_t extra = 0;  // groups supplied by an embedded IPv4 tail ("::ffff:1.2.3.4")
    std::array<std::uint16_t, 2> tail_groups{};
    const std::size_t last_colon = s.rfind(':');
    if (last_colon == std::string_view::npos) return false;
    std::string_view rest = s;
    if (s.substr(last_colon + 1).find('.') != std::string_view::npos) {
        const std::string_view tail = s.substr(last_colon + 1);
        if (!is_ipv4(tail)) return false;
        std::array<unsigned, 4> octets{};
        std::size_t i = 0;
        for (char c : tail) {
            if (c == '.') ++i;
            else octets[i] = octets[i] * 10 + static_cast<unsigned>(c - '0');
        }
        tail_groups = {static_cast<std::uint16_t>(octets[0] << 8 | octets[1]),
                       static_cast<std::uint16_t>(octets[2] << 8 | octets[3])};
        extra = 2;
        rest = s.substr(0, last_colon + 1);
        if (!rest.ends_with("::")) rest.remove_suffix(1);
    }
    const std::size_t dbl = rest.find("::");
    if (dbl != std::string_view::npos && rest.find("::", dbl + 1) != std::string_view::npos) return false;
    std::array<std::uint16_t, 8> left{}, right{};
    std::size_t n_left = 0, n_right = 0;
    auto split = [](std::string_view part, std::array<std::uint16_t, 8>& groups, std::size_t& n) {
        if (part.empty()) return true;
        std::size_t start = 0;
        while (true) {
            const std::size_t colon = part.find(':', start);
            const std::string_view g =
                part.substr(start, colon == std::string_view::npos ? std::string_view::npos : colon - start);
            if (g.empty() || g.size() > 4 || n >= 8) return false;
            unsigned v = 0;
            for (char c : g) {
                if (!is_hex(c)) return false;
                v = v * 16 + static_cast<unsigned>(is_digit(c) ? c - '0' : to_lower(c) - 'a' + 10);
            }
            groups[n++] = static_cast<std::uint16_t>(v);
            if (colon == std::string_view::npos) return true;
            start = colon + 1;
        }
    };
    if (dbl == std::string_view::npos) {
        if (!split(rest, left, n_left) || n_left + extra != 8) return false;
    } else {
        if (!split(rest.substr(0, dbl), left, n_left) || !split(rest.substr(dbl + 2), right, n_right))
            return false;
        if (n_left + n_right + extra > 7) return false;
    }
    out = {};
    for (std::size_t i = 0; i < n_left; ++i) out[i] = left[i];
    const std::size_t right_start = 8 - extra - n_right;
    for (std::size_t i = 0; i < n_right; ++i) out[right_start + i] = right[i];
    if (extra) {
        out[6] = tail_groups[0];
        out[7] = tail_groups[1];
    }
    return true;
}

// --- blocklists -------------------------------------------------------------------------------------

struct known_list {
    std::string_view zone_suffix;
    std::string_view lookup_url;
    bool prefer_text_url;  ///< the bounce's own link is the better lookup page (it carries the IP)
};

// Lists whose lookup page is stable and public. The CBL (abuseat.org) is run by Spamhaus today.
constexpr known_list known_lists[] = {
    {"spamhaus.org", "https://check.spamhaus.org/", false},
    {"abuseat.org", "https://check.spamhaus.org/", false},
    {"spamcop.net", "https://www.spamcop.net/bl.shtml", false},
    {"barracudacentral.org", "https://www.barracudacentral.org/lookups", false},
    {"sorbs.net", "http://www.sorbs.net/lookup.shtml", false},
    {"uceprotect.net", "https://www.uceprotect.net/en/rblcheck.php", false},
    {"anti-spam.org.cn", "http://anti-spam.org.cn/", true},
};

const known_list* find_known_list(std::string_view zone) noexcept {
    for (const auto& k : known_lists) {
        if (zone == k.zone_suffix) return &k;
        if (zone.size() > k.zone_suffix.size() && zone.ends_with(k.zone_suffix) &&
            zone[zone.size() - k.zone_suffix.size() - 1] == '.')
            return &k;
    }
    return nullptr;
}

/// First http(s) URL, cut at whitespace, quotes, brackets or non-ASCII, without trailing punctuation.
std::string_view find_url(std::string_view text, std::string_view lower, std::size_t from = 0) noexcept {
    std::size_t best = std::string_view::npos;
    for (std::string_view scheme : {std::string_view("http://"), std::string_view("https://")}) {
        const std::size_t p = lower.find(scheme, from);
        if (p < best) best = p;
    }
    if (best == std::string_view::npos) return {};
    std::size_t end = best;
    while (end < text.size()) {
        const auto c = static_cast<unsigned char>(text[end]);
        if (c <= ' ' || c >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '(' ||
            c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '`' || c == '\\')
            break;
        ++end;
    }
    std::string_view url = text.substr(best, end - best);
    while (!url.empty() && std::string_view(".,;:!?").find(url.back()) != std::string_view::npos)
        url.remove_suffix(1);
    return url;
}

/// Host part of a URL, lower-cased, without "www.".
std::string url_host(std::string_view url) {
    const std::size_t p = url.find("://");
    if (p == std::string_view::npos) return {};
    std::string host = lower_copy(host_token_at(url, p + 3));
    if (host.starts_with("www.")) host.erase(0, 4);
    return host;
}

void find_blocklist(std::string_view text, std::string_view lower, bool context, bounce_facts& f) {
    // 1. A zone after the words servers use for it: Postfix "blocked using zen.spamhaus.org",
    //    qmail "listed in bl.spamcop.net", "found in dnsbl.sorbs.net", "by RBL b.barracudacentral.org".
    static constexpr std::string_view keywords[] = {
        "blocked using ", "listed in ", "listed on ", "listed at ", "found in ", "found on ",
        "rbl ", "dnsbl ", "blacklisted by ", "blacklisted at ", "blocklisted by ", "blocklisted at ",
        "blocked by ", "blacklist ", "blocklist ", "block list ",
    };
    std::string zone;
    std::size_t zone_pos = std::string_view::npos;
    for (std::string_view kw : keywords) {
        for (std::size_t p = lower.find(kw); p != std::string_view::npos; p = lower.find(kw, p + 1)) {
            if (!word_start(lower, p) || p >= zone_pos) continue;
            const std::string_view token = host_token_at(lower, skip_spaces(lower, p + kw.size()));
            if (is_host_name(token) && (context || find_known_list(token))) {
                zone = std::string(token);
                zone_pos = p;
                break;
            }
        }
    }
    // 2. A well-known zone named anywhere except inside a URL or an address.
    if (zone.empty()) {
        for (std::size_t i = 0; i < lower.size();) {
            if (!is_host_char(lower[i]) || (i > 0 && is_host_char(lower[i - 1]))) {
                ++i;
                continue;
            }
            const std::string_view token = host_token_at(lower, i);
            const bool in_url = i >= 3 && lower.substr(i - 3, 3) == "://";
            const bool in_address = i > 0 && lower[i - 1] == '@';
            const bool web_site = token.starts_with("www.");  // a site named without its scheme
            if (!in_url && !in_address && !web_site && is_host_name(token) && find_known_list(token)) {
                zone = std::string(token);
                break;
            }
            i += std::max<std::size_t>(token.size(), 1);
        }
    }
    // 3. Only a link to a well-known list's site ("see http://anti-spam.org.cn/").
    const bool named_zone = !zone.empty();
    std::string_view list_url;
    for (std::size_t from = 0;;) {
        const std::string_view url = find_url(text, lower, from);
        if (url.empty()) break;
        const std::string host = url_host(url);
        if (find_known_list(host)) {
            list_url = url;
            if (zone.empty()) zone = host;
            break;
        }
        from = static_cast<std::size_t>(url.data() - text.data()) + url.size();
    }
    if (zone.empty()) return;
    f.url_is_list_page = !list_url.empty() && list_url == f.url && find_known_list(zone) &&
                         find_known_list(url_host(list_url)) == find_known_list(zone);
    f.blocklist = zone;
    f.blocklist_is_zone = named_zone;
    if (const known_list* k = find_known_list(zone)) {
        const bool text_url_matches = !list_url.empty() && find_known_list(url_host(list_url)) == k;
        f.lookup_url = (k->prefer_text_url && text_url_matches) ? std::string(list_url)
                                                                : std::string(k->lookup_url);
    } else {
        f.lookup_url = f.url;  // an unknown list: the server's own link is the best there is
    }
}

// --- sizes ------------------------------------------------------------------------------------------

/// Multiplier of the unit at `pos` ("K", "KB", "MiB", "bytes", ...), 0 when there is none.
std::uint64_t unit_at(std::string_view lower, std::size_t pos) noexcept {
    struct unit {
        std::string_view name;
        std::uint64_t factor;
    };
    // Longest first, so "kb" wins over "k". K = 1024 as in the bounces ("4096K bytes" = 4 MiB).
    static constexpr unit units[] = {
        {"bytes", 1}, {"octets", 1}, {"byte", 1}, {"kib", 1024}, {"mib", 1024 * 1024},
        {"gib", 1024ull * 1024 * 1024}, {"kb", 1024}, {"mb", 1024 * 1024}, {"gb", 1024ull * 1024 * 1024},
        {"k", 1024}, {"m", 1024 * 1024}, {"g", 1024ull * 1024 * 1024}, {"b", 1},
    };
    for (const unit& u : units) {
        if (!starts_with_at(lower, pos, u.name)) continue;
        const std::size_t after = pos + u.name.size();
        if (after < lower.size() && is_alpha(lower[after])) continue;  // "552 Message", "must"
        return u.factor;
    }
    return 0;
}

/// The size limit a bounce states: "fixed maximum message size: 7372800 bytes", "(7200000)", "must
/// not exceed 4096K bytes", "size limit 10485760". A number next to "limit", "maximum", "exceed" is
/// preferred over others (the message's own size is often quoted too), one with a unit over a bare one.
std::uint64_t find_size(std::string_view lower) noexcept {
    static constexpr std::string_view limit_words[] = {
        "limit", "maximum", "max", "exceed", "allowed", "larger than", "greater than", "bigger than", "quota",
    };
    std::uint64_t best = 0;
    int best_score = -1;
    for (std::size_t i = 0; i < lower.size(); ++i) {
        if (!is_digit(lower[i]) || (i > 0 && (is_alnum(lower[i - 1]) || lower[i - 1] == '.' ||
                                              lower[i - 1] == ','))) continue;
        std::size_t end = i;
        while (end < lower.size() && is_digit(lower[end])) ++end;
        const std::size_t digits = end - i;
        const std::size_t next = end;
        i = end;  // continue after this number
        // Part of a dotted or timed value (an IP, a status code, a decimal, a time): not a size.
        if (next + 1 < lower.size() && (lower[next] == '.' || lower[next] == ':' || lower[next] == ',') &&
            is_digit(lower[next + 1]))
            continue;
        if (digits > 15) continue;
        std::uint64_t value = 0;
        for (std::size_t k = next - digits; k < next; ++k) value = value * 10 + static_cast<unsigned>(lower[k] - '0');
        std::size_t upos = next;
        if (upos < lower.size() && lower[upos] == ' ') ++upos;
        const std::uint64_t factor = unit_at(lower, upos);
        if (factor == 0) {
            // A bare number: only plausible as a byte limit when it is large (not a reply code, a year
            // or a count).
            if (value < 10000) continue;
        } else if (factor > 1 && value > std::numeric_limits<std::uint64_t>::max() / factor) {
            continue;
        }
        const std::uint64_t bytes = factor ? value * factor : value;
        if (bytes == 0) continue;
        const std::size_t window_start = next - digits > 48 ? next - digits - 48 : 0;
        const std::string_view before = lower.substr(window_start, next - digits - window_start);
        int score = factor ? 1 : 0;
        for (std::string_view w : limit_words) {
            if (before.find(w) != std::string_view::npos) {
                score += 2;
                break;
            }
        }
        if (score > best_score) {
            best_score = score;
            best = bytes;
        }
    }
    return best;
}

// --- hosts and addresses ----------------------------------------------------------------------------

struct ip_hit {
    std::size_t pos;
    std::size_t len;
    std::string_view text;
};

std::vector<ip_hit> find_ips(std::string_view lower) {
    std::vector<ip_hit> hits;
    // IPv6 first: its embedded IPv4 tail must not be reported twice.
    for (std::size_t i = 0; i < lower.size() && hits.size() < 64; ++i) {
        const char c = lower[i];
        if (!(is_hex(c) || c == ':')) continue;
        const bool after_tag = i >= 5 && lower.substr(i - 5, 5) == "ipv6:";
        if (i > 0 && !after_tag && (is_alnum(lower[i - 1]) || lower[i - 1] == ':' || lower[i - 1] == '.'))
            continue;
        std::size_t end = i;
        while (end < lower.size() && end - i < 46 && (is_hex(lower[end]) || lower[end] == ':' || lower[end] == '.'))
            ++end;
        std::string_view token = lower.substr(i, end - i);
        while (!token.empty() && token.back() == '.') token.remove_suffix(1);
        if (std::count(token.begin(), token.end(), ':') >= 2 && is_ipv6(token)) {
            hits.push_back({i, token.size(), token});
            i += token.size();
        }
    }
    const std::size_t n6 = hits.size();
    for (std::size_t i = 0; i < lower.size() && hits.size() < 128; ++i) {
        if (!is_digit(lower[i]) || (i > 0 && (is_alnum(lower[i - 1]) || lower[i - 1] == '.'))) continue;
        std::size_t end = i;
        while (end < lower.size() && end - i < 16 && (is_digit(lower[end]) || lower[end] == '.')) ++end;
        std::string_view token = lower.substr(i, end - i);
        while (!token.empty() && token.back() == '.') token.remove_suffix(1);
        const bool inside_v6 = std::any_of(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(n6),
                                           [i](const ip_hit& h) { return i >= h.pos && i < h.pos + h.len; });
        if (!inside_v6 && is_ipv4(token)) hits.push_back({i, token.size(), token});
        i = end;
    }
    std::sort(hits.begin(), hits.end(), [](const ip_hit& a, const ip_hit& b) { return a.pos < b.pos; });
    return hits;
}

/// "[1.2.3.4]" or " [1.2.3.4]" or "(1.2.3.4)" right after a host name: the host's own address.
std::optional<ip_hit> bracketed_ip_at(std::string_view lower, std::size_t pos) {
    pos = skip_spaces(lower, pos);
    if (pos >= lower.size() || (lower[pos] != '[' && lower[pos] != '(')) return std::nullopt;
    const char close = lower[pos] == '[' ? ']' : ')';
    std::size_t start = pos + 1;
    if (starts_with_at(lower, start, "ipv6:")) start += 5;
    const std::size_t end = lower.find(close, start);
    if (end == std::string_view::npos || end - start > 45) return std::nullopt;
    const std::string_view inner = lower.substr(start, end - start);
    if (!is_ipv4(inner) && !is_ipv6(inner)) return std::nullopt;
    return ip_hit{start, inner.size(), inner};
}

struct remote_host {
    std::string host;
    std::string ip;
    std::vector<std::pair<std::size_t, std::size_t>> ip_spans;  ///< addresses that are the remote host's
};

/// The host the sender's server talked to, as the text names it: Postfix "host mx.x.com[1.2.3.4]
/// said", "connect to mx.x.com[1.2.3.4]:25: Connection timed out", Winmail "connect remote host error
/// (1.2.3.4 : 25)", "No welcome message from 1.2.3.4", "Error sending mail body to 1.2.3.4",
/// "Failure reply of RCPT to <a@b> from 1.2.3.4".
remote_host find_remote_host(std::string_view lower) {
    static constexpr std::string_view openers[] = {
        "host ", "connect to ", "remote host error (", "welcome message from ", "mail body to ",
    };
    remote_host out;
    auto take = [&](std::size_t token_pos) {
        const std::string_view token = host_token_at(lower, token_pos);
        if (!is_host_name(token) && !is_ipv4(token)) return;
        if (is_ipv4(token)) out.ip_spans.emplace_back(token_pos, token.size());
        const auto ip = bracketed_ip_at(lower, token_pos + token.size());
        if (ip) out.ip_spans.emplace_back(ip->pos, ip->len);
        if (out.host.empty()) {
            out.host = std::string(token);
            if (ip) out.ip = std::string(ip->text);
            else if (is_ipv4(token)) out.ip = std::string(token);
        }
    };
    for (std::string_view op : openers) {
        for (std::size_t p = lower.find(op); p != std::string_view::npos; p = lower.find(op, p + 1)) {
            if (!word_start(lower, p)) continue;
            take(skip_spaces(lower, p + op.size()));
        }
    }
    const std::size_t reply = lower.find("reply of rcpt to ");
    if (reply != std::string_view::npos) {
        const std::size_t from = lower.find(" from ", reply);
        if (from != std::string_view::npos && from - reply < 160) take(skip_spaces(lower, from + 6));
    }
    return out;
}

/// Whether the words just before an address say it is the refused sender: "Client host [..]",
/// "IP=[..]", "IP address [..]", "IP-address ..", "Mail from .. refused", "Rejected ..", "blacklisted
/// [..]".
bool sender_ip_context(std::string_view lower, std::size_t pos) noexcept {
    std::size_t end = pos;
    while (end > 0 && std::string_view(" [=:(\"'<").find(lower[end - 1]) != std::string_view::npos) --end;
    static constexpr std::string_view words[] = {
        "ip", "ipv6", "address", "mail from", "client host", "client", "rejected", "blacklisted",
        "blocklisted", "blocked", "sender", "listed",
    };
    const std::string_view before = lower.substr(0, end);
    for (std::string_view w : words) {
        if (before.ends_with(w) && word_start(before, before.size() - w.size())) return true;
    }
    return false;
}

std::string domain_after_at(std::string_view address) {
    const std::size_t at = address.rfind('@');
    if (at == std::string_view::npos) return {};
    std::string domain = lower_copy(host_token_at(address, at + 1));
    return is_host_name(domain) ? domain : std::string{};
}

/// The sender domain as a sender-verification refusal names it: Exim "Verification failed for
/// <a@b.cn> ... the DNS operator for b.cn", Postfix "<a@b.com>: Sender address rejected: Domain not
/// found", qmail-era "553 zeng.pionmi.com does not exist".
std::string sender_domain_from_text(std::string_view lower, std::string_view recipient_domain) {
    auto domain_of_address_near = [&](std::size_t from, std::size_t to) -> std::string {
        const std::size_t at = lower.substr(0, to).rfind('@');
        if (at == std::string_view::npos || at < from) return {};
        const std::string_view d = host_token_at(lower, at + 1);
        return is_host_name(d) ? std::string(d) : std::string{};
    };
    if (const std::size_t p = lower.find("verification failed for "); p != std::string_view::npos) {
        const std::size_t end = std::min(lower.size(), p + 24 + 200);
        const std::size_t at = lower.find('@', p);
        if (at != std::string_view::npos && at < end) {
            const std::string_view d = host_token_at(lower, at + 1);
            if (is_host_name(d)) return std::string(d);
        }
    }
    if (const std::size_t p = lower.find("dns operator for "); p != std::string_view::npos) {
        const std::string_view d = host_token_at(lower, p + 17);
        if (is_host_name(d)) return std::string(d);
    }
    if (const std::size_t p = lower.find("sender address rejected"); p != std::string_view::npos) {
        std::string d = domain_of_address_near(p > 200 ? p - 200 : 0, p);
        if (!d.empty()) return d;
    }
    for (std::size_t p = lower.find(" does not exist"); p != std::string_view::npos;
         p = lower.find(" does not exist", p + 1)) {
        std::size_t start = p;
        while (start > 0 && is_host_char(lower[start - 1])) --start;
        const std::string_view d = host_token_at(lower, start);
        if (is_host_name(d) && d != recipient_domain) return std::string(d);
    }
    return {};
}

}  // namespace

bool is_ipv4(std::string_view s) noexcept {
    if (s.size() < 7 || s.size() > 15) return false;
    int parts = 0;
    std::size_t i = 0;
    while (i <= s.size()) {
        std::size_t start = i;
        unsigned v = 0;
        while (i < s.size() && is_digit(s[i]) && i - start < 3) v = v * 10 + static_cast<unsigned>(s[i++] - '0');
        if (i == start || v > 255) return false;
        ++parts;
        if (i == s.size()) break;
        if (s[i] != '.') return false;
        ++i;
    }
    return parts == 4;
}

bool is_ipv6(std::string_view s) noexcept {
    std::array<std::uint16_t, 8> groups{};
    return parse_ipv6(s, groups);
}

bool is_host_name(std::string_view s) noexcept {
    if (s.empty() || s.size() > 253 || s.find('.') == std::string_view::npos) return false;
    std::size_t label_start = 0;
    for (std::size_t i = 0; i <= s.size(); ++i) {
        if (i == s.size() || s[i] == '.') {
            const std::string_view label = s.substr(label_start, i - label_start);
            if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
            label_start = i + 1;
            continue;
        }
        if (!is_alnum(s[i]) && s[i] != '-') return false;
    }
    // The last label of a name is alphabetic; "202.105.45.53" is an address, not a name.
    const std::string_view tld = s.substr(s.rfind('.') + 1);
    return std::all_of(tld.begin(), tld.end(), [](char c) { return is_alpha(c); }) && tld.size() >= 2;
}

std::string reverse_ip(std::string_view ip) {
    std::string out;
    if (is_ipv4(ip)) {
        std::size_t end = ip.size();
        while (true) {
            const std::size_t dot = ip.rfind('.', end - 1);
            const std::size_t start = dot == std::string_view::npos ? 0 : dot + 1;
            if (!out.empty()) out += '.';
            out += ip.substr(start, end - start);
            if (dot == std::string_view::npos) break;
            end = dot;
        }
        return out;
    }
    std::array<std::uint16_t, 8> groups{};
    if (!parse_ipv6(ip, groups)) return {};
    static constexpr char hex[] = "0123456789abcdef";
    for (std::size_t g = 8; g-- > 0;) {
        for (int nibble = 0; nibble < 4; ++nibble) {
            if (!out.empty()) out += '.';
            out += hex[(groups[g] >> (4 * nibble)) & 0xf];
        }
    }
    return out;
}

bounce_facts extract_facts(const record& r, const fact_wants& wants) {
    bounce_facts f;
    const std::string_view text = std::string_view(r.diagnostic).substr(0, max_scan_bytes);
    const std::string lower = lower_copy(text);

    f.url = std::string(find_url(text, lower));
    // Unknown zones are only believed where the text itself speaks of blocklists.
    const bool context = wants.blocklist_context || lower.find("rbl") != std::string::npos ||
                         lower.find("dnsbl") != std::string::npos || lower.find("blacklist") != std::string::npos ||
                         lower.find("blocklist") != std::string::npos || lower.find("block list") != std::string::npos;
    find_blocklist(text, lower, context, f);
    if (wants.size) f.size_bytes = find_size(lower);

    // The remote host: the DSN's Remote-MTA ("dns; mx.example.com [192.0.2.1]") first, it is
    // structured; else what the text says.
    const remote_host from_text = find_remote_host(lower);
    if (!r.remote_mta.empty()) {
        std::string mta = lower_copy(r.remote_mta);
        std::string_view v = mta;
        if (const std::size_t semi = v.find(';'); semi != std::string_view::npos && semi < 8) v.remove_prefix(semi + 1);
        const std::size_t pos = skip_spaces(v, 0);
        const std::string_view token = host_token_at(v, pos);
        if (is_host_name(token) || is_ipv4(token)) {
            f.host = std::string(token);
            if (const auto ip = bracketed_ip_at(v, pos + token.size())) f.host_ip = std::string(ip->text);
            else if (is_ipv4(token)) f.host_ip = std::string(token);
        } else if (const auto ip = bracketed_ip_at(v, pos)) {
            f.host = f.host_ip = std::string(ip->text);
        }
    }
    if (f.host.empty()) {
        f.host = from_text.host;
        f.host_ip = from_text.ip;
    }

    if (wants.blocked_ip) {
        const std::vector<ip_hit> ips = find_ips(lower);
        auto is_remote = [&](const ip_hit& h) {
            return std::any_of(from_text.ip_spans.begin(), from_text.ip_spans.end(),
                               [&](const auto& s) { return s.first == h.pos; });
        };
        // Loopback answers ("=127.0.0.2") are what a DNSBL returns, not the sender.
        auto plausible = [](const ip_hit& h) { return !h.text.starts_with("127.") && h.text != "::1"; };
        for (const ip_hit& h : ips) {
            if (plausible(h) && !is_remote(h) && sender_ip_context(lower, h.pos)) {
                f.blocked_ip = std::string(h.text);
                break;
            }
        }
        if (f.blocked_ip.empty()) {
            for (const ip_hit& h : ips) {
                if (plausible(h) && !is_remote(h) && h.text != f.host_ip) {
                    f.blocked_ip = std::string(h.text);
                    break;
                }
            }
        }
    }

    f.recipient_domain = domain_after_at(r.recipient);
    if (f.recipient_domain.empty()) f.recipient_domain = domain_after_at(r.original.to);
    f.sender_domain = domain_after_at(r.original.from);
    if (f.sender_domain.empty()) f.sender_domain = domain_after_at(r.original.return_path);
    if (f.sender_domain.empty() && wants.sender_from_text)
        f.sender_domain = sender_domain_from_text(lower, f.recipient_domain);
    return f;
}

}  // namespace ricochet::explain_detail
