// ricochet — explanations for people (explain.h): language selection, choosing the text for a record
// (its category's, refined by its reason's), the retry advice, the bounce's own specifics, the
// commands that check them, and the two plain-text renderings.
//
// Nothing here throws across the API: each entry point catches everything and degrades to an empty
// answer, because an explanation is a convenience and must never take the analysis down with it.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "explain/facts.h"
#include "explain/texts.h"
#include "ricochet/explain.h"

namespace ricochet {
namespace {

using explain_detail::bounce_facts;
using explain_detail::category_text;
using explain_detail::reason_text;
using explain_detail::text_set;
using explain_detail::ui_text;

constexpr char ascii_lower(char c) noexcept {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// Replaces the first "{}" of a template.
std::string fill(std::string_view tmpl, std::string_view value) {
    const std::size_t p = tmpl.find("{}");
    if (p == std::string_view::npos) return std::string(tmpl);
    std::string out;
    out.reserve(tmpl.size() + value.size());
    out.append(tmpl.substr(0, p)).append(value).append(tmpl.substr(p + 2));
    return out;
}

void append_sentence(std::string& to, std::string_view sentence, const ui_text& u) {
    if (sentence.empty()) return;
    if (!to.empty()) to += u.sentence_gap;
    to += sentence;
}

bool one_of(std::string_view s, std::initializer_list<std::string_view> names) noexcept {
    return std::find(names.begin(), names.end(), s) != names.end();
}

/// The class digit of the status, else of the reply code: '4' transient, '5' permanent.
char code_class(const record& r) noexcept {
    if (!r.status.empty() && (r.status[0] == '2' || r.status[0] == '4' || r.status[0] == '5')) return r.status[0];
    if (!r.reply_code.empty()) return r.reply_code[0];
    return '\0';
}

std::string duration_text(int minutes, const ui_text& u) {
    if (minutes >= 1440 && minutes % 1440 == 0) {
        const int days = minutes / 1440;
        return fill(days == 1 ? u.day_one : u.day_many, std::to_string(days));
    }
    if (minutes >= 60 && minutes % 60 == 0) {
        const int hours = minutes / 60;
        return fill(hours == 1 ? u.hour_one : u.hour_many, std::to_string(hours));
    }
    return fill(minutes == 1 ? u.minute_one : u.minute_many, std::to_string(minutes));
}

/// "7372800 bytes (about 7.0 MiB)"; binary units, because the limits in bounces are (4096K = 4 MiB).
std::string bytes_text(std::uint64_t n, const ui_text& u) {
    std::string out = fill(u.spec_bytes, std::to_string(n));
    auto one_decimal = [](std::uint64_t value, std::uint64_t unit, std::string_view name) {
        const std::uint64_t tenths = (value * 10 + unit / 2) / unit;
        return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + " " + std::string(name);
    };
    // Guard the multiplication; a limit beyond 1 EiB is not a real limit anyway.
    if (n >= (1u << 20) && n < (std::uint64_t{1} << 60)) out += fill(u.spec_approx, one_decimal(n, 1u << 20, "MiB"));
    else if (n >= 1024 && n < (1u << 20)) out += fill(u.spec_approx, one_decimal(n, 1024, "KiB"));
    return out;
}

/// Record fields come from the network: control characters (a terminal escape sequence, say) are
/// replaced so the rendering stays plain text. Line breaks become spaces unless `keep_lines`.
std::string clean(std::string_view s, bool keep_lines = false) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '\r') continue;
        if (c == '\n') out += keep_lines ? '\n' : ' ';
        else if (c == '\t') out += ' ';
        else if (u < 0x20 || u == 0x7f) out += '?';
        else out += c;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
    return out;
}

std::string check_line(std::string_view command, std::string_view hint) {
    std::string out(command);
    if (!hint.empty()) out.append("  # ").append(hint);
    return out;
}

bool contains_ci(std::string_view text, std::string_view word_lower) {
    if (word_lower.empty() || text.size() < word_lower.size()) return false;
    for (std::size_t i = 0; i + word_lower.size() <= text.size(); ++i) {
        std::size_t k = 0;
        while (k < word_lower.size() && ascii_lower(text[i + k]) == word_lower[k]) ++k;
        if (k == word_lower.size()) return true;
    }
    return false;
}

/// The categories a record belongs to for choosing facts and checks: its own and its reason's.
struct kinds {
    std::string_view category;          ///< the record's category (known) or the reason's default
    std::string_view reason_category;   ///< the reason's default category
    std::string_view reason;

