// ricochet — the remedy text tables behind explain.h: one entry per category and one per reason, each
// with the same six fields in English, Simplified and Traditional Chinese, plus the labels and
// templates the renderers put around them.
//
// The tables are plain data (arrays of structs of string_view into static storage), so there is no
// initialisation order to worry about and nothing mutable; a missing text shows up as an empty view,
// which the completeness functions and the tests catch.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "ricochet/explain.h"

// Not `ricochet::explain`: that name is taken by the function `ricochet::explain()`.
namespace ricochet::explain_detail {

inline constexpr std::size_t language_count = 3;

/// Index of a language in the per-language arrays below (en, zh-CN, zh-TW).
constexpr std::size_t index_of(language lang) noexcept {
    switch (lang) {
        case language::en: return 0;
        case language::zh_cn: return 1;
        case language::zh_tw: return 2;
    }
    return 0;
}

/// The six texts a person reads, in one language.
struct text_set {
    std::string_view title;
    std::string_view summary;
    std::string_view cause;
    std::string_view sender_action;
    std::string_view recipient_action;
    std::string_view retry_text;
};

/// The texts of one category; the default retry advice is used when the reason is not known.
struct category_text {
    std::string_view name;
    retry_advice retry;
    int retry_after_minutes;
    std::array<text_set, language_count> text;
};

/// The texts of one reason: the refinement of its category's texts, plus its retry policy.
struct reason_text {
    std::string_view name;
    retry_advice retry;
    int retry_after_minutes;
    std::array<text_set, language_count> text;
};

/// Labels, sentence templates ("{}" marks where a value goes) and check hints for one language.
struct ui_text {
    // render_explanation()
    std::string_view label_title;
    std::string_view label_summary;
    std::string_view label_cause;
    std::string_view label_sender_action;
    std::string_view label_recipient_action;
    std::string_view label_retry;
    std::string_view label_specifics;
    std::string_view label_checks;
    std::string_view label_sep;           ///< between a label and its value: ": " or a full-width colon
    // render_report()
    std::string_view report_heading;
    std::string_view report_original;
    std::string_view report_time;
    std::string_view report_subject;
    std::string_view report_from;
    std::string_view report_recipient;
    std::string_view report_reason;
    std::string_view report_solution;
    std::string_view report_code;
    std::string_view report_reply_code;   ///< "{}" = the reply code, appended after the status
    std::string_view report_remote_host;
    std::string_view report_remote_said;
    std::string_view report_details;
    std::string_view unknown;
    std::string_view sentence_gap;        ///< between two sentences: " " in English, nothing in Chinese
    // retry advice
    std::string_view retry_never;
    std::string_view retry_after_fix;
    std::string_view retry_later;         ///< "{}" = a duration
    std::string_view retry_not_applicable;
    std::string_view minute_one;          ///< "{}" = a number
    std::string_view minute_many;
    std::string_view hour_one;
    std::string_view hour_many;
    std::string_view day_one;
    std::string_view day_many;
    std::string_view note_transient;      ///< a normally permanent reason answered with 4xx
    std::string_view note_not_permanent;  ///< a normally permanent reason not judged permanent
    std::string_view note_full_for_long;  ///< a full mailbox reported as permanent
    std::string_view note_delayed;        ///< a delay notice (Action: delayed)
    std::string_view note_greylisting;    ///< retry note for a greylisting refusal
    std::string_view cause_greylisting;   ///< the cause, for a greylisting refusal
    std::string_view action_greylisting;  ///< what the sender can do about one
    // specifics
    std::string_view spec_blocklist;
    std::string_view spec_lookup;         ///< appended to spec_blocklist: "{}" = lookup page
    std::string_view spec_size_limit;     ///< "{}" = "7372800 bytes (7.0 MiB)"
    std::string_view spec_quota;
    std::string_view spec_bytes;          ///< "{}" = a byte count
    std::string_view spec_approx;         ///< "{}" = "7.0 MiB", appended to spec_bytes
    std::string_view spec_host;
    std::string_view spec_blocked_ip;
    std::string_view spec_recipient_domain;
    std::string_view spec_sender_domain;
    std::string_view spec_url;
    std::string_view spec_feedback_type;
    // sentences added to the cause
    std::string_view cause_blocklist;
    std::string_view cause_blocked_ip;
    std::string_view cause_size_limit;
    std::string_view cause_domain;
    // check hints, written after the command as a shell comment
    std::string_view hint_mx;
    std::string_view hint_nslookup;
    std::string_view hint_a;
    std::string_view hint_nc;
    std::string_view hint_telnet;
    std::string_view hint_dnsbl;
    std::string_view hint_dnsbl_named;
    std::string_view hint_ptr;
    std::string_view hint_sender_mx;
    std::string_view hint_sender_soa;
    std::string_view hint_spf;
    std::string_view hint_dmarc;
    std::string_view hint_starttls;
};

std::span<const category_text> category_texts() noexcept;
std::span<const reason_text> reason_texts() noexcept;
const ui_text& ui(language lang) noexcept;

/// nullptr when the name has no entry.
const category_text* find_category_text(std::string_view name) noexcept;
const reason_text* find_reason_text(std::string_view name) noexcept;

}  // namespace ricochet::explain_detail
