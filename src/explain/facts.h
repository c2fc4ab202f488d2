// ricochet — the facts a bounce names about itself, for the explanation: the blocklist and where to
// look it up, the size limit, the host that answered, the IP address that was refused, the domains.
//
// Everything here is taken from the record's own fields and from the remote server's words
// (`record::diagnostic`) by bounded, linear scans; nothing is guessed. Every host, domain and IP that
// comes out is validated to [A-Za-z0-9.-] or an address literal, because explain() pastes them into
// shell commands that a person will copy: a hostile bounce must not be able to inject anything.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ricochet/ricochet.h"

namespace ricochet::explain_detail {

struct bounce_facts {
    std::string blocklist;          ///< DNSBL/RBL zone named in the text, e.g. "zen.spamhaus.org"
    bool blocklist_is_zone = false; ///< named as a DNS zone (can be queried), not only a web site
    std::string lookup_url;         ///< where a person can look the IP up on that list
    std::string url;                ///< first URL in the diagnostic (the server's help page)
    bool url_is_list_page = false;  ///< `url` is the blocklist's own site (already in lookup_url)
    std::uint64_t size_bytes = 0;   ///< size limit (or quota) in bytes, 0 when none is named
    std::string host;               ///< the remote host: remote_mta or "host X said" / "connect to X"
    std::string host_ip;            ///< its address when the text gives one
    std::string blocked_ip;         ///< the sending IP the receiver refused
    std::string recipient_domain;
    std::string sender_domain;
};

/// What to look for: the callers know from the category which numbers and addresses mean what.
struct fact_wants {
    bool blocklist_context = false;  ///< accept a zone after "listed in" even if it is not a known list
    bool size = false;               ///< look for a size limit or quota
    bool blocked_ip = false;         ///< look for the refused sending IP
    bool sender_from_text = false;   ///< without a From/Return-Path, take the sender domain the text names
};

bounce_facts extract_facts(const record& r, const fact_wants& wants);

/// "1.2.3.4" -> "4.3.2.1"; an IPv6 address -> its 32 reversed nibbles; empty when not an address.
std::string reverse_ip(std::string_view ip);

/// True for a syntactically valid host or domain name (letters, digits, '-', at least one dot).
bool is_host_name(std::string_view s) noexcept;

bool is_ipv4(std::string_view s) noexcept;
bool is_ipv6(std::string_view s) noexcept;

}  // namespace ricochet::explain_detail
