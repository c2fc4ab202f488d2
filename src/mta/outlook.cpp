// mta/outlook: the non-delivery report of Outlook.com / Hotmail, when it comes as text only (a report
// with a message/delivery-status part is read by the rfc3464 format):
//
//   Delivery has failed to these recipients or groups:
//   user@example.com<mailto:user@example.com>
//   The email address you entered couldn't be found. ...
//   Diagnostic information for administrators:
//   Generating server: SERVER.example.prod.outlook.com
//   user@example.com
//   Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'
//   (Exchange 2007/2010: "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##")
//   Original message headers:
//
// The server reply per recipient is the diagnostic; Microsoft's explanation stands in when there
// is none. Microsoft's own codes (RESOLVER.ADR.RecipNotFound, 5.7.606 banned sending IP, ...)
// decide the reason through provider_reason().
#include "mta/common.h"
#include "mta/provider_codes.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    if (!ctx.msg.delivery_status.empty() || !is_microsoft_ndr(ctx)) return false;
    std::string_view gen = line_value(ctx.body, "Generating server");
    bool consumer = contains_any(ctx.from, {"@hotmail.", "@outlook.", "@live.", "@msn.com"}) || util::icontains(gen, "hotmail");
    if (!consumer) return false;
    std::size_t first = out.size();
    if (!parse_microsoft_ndr(ctx, out)) return false;
    apply_microsoft_codes(out, first);
    return true;
}

}  // namespace

extern const format format_outlook{"outlook", 472, parse};

}  // namespace ricochet::mta
