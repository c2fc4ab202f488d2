// mta/smail: Smail 3 and the Smail-derived mail system Deutsche Telekom runs for T-Online and
// Magenta ("Mail Delivery System <Mailer-Daemon@t-online.de>"). The report is plain text cut into
// sections by banner lines:
//
//   |------------------------- Message log follows: -------------------------|
//    no valid recipients were found for this message
//   |------------------------- Failed addresses follow: ---------------------|
//    ann@example.net ... unknown host
//   |------------------------- Message text follows: ------------------------|
//
// Smail names each address with its error on one line ("addr ... failed: error"); T-Online puts
// the address alone in angle brackets and the server's reply on the indented lines below it:
//
//   |------------------------- Failed addresses follow: ---------------------|
//    <ann@t-online.de>
//      552 5.2.2 <ann@t-online.de> Quota exceeded (mailbox for user is full)
//
//   |------------------------- Message header follows: ----------------------|
//
// The message log, when there is one, says why the message failed as a whole; it is the reason for
// an address listed without an error of its own.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

// A banner line: "|---...--- Name follows: ---...---|". Returns the name ("Failed addresses"), or
// empty when the line is no banner.
std::string_view banner_name(std::string_view line) {
    line = util::trim(line);
    if (line.size() < 20 || line.front() != '|' || line.substr(1, 5) != "-----") return {};
    std::size_t follows = util::ifind(line, " follows:");
    if (follows == std::string_view::npos) follows = util::ifind(line, " follow:");
    if (follows == std::string_view::npos) return {};
    std::string_view name = line.substr(1, follows - 1);
    while (!name.empty() && (name.front() == '-' || name.front() == ' ')) name.remove_prefix(1);
    return name;
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    if (util::ifind(body, "Failed addresses follow") == std::string_view::npos) return false;
    std::string log;
    std::string_view section;
    record* cur = nullptr;
    bool seen_failed = false;
    for (std::string_view line : util::lines(body)) {
        if (std::string_view name = banner_name(line); !name.empty()) {
            section = name;
            if (util::iequals(section, "Failed addresses")) seen_failed = true;
            cur = nullptr;
            // The sections after the failed addresses are the returned message.
            if (seen_failed && !util::iequals(section, "Failed addresses")) break;
            continue;
        }
        std::string_view t = util::trim(line);
        if (util::iequals(section, "Message log")) {
            if (!t.empty()) log.append(log.empty() ? "" : " ").append(t);
            continue;
        }
        if (!util::iequals(section, "Failed addresses") || t.empty()) continue;
        const bool indented_once = !line.empty() && line[0] == ' ' && (line.size() < 2 || line[1] != ' ');
        if (indented_once && t.front() == '<' && t.back() == '>' && t.find(' ') == std::string_view::npos) {
            // T-Online: the address alone; its error on the lines below.
            if (out.size() >= ctx.lim.max_recipients) break;
            out.push_back(make_record(t, ""));
            cur = &out.back();
            continue;
        }
        if (std::size_t dots = t.find(" ... "); indented_once && dots != std::string_view::npos && dots > 0 &&
                                                 util::looks_like_address(util::clean_address(t.substr(0, dots), true), true)) {
            // Smail: "addr ... failed: error" (or "addr ... error").
            if (out.size() >= ctx.lim.max_recipients) break;
            std::string_view err = util::trim(t.substr(dots + 5));
            if (util::istarts_with(err, "failed:")) err = util::trim(err.substr(7));
            out.push_back(make_record(t.substr(0, dots), err));
            cur = &out.back();
            continue;
        }
        if (cur) {
            // The reply under a T-Online address, possibly over several lines.
            if (!cur->diagnostic.empty()) cur->diagnostic += ' ';
            cur->diagnostic += util::squeeze(t);
        }
    }
    std::erase_if(out, [](const record& r) { return r.recipient.empty(); });
    for (record& r : out) {
        if (r.diagnostic.empty()) r.diagnostic = util::squeeze(log);
        r.diagnostic = clean_diagnostic(r.diagnostic);
        r.action = "failed";
    }
    return !out.empty();
}

}  // namespace

extern const format format_smail{"smail", 415, parse};

}  // namespace ricochet::mta