    bool is(std::string_view c) const noexcept { return category == c || reason_category == c; }
    bool reason_in(std::initializer_list<std::string_view> names) const noexcept { return one_of(reason, names); }
};

explanation explain_unchecked(const record& r, language lang) {
    const ui_text& u = explain_detail::ui(lang);
    const std::size_t li = explain_detail::index_of(lang);

    const reason_text* rt = explain_detail::find_reason_text(r.reason);
    const std::string_view reason_category = rt ? category_of(r.reason) : std::string_view{};
    const category_text* own = explain_detail::find_category_text(r.category);
    const category_text* ct = own ? own : explain_detail::find_category_text(reason_category);
    if (!ct) ct = explain_detail::find_category_text("unknown");
    if (!ct) return {};  // the table lost its "unknown" entry: the completeness test catches that

    // The reason's text refines its own category. When the classifier put the record in another
    // category ("connect to x: Connection refused" as domain-not-found), that category's text fits
    // the situation better than the reason's.
    const bool refine = rt && (!own || r.category == reason_category);
    const text_set& t = refine ? rt->text[li] : ct->text[li];

    explanation e;
    e.title = std::string(t.title);
    e.summary = std::string(t.summary);
    e.cause = std::string(t.cause);
    e.sender_action = std::string(t.sender_action);
    e.recipient_action = std::string(t.recipient_action);

    const kinds k{ct->name, reason_category, rt ? rt->name : std::string_view{}};

    // --- retry advice: the reason's policy, corrected by what this bounce says about permanence.
    retry_advice advice = rt ? rt->retry : ct->retry;
    int minutes = rt ? rt->retry_after_minutes : ct->retry_after_minutes;
    std::string_view body = rt ? rt->text[li].retry_text : ct->text[li].retry_text;
    if (!refine && ct->retry == retry_advice::not_applicable) {
        advice = retry_advice::not_applicable;
        body = ct->text[li].retry_text;
    }
    const char cls = code_class(r);
    std::string_view note;
    bool replaced_body = false;
    if (advice == retry_advice::never && !r.hard && cls != '5') {
        // A normally permanent reason that this bounce does not call permanent: a 4xx "user unknown"
        // during a directory outage is a real case, and dropping the address would be wrong.
        replaced_body = true;
        if (cls == '4') {
            advice = retry_advice::later;
            minutes = 60;
            note = u.note_transient;
        } else {
            advice = retry_advice::after_fix;
            note = u.note_not_permanent;
        }
    } else if (r.rule == "blocked.greylisting") {
        // Greylisting refuses a sender only until it retries: nothing to delist, nothing to fix
        // but a retry schedule.
        replaced_body = true;
        advice = retry_advice::later;
        minutes = 15;
        note = u.note_greylisting;
        e.cause = std::string(u.cause_greylisting);
        e.sender_action = std::string(u.action_greylisting);
    } else if (advice == retry_advice::later && r.hard && (k.reason == "mailboxfull" || k.is("mailbox-full"))) {
        minutes = std::max(minutes, 1440);
        note = u.note_full_for_long;
    }
    if (minutes <= 0 && advice == retry_advice::later) minutes = 60;

    std::string retry;
    switch (advice) {
        case retry_advice::later:
            append_sentence(retry, fill(u.retry_later, duration_text(minutes, u)), u);
            break;
        case retry_advice::never:
            if (replaced_body) append_sentence(retry, u.retry_never, u);
            break;
        case retry_advice::after_fix:
            if (replaced_body) append_sentence(retry, u.retry_after_fix, u);
            break;
        case retry_advice::not_applicable:
            break;
    }
    if (!replaced_body) append_sentence(retry, body, u);
    append_sentence(retry, note, u);
    if (r.action == "delayed" && advice != retry_advice::not_applicable) append_sentence(retry, u.note_delayed, u);
    e.retry = advice;
    e.retry_after_minutes = advice == retry_advice::later ? minutes : 0;
    e.retry_text = std::move(retry);

    // --- the bounce's own facts.
    explain_detail::fact_wants wants;
    wants.blocklist_context = k.is("blocklisted") || k.reason_in({"blocked", "badreputation"});
    const bool quota = k.is("mailbox-full") || k.reason == "mailboxfull";
    wants.size = quota || k.is("message-too-large") || k.reason_in({"mesgtoobig", "exceedlimit"});
    wants.blocked_ip = k.is("blocklisted") || k.is("sender-dns") || k.is("rejected") ||
                       k.reason_in({"blocked", "badreputation", "requireptr", "rejected"});
    const bool sender_dns = k.is("sender-dns") || k.reason == "rejected";
    wants.sender_from_text = sender_dns;
    const bounce_facts f = explain_detail::extract_facts(r, wants);
    const bool failure = advice != retry_advice::not_applicable;

    if (!f.blocklist.empty()) {
        std::string line = fill(u.spec_blocklist, f.blocklist);
        if (!f.lookup_url.empty()) line += fill(u.spec_lookup, f.lookup_url);
        e.specifics.push_back(std::move(line));
        append_sentence(e.cause, fill(u.cause_blocklist, f.blocklist), u);
    }
    if (!f.blocked_ip.empty()) {
        e.specifics.push_back(fill(u.spec_blocked_ip, f.blocked_ip));
        append_sentence(e.cause, fill(u.cause_blocked_ip, f.blocked_ip), u);
    }
    if (f.size_bytes > 0) {
        const std::string size = bytes_text(f.size_bytes, u);
        e.specifics.push_back(fill(quota ? u.spec_quota : u.spec_size_limit, size));
        if (!quota) append_sentence(e.cause, fill(u.cause_size_limit, size), u);
    }
    if (!f.host.empty() && failure) {
        std::string host = f.host;
        if (!f.host_ip.empty() && f.host_ip != f.host) host += " [" + f.host_ip + "]";
        e.specifics.push_back(fill(u.spec_host, host));
    }
    if (!f.recipient_domain.empty()) {
        e.specifics.push_back(fill(u.spec_recipient_domain, f.recipient_domain));
        if (k.is("domain-not-found") || k.is("connection-failed") || k.reason_in({"hostunknown", "notaccept"}))
            append_sentence(e.cause, fill(u.cause_domain, f.recipient_domain), u);
    }
    const bool authentication = k.is("authentication") || k.reason == "authfailure" ||
                                (failure && (contains_ci(r.diagnostic, "spf") || contains_ci(r.diagnostic, "dkim") ||
                                             contains_ci(r.diagnostic, "dmarc")));
    if (!f.sender_domain.empty() && (sender_dns || authentication))
        e.specifics.push_back(fill(u.spec_sender_domain, f.sender_domain));
    if (!f.url.empty() && f.url != f.lookup_url && !f.url_is_list_page) e.specifics.push_back(fill(u.spec_url, clean(f.url)));
    if (!r.feedback_type.empty()) e.specifics.push_back(fill(u.spec_feedback_type, clean(r.feedback_type)));

    // --- commands that check this bounce's domain and addresses, as the guide teaches: the MX
    // lookup, a connection to port 25 expecting "220", the DNSBL query, the PTR lookup, and the
    // sender domain's MX/SOA/SPF/DMARC records. Only with names that are known (and validated).
    if (!failure) return e;
    const std::string& domain = f.recipient_domain;
    const bool connection = k.is("connection-failed") || k.is("domain-not-found") ||
                            k.reason_in({"networkerror", "expired", "hostunknown", "notaccept"});
    const bool want_mx = connection || k.reason_in({"norelaying", "failedstarttls"});
    if (want_mx && !domain.empty()) {
        e.checks.push_back(check_line("dig +short MX " + domain, u.hint_mx));
        e.checks.push_back(check_line("nslookup -type=mx " + domain, u.hint_nslookup));
        if (k.is("domain-not-found") || k.reason_in({"hostunknown", "notaccept"}))
            e.checks.push_back(check_line("dig +short A " + domain, u.hint_a));
    }
    const std::string& target = !f.host.empty() ? f.host : domain;
    if (connection && !target.empty()) {
        e.checks.push_back(check_line("nc -v " + target + " 25", u.hint_nc));
        e.checks.push_back(check_line("telnet " + target + " 25", u.hint_telnet));
    }
    if (k.reason == "failedstarttls" && !target.empty()) {
        const std::string hostport = explain_detail::is_ipv6(target) ? "[" + target + "]:25" : target + ":25";
        e.checks.push_back(check_line("openssl s_client -starttls smtp -crlf -connect " + hostport, u.hint_starttls));
    }
    const std::string& ip = f.blocked_ip;
    if (!ip.empty() && (k.is("blocklisted") || k.reason_in({"blocked", "badreputation"}))) {
        const std::string reversed = explain_detail::reverse_ip(ip);
        e.checks.push_back(check_line("dig +short " + reversed + ".zen.spamhaus.org", u.hint_dnsbl));
        if (f.blocklist_is_zone && !f.blocklist.ends_with("spamhaus.org"))
            e.checks.push_back(check_line("dig +short " + reversed + "." + f.blocklist, u.hint_dnsbl_named));
    }
    if (!ip.empty() && (k.reason == "requireptr" || k.is("sender-dns") || k.is("blocklisted")))
        e.checks.push_back(check_line("dig +short -x " + ip, u.hint_ptr));
    const std::string& sender = f.sender_domain;
    if (!sender.empty() && sender_dns) {
        e.checks.push_back(check_line("dig +short MX " + sender, u.hint_sender_mx));
        e.checks.push_back(check_line("dig +short SOA " + sender, u.hint_sender_soa));
    }
    if (!sender.empty() && authentication) {
        e.checks.push_back(check_line("dig +short TXT " + sender, u.hint_spf));
        e.checks.push_back(check_line("dig +short TXT _dmarc." + sender, u.hint_dmarc));
    }
    return e;
}

void add_field(std::string& out, std::string_view label, std::string_view value, const ui_text& u) {
    if (value.empty()) return;
    out.append(label).append(u.label_sep).append(value).append("\n");
}

void add_list(std::string& out, std::string_view label, const std::vector<std::string>& items,
              std::string_view bullet, const ui_text& u) {
    if (items.empty()) return;
    out.append(label).append(u.label_sep);
    if (out.ends_with(' ')) out.pop_back();
    out += '\n';
    for (const std::string& item : items) out.append("  ").append(bullet).append(clean(item)).append("\n");
}

std::string_view or_unknown(std::string_view value, const ui_text& u) noexcept {
    return value.empty() ? u.unknown : value;
}

/// A copy of `text` with every line indented by two spaces.
std::string indented(std::string_view text) {
    std::string out = "  ";
    for (char c : text) {
        out += c;
        if (c == '\n') out += "  ";
    }
    return out;
}

/// Case-insensitive, ASCII: "zh_TW.UTF-8" and "zh-tw" are the same language.
std::optional<language> parse_language_unchecked(std::string_view name) noexcept {
    // Normalise into a small buffer: lower case, '_' -> '-', stop at the codeset or modifier.
    std::array<char, 64> buf{};
    std::size_t n = 0;
    std::size_t i = 0;
    while (i < name.size() && (name[i] == ' ' || name[i] == '\t')) ++i;
    for (; i < name.size() && n < buf.size(); ++i) {
        const char c = name[i];
        if (c == '.' || c == '@' || c == ' ' || c == '\t') break;
        buf[n++] = c == '_' ? '-' : ascii_lower(c);
    }
    const std::string_view tag(buf.data(), n);
    if (tag == "en" || tag.starts_with("en-")) return language::en;
    if (tag != "zh" && !tag.starts_with("zh-")) return std::nullopt;
    // BCP 47 subtags after "zh": a script (Hant/Hans) decides; else the region (TW, HK, MO are
    // Traditional); else Simplified. Also "zh-cmn-Hant" style extlang tags.
    bool traditional = false;
    bool script_seen = false;
    std::size_t start = 3;
    while (start < tag.size()) {
        std::size_t end = tag.find('-', start);
        if (end == std::string_view::npos) end = tag.size();
        const std::string_view sub = tag.substr(start, end - start);
        if (sub == "hant" || sub == "hans") {
            traditional = sub == "hant";
            script_seen = true;
        } else if (!script_seen && (sub == "tw" || sub == "hk" || sub == "mo")) {
            traditional = true;
        }
        start = end + 1;
    }
    return traditional ? language::zh_tw : language::zh_cn;
}

}  // namespace

