// mta/provider_codes: see provider_codes.h. Each rule names the provider (by the remote host or the
// recipient's domain, where the code is only meaningful there) and the provider's own code or fixed
// phrase. Codes documented by the providers' postmaster pages (Orange "OFR" codes, Microsoft
// 5.7.6xx, Facebook "RCP-" codes, Cox "AUP#" codes) and the fixed wording of their replies.
#include "mta/provider_codes.h"

#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

using verdict = std::pair<std::string_view, std::string_view>;

// The first row whose phrase the reply contains (case-insensitive).
verdict first_contained(std::string_view d, std::span<const phrase_rule> table) {
    const phrase_rule* e = find_phrase(d, table);
    return e ? verdict{e->reason, e->rule} : verdict{};
}

// The row whose phrase is `code` itself.
verdict equal_to(std::string_view code, std::span<const phrase_rule> table) {
    for (const auto& e : table)
        if (code == e.phrase) return {e.reason, e.rule};
    return {};
}

// True when `host` (a host name, a domain or an address) is or is under one of `domains`.
bool under(std::string_view host, std::initializer_list<std::string_view> domains) {
    std::size_t at = host.rfind('@');
    if (at != std::string_view::npos) host.remove_prefix(at + 1);
    while (!host.empty() && (host.back() == '.' || host.back() == ']' || host.back() == '>')) host.remove_suffix(1);
    for (std::string_view d : domains) {
        if (util::iequals(host, d)) return true;
        if (host.size() > d.size() && host[host.size() - d.size() - 1] == '.' && util::iends_with(host, d)) return true;
    }
    return false;
}

// "OFR_416", "OFR006_102", "LPN007_416", "[416]": the number after the last underscore, or in the
// trailing brackets.
std::string_view orange_code(std::string_view d) {
    for (std::string_view prefix : {"OFR", "LPN"}) {
        std::size_t p = util::ifind(d, prefix);
        while (p != std::string_view::npos) {
            std::size_t e = p + prefix.size();
            while (e < d.size() && (util::is_digit(d[e]) || d[e] == '_')) ++e;
            std::string_view code = d.substr(p, e - p);
            std::size_t us = code.rfind('_');
            if (us != std::string_view::npos && code.size() - us == 4) return code.substr(us + 1);
            p = util::ifind(d, prefix, e);
        }
    }
    return {};
}

verdict google(std::string_view d) {
    if (util::icontains(d, "account that you tried to reach is disabled") || util::icontains(d, "account that you tried to reach is inactive"))
        return {"suspend", "google-account-disabled"};
    if (util::icontains(d, "account that you tried to reach does not exist")) return {"userunknown", "google-account-not-found"};
    if (util::icontains(d, "account that you tried to reach is over quota") || util::icontains(d, "inbox is out of storage space"))
        return {"mailboxfull", "google-over-quota"};
    if (util::icontains(d, "is receiving mail at a rate that prevents additional messages")) return {"speeding", "google-recipient-rate"};
    if (util::icontains(d, "is receiving mail too quickly")) return {"speeding", "google-recipient-rate"};
    return {};
}

// Yahoo's country domains: yahoo.fr, yahoo.co.uk, yahoo.com.ar, mx.mail.yahoo.de ...
bool yahoo_country_domain(std::string_view host) {
    std::size_t at = host.rfind('@');
    if (at != std::string_view::npos) host = host.substr(at + 1);
    return util::istarts_with(host, "yahoo.") || util::icontains(host, ".yahoo.");
}

verdict yahoo(std::string_view d) {
    // "554 delivery error: dd This user doesn't have a yahoo.com account (...) [0]"
    if (util::icontains(d, "This user doesn't have a") && util::icontains(d, "account")) return {"userunknown", "yahoo-no-such-account"};
    if (util::icontains(d, "dd Requested mail action aborted, mailbox not found")) return {"userunknown", "yahoo-mailbox-not-found"};
    if (util::icontains(d, "This account has been disabled or discontinued")) return {"suspend", "yahoo-account-disabled"};
    return {};
}

