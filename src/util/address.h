// util/address: finding and normalising email addresses in free text.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ricochet::util {

/// Normalises an address as written in a report: removes "rfc822;", "mailto:", angle brackets,
/// quotes around the whole thing and trailing punctuation; lower-cases the domain. Returns empty
/// when what remains is not an address.
/// `allow_local` accepts a domain without a dot ("user@localhost"), as written in the fields of a
/// delivery report; addresses found in free text always need a dotted domain.
std::string clean_address(std::string_view s, bool allow_local = false);

/// An address mistyped into something no domain can be ("ann@#example.net", "bob@example..com"),
/// kept as written when it is one token with one '@' inside it; empty otherwise. For the address
/// fields of a report, where it is still the recipient the report is about.
std::string malformed_address(std::string_view s);

/// True for local@domain where the domain has a dot or is an address literal.
bool looks_like_address(std::string_view s, bool allow_local = false) noexcept;
/// An internationalised address (RFC 6531): as looks_like_address, and the domain may be UTF-8.
bool looks_like_intl_address(std::string_view s, bool allow_local = true) noexcept;

/// Addresses in text, in order of appearance, each once, normalised.
std::vector<std::string> find_addresses(std::string_view text, std::size_t max = 1000);

/// The first address in text (normalised), or empty.
std::string first_address(std::string_view text);

/// The domain part of an address (lower case), or empty.
std::string_view domain_of(std::string_view address) noexcept;

}  // namespace ricochet::util
