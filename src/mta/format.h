// mta/format: the interface every bounce format implements, one file per format in src/mta/.
//
// A format's parse() looks at the message (headers, bounce text, delivery-status part) and, when
// it recognises its own kind of report, appends one record per recipient and returns true. It
// fills what it can read (recipient, action, status, reply code, diagnostic, remote MTA, command);
// the analyzer completes and classifies the rest. A format that knows the reason from a provider's
// own code sets `reason` and `rule` (the classifier takes them as a hint).
//
// Formats run in ascending `order`; the first that returns true wins. The list is generated from
// the files in src/mta/ by CMake: adding a format is adding a file.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mime/message.h"
#include "ricochet/ricochet.h"

namespace ricochet::mta {

struct context {
    const mime::message_view& msg;
    const limits& lim;
    std::string_view body;     // the bounce text, UTF-8, LF line endings
    std::string_view from;     // top-level From
    std::string_view subject;  // top-level Subject
};

struct format {
    std::string_view name;
    int order;
    bool (*parse)(const context& ctx, std::vector<record>& out);
    /// The reason the format's kind of report itself stands for, taken only when nothing in a
    /// record (its words, status or code) names one: a Sieve refusal that quotes the user's own
    /// words is a filter's refusal unless those words say more ("Quota exceeded").
    std::string_view fallback_reason = {};
    std::string_view fallback_rule = {};
};

/// All formats, sorted by order (then name).
std::span<const format* const> all_formats();

/// Generated: the formats in file order.
std::span<const format* const> all_formats_unsorted();

}  // namespace ricochet::mta
