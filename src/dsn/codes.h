// dsn/codes: RFC 3463 enhanced status codes and RFC 5321 reply codes found in free text, and the
// SMTP command an error answered.
#pragma once

#include <string>
#include <string_view>

namespace ricochet::dsn {

/// First enhanced status code ("5.1.1") in text that is not part of an IP address or version.
std::string find_enhanced_status(std::string_view text);

/// The SMTP reply code of a diagnostic: the first 4xx/5xx number that stands where a reply code
/// stands (line start, after "said:", "<<<", "host ... said", "(", ":" ...), else the first 2xx
/// (a transcript's greeting and accepted commands come before the refusal). Empty if none.
std::string find_reply_code(std::string_view text);

/// The SMTP command named in text ("in reply to RCPT TO command", ">>> DATA", "after MAIL FROM",
/// "RCPT TO:<...>"), normalised to CONN, HELO, EHLO, STARTTLS, AUTH, MAIL, RCPT, DATA, "" if none.
std::string find_command(std::string_view text);

/// True for a syntactically valid enhanced status (class 2, 4 or 5).
bool valid_status(std::string_view s) noexcept;

/// The class of a failure: the first digit ('2', '4' or '5') of the enhanced status, else of the
/// reply code; 0 when neither has one.
char status_class(std::string_view status, std::string_view reply_code) noexcept;

}  // namespace ricochet::dsn
