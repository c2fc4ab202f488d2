// mta/x6: an unnamed MTA ("There was an error sending your mail", From: mailer-daemon):
//
//   We had trouble delivering your message. Full details follow:
//   Subject: '...'
//   Date: '...'
//   1 error(s):
//   SMTP Server <smtp.example.org> rejected recipient <user@example.org> (Error following RCPT
//   command). It responded as follows: [550 5.1.1 User unknown]
//   The following recipients returned permanent errors: user@example.org. Reason: SMTP Server
//   <192.0.2.223> refused to accept your message (DATA), with the following error message: [554 ...]
//
// The diagnostic is the bracketed reply; the command is the one named in parentheses.
#include "dsn/codes.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

std::string bracketed_reply(std::string_view line) {
    for (std::string_view cue : {"responded as follows: [", "following error message: ["}) {
        std::size_t p = util::ifind(line, cue);
        if (p == std::string_view::npos) continue;
        std::size_t s = p + cue.size();
        std::size_t e = line.rfind(']');
        if (e == std::string_view::npos || e < s) e = line.size();
        return util::squeeze(line.substr(s, e - s));
    }
    return {};
}

std::string angle_host(std::string_view line) {
    std::size_t p = util::ifind(line, "SMTP Server <");
    if (p == std::string_view::npos) return {};
    std::size_t s = p + 13, e = line.find('>', s);
    if (e == std::string_view::npos) return {};
    return util::ascii_lower(line.substr(s, e - s));
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = ctx.body;
    if (!util::icontains(text, "We had trouble delivering your message. Full details follow:")) return false;
    std::size_t errs = util::ifind(text, "error(s):");
    if (errs == std::string_view::npos) return false;
    std::size_t eol = text.find('\n', errs);
    if (eol == std::string_view::npos) return false;
    for (std::string_view l : util::lines(text.substr(eol + 1, 64 * 1024))) {
        std::string_view t = util::trim(l);
        if (t.empty()) continue;
        if (!util::icontains(t, "SMTP Server") && !util::icontains(t, "recipients returned")) break;
        std::string addr;
        std::size_t rr = util::ifind(t, "rejected recipient <");
        if (rr != std::string_view::npos) addr = util::first_address(t.substr(rr + 19));
        std::size_t pe = util::ifind(t, "returned permanent errors:");
        if (addr.empty() && pe != std::string_view::npos) addr = util::first_address(t.substr(pe));
        if (addr.empty()) continue;
        record r = make_record(addr, bracketed_reply(t));
        if (r.diagnostic.empty()) r.diagnostic = util::squeeze(t);
        r.action = "failed";
        r.remote_mta = angle_host(t);
        if (util::icontains(t, "RCPT command")) r.smtp_command = "RCPT";
        else if (util::icontains(t, "(DATA)")) r.smtp_command = "DATA";
        else if (util::icontains(t, "(MAIL")) r.smtp_command = "MAIL";
        out.push_back(std::move(r));
        if (out.size() >= ctx.lim.max_recipients) break;
    }
    return !out.empty();
}

}  // namespace

extern const format format_x6{"x6", 470, parse};

}  // namespace ricochet::mta
