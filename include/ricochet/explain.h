// ricochet — explanations for people: what went wrong, what to do, in English and Chinese.
//
// The texts hang off the category, refined by the reason, then filled with the specifics the
// bounce itself names (the blocklist, the size limit, the host that refused, the IP, the domain).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ricochet/ricochet.h"

namespace ricochet {

enum class language { en, zh_cn, zh_tw };

/// "en", "en_US.UTF-8", "zh-CN", "zh_CN.UTF-8", "zh-Hans", "zh-TW", "zh_HK", "zh-Hant", ... ;
/// nullopt when the name is not one of the three.
std::optional<language> parse_language(std::string_view name) noexcept;

/// From LC_ALL, then LC_MESSAGES, then LANG; English when none names a supported language.
language language_from_environment() noexcept;

/// "en", "zh-CN" or "zh-TW".
std::string_view language_tag(language lang) noexcept;

enum class retry_advice {
    never,            ///< the address or message will not be accepted as it is
    after_fix,        ///< retry once the cause has been fixed
    later,            ///< a temporary condition: retry after `retry_after_minutes`
    not_applicable,   ///< not a failure (delivered, auto-reply, complaint)
};

struct explanation {
    std::string title;             ///< short name of the kind of failure ("Mailbox does not exist")
    std::string summary;           ///< one line
    std::string cause;             ///< the cause in plain words, specific to this bounce
    std::string sender_action;     ///< what the sender can do
    std::string recipient_action;  ///< what the recipient or their administrator must do
    retry_advice retry = retry_advice::after_fix;
    int retry_after_minutes = 0;   ///< for retry_advice::later
    std::string retry_text;        ///< the retry advice in words
    std::vector<std::string> specifics;  ///< facts taken from the bounce: blocklist, size limit, host, IP
    std::vector<std::string> checks;     ///< concrete commands for this message's domain / IP
};

/// Explains one record. Never throws; unknown reasons get the "unknown" category's text.
explanation explain(const record& r, language lang);

/// Short title of a reason / category in a language; empty when there is no text (tests use this
/// to prove the three languages are complete).
std::string_view reason_title(std::string_view reason, language lang) noexcept;
std::string_view category_title(std::string_view category, language lang) noexcept;

/// True when every text field of the reason's entry exists in that language.
bool reason_text_complete(std::string_view reason, language lang) noexcept;
bool category_text_complete(std::string_view category, language lang) noexcept;

/// A bounce report for a help desk, plain text: the original message (time, subject, recipient),
/// the reason, the proposed solution, the codes and the remote server's own words.
std::string render_report(const record& r, language lang);

/// The same explanation as plain text lines (used by `ricochet explain` and `--explain`).
std::string render_explanation(const explanation& e, language lang);

}  // namespace ricochet