std::optional<language> parse_language(std::string_view name) noexcept {
    return parse_language_unchecked(name);
}

language language_from_environment() noexcept {
    for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(var);
        if (value == nullptr || *value == '\0') continue;
        const std::string_view v(value);
        // The portable locale is English by definition; it also stops the search, as in POSIX,
        // where LC_ALL=C overrides LANG.
        if (v == "C" || v == "POSIX" || v.starts_with("C.")) return language::en;
        if (const auto lang = parse_language_unchecked(v)) return *lang;
    }
    return language::en;
}

std::string_view language_tag(language lang) noexcept {
    switch (lang) {
        case language::en: return "en";
        case language::zh_cn: return "zh-CN";
        case language::zh_tw: return "zh-TW";
    }
    return "en";
}

explanation explain(const record& r, language lang) {
    try {
        return explain_unchecked(r, lang);
    } catch (...) {
        return {};  // only an allocation failure can get here; an empty explanation is the honest answer
    }
}

std::string_view reason_title(std::string_view reason, language lang) noexcept {
    const reason_text* rt = explain_detail::find_reason_text(reason);
    return rt ? rt->text[explain_detail::index_of(lang)].title : std::string_view{};
}

std::string_view category_title(std::string_view category, language lang) noexcept {
    const category_text* ct = explain_detail::find_category_text(category);
    return ct ? ct->text[explain_detail::index_of(lang)].title : std::string_view{};
}