verdict microsoft(std::string_view d) {
    // 5.7.606-5.7.649: "Access denied, banned sending IP [x]" (the IP is on Microsoft's block list).
    if (util::icontains(d, "banned sending IP")) return {"blocked", "microsoft-banned-sending-ip"};
    for (std::string_view c : {"5.7.606", "5.7.607", "5.7.608", "5.7.609", "5.7.610", "5.7.611", "5.7.612", "5.7.613", "5.7.614", "5.7.615",
                               "5.7.616", "5.7.617", "5.7.618", "5.7.619", "5.7.620", "5.7.621", "5.7.622", "5.7.623", "5.7.624", "5.7.625",
                               "5.7.626", "5.7.627", "5.7.628", "5.7.629", "5.7.630", "5.7.631", "5.7.632", "5.7.633", "5.7.634", "5.7.635",
                               "5.7.636", "5.7.637", "5.7.638", "5.7.639", "5.7.640", "5.7.641", "5.7.642", "5.7.643", "5.7.644", "5.7.645",
                               "5.7.646", "5.7.647", "5.7.648", "5.7.649"})
        if (util::icontains(d, c)) return {"blocked", "microsoft-banned-sending-ip"};
    if (util::icontains(d, "RESOLVER.ADR.RecipNotFound") || util::icontains(d, "RESOLVER.ADR.RecipientNotFound"))
        return {"userunknown", "microsoft-recipient-not-found"};
    if (util::icontains(d, "RESOLVER.ADR.RecipLimit")) return {"toomanyconn", "microsoft-recipient-limit"};
    if (util::icontains(d, "RESOLVER.RST.RecipSizeLimit")) return {"exceedlimit", "microsoft-recipient-size-limit"};
    // Directory-based edge blocking: the address is not in the tenant's directory.
    if (util::icontains(d, "5.4.1") && util::icontains(d, "Recipient address rejected: Access denied")) return {"userunknown", "microsoft-dbeb-not-in-directory"};
    // Outlook.com / Hotmail: "550 Requested action not taken: mailbox unavailable (-123:456:-789)".
    if (util::icontains(d, "Requested action not taken: mailbox unavailable")) return {"userunknown", "outlook-mailbox-unavailable"};
    if (util::icontains(d, "5.7.515") || util::icontains(d, "doesn't meet the required authentication level")) return {"authfailure", "microsoft-auth-level"};
    // The fixed texts of Exchange Online's other codes, as its list of NDR codes explains them.
    static constexpr phrase_rule table[] = {
        // 4.4.8 / 5.4.8 and 4.7.5 / 5.7.5: the destination failed its MTA-STS policy; 5.7.321-325:
        // DANE and TLS checks of the destination ("starttls-not-supported", "tlsa-invalid" ...).
        {"MTA-STS validation", "failedstarttls", "microsoft-tls-policy"},
        {"starttls-not-supported", "failedstarttls", "microsoft-tls-policy"},
        {"certificate-expired:", "failedstarttls", "microsoft-tls-policy"},
        {"tlsa-invalid", "failedstarttls", "microsoft-tls-policy"},
        {"dnssec-invalid", "failedstarttls", "microsoft-tls-policy"},
        {"certificate-host-mismatch", "failedstarttls", "microsoft-tls-policy"},
        // Sending limits of the tenant or the account (5.1.90, 5.2.2 submission quota, 5.7.508,
        // 5.7.705 / 5.7.715) and of the recipient (5.2.121 / 5.2.122, 4.3.2 thread limit).
        {"daily limit for message recipients", "speeding", "microsoft-sending-limit"},
        {"Submission quota exceeded", "speeding", "microsoft-sending-limit"},
        {"has exceeded permitted limits", "speeding", "microsoft-sending-limit"},
        {"tenant has exceeded threshold", "speeding", "microsoft-sending-limit"},
        {"message receive limit", "speeding", "microsoft-recipient-receive-limit"},
        {"recipient thread limit exceeded", "speeding", "microsoft-recipient-receive-limit"},
        {"exceeded the maximum number of connections", "toomanyconn", "microsoft-connection-limit"},
        // Outlook.com's RP-001..003: rate limits set by the sending IP's reputation.
        {"RP-001", "badreputation", "outlook-rp-reputation-limit"},
        {"RP-002", "badreputation", "outlook-rp-reputation-limit"},
        {"RP-003", "badreputation", "outlook-rp-reputation-limit"},
        // 5.7.501-503: the sending account is banned (spam from it, or banned outright).
        {"Access denied, spam abuse detected", "rejected", "microsoft-banned-sender"},
        {"banned sender[", "blocked", "microsoft-banned-sending-ip"},
        {"banned sender [", "blocked", "microsoft-banned-sending-ip"},
        {"Access denied, banned sender", "rejected", "microsoft-banned-sender"},
        {"sending from unregistered domains", "rejected", "microsoft-unregistered-sender-domain"},
        {"Access denied, banned recipient", "suspend", "microsoft-banned-recipient"},
        // 5.7.506, 5.7.507, 5.7.510, 4.7.5xx-8xx: the sending host refused.
        {"Access denied, Bad HELO", "blocked", "microsoft-host-refused"},
        {"Access denied, rejected by recipient", "blocked", "microsoft-host-refused"},
        {"does not accept email over IPv6", "blocked", "microsoft-host-refused"},
        {"Access denied, please try again later", "blocked", "microsoft-host-refused"},
        {"Content Filter agent quarantined", "spamdetected", "microsoft-content-filter"},
        // 5.7.12, 5.7.13, 5.7.124, 5.7.133-136: the group, mailbox or public folder takes mail only
        // from its own organisation or from the senders it lists.
        {"SenderNotAuthenticatedFor", "filtered", "microsoft-restricted-recipient"},
        {"Sender was not authenticated", "filtered", "microsoft-restricted-recipient"},
        {"Sender not authenticated for", "filtered", "microsoft-restricted-recipient"},
        {"allowed-senders list", "filtered", "microsoft-restricted-recipient"},
        {"Hosted tenant which has no mail-enabled subscriptions", "notaccept", "microsoft-no-mail-tenant"},
        // The receiving organisation's own configuration or servers failing.
        {"failed to be replicated", "systemerror", "microsoft-system-error"},
        {"PFA agent busy", "systemerror", "microsoft-system-error"},
        {"Misconfigured forwarding address", "systemerror", "microsoft-system-error"},
        {"Destination mailbox address ambiguous", "systemerror", "microsoft-system-error"},
        {"SuspiciousRemoteServerError", "systemerror", "microsoft-system-error"},
        {"Journaling Archive is disabled", "systemerror", "microsoft-system-error"},
        // Addresses Exchange cannot deliver to at all.
        {"single label domains not accepted", "userunknown", "microsoft-invalid-address"},
        {"Invalid X.400 address", "userunknown", "microsoft-invalid-address"},
    };
    return first_contained(d, table);
}

// Orange's "OFR" and La Poste's "LPN" codes (Orange runs both): the number after the last
// underscore, or in trailing brackets ("OFR_416", "LPN007_420", "... [416]").
verdict orange(std::string_view d) {
    std::string_view code = orange_code(d);
    if (code.empty()) {
        // "... [416]" at the end.
        std::string_view t = util::trim(d);
        if (t.size() >= 5 && t.back() == ']' && t[t.size() - 5] == '[') code = t.substr(t.size() - 4, 3);
    }
    static constexpr phrase_rule table[] = {
        {"102", "blocked", "orange-ip-refused"},          {"103", "blocked", "orange-ip-refused"},
        {"108", "blocked", "orange-ip-refused"},          {"510", "blocked", "orange-ip-refused"},
        {"999", "blocked", "orange-ip-refused"},          {"503", "blocked", "laposte-service-refused"},
        {"104", "toomanyconn", "orange-too-many-connections"},
        {"305", "securityerror", "orange-authentication"}, {"402", "securityerror", "orange-authentication"},
        {"401", "authfailure", "orange-sender-spf"},       {"517", "authfailure", "laposte-dmarc-failed"},
        {"403", "rejected", "orange-invalid-sender"},      {"405", "rejected", "orange-invalid-sender"},
        {"415", "rejected", "orange-invalid-sender"},      {"421", "rejected", "orange-sender-not-owned"},
        {"416", "userunknown", "orange-invalid-recipient"}, {"417", "mailboxfull", "orange-recipient-over-quota"},
        {"420", "suspend", "orange-recipient-archived"},   {"426", "suspend", "orange-recipient-blocked"},
        {"505", "systemerror", "orange-service-refused-try-later"}, {"506", "spamdetected", "orange-mail-rejected-spam"},
        {"514", "mesgtoobig", "orange-message-too-big"},   {"630", "policyviolation", "laposte-client-policy"},
    };
    return equal_to(code, table);
}

verdict kddi(std::string_view d) {
    // au (KDDI) answers "550 : User unknown" (no address) when its own filter refuses the message,
    // "550 <user@ezweb.ne.jp>: User unknown" when the mailbox does not exist.
    std::string s = util::squeeze(d);
    if (util::icontains(s, "550 : User unknown")) return {"filtered", "kddi-filter-refused"};
    if (util::icontains(s, "550 <") && util::icontains(s, ">: User unknown")) return {"userunknown", "kddi-no-such-mailbox"};
    return {};
}

verdict cox(std::string_view d) {
    // Cox "AUP#" reference codes.
    std::size_t p = util::ifind(d, "AUP#");
    if (p == std::string_view::npos) return {};
    std::string_view code = d.substr(p + 4, std::min<std::size_t>(12, d.size() - p - 4));
    if (util::istarts_with(code, "CXDNS")) return {"requireptr", "cox-no-reverse-dns"};
    if (util::istarts_with(code, "CXCNCT")) return {"toomanyconn", "cox-too-many-connections"};
    if (util::istarts_with(code, "CXMXRT")) return {"speeding", "cox-message-rate"};
    if (util::istarts_with(code, "CXBL") || util::istarts_with(code, "CDRBL") || util::istarts_with(code, "IPBL") || util::istarts_with(code, "RBL"))
        return {"blocked", "cox-ip-blocklisted"};
    if (util::istarts_with(code, "CXSNDR")) return {"rejected", "cox-sender-rejected"};
    // The sender's own Cox account held after suspicious activity (reset its passwords).
    if (util::istarts_with(code, "CXTHRT") || util::istarts_with(code, "CXMJ")) return {"securityerror", "cox-account-suspicious-activity"};
    // A URL in the message is on a domain blocklist.
    if (util::istarts_with(code, "URLBL")) return {"spamdetected", "cox-url-blocklisted"};
    return {};
}

