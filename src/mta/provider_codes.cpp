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
    return {};
}

verdict orange(std::string_view d) {
    std::string_view code = orange_code(d);
    if (code.empty()) {
        // "... [416]" at the end.
        std::string_view t = util::trim(d);
        if (t.size() >= 5 && t.back() == ']' && t[t.size() - 5] == '[') code = t.substr(t.size() - 4, 3);
    }
    if (code == "416" || code == "403") return {"userunknown", "orange-invalid-recipient"};
    if (code == "506" || code == "510") return {"spamdetected", "orange-mail-rejected-spam"};
    if (code == "102" || code == "999" || code == "108") return {"blocked", "orange-ip-refused"};
    if (code == "104") return {"toomanyconn", "orange-too-many-connections"};
    // La Poste's LPN codes: 405 the sender address cannot receive mail, 503 service refused to the
    // sending host for a while (volume, complaints), 517 the sender domain's DMARC policy.
    if (util::icontains(d, "LPN")) {
        if (code == "405") return {"rejected", "laposte-invalid-sender"};
        if (code == "503") return {"blocked", "laposte-service-refused"};
        if (code == "517") return {"policyviolation", "laposte-dmarc-policy"};
    }
    return {};
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
    return {};
}

// Spectrum (Charter, Time Warner Cable, Roadrunner): "AUP#In-1310", "AUP#I-1010", "AUP#1340". Its
// error-code page: the 10xx codes refuse the sending IP or domain, the 13xx codes are Cloudmark's
// limits on connections and message rate.
verdict spectrum(std::string_view d) {
    std::size_t p = util::ifind(d, "AUP#");
    if (p == std::string_view::npos) return {};
    std::string_view code = d.substr(p + 4);
    for (std::string_view prefix : {"In-", "I-", "Out-", "O-"})
        if (util::istarts_with(code, prefix)) {
            code.remove_prefix(prefix.size());
            break;
        }
    if (code.size() < 4 || !util::is_digit(code[0]) || !util::is_digit(code[1]) || !util::is_digit(code[2]) || !util::is_digit(code[3])) return {};
    if (code[0] == '1' && code[1] == '0') return {"blocked", "spectrum-aup-blocked"};
    if (code[0] == '1' && code[1] == '3') return {"toomanyconn", "spectrum-aup-rate-limit"};
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
    if (util::icontains(d, "5.4.316") || util::icontains(d, "4.4.316")) return {"expired", "microsoft-expired-connection-refused"};
    return {};
}

verdict facebook(std::string_view d) {
    if (util::icontains(d, "RCP-P1")) return {"userunknown", "facebook-rcp-p1"};
    if (util::icontains(d, "RCP-P2")) return {"filtered", "facebook-rcp-p2"};
    if (util::icontains(d, "RCP-P3") || util::icontains(d, "RCP-P4")) return {"suspend", "facebook-rcp-inactive"};
    return {};
}

verdict tencent(std::string_view d) {
    if (util::icontains(d, "frequency limited")) return {"toomanyconn", "tencent-frequency-limited"};
    if (util::icontains(d, "Mailbox not found")) return {"userunknown", "tencent-mailbox-not-found"};
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
    if (under(host, {"facebook.com", "fb.com"}) || util::icontains(d, "postmaster.facebook.com")) {
        if (verdict v = facebook(d); !v.first.empty()) return v;
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

// A report in the sender's language ("Informations de diagnostic pour les administrateurs :")
// keeps the server's reply line in English.
bool has_remote_server_reply(std::string_view text) {
    return find_marker_line(text, {"Remote Server returned '"}) != std::string_view::npos;
}

}  // namespace

bool is_microsoft_ndr(std::string_view text) {
    return is_classic_microsoft_ndr(text) || is_modern_microsoft_ndr(text) || has_remote_server_reply(text);
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
    if (util::istarts_with(t, "Remote Server returned")) {
        t = util::trim(t.substr(22));
        if (!t.empty() && t.front() == '\'') t.remove_prefix(1);
        if (!t.empty() && t.back() == '\'') t.remove_suffix(1);
        if (!t.empty() && t.front() == '<') {
            t.remove_prefix(1);
            if (!t.empty() && t.back() == '>') t.remove_suffix(1);
            t = util::trim(t);
            if (!t.empty() && t.front() == '#') {
                // "#5.0.0 smtp; 550 ..." : the status, then the typed reply.
                std::size_t semi = t.find(';');
                if (semi != std::string_view::npos) t = util::trim(t.substr(semi + 1));
            }
        }
        return util::squeeze(t);
    }
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
        if (!has_remote_server_reply(text)) return false;
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
