// mime/message: the only module that touches GMime. It turns the raw bytes of one message into a
// `message_view`: the decoded top-level headers, the text of the bounce (UTF-8), the
// delivery-status / feedback-report / disposition-notification parts, and the headers of the
// attached original message.
// Attachment bodies other than text are never decoded.
//
// Limits: MIME nesting beyond limits::max_mime_depth is not descended (a warning is recorded);
// text beyond limits::max_text_bytes is cut (a warning is recorded).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ricochet/ricochet.h"

namespace ricochet::mime {

struct header {
    std::string name;   // as written
    std::string value;  // unfolded, RFC 2047 decoded
};

/// A header block with case-insensitive lookup.
struct header_block {
    std::vector<header> fields;
    /// First value of `name`, or empty.
    std::string_view get(std::string_view name) const noexcept;
    bool has(std::string_view name) const noexcept;
};

struct text_part {
    std::string content_type;  // "type/subtype", lower case
    std::string text;          // decoded, UTF-8
};

struct message_view {
    header_block headers;             // top-level headers
    std::string content_type;         // top-level "type/subtype", lower case
    std::string report_type;          // multipart/report; report-type=...
    std::vector<text_part> texts;     // text/plain and text/html (tags stripped) outside attached messages, in order
    std::string delivery_status;      // message/delivery-status (or message/global-delivery-status) text
    std::string feedback_report;      // message/feedback-report text
    std::string disposition_notification;  // message/disposition-notification (or the global one) text
    bool has_original = false;        // an attached message/rfc822 or text/rfc822-headers part was found
    header_block original_headers;    // headers of the attached original message
    std::string original_body_start;  // first bytes of the attached original's text (for formats that look there)
    std::string attached_report;      // the attached message's bytes when it is itself a delivery report (a forwarded bounce)
    std::vector<std::string> warnings;
    std::size_t part_count = 0;

    /// The bounce text: all `texts` joined by newlines (computed once).
    const std::string& body() const;
    mutable std::string body_cache;
    mutable bool body_built = false;
};

/// Initialises GMime once per process (thread-safe, idempotent).
void init();

/// Parses one message. Never throws; a message GMime cannot parse yields an empty view with a warning.
message_view parse(std::string_view bytes, const limits& lim);

/// Parses a block of header lines (e.g. an inline copy of the original message in a plain-text bounce).
header_block parse_headers(std::string_view text, const limits& lim);

/// Decodes RFC 2047 encoded-words in a header value.
std::string decode_header_value(std::string_view value);

/// Converts bytes in `charset` to UTF-8; invalid sequences are replaced; an empty or unknown charset
/// is guessed (UTF-8, ISO-2022-JP by its escapes, else GB18030 / Shift_JIS / Latin-1 by validity).
std::string to_utf8(std::string_view bytes, std::string_view charset);

/// RFC 3339 form of an RFC 5322 date, or empty when it does not parse.
std::string to_rfc3339(std::string_view date);

}  // namespace ricochet::mime
