#include "reason/classifier.h"

#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>

#include "dsn/codes.h"
#include "reason/taxonomy.h"
#include "util/text.h"

namespace ricochet::reason {

extern const std::string_view pattern_data;  // generated from patterns.tsv
std::string_view builtin_pattern_data() noexcept { return pattern_data; }

bool load_patterns(std::string_view tsv, std::vector<pattern_row>& rows, std::string* error) {
    int n = 0;
    for (std::string_view line : util::lines(tsv)) {
        ++n;
        if (util::trim(line).empty() || line.front() == '#') continue;
        std::vector<std::string_view> cols;
        std::size_t start = 0;
        for (std::size_t i = 0; i <= line.size(); ++i) {
            if (i == line.size() || line[i] == '\t') {
                cols.push_back(line.substr(start, i - start));
                start = i + 1;
            }
        }
        if (cols.size() != 4) {
            if (error) *error = "patterns line " + std::to_string(n) + ": expected 4 tab-separated columns, got " + std::to_string(cols.size());
            return false;
        }
        if (!find(cols[1])) {
            if (error) *error = "patterns line " + std::to_string(n) + ": unknown reason '" + std::string(cols[1]) + "'";
            return false;
        }
        rows.push_back({std::string(cols[0]), std::string(cols[1]), std::string(cols[2]), std::string(cols[3]), n});
    }
    return true;
}

classifier::~classifier() = default;

std::unique_ptr<classifier> classifier::build(std::string_view tsv, std::string* error) {
    std::unique_ptr<classifier> c(new classifier());
    if (!load_patterns(tsv, c->rows_, error)) return nullptr;
    RE2::Options opts;
    opts.set_case_sensitive(false);
    opts.set_log_errors(false);
    // Each row has its own DFA cache; a small budget bounds memory (a search that exceeds it falls
    // back to the NFA for that call).
    opts.set_max_mem(2 << 20);
    c->rows_re_ = std::make_unique<re2::FilteredRE2>(3);
    for (const auto& r : c->rows_) {
        int id = -1;
        RE2::ErrorCode code = c->rows_re_->Add(r.pattern, opts, &id);
        if (code != RE2::NoError) {
            RE2 probe(r.pattern, opts);
            if (error) *error = "pattern " + r.id + " (line " + std::to_string(r.line) + "): " + probe.error();
            return nullptr;
        }
    }
    std::vector<std::string> atoms;
    c->rows_re_->Compile(&atoms);
    if (!atoms.empty()) {
        RE2::Options lit;
        lit.set_log_errors(false);
        lit.set_max_mem(16 << 20);
        c->atoms_ = std::make_unique<RE2::Set>(lit, RE2::UNANCHORED);
        for (const auto& a : atoms) {
            if (c->atoms_->Add(RE2::QuoteMeta(a), nullptr) < 0) {
                if (error) *error = "prefilter atom does not compile: " + a;
                return nullptr;
            }
        }
        if (!c->atoms_->Compile()) {
            if (error) *error = "prefilter atoms do not compile (out of memory)";
            return nullptr;
        }
    }
    return c;
}

int classifier::match(std::string_view text) const {
    if (text.empty()) return -1;
    std::vector<int> found;
    if (atoms_) {
        // The prefilter's atoms are lower case (Unicode case folding for non-ASCII letters).
        std::string lower = util::is_ascii(text) ? util::ascii_lower(text) : util::lower_for_match(text);
        atoms_->Match(lower, &found);
    }
    return rows_re_->FirstMatch(text, found);
}

status_meaning reason_of_status(std::string_view s) noexcept {
    struct entry {
        std::string_view code;  // "x.1.1" matches any class
        std::string_view reason;
        bool decisive;
    };
    // RFC 3463 subjects and details, plus the codes RFC 7372 / RFC 7505 / RFC 8689 added.
    static constexpr entry table[] = {
        {"x.1.1", "userunknown", true},    {"x.1.2", "hostunknown", true},   {"x.1.3", "userunknown", false},
        {"x.1.4", "userunknown", false},   {"x.1.5", "userunknown", false},  {"x.1.6", "hasmoved", true},
        {"x.1.7", "rejected", true},       {"x.1.8", "rejected", true},      {"x.1.9", "userunknown", false},
        {"x.1.10", "notaccept", false},     {"x.1.0", "userunknown", false},
        {"x.2.0", "filtered", false},      {"x.2.1", "suspend", false},      {"x.2.2", "mailboxfull", true},
        {"x.2.3", "exceedlimit", true},    {"x.2.4", "systemerror", false},
        {"x.3.0", "systemerror", false},   {"x.3.1", "systemfull", true},    {"x.3.2", "systemerror", false},
        {"x.3.3", "systemerror", false},   {"x.3.4", "mesgtoobig", true},    {"x.3.5", "systemerror", false},
        {"x.4.0", "networkerror", false},  {"x.4.1", "networkerror", false}, {"x.4.2", "networkerror", false},
        {"x.4.3", "networkerror", false},  {"x.4.4", "hostunknown", false},  {"x.4.5", "systemerror", false},
        {"x.4.6", "networkerror", true},   {"x.4.7", "expired", false},
        {"x.5.0", "syntaxerror", false},   {"x.5.1", "syntaxerror", false},  {"x.5.2", "syntaxerror", false},
        {"x.5.3", "toomanyconn", true},    {"x.5.4", "syntaxerror", false},  {"x.5.5", "syntaxerror", false},
        {"x.6.0", "contenterror", false},  {"x.6.1", "contenterror", false}, {"x.6.2", "contenterror", false},
        {"x.6.3", "contenterror", false},  {"x.6.4", "contenterror", false}, {"x.6.5", "contenterror", false},
        {"x.7.0", "securityerror", false}, {"x.7.1", "securityerror", false},
        {"x.7.2", "securityerror", false}, {"x.7.3", "securityerror", false}, {"x.7.4", "securityerror", false},
        {"x.7.5", "securityerror", false}, {"x.7.6", "securityerror", false}, {"x.7.7", "securityerror", false},
        {"x.7.8", "securityerror", false}, {"x.7.9", "securityerror", false}, {"x.7.10", "failedstarttls", true},
        {"x.7.11", "failedstarttls", true}, {"x.7.12", "securityerror", false}, {"x.7.13", "suspend", true},
        {"x.7.14", "securityerror", false}, {"x.7.15", "securityerror", false}, {"x.7.16", "securityerror", false},
        {"x.7.17", "suspend", false},      {"x.7.18", "suspend", false},     {"x.7.19", "securityerror", false},
        {"x.7.20", "authfailure", true},   {"x.7.21", "authfailure", true},  {"x.7.22", "authfailure", true},
        {"x.7.23", "authfailure", true},   {"x.7.24", "authfailure", true},  {"x.7.25", "requireptr", true},
        {"x.7.26", "authfailure", true},   {"x.7.27", "rejected", false},     {"x.7.28", "speeding", true},
        {"x.7.29", "authfailure", true},   {"x.7.30", "securityerror", false},
    };
    if (s.size() < 5) return {};
    std::string_view rest = s.substr(1);
    for (const auto& e : table)
        if (e.code.substr(1) == rest) return {e.reason, e.decisive};
    return {};
}

// Multi-line SMTP replies repeat the code on every line ("550-5.7.1 Messages with multiple
// 550-5.7.1 addresses in From:"); folded together, the repeats split phrases. Keep the first, drop
// the rest, and squeeze white space.
std::string normalize_diagnostic(std::string_view diagnostic) {
    std::string text = util::squeeze(diagnostic);
    std::string code = dsn::find_reply_code(text);
    if (code.empty()) return text;
    std::size_t first = text.find(code);
    std::string out = text.substr(0, first + code.size());
    std::size_t i = first + code.size();
    while (i < text.size()) {
        bool repeat = text.compare(i, 1, " ") == 0 && text.compare(i + 1, code.size(), code) == 0 &&
                      i + 1 + code.size() < text.size() && (text[i + 1 + code.size()] == '-' || text[i + 1 + code.size()] == ' ');
        if (repeat) {
            std::size_t j = i + 1 + code.size() + 1;
            // and the enhanced status that follows the repeated code
            std::string st = dsn::find_enhanced_status(std::string_view(text).substr(j, 10));
            if (!st.empty() && text.compare(j, st.size(), st) == 0) j += st.size();
            i = j;
            // ("The account 550-or domain": the words on either side stay apart.)
            if (!out.empty() && out.back() != ' ') out += ' ';
            continue;
        }
        out += text[i++];
    }
    return util::squeeze(out);
}

namespace {

// True when the words of a reply, without its codes and addresses, are only a bare refusal
// ("550 5.7.9 Rejected", "554 5.7.1 <a@b.example> Access denied."): nothing the status does not
// say better.
bool only_a_bare_refusal(std::string_view text) {
    if (text.size() > 80) return false;
    std::string words;
    for (std::size_t i = 0; i < text.size();) {
        while (i < text.size() && util::is_space(text[i])) ++i;
        std::size_t j = i;
        while (j < text.size() && !util::is_space(text[j])) ++j;
        std::string_view w = text.substr(i, j - i);
        i = j;
        // codes, addresses and bracketed hosts carry no words
        if (w.empty() || util::is_digit(w.front()) || w.front() == '<' || w.front() == '[' || w.find('@') != std::string_view::npos) continue;
        if (!words.empty()) words += ' ';
        for (char c : w)
            if (util::is_alpha(c)) words += util::lower(c);
    }
    static constexpr std::string_view bare[] = {"rejected", "refused", "denied", "access denied", "failed",
                                                "not allowed", "message rejected", "mail rejected", "rejected by policy"};
    return std::find(std::begin(bare), std::end(bare), words) != std::end(bare);
}

// A decisive status whose reply names a narrower reason than the code's own: the reply's wins.
//   x.2.3 ("message length exceeds administrative limit"): a server that says the limit is its
//     fixed maximum message size means too big for any mailbox there; one that says the mailbox's
//     quota is used up ("maildir has overdrawn his diskspace quota") means the mailbox is full.
//   x.5.3 ("too many recipients"): a daily or hourly sending limit that ran out is the rate, not
//     this message's recipient count. qmail's chkuser answers a domain it does not serve with
//     "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.5.3 - chkuser)": the
//     relaying refusal, not a recipient count.
//   x.7.2x (authentication): providers reuse these codes for their own checks (Gmail answers 4.7.23
//     for a missing PTR record and 4.7.29 for mail not sent over TLS); a reply that names the
//     check says which one failed.
bool text_is_more_specific(std::string_view status_reason, std::string_view text_reason) {
    struct narrower {
        std::string_view status, text;
    };
    static constexpr narrower table[] = {{"exceedlimit", "mesgtoobig"}, {"exceedlimit", "mailboxfull"}, {"toomanyconn", "speeding"}, {"toomanyconn", "norelaying"},
                                         {"authfailure", "requireptr"}, {"authfailure", "failedstarttls"}};
    return std::any_of(std::begin(table), std::end(table),
                       [&](const narrower& n) { return n.status == status_reason && n.text == text_reason; });
}

// Reply codes that name one failure whatever the words beside them.
struct reply_meaning {
    std::string_view code, reason, rule;
};
const reply_meaning* meaning_of_reply(std::string_view code) {
    static constexpr reply_meaning table[] = {
        // RFC 7504: a host (at the greeting) or a recipient's domain that accepts no mail at all.
        {"521", "notaccept", "reply-521-accepts-no-mail"},
        {"556", "notaccept", "reply-556-accepts-no-mail"},
        // RFC 5248's registry: 523 goes with x.7.10, "Encryption Needed".
        {"523", "failedstarttls", "reply-523-encryption-needed"},
    };
    for (const auto& m : table)
        if (m.code == code) return &m;
    return nullptr;
}

}  // namespace

verdict classifier::decide(const evidence& ev) const {
    verdict v;
    std::string text = normalize_diagnostic(ev.diagnostic);
    int hit = match(text);
    std::string_view text_reason = hit >= 0 ? std::string_view(rows_[static_cast<std::size_t>(hit)].reason) : std::string_view();
    std::string_view text_rule = hit >= 0 ? std::string_view(rows_[static_cast<std::size_t>(hit)].id) : std::string_view();
    status_meaning sm = reason_of_status(ev.status);
    std::string status_rule = ev.status.size() > 1 ? "status-x" + std::string(ev.status.substr(1)) : std::string();
    char cls = !ev.status.empty() ? ev.status[0] : (!ev.reply_code.empty() ? ev.reply_code[0] : 0);
    auto pick = [&](std::string_view reason, std::string_view rule) {
        v.reason = std::string(reason);
        v.rule = std::string(rule);
    };

    // The reporting host's own delivery agent speaking (Postfix local(8) "unknown user: \"ann\"",
    // a pipe's exit text): no SMTP reply, so no question of which SMTP command it answered.
    const bool local_delivery = ev.reply_code.empty() && (util::iequals(ev.diagnostic_type, "x-postfix") ||
                                                          util::iequals(ev.diagnostic_type, "x-unix") || util::iequals(ev.diagnostic_type, "x-local"));
    // A 2xx reply code with no status and a failure named in the text ("(reason: 255)", a
    // program's exit status) is not a success report.
    if (cls == '2' && ev.status.empty() && (hit >= 0 || ev.action == "failed" || ev.action == "delayed")) cls = 0;
    if (ev.action == "delivered" || ev.action == "relayed" || ev.action == "expanded" || cls == '2') {
        pick("delivered", cls == '2' ? "status-2xx" : "action-" + std::string(ev.action));
    } else if (!ev.hint.empty()) {
        pick(ev.hint, ev.hint_rule.empty() ? "format-hint" : ev.hint_rule);
    } else if (sm.decisive && sm.reason == "userunknown") {
        // x.1.1 names a bad mailbox, but servers also use it for refusals that are not about the
        // mailbox ("Relaying denied", "mailbox full", "sender rejected"): the text wins for those.
        static constexpr std::string_view not_about_user[] = {"norelaying", "blocked",     "mailboxfull", "hasmoved",   "rejected",
                                                              "notaccept",  "hostunknown", "mailererror", "speeding",   "filtered",
                                                              "mesgtoobig", "exceedlimit", "policyviolation"};
        // (A reply that only says "rejected" or "recipient rejected" says nothing against the status.)
        bool other = std::find(std::begin(not_about_user), std::end(not_about_user), text_reason) != std::end(not_about_user) &&
                     text_rule != "filtered.vague.refusal";
        // A mailbox said in so many words to be suspended or disabled exists ("550 5.1.1 [SUSPEND]
        // Mailbox currently suspended"); an "inactive address" is how some providers word a closed one.
        if (text_reason == "suspend" && (util::icontains(text, "suspended") || util::icontains(text, "disabled"))) other = true;
        if (other) pick(text_reason, text_rule);
        else pick("userunknown", status_rule);
    } else if (text_reason == "userunknown" && !sm.decisive && !util::istarts_with(text, "mail.local:") && !local_delivery &&
               (ev.command == "DATA" || (ev.whole_report && ev.command.empty())) &&
               !util::istarts_with(ev.status.substr(std::min<std::size_t>(1, ev.status.size())), ".1.")) {
        // "User unknown" that is not the answer to RCPT, in a whole report that would have said so
        // (or said at DATA), and whose status does not name a bad mailbox (x.1.x): the address
        // passed recipient verification, and the refusal came later, from a filter in front of the
        // mailbox (the message, not the address, was refused). A bare pasted line has no such
        // context and keeps its plain meaning.
        pick("filtered", ev.command == "DATA" ? "userunknown-at-data" : "userunknown-not-at-rcpt");
    } else if (sm.decisive && sm.reason == "hostunknown" && text_reason == "userunknown" && !ev.reply_code.empty() &&
               !util::icontains(text, "system") && !util::icontains(text, "domain") && !util::icontains(text, "host")) {
        // x.1.2 says the destination system does not exist, but a server that replies "550 User
        // does not exist" exists: the mailbox is what is unknown.
        pick("userunknown", text_rule);
    } else if (sm.decisive && text_is_more_specific(sm.reason, text_reason)) {
        pick(text_reason, text_rule);
    } else if (sm.decisive) {
        pick(sm.reason, status_rule);
    } else if (ev.reply_code == "551" && (ev.status.empty() || util::iends_with(ev.status, ".0.0")) &&
               (text_reason.empty() || text_reason == "userunknown" || text_reason == "onhold")) {
        // 551 is "user not local" (RFC 5321 section 4.2.2): the mailbox is not, or no longer, here
        // ("551 not our customer"); Sendmail reports it as 5.1.6.
        pick("hasmoved", "reply-551-user-not-local");
    } else if (const reply_meaning* own = meaning_of_reply(ev.reply_code);
               own && (ev.status.empty() || util::iends_with(ev.status, ".0.0")) && text_reason.empty()) {
        pick(own->reason, own->rule);
    } else if (!sm.reason.empty() && text_rule == "filtered.vague.refusal" && ev.status.size() > 2 && ev.status.substr(1, 3) == ".1.") {
        // "550 5.1.0 Recipient rejected": the reply says only that the address was refused; the
        // status says it was refused as an address (x.1.x), not by a filter.
        pick(sm.reason, status_rule);
    } else if (!sm.reason.empty() && !util::iends_with(ev.status, ".0") && only_a_bare_refusal(text)) {
        // A specific status with a one-word reply: the status's detail is the only evidence.
        pick(sm.reason, status_rule);
    } else if (!text_reason.empty()) {
        pick(text_reason, text_rule);
    } else if (ev.action == "delayed") {
        // Still being retried with nothing more specific said: the queue will expire it.
        pick("expired", "action-delayed");
    } else if (!sm.reason.empty()) {
        pick(sm.reason, status_rule);
    } else if (!text.empty()) {
        pick("onhold", "no-pattern");
    } else {
        pick("undefined", "no-evidence");
    }

    // A connection failure (temporary by nature: 4xx, or no reply at all) that the reporting server
    // finally gave up on is a queue expiry. (A "delayed" report is still being retried: not expired
    // yet. A vague "Temporary failure" stays onhold: giving up says nothing about why it failed.)
    if ((cls == '4' || cls == 0) && ev.action == "failed" && !sm.decisive && v.rule == "network.conn")
        pick("expired", "temporary-failure-gave-up");
    // A report that is still retrying a refused or timed-out connection: the queue will expire it.
    if (ev.action == "delayed" && v.rule == "network.conn") pick("expired", "connection-retried");
    // A DNS answer that the reporting server itself treats as temporary (4xx) is a network error,
    // not proof that the domain does not exist.
    if (cls == '4' && v.reason == "hostunknown" && !sm.decisive) pick("networkerror", "dns-failure-temporary");
    // The SMTP phase tells who was refused when the text is vague: before MAIL FROM the client
    // host itself, at MAIL FROM the sender address.
    bool vague = v.reason == "filtered" || v.reason == "onhold" || v.reason == "securityerror" || v.reason == "systemerror";
    if (vague && v.rule.rfind("status-", 0) != 0 && (ev.command == "CONN" || ev.command == "HELO" || ev.command == "EHLO"))
        pick("blocked", "refused-before-mail-from");
    else if (v.reason == "hostunknown" && !sm.decisive && (ev.command == "HELO" || ev.command == "EHLO"))
        // "501 Invalid domain name" in answer to HELO is about the name the sending host gave.
        pick("blocked", "helo-name-refused");
    else if ((v.reason == "filtered" || v.reason == "onhold" || v.reason == "userunknown" ||
              (v.reason == "securityerror" && util::icontains(text, "access denied"))) &&
             !sm.decisive && ev.command == "MAIL")
        // "Access denied" in answer to MAIL FROM refuses the sender, not a credential.
        pick("rejected", "refused-at-mail-from");
    // A diagnostic of type X-Unix comes from a local delivery program (procmail, a pipe).
    if (util::iequals(ev.diagnostic_type, "x-unix") &&
        (vague || v.reason == "syntaxerror" || v.reason == "undefined" || v.rule == "action-delayed"))
        pick("mailererror", "diagnostic-type-x-unix");

    // Hard or soft: a 4xx is never hard; a 5xx is hard for the reasons that are permanent by
    // nature (the address or domain does not exist); the rest are soft whatever the class.
    // A delay notice (Action: delayed) is never a hard bounce: the reporting server has not given
    // up on the address.
    const reason_info* info = find(v.reason);
    if (!info || !info->is_failure) {
        v.hard = false;
        v.hard_signal = "reason";
    } else if (ev.action == "delayed") {
        v.hard = false;
        v.hard_signal = "action";
    } else if (cls == '4') {
        v.hard = false;
        v.hard_signal = ev.status.empty() ? "reply_code" : "status";
    } else if (info->usually_hard) {
        v.hard = cls == '5' || cls == 0;
        v.hard_signal = cls == 0 ? "reason" : (ev.status.empty() ? "reply_code" : "status");
    } else {
        v.hard = false;
        v.hard_signal = "reason";
    }
    return v;
}

}  // namespace ricochet::reason
