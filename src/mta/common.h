// mta/common: helpers the format modules share: cutting the bounce text at the copy of the original
// message, finding the paragraph that explains one recipient, and reading "Name: value" lines.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mta/format.h"

namespace ricochet::mta {

/// The position of the first line that starts with one of `markers` (case-insensitive, after
/// leading white space), or npos.
std::size_t find_marker_line(std::string_view text, std::initializer_list<std::string_view> markers, std::size_t from = 0);
std::size_t find_marker_line(std::string_view text, std::span<const std::string_view> markers, std::size_t from = 0);

/// The text before the earliest of the usual "copy of the original message follows" markers.
std::string_view before_original(std::string_view body);

/// The header block of an inline copy of the original message that follows a marker line, parsed.
/// Used when the bounce has no message/rfc822 part.
bool inline_original(std::string_view body, const limits& lim, mime::header_block& out);

/// A message a mail client forwarded in the body: a marker line ("---------- Forwarded message
/// ---------", "-------- Forwarded Message --------", "Begin forwarded message:", "-----Original
/// Message-----", and their translations) and the forwarded message's From/Date/Sent/Subject/To
/// lines. Returns that message rebuilt (its header lines, a blank line, the text after them), or
/// empty when there is none.
std::string forwarded_inline(std::string_view body);

/// The paragraph(s) of text that mention `address` and the error that goes with it: from the line
/// that names the address to the next blank line, unfolded. Empty when the address is not named.
std::string paragraph_for(std::string_view text, std::string_view address, std::size_t from = 0);

/// The paragraph just before position `at` when a blank line separates them (within 1 KB), white
/// space squeezed; empty otherwise. For a recipient listed alone under the sentence that says why
/// ("Delivery to the following recipients failed.").
std::string paragraph_before(std::string_view text, std::size_t at);

/// Value of a "Name: value" line in text (first occurrence, case-insensitive name), trimmed.
std::string_view line_value(std::string_view text, std::string_view name);

/// True when any of `needles` occurs in text (case-insensitive).
bool contains_any(std::string_view text, std::initializer_list<std::string_view> needles);

/// A record with the given recipient (normalised) and diagnostic (squeezed).
record make_record(std::string_view recipient, std::string_view diagnostic);

/// Cleans a diagnostic: squeezes white space, drops a leading "smtp;" type.
std::string clean_diagnostic(std::string_view text);

/// qmail-style recipient blocks: each "<address>:" line starts a recipient, the lines under it up
/// to a blank line are its error. Reads `text` (already cut before the copy of the original);
/// qmail's own "this message has been in the queue too long" marks the record expired. Returns
/// true when at least one record was added.
bool read_qmail_blocks(std::string_view text, const limits& lim, std::vector<record>& out);

/// The remote host named in "host X[ip] said" / "while talking to X" / "from X [ip]" forms.
std::string find_remote_host(std::string_view text);

}  // namespace ricochet::mta
