// mta/provider_codes: receiving providers' own codes and phrases that decide the reason of a
// failure better than the generic patterns (Google's "account that you tried to reach is
// disabled", Yahoo's "dd This user doesn't have a ... account", Microsoft's 5.7.606 "banned
// sending IP", Orange / La Poste "OFR_..." / "LPN..." codes, KDDI's "550 : User unknown", docomo,
// Tencent frequency limits, Cox / GoDaddy / Spectrum reference codes ...). Not a format: the
// analyzer calls provider_reason() for each record, whatever format produced it.
//
// Also the parser of Microsoft's non-delivery report text ("Delivery has failed to these recipients
// or groups:" / "Diagnostic information for administrators:"), shared by the Exchange 2007,
// Office 365 and Outlook.com formats.
#pragma once

#include <string_view>
#include <utility>
#include <vector>

#include "mta/format.h"

namespace ricochet::mta {

/// {reason, rule} decided by a provider's own code, or two empty views. `remote_mta_or_domain` is
/// the remote host name or the recipient's domain (or the recipient address); the diagnostic is
/// the remote server's text.
std::pair<std::string_view, std::string_view> provider_reason(std::string_view remote_mta_or_domain, std::string_view diagnostic,
                                                              std::string_view command = {}, std::string_view status = {});

/// Microsoft NDR text: appends one record per recipient named in the "Diagnostic information for
/// administrators" section (else the "Delivery has failed to these recipients or groups" list),
/// or, in the layout used since 2016, per "Your message to ... couldn't be delivered." /
/// "Recipient Address:" line, with the "Error Details" reply. Returns false when the text is not
/// such a report.
bool parse_microsoft_ndr(const context& ctx, std::vector<record>& out);

/// Sets the reason of records [first, end) from Microsoft's own codes where they are specific.
void apply_microsoft_codes(std::vector<record>& out, std::size_t first);

/// True when the message looks like a Microsoft NDR: the fixed phrases above, or, in the sender's
/// language, a mail system's message with a server reply quoted under a recipient's address.
bool is_microsoft_ndr(const context& ctx);

}  // namespace ricochet::mta
