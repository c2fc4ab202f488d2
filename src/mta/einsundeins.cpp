// mta/einsundeins: bounces of 1&1 / IONOS (kundenserver.de, the platform GMX also runs on). Plain
// text:
//
//   This message was created automatically by mail delivery software.
//
//   A message that you sent could not be delivered to one or more of
//   its recipients. This is a permanent error. The following address(es)
//   failed:
//
//   kijitora@example.org:
//   SMTP error from remote server for TEXT command, host: mx.example.org (192.0.2.1) reason: 550 5.2.0 ...
//
//   (or "kijitora@example.org\n\nFor the following reason:\n\nMail size limit exceeded. ...")
//
//   --- The header of the original message is following. ---
//
// The list is read with the GMX reader (gmx.cpp): "for TEXT command" is the DATA phase, the text
// after "reason:" is the remote server's answer; "Mail size limit exceeded" is 1&1's own message
// (mesgtoobig).
#include "mta/common.h"
#include "util/text.h"

namespace ricochet::mta {

namespace gmx_detail {
bool records_from_text(const context& ctx, std::string_view text, std::vector<record>& out);
}

namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view from = ctx.from;
    bool ours = contains_any(from, {"kundenserver.de", "1und1.", "1and1.", "ionos."}) ||
                (util::icontains(ctx.body, "For the following reason:") && util::icontains(from, "Mail Delivery System"));
    if (!ours) return false;
    std::size_t p = util::ifind(ctx.body, "This message was created automatically by mail delivery software");
    if (p == std::string_view::npos) return false;
    return gmx_detail::records_from_text(ctx, before_original(ctx.body.substr(p)), out);
}

}  // namespace

extern const format format_einsundeins{"einsundeins", 400, parse};

}  // namespace ricochet::mta