// Spectrum (Charter, Time Warner Cable, Roadrunner): "AUP#In-1310", "AUP#I-1010", "AUP#O-1550". Its
// page of email error codes groups them in ranges: 10xx the sending IP refused (outbound: the
// sender's own account held for suspicious activity, a refusal of the sender), 11xx its DNS (reverse DNS, full-circle DNS)
// and the sender domain's policies, 12xx blocklists, 13xx connection limits, 135x-14xx rate
// limits, 15xx what an outbound message or its sender did wrong.
verdict spectrum(std::string_view d) {
    std::size_t p = util::ifind(d, "AUP#");
    if (p == std::string_view::npos) return {};
    std::string_view code = d.substr(p + 4);
    bool outbound = false;
    for (std::string_view prefix : {"In-", "I-", "Out-", "O-"})
        if (util::istarts_with(code, prefix)) {
            outbound = prefix.front() == 'O';
            code.remove_prefix(prefix.size());
            break;
        }
    if (code.size() < 4 || !util::is_digit(code[0]) || !util::is_digit(code[1]) || !util::is_digit(code[2]) || !util::is_digit(code[3])) return {};
    const int n = (code[0] - '0') * 1000 + (code[1] - '0') * 100 + (code[2] - '0') * 10 + (code[3] - '0');
    struct range {
        int lo, hi;
        std::string_view reason, rule;
    };
    static constexpr range ranges[] = {
        {1090, 1099, "systemerror", "spectrum-aup-cannot-process"},  {1100, 1149, "requireptr", "spectrum-aup-dns"},
        {1150, 1199, "policyviolation", "spectrum-aup-domain-policy"}, {1200, 1259, "blocked", "spectrum-aup-blocked"},
        {1260, 1269, "networkerror", "spectrum-aup-ipv6"},           {1300, 1349, "toomanyconn", "spectrum-aup-rate-limit"},
        {1350, 1499, "speeding", "spectrum-aup-rate-limit"},         {1500, 1529, "rejected", "spectrum-aup-sender-address"},
        {1530, 1539, "mesgtoobig", "spectrum-aup-message-size"},     {1540, 1549, "speeding", "spectrum-aup-rate-limit"},
        {1550, 1559, "toomanyconn", "spectrum-aup-too-many-recipients"}, {1560, 1569, "blocked", "spectrum-aup-invalid-recipients"},
        {1580, 1599, "speeding", "spectrum-aup-rate-limit"},
    };
    if (n >= 1000 && n < 1090) {
        if (outbound && n >= 1010) return {"rejected", "spectrum-aup-sender-account-held"};
        return {"blocked", "spectrum-aup-blocked"};
    }
    for (const auto& r : ranges)
        if (n >= r.lo && n <= r.hi) return {r.reason, r.rule};
    return {};
}

// NTT docomo answers "550 Unknown user" after DATA when the recipient's reception settings refuse
// the sender (the address exists: it passed RCPT); before DATA the phrase means what it says. A
// relay that put a mailbox status (x.2.x) on it reported the refusal as the mailbox's filter.
verdict docomo(std::string_view d, std::string_view command, std::string_view status) {
    if (command == "DATA" && util::icontains(d, "Unknown user") && !(status.size() > 2 && status.substr(1, 3) == ".2."))
        return {"rejected", "docomo-reception-refused"};
    return {};
}

// Exchange Online's extended codes for a message that expired in its queue: 4.4.312 / 5.4.312
// (the DNS lookup of the destination kept failing), 4.4.316 / 5.4.316 (connections kept being
// refused).
verdict exchange_online_expiry(std::string_view d) {
    if (util::icontains(d, "5.4.312") || util::icontains(d, "4.4.312")) return {"networkerror", "microsoft-dns-query-failed"};
    // (A 4.4.316 still being retried is only a refused connection.)
    if (util::icontains(d, "5.4.316") || util::icontains(d, "4.4.316"))
        return util::icontains(d, "expired") ? verdict{"expired", "microsoft-expired-connection-refused"}
                                             : verdict{"networkerror", "microsoft-connection-refused"};
    return {};
}

// A code of Facebook's own form in the reply: a group name, "-P" or "-T", a digit ("RCP-P3").
bool facebook_code(std::string_view d) {
    for (std::string_view group : {"RCP-", "POL-", "DNS-", "CON-", "MSG-", "INT-"})
        for (std::size_t p = util::ifind(d, group); p != std::string_view::npos; p = util::ifind(d, group, p + 1)) {
            std::string_view rest = d.substr(p + group.size());
            const bool word_start = p == 0 || !util::is_alpha(d[p - 1]);
            if (word_start && rest.size() >= 2 && (rest[0] == 'P' || rest[0] == 'T') && util::is_digit(rest[1])) return true;
        }
    return false;
}

// Facebook's own codes ("RCP-P1", "POL-T2" ...), as its postmaster page lists them: P permanent,
// T temporary; RCP the recipient, INT Facebook's own system, MSG the message, POL its policy on the
// sending host or the content, DNS the sender's domain or host name, CON connections.
verdict facebook(std::string_view d) {
    static constexpr phrase_rule table[] = {
        {"RCP-P1", "userunknown", "facebook-no-such-recipient"}, {"INT-P1", "userunknown", "facebook-no-such-recipient"},
        {"INT-P3", "userunknown", "facebook-no-such-recipient"}, {"INT-P4", "userunknown", "facebook-no-such-recipient"},
        {"RCP-P2", "filtered", "facebook-recipient-preferences"}, {"RCP-P3", "filtered", "facebook-recipient-preferences"},
        {"RCP-T1", "systemerror", "facebook-internal-issue"},     {"RCP-T4", "suspend", "facebook-recipient-deactivated"},
        {"INT-P7", "mailboxfull", "facebook-over-quota"},         {"MSG-P1", "mesgtoobig", "facebook-message-too-big"},
        {"INT-P2", "mesgtoobig", "facebook-message-too-big"},     {"MSG-P2", "policyviolation", "facebook-attachment-type"},
        {"MSG-P3", "notcompliantrfc", "facebook-duplicate-header"}, {"MSG-T1", "toomanyconn", "facebook-too-many-recipients"},
        {"POL-P5", "virusdetected", "facebook-virus"},            {"POL-P6", "spamdetected", "facebook-blocked-url"},
        {"DNS-P1", "rejected", "facebook-sender-domain"},         {"DNS-P2", "rejected", "facebook-sender-domain"},
        {"DNS-T1", "rejected", "facebook-sender-domain"},         {"DNS-P3", "requireptr", "facebook-no-reverse-dns"},
        {"DNS-T2", "requireptr", "facebook-no-reverse-dns"},      {"CON-T1", "toomanyconn", "facebook-connections"},
        {"CON-T2", "toomanyconn", "facebook-connections"},        {"CON-T3", "toomanyconn", "facebook-connections"},
        {"CON-T4", "toomanyconn", "facebook-connections"},
    };
    if (verdict v = first_contained(d, table); !v.first.empty()) return v;
    // POL-P7 covers two refusals: the sender domain's authentication, or the abuse policies.
    if (util::icontains(d, "POL-P7")) return util::icontains(d, "authentication") ? verdict{"authfailure", "facebook-domain-authentication"}
                                                                                  : verdict{"spamdetected", "facebook-abuse-policy"};
    // The other POL codes refuse the sending host (a blocklist, or Facebook's own block for hours).
    if (util::icontains(d, "POL-P") || util::icontains(d, "POL-T")) return {"blocked", "facebook-host-refused"};
    return {};
}

