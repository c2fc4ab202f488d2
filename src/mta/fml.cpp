// mta/fml: error notices of the fml mailing list manager (X-MLServer: fml ..., From: <list>-admin@,
// Message-ID: <...FML...>). Plain text, one sentence naming an address in angle brackets, then
// "Original mail as follows:":
//
//   You are not a member of this mailing list <neko-ml@example.org>.
//   Duplicated Message-ID in <neko@example.co.jp>.
//
// The address in angle brackets is the recipient. The notice itself states the reason: not a
// member / "NOT MEMBER article from" / "reject mail from" / "reject spammers:" (rejected); a mail
// loop ("Loop Alert:", "Loop Back Warning:", "Duplicated Message-ID", "has detected a loop
// condition") (systemerror); "Security alert" (securityerror).
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    if (!util::istarts_with(ctx.msg.headers.get("X-MLServer"), "fml")) return false;
    if (!util::icontains(ctx.from, "-admin@")) return false;
    std::string_view body = ctx.body;
    std::size_t end = util::ifind(body, "Original mail as follows:");
    std::string_view text = body.substr(0, std::min(std::min(end, body.size()), ctx.lim.max_text_bytes));
    std::string para;
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        if (t.empty()) continue;
        std::size_t lt = t.find('<');
        std::size_t gt = lt == std::string_view::npos ? lt : t.find('>', lt);
        if (gt != std::string_view::npos && out.size() < ctx.lim.max_recipients) {
            std::string a = util::clean_address(t.substr(lt, gt - lt + 1));
            if (!a.empty()) {
                record r;
                r.recipient = a;
                r.diagnostic = std::string(t);
                out.push_back(std::move(r));
                continue;
            }
        }
        if (!out.empty() && out.back().diagnostic.size() < ctx.lim.max_diagnostic_bytes) {
            out.back().diagnostic += ' ';
            out.back().diagnostic.append(t);
        }
    }
    static constexpr phrase_rule own[] = {
        {"You are not a member of this mailing list", "rejected", "fml-not-member"},
        {"NOT MEMBER article from", "rejected", "fml-not-member"},
        {"reject mail from", "rejected", "fml-reject"},
        {"reject spammers:", "rejected", "fml-reject"},
        {"header may cause mail loop", "rejected", "fml-loop-header"},
        {"Duplicated Message-ID", "systemerror", "fml-loop"},
        {"has detected a loop condition", "systemerror", "fml-loop"},
        {"Loop Back Warning", "systemerror", "fml-loop"},
        {"Security alert", "securityerror", "fml-security"},
    };
    static constexpr phrase_rule titles[] = {
        {" are not member", "rejected", "fml-not-member"},
        {"Loop Alert:", "systemerror", "fml-loop"},
        {"fml system error message", "systemerror", "fml-system-error"},
        {"Security Alert", "securityerror", "fml-security"},
    };
    for (auto& r : out) {
        r.diagnostic = util::squeeze(r.diagnostic);
        const phrase_rule* e = find_phrase(r.diagnostic, own);
        if (!e) e = find_phrase(ctx.subject, titles);
        if (e) {
            r.reason = std::string(e->reason);
            r.rule = std::string(e->rule);
        }
    }
    return !out.empty();
}

}  // namespace

extern const format format_fml{"fml", 300, parse};

}  // namespace ricochet::mta
