// mta/dragonfly: bounces of the DragonFly Mail Agent (dma, mail.c / net.c). Plain text:
//
//   This is the DragonFly Mail Agent v0.13 at df.example.jp.
//
//   There was an error delivering your mail to <kijitora@example.jp>.
//
//   mx.example.jp [192.0.2.1] did not like our RCPT TO:
//   550 5.1.1 <kijitora@example.jp>: Recipient address rejected: User unknown
//
//   Message headers follow.            (or "Original message follows.")
//
// One recipient per report. The diagnostic is the text between the recipient line and the copy of
// the message; "X [ip] did not like our RCPT TO / MAIL FROM / final DATA / DATA / EHLO" names the
// remote MTA and the command ("did not like our connect": its greeting refused us), and the
// server's reply lines after it are the diagnostic. dma's own messages state the reason: "DNS
// lookup failure: host X not found" (hostunknown), "Could not deliver for the last N seconds.
// Giving up." (expired).
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    std::size_t p = util::ifind(body, "This is the DragonFly Mail Agent");
    if (p == std::string_view::npos) return false;
    std::size_t at = util::ifind(body, "There was an error delivering your mail to", p);
    if (at == std::string_view::npos) return false;
    std::size_t eol = body.find('\n', at);
    std::string_view head = body.substr(at, eol == std::string_view::npos ? std::string_view::npos : eol - at);
    std::string addr = util::first_address(head);
    if (addr.empty()) return false;
    std::string_view rest = eol == std::string_view::npos ? std::string_view() : body.substr(eol + 1);
    std::size_t stop = std::string_view::npos;
    for (std::string_view m : {"Message headers follow.", "Original message follows."}) stop = std::min(stop, util::ifind(rest, m));
    rest = rest.substr(0, stop);
    if (rest.size() > ctx.lim.max_text_bytes) rest = rest.substr(0, ctx.lim.max_text_bytes);
    record r;
    r.recipient = addr;
    std::string diag;
    std::size_t like = util::ifind(rest, "did not like our ");
    if (like != std::string_view::npos) {
        std::size_t bol = rest.rfind('\n', like);
        bol = bol == std::string_view::npos ? 0 : bol + 1;
        std::string_view host = util::trim(rest.substr(bol, like - bol));
        r.remote_mta = util::ascii_lower(host.substr(0, host.find(' ')));
        std::size_t le = rest.find('\n', like);
        std::string_view what = rest.substr(like + 17, le == std::string_view::npos ? std::string_view::npos : le - like - 17);
        if (util::istarts_with(what, "RCPT")) r.smtp_command = "RCPT";
        else if (util::istarts_with(what, "MAIL")) r.smtp_command = "MAIL";
        else if (util::istarts_with(what, "final DATA") || util::istarts_with(what, "DATA")) r.smtp_command = "DATA";
        else if (util::istarts_with(what, "EHLO")) r.smtp_command = "EHLO";
        else if (util::istarts_with(what, "HELO")) r.smtp_command = "HELO";
        else if (util::istarts_with(what, "STARTTLS")) r.smtp_command = "STARTTLS";
        else if (util::istarts_with(what, "AUTH")) r.smtp_command = "AUTH";
        else if (util::istarts_with(what, "connect")) r.smtp_command = "CONN";  // the greeting refused us
        diag = le == std::string_view::npos ? std::string() : util::squeeze(rest.substr(le + 1));
    } else {
        diag = util::squeeze(rest);
    }
    r.diagnostic = clean_diagnostic(diag);
    if (util::istarts_with(r.diagnostic, "DNS lookup failure: host") && util::icontains(r.diagnostic, "not found")) {
        r.reason = "hostunknown";
        r.rule = "dma-dns-not-found";
    } else if (util::istarts_with(r.diagnostic, "Could not deliver for the last") && util::icontains(r.diagnostic, "Giving up")) {
        r.reason = "expired";
        r.rule = "dma-giving-up";
    }
    out.push_back(std::move(r));
    return true;
}

}  // namespace

extern const format format_dragonfly{"dragonfly", 400, parse};

}  // namespace ricochet::mta
