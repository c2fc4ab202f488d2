// ricochet — email bounce analyzer: the public API.
//
// An `analyzer` is built once (it compiles the pattern set), is immutable afterwards and may be
// shared by any number of threads. `analyze()` takes the raw bytes of one message and returns one
// `record` per recipient the bounce reports. Nothing here throws: errors travel in `analysis::error`,
// and "not a bounce" is an ordinary answer (`analysis::kind == message_kind::not_bounce`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ricochet {

/// Denial-of-service limits. Past a limit the analyzer gives a best-effort answer and says so in
/// `record::warnings` (or `analysis::warnings`), never aborts.
struct limits {
    std::size_t max_message_bytes = 64u << 20;  ///< bytes of one message that are looked at
    int max_mime_depth = 32;                    ///< nesting of multiparts / attached messages
    std::size_t max_headers = 1000;             ///< header fields read per header block
    std::size_t max_header_bytes = 64u << 10;   ///< bytes of one (unfolded) header field
    std::size_t max_recipients = 10000;         ///< records produced for one message
    std::size_t max_diagnostic_bytes = 4096;    ///< bytes of one diagnostic text kept
    std::size_t max_text_bytes = 1u << 20;      ///< bytes of bounce text scanned for formats
};

/// Headers of the message that bounced, RFC 2047 decoded.
struct original_message {
    std::string message_id;
    std::string from;
    std::string to;
    std::string subject;
    std::string date;
    std::string return_path;
};

/// One failed (or delayed, delivered, reported) recipient of one bounce.
struct record {
    std::string recipient;        ///< address; the domain is lower-cased
    /// The address as the sender wrote it, when the report says the failed one was reached through
    /// it (RFC 3464 Original-Recipient: an alias, a forward, a list); empty when it is the same.
    std::string original_recipient;
    std::string action;           ///< failed, delayed, delivered, relayed, expanded
    std::string status;           ///< RFC 3463 enhanced status code, e.g. "5.1.1"
    std::string reply_code;       ///< RFC 5321 reply code, e.g. "550"
    std::string diagnostic;       ///< the remote server's words, unfolded
    std::string diagnostic_type;  ///< e.g. "smtp" (RFC 3464 Diagnostic-Code type)
    std::string remote_mta;
    std::string reporting_mta;
    std::string smtp_command;     ///< the command the error answered: CONN, HELO, MAIL, RCPT, DATA, ...
    std::string reason;           ///< taxonomy name (see docs/reasons.md)
    std::string category;         ///< the kind a person thinks in
    bool hard = false;            ///< permanent: do not send to this address again as it is
    std::string hard_signal;      ///< which signal decided `hard`: status, reply_code, reason, action (a delay notice), text
    std::string rule;             ///< id of the pattern or code mapping that decided `reason`
    std::string mta;              ///< bounce format recognised: postfix, exim, rfc3464, arf, ...
    std::string timestamp;        ///< the bounce's date, RFC 3339
    std::string feedback_type;    ///< ARF Feedback-Type
    original_message original;
    std::vector<std::string> warnings;  ///< best-effort answer: what was cut or guessed
};

enum class message_kind {
    bounce,      ///< a delivery report with at least one record
    not_bounce,  ///< an ordinary message: no records
};

enum class error_code {
    ok,
    empty_input,       ///< zero bytes
    not_a_message,     ///< no header block could be found
    too_large,         ///< larger than limits::max_message_bytes (analysed up to the limit)
    internal,          ///< an unexpected failure inside the analyzer (a bug; reported, not thrown)
};

/// Human-readable name of an error code.
std::string_view to_string(error_code code) noexcept;

struct analysis {
    message_kind kind = message_kind::not_bounce;
    error_code error = error_code::ok;
    std::string error_message;
    std::vector<record> records;
    std::vector<std::string> warnings;  ///< message-level warnings (also copied to each record)
};

/// Result of classifying a bare piece of text (an SMTP reply, a diagnostic, a pasted bounce line).
struct classification {
    std::string reason;
    std::string category;
    bool hard = false;
    std::string hard_signal;
    std::string rule;
    std::string status;       ///< enhanced status found in the text, or the one the reason implies
    bool status_inferred = false;  ///< true when `status` was not in the text
    std::string reply_code;
    std::string smtp_command;
    std::string recipient;    ///< an address found in the text, if any
};

struct options {
    limits limit;
};

class analyzer {
public:
    /// Builds the analyzer: compiles the pattern set. Returns nullptr and sets `error` when the
    /// built-in data is broken (which the tests prevent).
    static std::unique_ptr<analyzer> create(const options& opts = {}, std::string* error = nullptr);
    ~analyzer();
    analyzer(const analyzer&) = delete;
    analyzer& operator=(const analyzer&) = delete;

    /// Analyses one message. Thread-safe.
    analysis analyze(std::string_view message) const noexcept;

    /// Classifies a bare SMTP reply or diagnostic line. Thread-safe.
    classification classify(std::string_view text) const noexcept;

    const options& settings() const noexcept;

    struct impl;

private:
    explicit analyzer(std::unique_ptr<impl> p);
    std::unique_ptr<impl> impl_;
};

/// Category for a reason name ("unknown" when the name is not in the taxonomy).
std::string_view category_of(std::string_view reason) noexcept;

/// All reason names and all category names of the taxonomy, in documentation order.
const std::vector<std::string_view>& reason_names() noexcept;
const std::vector<std::string_view>& category_names() noexcept;

}  // namespace ricochet