// i.ua (Ukraine) links each refusal to its explanation: "See https://mail.i.ua/err/3/".
verdict iua(std::string_view d) {
    std::size_t p = util::ifind(d, "i.ua/err/");
    if (p == std::string_view::npos) return {};
    std::string_view n = d.substr(p + 9);
    n = n.substr(0, std::min(n.find_first_not_of("0123456789"), n.size()));
    static constexpr std::string_view reasons[] = {"",            "norelaying", "userunknown", "suspend", "mailboxfull", "speeding",
                                                   "norelaying", "blocked",    "rejected",    "blocked", "filtered"};
    if (n.empty() || n.size() > 2) return {};
    std::size_t i = n.size() == 1 ? static_cast<std::size_t>(n[0] - '0') : static_cast<std::size_t>((n[0] - '0') * 10 + (n[1] - '0'));
    if (i == 0 || i >= std::size(reasons)) return {};
    return {reasons[i], "iua-error-page"};
}

// Tencent (QQ Mail, Exmail) links each refusal to its help page: "https://service.mail.qq.com/detail/122/169".
verdict tencent(std::string_view d) {
    if (std::size_t p = util::ifind(d, "service.mail.qq.com/detail/122/"); p != std::string_view::npos) {
        std::string_view n = d.substr(p + 31);
        n = n.substr(0, std::min(n.find_first_not_of("0123456789"), n.size()));
        static constexpr phrase_rule pages[] = {
            {"57", "blocked", "tencent-help-page"},       {"59", "spamdetected", "tencent-help-page"}, {"66", "blocked", "tencent-help-page"},
            {"72", "authfailure", "tencent-help-page"},   {"167", "syntaxerror", "tencent-help-page"}, {"168", "mesgtoobig", "tencent-help-page"},
            {"169", "userunknown", "tencent-help-page"},  {"170", "blocked", "tencent-help-page"},     {"171", "spamdetected", "tencent-help-page"},
            {"172", "toomanyconn", "tencent-help-page"},  {"173", "toomanyconn", "tencent-help-page"}, {"174", "toomanyconn", "tencent-help-page"},
            {"175", "toomanyconn", "tencent-help-page"},  {"1011", "speeding", "tencent-help-page"}};
        if (verdict v = equal_to(n, pages); !v.first.empty()) return v;
    }
    if (util::icontains(d, "frequency limited")) return {"toomanyconn", "tencent-frequency-limited"};
    if (util::icontains(d, "Mailbox not found")) return {"userunknown", "tencent-mailbox-not-found"};
    return {};
}

// Mimecast's fixed replies, from its published list of SMTP error codes (each reply links to it:
// "https://community.mimecast.com/docs/DOC-1369#550"). The list says what each one means; a few
// would read otherwise out of context ("Envelope blocked - User Entry" is the recipient's own
// block list refusing the sender; "Email rejected due to security policies" is a virus or spam
// signature found in the message).
verdict mimecast(std::string_view d) {
    static constexpr phrase_rule table[] = {
        {"SPF Sender Invalid", "authfailure", "mimecast-sender-authentication"},
        {"DKIM Sender Invalid", "authfailure", "mimecast-sender-authentication"},
        {"DMARC Sender Invalid", "authfailure", "mimecast-sender-authentication"},
        {"Internal resource", "blocked", "mimecast-greylisting-or-reputation"},
        {"IP Reputation", "badreputation", "mimecast-ip-reputation"},
        {"Sender address blocked", "blocked", "mimecast-blocked-senders-policy"},
        {"IP temporarily blacklisted", "blocked", "mimecast-ip-blocked"},
        {"Recipient temporarily unavailable", "blocked", "mimecast-ip-blocked"},
        {"past the expiration", "expired", "mimecast-journal-expired"},
        {"This route requires", "failedstarttls", "mimecast-route-requires-tls"},
        {"configuration is invalid for this certificate", "failedstarttls", "mimecast-route-requires-tls"},
        {"incorrect hostname used for inbound", "networkerror", "mimecast-mx-misconfigured"},
        {"Account inbounds disabled", "notaccept", "mimecast-inbound-disabled"},
        {"Content Examination Policy", "policyviolation", "mimecast-content-examination"},
        {"Anti-Spoofing", "policyviolation", "mimecast-anti-spoofing"},
        {"Host network not allowed", "policyviolation", "mimecast-geographic-restriction"},
        {"Host network, not allowed", "policyviolation", "mimecast-geographic-restriction"},
        {"Envelope blocked", "rejected", "mimecast-sender-blocked"},
        {"Blocked Senders", "rejected", "mimecast-sender-blocked"},
        {"Block policy for", "rejected", "mimecast-sender-blocked"},
        {"Administrative prohibition", "rejected", "mimecast-sender-blocked"},
        {"Incorrect authentication data", "securityerror", "mimecast-submission-authentication"},
        {"Submitter failed to", "securityerror", "mimecast-submission-authentication"},
        {"Unable to process", "systemerror", "mimecast-server-busy"},
        {"Message ended early", "systemerror", "mimecast-message-ended-early"},
        {"Account service is temporarily unavailable", "toomanyconn", "mimecast-too-many-connections"},
        {"outbound thread limit", "toomanyconn", "mimecast-too-many-connections"},
        {"Invalid Recipient", "userunknown", "mimecast-invalid-recipient"},
        {"rejected due to security policies", "virusdetected", "mimecast-signature-detected"},
    };
    return first_contained(d, table);
}