namespace {
bool complete(const text_set& t) noexcept {
    return !t.title.empty() && !t.summary.empty() && !t.cause.empty() && !t.sender_action.empty() &&
           !t.recipient_action.empty() && !t.retry_text.empty();
}
}  // namespace

bool reason_text_complete(std::string_view reason, language lang) noexcept {
    const reason_text* rt = explain_detail::find_reason_text(reason);
    return rt && complete(rt->text[explain_detail::index_of(lang)]);
}

bool category_text_complete(std::string_view category, language lang) noexcept {
    const category_text* ct = explain_detail::find_category_text(category);
    return ct && complete(ct->text[explain_detail::index_of(lang)]);
}

std::string render_explanation(const explanation& e, language lang) {
    try {
        const ui_text& u = explain_detail::ui(lang);
        std::string out;
        add_field(out, u.label_title, clean(e.title), u);
        add_field(out, u.label_summary, clean(e.summary), u);
        add_field(out, u.label_cause, clean(e.cause), u);
        add_field(out, u.label_sender_action, clean(e.sender_action), u);
        add_field(out, u.label_recipient_action, clean(e.recipient_action), u);
        add_field(out, u.label_retry, clean(e.retry_text), u);
        add_list(out, u.label_specifics, e.specifics, "- ", u);
        add_list(out, u.label_checks, e.checks, "$ ", u);
        return out;
    } catch (...) {
        return {};
    }
}

