// util/text: small ASCII string helpers used across the analyzer (no allocation unless they
// return a std::string).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace ricochet::util {

inline char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
inline bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }
inline bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
inline bool is_alpha(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string ascii_lower(std::string_view s);
/// Lower case for matching: ASCII, and in UTF-8 text the Latin-1 and Latin Extended-A letters,
/// Greek and Cyrillic (what case-insensitive patterns in those scripts need). Other bytes,
/// including invalid UTF-8, are copied as they are.
std::string lower_for_match(std::string_view s);
std::string_view trim(std::string_view s) noexcept;
bool iequals(std::string_view a, std::string_view b) noexcept;
bool istarts_with(std::string_view s, std::string_view prefix) noexcept;
bool iends_with(std::string_view s, std::string_view suffix) noexcept;
/// Case-insensitive find of an ASCII needle; npos when absent.
std::size_t ifind(std::string_view hay, std::string_view needle, std::size_t from = 0) noexcept;
inline bool icontains(std::string_view hay, std::string_view needle) noexcept {
    return ifind(hay, needle) != std::string_view::npos;
}
bool is_ascii(std::string_view s) noexcept;
bool valid_utf8(std::string_view s) noexcept;

/// Splits into lines on LF, CRLF or lone CR; the views point into `s`, without terminators.
std::vector<std::string_view> lines(std::string_view s);

/// Collapses runs of white space (including line breaks) to one space and trims.
std::string squeeze(std::string_view s);

/// Normalises all line endings (CRLF, CR) to LF.
std::string normalize_newlines(std::string_view s);

}  // namespace ricochet::util