// NetEase (163.com, 126.com, yeah.net) puts a code of two groups in its replies ("550 MI:SPF",
// "451 RP:QRC ..."): HL the connecting IP, MI the sender or the session, RP the recipients, DT the
// content, WM the allow lists. Its help page for senders lists what each code means. (MI:IMF is
// left to the words beside it: copies of the page disagree on what it means.)
verdict netease(std::string_view d) {
    static constexpr phrase_rule codes[] = {
        {"HL:REP", "blocked", "netease-ip-behaviour"},     {"HL:MEP", "blocked", "netease-ip-behaviour"},
        {"HL:IHU", "blocked", "netease-ip-behaviour"},     {"HL:IPB", "blocked", "netease-ip-behaviour"},
        {"HL:ICC", "toomanyconn", "netease-connections"},  {"HL:IFC", "speeding", "netease-sending-rate"},
        {"HL:IFQ", "speeding", "netease-sending-rate"},    {"HL:ITC", "speeding", "netease-sending-rate"},
        {"MI:STC", "speeding", "netease-sending-rate"},    {"MI:SFQ", "speeding", "netease-sending-rate"},
        {"RP:QRC", "speeding", "netease-sending-rate"},    {"RP:TRC", "speeding", "netease-sending-rate"},
        {"MI:DMC", "toomanyconn", "netease-per-connection-limit"}, {"RP:DRC", "toomanyconn", "netease-per-connection-limit"},
        {"RP:RCL", "toomanyconn", "netease-per-connection-limit"}, {"MI:CEL", "syntaxerror", "netease-bad-commands"},
        {"MI:CCL", "syntaxerror", "netease-bad-commands"}, {"RP:CEL", "syntaxerror", "netease-bad-commands"},
        {"RP:CCL", "syntaxerror", "netease-bad-commands"}, {"MI:NHD", "blocked", "netease-helo"},
        {"MI:SPB", "rejected", "netease-sender-address"},
        {"WM:BLU", "rejected", "netease-sender-address"},  {"WM:BLI", "blocked", "netease-ip-not-allowed"},
        {"MI:SPF", "authfailure", "netease-sender-authentication"}, {"MI:DMA", "authfailure", "netease-sender-authentication"},
        {"RP:FRL", "norelaying", "netease-open-relay"},    {"DT:SPM", "spamdetected", "netease-content-spam"},
        {"DT:SUM", "policyviolation", "netease-envelope-header-mismatch"}, {"DT:RBL", "blocked", "netease-ip-blocklisted"},
    };
    // The codes are upper case and stand alone ("550 MI:SPF", "451 RP:QRC ...").
    for (const auto& e : codes)
        for (std::size_t p = d.find(e.phrase); p != std::string_view::npos; p = d.find(e.phrase, p + 1))
            if ((p == 0 || !util::is_alpha(d[p - 1])) && (p + 6 == d.size() || !util::is_alpha(d[p + 6]))) return {e.reason, e.rule};
    return {};
}

// Sophos Email's own codes, "XGEMAIL_0001" to "XGEMAIL_0015", as its SMTP error-code page lists them.
verdict sophos(std::string_view d) {
    std::size_t p = util::ifind(d, "XGEMAIL_");
    if (p == std::string_view::npos || p + 12 > d.size()) return {};
    static constexpr phrase_rule codes[] = {
        {"0001", "authfailure", "sophos-sender-authentication"}, {"0002", "authfailure", "sophos-sender-authentication"},
        {"0003", "authfailure", "sophos-sender-authentication"}, {"0004", "blocked", "sophos-ip-reputation"},
        {"0005", "rejected", "sophos-sender-reputation"},        {"0006", "failedstarttls", "sophos-tls-required"},
        {"0007", "systemerror", "sophos-delivery-setup"},        {"0008", "filtered", "sophos-blocked-sender"},
        {"0009", "filtered", "sophos-blocked-sender"},           {"0010", "norelaying", "sophos-not-a-customer-domain"},
        {"0011", "userunknown", "sophos-unknown-recipient"},     {"0012", "mesgtoobig", "sophos-message-size"},
        {"0013", "toomanyconn", "sophos-too-many-recipients"},   {"0014", "speeding", "sophos-rate-limit"},
        {"0015", "speeding", "sophos-rate-limit"},
    };
    return equal_to(d.substr(p + 8, 4), codes);
}

// Comcast (Xfinity) names its blocks with a code in the reply: "BL000010" (a blocklist, or its own
// block of the IP), "ES000001" (an email security check of the sending host), "RL000001" (a rate
// limit).
verdict comcast(std::string_view d) {
    for (const phrase_rule& e : {phrase_rule{"BL0", "blocked", "comcast-ip-blocked"}, phrase_rule{"ES0", "blocked", "comcast-ip-blocked"},
                                 phrase_rule{"RL0", "speeding", "comcast-rate-limit"}}) {
        std::size_t p = util::ifind(d, e.phrase);
        if (p != std::string_view::npos && p + 4 <= d.size() && util::is_digit(d[p + 3]) && (p == 0 || !util::is_alpha(d[p - 1])))
            return {e.reason, e.rule};
    }
    return {};
}

}  // namespace

std::pair<std::string_view, std::string_view> provider_reason(std::string_view host, std::string_view diagnostic, std::string_view command,
                                                              std::string_view status) {
    if (diagnostic.empty()) return {};
    std::string_view d = diagnostic.substr(0, std::min<std::size_t>(diagnostic.size(), 4096));
    // Codes that name their provider in the text itself.
    if (util::icontains(d, "support.google.com") || util::icontains(d, "gsmtp") ||
        under(host, {"google.com", "gmail.com", "googlemail.com", "googlegroups.com", "aspmx.l.google.com"})) {
        if (verdict v = google(d); !v.first.empty()) return v;
    }
    if (util::icontains(d, "yahoo.com") || util::icontains(d, "yahoodns.net") || util::icontains(d, "verizonmedia.com") ||
        util::icontains(d, "yahooinc.com") || under(host, {"yahoo.com", "yahoo.co.jp", "yahoodns.net", "aol.com", "ymail.com", "rocketmail.com"}) ||
        util::icontains(d, "dd This user doesn't have a") || util::icontains(d, "doesn't have a yahoo.") || yahoo_country_domain(host)) {
        if (verdict v = yahoo(d); !v.first.empty()) return v;
    }
    if (util::icontains(d, "outlook.com") || util::icontains(d, "RESOLVER.") || util::icontains(d, "sender.office.com") ||
        util::icontains(d, "mailbox unavailable (-") ||
        under(host, {"outlook.com", "hotmail.com", "live.com", "msn.com", "protection.outlook.com", "hotmail.co.jp", "hotmail.fr", "outlook.jp"})) {
        if (verdict v = microsoft(d); !v.first.empty()) return v;
    }
    if (util::icontains(d, "OFR") || util::icontains(d, "LPN") ||
        under(host, {"orange.fr", "wanadoo.fr", "laposte.net", "francetelecom.fr", "orange.com"})) {
        if (verdict v = orange(d); !v.first.empty()) return v;
    }
    if (under(host, {"ezweb.ne.jp", "au.com", "kddi.com", "dion.ne.jp"})) {
        if (verdict v = kddi(d); !v.first.empty()) return v;
    }
    // (Cox's servers name themselves "cmsmtp" in their replies; its codes start "AUP#CX".)
    if (under(host, {"cox.net", "cox.com", "coxmail.com"}) || util::icontains(d, "cox.com") || util::icontains(d, "cmsmtp") ||
        util::icontains(d, "AUP#CX")) {
        if (verdict v = cox(d); !v.first.empty()) return v;
    }
    if (under(host, {"charter.net", "spectrum.net", "rr.com", "twc.com", "roadrunner.com", "brighthouse.com"}) ||
        util::icontains(d, "spectrum.net") || util::icontains(d, "charter.net") || util::icontains(d, "AUP#In-") ||
        util::icontains(d, "AUP#I-")) {
        if (verdict v = spectrum(d); !v.first.empty()) return v;
    }
    if (under(host, {"docomo.ne.jp"})) {
        if (verdict v = docomo(d, command, status); !v.first.empty()) return v;
    }
    if (verdict v = exchange_online_expiry(d); !v.first.empty()) return v;
    if (under(host, {"mimecast.com", "mimecast.co.za", "mimecast-offshore.com"}) || util::icontains(d, "mimecast.com")) {
        if (verdict v = mimecast(d); !v.first.empty()) return v;
    }
    if (under(host, {"facebook.com", "fb.com"}) || util::icontains(d, "postmaster.facebook.com") || facebook_code(d)) {
        if (verdict v = facebook(d); !v.first.empty()) return v;
    }
    if (d.find(':') != std::string_view::npos) {
        if (verdict v = netease(d); !v.first.empty()) return v;
    }
    if (util::icontains(d, "XGEMAIL_")) {
        if (verdict v = sophos(d); !v.first.empty()) return v;
    }
    if (under(host, {"comcast.net", "xfinity.com"}) || util::icontains(d, "comcast")) {
        if (verdict v = comcast(d); !v.first.empty()) return v;
    }
    if (under(host, {"i.ua", "email.ua"}) || util::icontains(d, "mail.i.ua/err/")) {
        if (verdict v = iua(d); !v.first.empty()) return v;
    }
    if (under(host, {"qq.com", "foxmail.com", "exmail.qq.com"}) || util::icontains(d, "mail.qq.com")) {
        if (verdict v = tencent(d); !v.first.empty()) return v;
    }
    return {};
}

