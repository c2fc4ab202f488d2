#include "reason/taxonomy.h"

#include <vector>

#include "ricochet/ricochet.h"

namespace ricochet::reason {
namespace {

constexpr reason_info reasons[] = {
    {"userunknown", "recipient-unknown", true, true, "5.1.1"},
    {"hasmoved", "recipient-unknown", true, true, "5.1.6"},
    {"hostunknown", "domain-not-found", true, true, "5.1.2"},
    {"notaccept", "domain-not-found", true, true, "5.1.10"},
    {"suspend", "mailbox-disabled", false, true, "5.2.1"},
    {"mailboxfull", "mailbox-full", false, true, "5.2.2"},
    {"mesgtoobig", "message-too-large", false, true, "5.3.4"},
    {"exceedlimit", "message-too-large", false, true, "5.2.3"},
    {"filtered", "content-filtered", false, true, "5.2.0"},
    {"spamdetected", "content-filtered", false, true, "5.7.1"},
    {"virusdetected", "content-filtered", false, true, "5.7.1"},
    {"contenterror", "content-filtered", false, true, "5.6.0"},
    {"notcompliantrfc", "content-filtered", false, true, "5.6.0"},
    {"policyviolation", "content-filtered", false, true, "5.7.1"},
    {"authfailure", "authentication", false, true, "5.7.26"},
    {"securityerror", "rejected", false, true, "5.7.1"},
    {"failedstarttls", "connection-failed", false, true, "5.7.10"},
    {"blocked", "blocklisted", false, true, "5.7.1"},
    {"badreputation", "blocklisted", false, true, "5.7.1"},
    {"requireptr", "sender-dns", false, true, "5.7.25"},
    {"rejected", "rejected", false, true, "5.1.8"},
    {"norelaying", "rejected", false, true, "5.7.1"},
    {"toomanyconn", "too-many-recipients", false, true, "4.3.2"},
    {"speeding", "too-many-recipients", false, true, "4.7.0"},
    {"syntaxerror", "protocol-error", false, true, "5.5.2"},
    {"networkerror", "connection-failed", false, true, "4.4.1"},
    {"expired", "connection-failed", false, true, "4.4.7"},
    {"systemerror", "remote-system", false, true, "4.3.0"},
    {"systemfull", "remote-system", false, true, "4.3.1"},
    {"mailererror", "remote-system", false, true, "5.3.0"},
    {"suppressed", "rejected", false, true, "5.1.1"},
    {"onhold", "unknown", false, true, ""},
    {"undefined", "unknown", false, true, ""},
    {"delivered", "not-a-failure", false, false, "2.0.0"},
    {"feedback", "not-a-failure", false, false, ""},
    {"vacation", "not-a-failure", false, false, ""},
};

constexpr std::string_view categories[] = {
    "recipient-unknown", "mailbox-disabled", "mailbox-full", "content-filtered", "domain-not-found",
    "protocol-error", "message-too-large", "rejected", "connection-failed", "too-many-recipients",
    "blocklisted", "sender-dns", "authentication", "remote-system", "not-a-failure", "unknown",
};

}  // namespace

const reason_info* find(std::string_view name) noexcept {
    for (const auto& r : reasons)
        if (r.name == name) return &r;
    return nullptr;
}

}  // namespace ricochet::reason

namespace ricochet {

std::string_view category_of(std::string_view reason) noexcept {
    const auto* r = reason::find(reason);
    return r ? r->category : std::string_view("unknown");
}

const std::vector<std::string_view>& reason_names() noexcept {
    static const std::vector<std::string_view> names = [] {
        std::vector<std::string_view> v;
        for (const auto& r : reason::reasons) v.push_back(r.name);
        return v;
    }();
    return names;
}

const std::vector<std::string_view>& category_names() noexcept {
    static const std::vector<std::string_view> names(std::begin(reason::categories), std::end(reason::categories));
    return names;
}

}  // namespace ricochet
