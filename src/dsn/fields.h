// dsn/fields: the RFC 3464 delivery-status fields (section 2.2 per-message, 2.3 per-recipient).
// Blocks are separated by blank lines; continuation lines are unfolded; a recipient block begins at
// Final-Recipient or Original-Recipient. Broken reports that run several recipients together in one
// block are split at each repeated Final-Recipient. Unknown fields are kept in `extra`.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ricochet/ricochet.h"

namespace ricochet::dsn {

struct per_message {
    std::string reporting_mta;
    std::string received_from_mta;
    std::string arrival_date;
    std::string original_envelope_id;
};

struct per_recipient {
    std::string final_recipient;     // address only (the "rfc822;" type is removed)
    bool final_routed = false;       // Final-Recipient was a source route ("@relay:user@host")
    std::string original_recipient;
    std::string action;              // lower case
    std::string status;
    std::string status_comment;      // "(...)" after the code, when present
    std::string remote_mta;          // "dns;" removed
    std::string diagnostic_type;     // "smtp", "x-unix", ...
    std::string diagnostic;          // unfolded text after the type
    std::string last_attempt_date;
    std::vector<std::pair<std::string, std::string>> extra;  // other fields (X-Actual-Recipient, ...)
};

struct report {
    per_message message;
    std::vector<per_recipient> recipients;
    bool truncated = false;  // more recipients than limits::max_recipients
};

/// Parses the text of a message/delivery-status part (or any text that carries those fields).
report parse(std::string_view text, const limits& lim);

/// The delivery-status fields written into a text body instead of their own MIME part: a bounce
/// pasted into another message, forwarded inline, or whose multipart boundary is broken. Returns
/// the blocks from the first line that starts with Reporting-MTA or Final-Recipient, for as long as
/// each block begins with a delivery-status field (and up to a Return-Path or Received line: the
/// copied original written right after the fields); empty when there is none.
std::string_view find_inline(std::string_view text);

/// Splits "type; value" (RFC 3464 address-type / diagnostic-type) and returns the value; `type`
/// receives the lower-cased type when present.
std::string_view typed_value(std::string_view field, std::string* type = nullptr);

}  // namespace ricochet::dsn