// ---------------------------------------------------------------------------------------------
// Microsoft NDR text.

void apply_microsoft_codes(std::vector<record>& out, std::size_t first) {
    for (std::size_t i = first; i < out.size(); ++i) {
        auto [reason, rule] = provider_reason("outlook.com", out[i].diagnostic);
        if (!reason.empty()) {
            out[i].reason = std::string(reason);
            out[i].rule = std::string(rule);
        }
    }
}

namespace {

// The layout Exchange Online and Outlook.com have used since 2016: a summary for people, then
// "More Info for Email Admins", "Original Message Details" and "Error Details" sections.
bool is_modern_microsoft_ndr(std::string_view text) {
    return find_marker_line(text, {"Error Details"}) != std::string_view::npos &&
           find_marker_line(text, {"Reported error:", "DSN generated by:", "Message rejected by:"}) != std::string_view::npos;
}

// "Your message to user@example.com couldn't be delivered." -> the address.
std::string addressee_of_summary(std::string_view line) {
    std::string_view t = util::trim(line);
    if (!util::istarts_with(t, "Your message to ")) return {};
    std::size_t end = util::ifind(t, " couldn");
    if (end == std::string_view::npos) return {};
    return util::clean_address(util::trim(t.substr(16, end - 16)));
}

//   Your message to user@example.com couldn't be delivered.
//   user wasn't found at example.com.
//   ...
//   More Info for Email Admins
//   Status code: 550 5.1.10
//   ...
//   Original Message Details
//   Recipient Address:      user@example.com
//   ...
//   Error Details
//   Reported error: 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup
//   DSN generated by:       SERVER.namprd01.prod.outlook.com
//   Remote server:          mx.example.com          (when a remote server refused)
//
// (Newer reports say "Error:" and "Message rejected by:".) One error for all recipients named.
bool parse_modern_microsoft_ndr(const context& ctx, std::vector<record>& out) {
    std::string_view text = ctx.body;
    std::size_t stop = find_marker_line(text, {"Original Message Headers", "Original message headers:"});
    if (stop != std::string_view::npos) text = text.substr(0, stop);
    std::size_t details = find_marker_line(text, {"Error Details"});
    if (details == std::string_view::npos) return false;
    std::vector<std::string> rcpts;
    auto add = [&](std::string a) {
        if (a.empty() || rcpts.size() >= ctx.lim.max_recipients) return;
        for (const auto& r : rcpts)
            if (util::iequals(r, a)) return;
        rcpts.push_back(std::move(a));
    };
    std::string summary;  // the people's line under "Your message to ... couldn't be delivered."
    std::vector<std::string_view> ls = util::lines(text);
    for (std::size_t i = 0; i < ls.size(); ++i) {
        std::string a = addressee_of_summary(ls[i]);
        if (!a.empty()) {
            add(std::move(a));
            for (std::size_t j = i + 1; j < ls.size() && j < i + 4 && summary.empty(); ++j)
                if (!util::trim(ls[j]).empty()) summary = util::squeeze(ls[j]);
            continue;
        }
        std::string_view t = util::trim(ls[i]);
        if (util::istarts_with(t, "Recipient Address:")) {
            // One or more addresses, separated by ';' or ','.
            std::string_view v = t.substr(18);
            std::size_t from = 0;
            while (from < v.size()) {
                std::size_t sep = v.find_first_of(";,", from);
                if (sep == std::string_view::npos) sep = v.size();
                add(util::clean_address(util::trim(v.substr(from, sep - from))));
                from = sep + 1;
            }
        }
    }
    if (rcpts.empty()) return false;
    std::string error, by, remote;
    std::vector<std::string_view> det = util::lines(text.substr(details));
    for (std::size_t i = 1; i < det.size(); ++i) {
        std::string_view t = util::trim(det[i]);
        std::string_view v;
        if (util::istarts_with(t, "Reported error:")) v = t.substr(15);
        else if (util::istarts_with(t, "Error:")) v = t.substr(6);
        if (!v.empty() && error.empty()) {
            error = std::string(util::trim(v));
            // A long reply wrapped onto the next lines, up to the next "Name:" line.
            for (std::size_t j = i + 1; j < det.size(); ++j) {
                std::string_view n = util::trim(det[j]);
                if (n.empty() || n.find(':') < 24) break;
                error += ' ';
                error.append(n);
            }
        } else if (util::istarts_with(t, "DSN generated by:") || util::istarts_with(t, "Message rejected by:")) {
            by = util::ascii_lower(util::trim(t.substr(t.find(':') + 1)));
        } else if (util::istarts_with(t, "Remote server:")) {
            std::string_view h = util::trim(t.substr(14));
            remote = util::ascii_lower(h.substr(0, h.find_first_of(" \t")));
        }
    }
    if (error.empty()) error = std::string(line_value(text, "Status code"));
    if (error.empty()) error = summary;
    for (auto& a : rcpts) {
        record r = make_record(a, error);
        r.action = "failed";
        r.reporting_mta = by;
        r.remote_mta = remote;
        out.push_back(std::move(r));
    }
    return true;
}

// The Exchange 2007-2013 layout, in English.
bool is_classic_microsoft_ndr(std::string_view text) {
    return contains_any(text, {"Delivery has failed to these recipients or groups:", "Diagnostic information for administrators:"});
}

// The server's reply quoted in a line of the sender's language: "Remoteserver hat '550 5.1.1 ...'
// zurückgegeben", "Le serveur distant a retourné '552 5.2.2 ...'", "リモート サーバーから '550 ...'
// が返されました". Exchange never rewrites the reply itself (always US-ASCII), so the quote that
// opens right before a reply code, up to the last closing quote of the line, is the reply.
std::string_view quoted_reply(std::string_view t) {
    static constexpr std::string_view opens[] = {"'", "\"", "\u2018", "\u201c", "\u00ab", "\u300c"};
    static constexpr std::string_view closes[] = {"'", "\"", "\u2019", "\u201d", "\u00bb", "\u300d"};
    for (std::size_t q = 0; q < std::size(opens); ++q) {
        for (std::size_t at = t.find(opens[q]); at != std::string_view::npos; at = t.find(opens[q], at + 1)) {
            std::string_view r = t.substr(at + opens[q].size());
            std::string_view in = !r.empty() && r.front() == '<' ? r.substr(1) : r;  // "'<#5.0.0 smtp; 550 ...>'"
            bool code = in.size() > 4 && (in[0] == '2' || in[0] == '4' || in[0] == '5') && util::is_digit(in[1]) && util::is_digit(in[2]) &&
                        (in[3] == ' ' || in[3] == '-');
            bool typed = in.size() > 6 && in[0] == '#' && (in[1] == '4' || in[1] == '5') && in[2] == '.';
            if (!code && !typed) continue;
            std::size_t end = r.rfind(closes[q]);
            if (end == std::string_view::npos || end == 0) continue;
            return r.substr(0, end);
        }
    }
    return {};
}

bool is_lone_address(std::string_view line) {
    std::string_view t = util::trim(line);
    return !t.empty() && t.find(' ') == std::string_view::npos && t.find('@') != std::string_view::npos && !util::clean_address(t).empty();
}

// Exchange 2007/2010 names the remote host before the reply it quotes:
// "mx.example.net #550 5.1.1 <user@example.net>... User unknown ##" -> "mx.example.net".
std::string_view host_before_hash(std::string_view t) {
    std::size_t sp = t.find(" #");
    if (sp == std::string_view::npos || sp == 0 || sp + 3 >= t.size() || !util::is_digit(t[sp + 2])) return {};
    std::string_view host = t.substr(0, sp);
    if (host.find_first_of(" \t@") != std::string_view::npos || host.find('.') == std::string_view::npos) return {};
    if (t.find("##", sp + 2) == std::string_view::npos) return {};
    return host;
}

// Where a server's reply stands under a recipient's address line, in whatever language the rest
// of the report speaks: "Remote Server returned '...'", its translations, or Exchange 2007/2010's
// "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##". npos when there is none.
// The reply must follow the administrators' section's first line, "Generating server: <host>" in
// any language (a label, a colon, one host name), as a person's message quoting a reply has none.
std::size_t reply_under_an_address(std::string_view text) {
    // Every mail system's message that no earlier format claimed comes through here (three
    // times: Exchange, Office 365, Outlook.com): one pass over the bytes first, for a quote
    // opening on a reply code or a "##" ending a line, before any line is looked at.
    auto byte = [&](std::size_t i) { return i < text.size() ? static_cast<unsigned char>(text[i]) : 0u; };
    // "550 ", "550-", "<#5.", "<550 " right after the quote.
    auto reply_starts = [&](std::size_t i) {
        if (byte(i) == '<') ++i;
        unsigned n = byte(i);
        if (n == '#') return byte(i + 1) == '4' || byte(i + 1) == '5';
        return (n == '2' || n == '4' || n == '5') && util::is_digit(static_cast<char>(byte(i + 1))) &&
               util::is_digit(static_cast<char>(byte(i + 2))) && (byte(i + 3) == ' ' || byte(i + 3) == '-');
    };
    bool maybe = false;
    for (std::size_t i = 0; i + 1 < text.size() && !maybe; ++i) {
        const unsigned c = byte(i);
        if (c == '\'' || c == '"') maybe = reply_starts(i + 1);
        else if (c == '#') maybe = byte(i + 1) == '#' && (byte(i + 2) == 0 || byte(i + 2) == '\n' || byte(i + 2) == '\r');  // "... ##" ends its line
        else if (c == 0xC2) maybe = byte(i + 1) == 0xAB && reply_starts(i + 2);  // «
        else if (c == 0xE2) maybe = byte(i + 1) == 0x80 && (byte(i + 2) == 0x98 || byte(i + 2) == 0x9C) && reply_starts(i + 3);  // ‘ “
        else if (c == 0xE3) maybe = byte(i + 1) == 0x80 && byte(i + 2) == 0x8C && reply_starts(i + 3);  // 「
    }
    if (!maybe) return std::string_view::npos;
    bool after_address = false, generating_server = false;
    for (std::string_view l : util::lines(text)) {
        std::size_t at = static_cast<std::size_t>(l.data() - text.data());
        std::string_view t = util::trim(l);
        if (t.empty()) continue;
        if (!generating_server) {
            std::size_t colon = t.find(": ");
            std::size_t wide = t.find("\uff1a");  // a full-width colon
            std::string_view host = colon != std::string_view::npos ? util::trim(t.substr(colon + 2))
                                    : wide != std::string_view::npos ? util::trim(t.substr(wide + 3))
                                                                     : std::string_view();
            generating_server = !host.empty() && host.find_first_of(" \t@") == std::string_view::npos &&
                                host.find('.') != std::string_view::npos && (colon == std::string_view::npos || colon < 60);
            continue;
        }
        if (after_address) {
            if (util::istarts_with(t, "Remote Server returned '") || !quoted_reply(t).empty()) return at;
            if (t.front() == '#' && t.size() > 4 && util::is_digit(t[1]) && t.find("##") != std::string_view::npos) return at;
            if (!host_before_hash(t).empty()) return at;
        }
        after_address = is_lone_address(t);
    }
    return std::string_view::npos;
}

// A report in the sender's language ("Informations de diagnostic pour les administrateurs :")
// that keeps the server's reply line in English.
bool has_remote_server_reply(std::string_view text) {
    return find_marker_line(text, {"Remote Server returned '"}) != std::string_view::npos;
}

// One with no English marker at all: only a mail system's message, with a reply under an address.
bool is_translated_microsoft_ndr(const context& ctx) {
    return from_mail_system(ctx) && reply_under_an_address(ctx.body) != std::string_view::npos;
}

}  // namespace