std::string render_report(const record& r, language lang) {
    try {
        const ui_text& u = explain_detail::ui(lang);
        const explanation e = explain(r, lang);
        std::string out;
        out.append(u.report_heading).append("\n");

        // The original message, as the help desk and the user know it: when, what, to whom.
        out.append(u.report_original).append(u.label_sep);
        if (out.ends_with(' ')) out.pop_back();
        out += '\n';
        const std::string time = clean(!r.original.date.empty() ? r.original.date : r.timestamp);
        const std::string recipient = clean(!r.recipient.empty() ? r.recipient : r.original.to);
        out.append("  ");
        add_field(out, u.report_time, or_unknown(time, u), u);
        out.append("  ");
        add_field(out, u.report_subject, or_unknown(clean(r.original.subject), u), u);
        if (!r.original.from.empty()) {
            out.append("  ");
            add_field(out, u.report_from, clean(r.original.from), u);
        }
        out.append("  ");
        add_field(out, u.report_recipient, or_unknown(recipient, u), u);

        // The reason: the title, then the cause in this bounce's terms, then its specifics.
        add_field(out, u.report_reason, or_unknown(e.title, u), u);
        if (!e.cause.empty()) out.append(indented(e.cause)).append("\n");
        for (const std::string& s : e.specifics) out.append("  - ").append(clean(s)).append("\n");

        std::string solution = e.sender_action;
        append_sentence(solution, e.retry_text, u);
        out.append(u.report_solution).append(u.label_sep);
        if (out.ends_with(' ')) out.pop_back();
        out += '\n';
        out.append(indented(or_unknown(solution, u))).append("\n");
        for (const std::string& c : e.checks) out.append("  $ ").append(clean(c)).append("\n");

        std::string code = clean(r.status);
        const std::string reply = clean(r.reply_code);
        if (!code.empty() && !reply.empty()) code += " / " + reply;
        else if (!reply.empty()) code = fill(u.report_reply_code, reply);
        add_field(out, u.report_code, or_unknown(code, u), u);

        // Remote-MTA is "dns; mx.example.com": the type prefix means nothing to a reader.
        std::string host = clean(r.remote_mta);
        if (const std::size_t semi = host.find(';'); semi != std::string::npos && semi < 8) {
            const std::size_t start = host.find_first_not_of(' ', semi + 1);
            host = start == std::string::npos ? std::string{} : host.substr(start);
        }
        add_field(out, u.report_remote_host, host, u);

        // The remote server's own words, unchanged apart from control characters: they are the
        // evidence, and the help desk may need to quote them to the other side.
        out.append(u.report_remote_said).append(u.label_sep);
        if (out.ends_with(' ')) out.pop_back();
        out += '\n';
        out.append(indented(or_unknown(clean(r.diagnostic, true), u))).append("\n");
        return out;
    } catch (...) {
        return {};
    }
}

}  // namespace ricochet