bool is_microsoft_ndr(const context& ctx) {
    std::string_view text = ctx.body;
    return is_classic_microsoft_ndr(text) || is_modern_microsoft_ndr(text) || has_remote_server_reply(text) ||
           is_translated_microsoft_ndr(ctx);
}

namespace {

// "Remote Server returned '550 5.1.1 ...'", "Remote Server returned '< #5.0.0 smtp; 550 ...>'",
// "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##" -> the server's words.
std::string ms_reply(std::string_view line) {
    std::string_view t = util::trim(line);
    // Delay notices: "Server at mx.example.org (192.0.2.9) returned '451 4.4.0 ...'", the attempts
    // after it stamped "3/4/2024 9:00:00 AM - Server at ... returned '...'".
    std::size_t stamped = util::ifind(t, " - Server at ");
    if (std::size_t sa = util::ifind(t, "Server at "); sa != std::string_view::npos && (sa == 0 || (stamped != std::string_view::npos && stamped + 3 == sa))) {
        std::size_t ret = util::ifind(t, " returned '", sa);
        if (ret != std::string_view::npos) {
            std::string_view r = t.substr(ret + 11);
            if (!r.empty() && r.back() == '\'') r.remove_suffix(1);
            return util::squeeze(r);
        }
    }
    // The quoted reply, bare or wrapped as "<#5.0.0 smtp; 550 ...>": the status, then the typed reply.
    auto unwrap = [](std::string_view r) {
        if (!r.empty() && r.front() == '<') {
            r.remove_prefix(1);
            if (!r.empty() && r.back() == '>') r.remove_suffix(1);
            r = util::trim(r);
            if (!r.empty() && r.front() == '#') {
                std::size_t semi = r.find(';');
                if (semi != std::string_view::npos) r = util::trim(r.substr(semi + 1));
            }
        }
        return util::squeeze(r);
    };
    if (util::istarts_with(t, "Remote Server returned")) {
        t = util::trim(t.substr(22));
        if (!t.empty() && t.front() == '\'') t.remove_prefix(1);
        if (!t.empty() && t.back() == '\'') t.remove_suffix(1);
        return unwrap(t);
    }
    // The same line in the sender's language.
    if (std::string_view q = quoted_reply(t); !q.empty()) return unwrap(q);
    if (std::string_view host = host_before_hash(t); !host.empty()) t.remove_prefix(host.size() + 1);
    if (!t.empty() && t.front() == '#' && t.size() > 4 && util::is_digit(t[1])) {
        t.remove_prefix(1);
        std::size_t hh = t.find("##");
        if (hh != std::string_view::npos) t = t.substr(0, hh);
        return util::squeeze(t);
    }
    return {};
}

}  // namespace

bool parse_microsoft_ndr(const context& ctx, std::vector<record>& out) {
    std::string_view text = ctx.body;
    if (!is_classic_microsoft_ndr(text)) {
        if (is_modern_microsoft_ndr(text)) return parse_modern_microsoft_ndr(ctx, out);
        if (!has_remote_server_reply(text) && !is_translated_microsoft_ndr(ctx)) return false;
    }
    std::size_t stop = find_marker_line(text, {"Original message headers:", "Original Message Headers", "------ Original"});
    if (stop != std::string_view::npos) text = text.substr(0, stop);
    std::size_t diag_at = util::ifind(text, "Diagnostic information for administrators:");
    std::size_t list_at = util::ifind(text, "Delivery has failed to these recipients or groups:");
    bool delayed = false;
    if (list_at == std::string_view::npos) {
        list_at = util::ifind(text, "Delivery is delayed to these recipients or groups:");
        delayed = list_at != std::string_view::npos;
    }
    if (diag_at == std::string_view::npos && list_at == std::string_view::npos) {
        // In the sender's language: the administrators' section starts at the address line
        // before the first "Remote Server returned" line and ends at the original's headers.
        std::size_t reply_at = find_marker_line(text, {"Remote Server returned '"});
        if (reply_at == std::string_view::npos) reply_at = reply_under_an_address(text);
        if (reply_at == std::string_view::npos) return false;
        diag_at = reply_at;
        std::vector<std::string_view> before = util::lines(text.substr(0, reply_at));
        for (auto it = before.rbegin(); it != before.rend(); ++it)
            if (!util::trim(*it).empty()) {
                diag_at = static_cast<std::size_t>(it->data() - text.data());
                break;
            }
        std::size_t headers = find_marker_line(text, {"Received:", "Return-Path:"}, reply_at);
        if (headers != std::string_view::npos) text = text.substr(0, headers);
    }
    std::string generating;
    std::string unattached;  // a server reply before any address line (delay notices name none there)
    std::size_t first = out.size();
    if (diag_at != std::string_view::npos) {
        std::string_view sec = text.substr(diag_at);
        generating = std::string(line_value(sec, "Generating server"));
        record* cur = nullptr;
        for (std::string_view l : util::lines(sec)) {
            std::string_view t = util::trim(l);
            if (t.empty() || util::istarts_with(t, "Generating server") || util::istarts_with(t, "Diagnostic information")) continue;
            std::string reply = ms_reply(t);
            if (!reply.empty()) {
                if (cur && cur->remote_mta.empty()) cur->remote_mta = util::ascii_lower(host_before_hash(t));
                if (cur && cur->diagnostic.empty()) cur->diagnostic = reply;
                if (!cur) unattached = reply;  // the last attempt's words are the most specific
                continue;
            }
            // A line that is an address alone starts a recipient.
            std::string a = util::clean_address(t);
            if (!a.empty() && t.find(' ') == std::string_view::npos) {
                if (out.size() - first >= ctx.lim.max_recipients) break;
                out.push_back(make_record(a, ""));
                cur = &out.back();
                cur->action = "failed";
                cur->reporting_mta = util::ascii_lower(generating);
            }
        }
    }
    // The human-readable list: "user@example.com<mailto:user@example.com>" or "Name (user@...)",
    // each followed by Microsoft's explanation. It gives the recipients when the administrators'
    // section is missing, and the explanation when that section has no server reply.
    if (list_at != std::string_view::npos) {
        std::size_t end = diag_at == std::string_view::npos ? text.size() : diag_at;
        std::string_view list = text.substr(list_at, end - list_at);
        std::size_t eol = list.find('\n');
        std::string_view body = eol == std::string_view::npos ? std::string_view() : list.substr(eol + 1);
        std::vector<std::string_view> ls = util::lines(body);
        for (std::size_t i = 0; i < ls.size(); ++i) {
            std::string_view t = util::trim(ls[i]);
            std::string a = util::first_address(t);
            if (a.empty() || t.size() > a.size() * 3 + 40) continue;
            std::string expl;
            for (std::size_t j = i + 1; j < ls.size() && j < i + 4; ++j) {
                std::string_view n = util::trim(ls[j]);
                if (n.empty()) {
                    if (!expl.empty()) break;
                    continue;
                }
                if (!util::first_address(n).empty() && n.size() < 200) break;
                expl = util::squeeze(n);
                break;
            }
            record* r = nullptr;
            for (std::size_t k = first; k < out.size(); ++k)
                if (util::iequals(out[k].recipient, a)) r = &out[k];
            if (!r) {
                if (out.size() - first >= ctx.lim.max_recipients) break;
                out.push_back(make_record(a, ""));
                r = &out.back();
                r->action = delayed ? "delayed" : "failed";
            }
            if (r->diagnostic.empty()) r->diagnostic = !unattached.empty() && out.size() - first == 1 ? unattached : expl;
        }
    }
    if (delayed)
        for (std::size_t k = first; k < out.size(); ++k) out[k].action = "delayed";
    return out.size() > first;
}

}  // namespace ricochet::mta
