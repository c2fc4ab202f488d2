// mta/coremail: the bilingual (Chinese / English) bounce report of Coremail and the Chinese
// providers built on it (163.com, 126.com, sina, many corporate servers). Plain text, labelled:
//
//   原邮件信息/ Original e-mail message :      (原郵件信息 in Traditional Chinese)
//   时间/Time : 2014-08-21 17:08:10
//   主题/Subject : ...
//   收件人/To : user@example.com
//   退信原因/ Bounce reason : <Chinese sentence> <English sentence> SMTP error, RCPT TO: 550 ...
//   建议解决方案/ Proposed Solution : ...
//   退信代码/ Bounce Code : ...
//
// The recipient comes from the To label; the diagnostic is the "SMTP error ..." line when present,
// else the English sentence of the bounce reason. The original message's time and subject come
// from the labels when no copy of the original is attached.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

// Value after "<label>/<English> :" on the same line or the next non-empty line.
std::string labelled(std::string_view text, std::initializer_list<std::string_view> labels) {
    for (std::string_view label : labels) {
        std::size_t p = util::ifind(text, label);
        if (p == std::string_view::npos) continue;
        std::size_t colon = text.find(':', p + label.size());
        std::size_t eol = text.find('\n', p);
        if (colon == std::string_view::npos || (eol != std::string_view::npos && colon > eol + 200)) continue;
        std::size_t line_end = text.find('\n', colon);
        std::string value(util::trim(text.substr(colon + 1, line_end == std::string_view::npos ? std::string_view::npos : line_end - colon - 1)));
        if (!value.empty()) return value;
    }
    return {};
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    bool zh = contains_any(body, {"退信原因", "原邮件信息", "原郵件信息"});
    if (!zh || !util::icontains(body, "Bounce reason")) return false;
    std::string to = labelled(body, {"收件人/To", "收件人/ To", "To :"});
    record r;
    r.recipient = util::first_address(to);
    // The bounce reason section runs from its label to the next label.
    std::size_t start = util::ifind(body, "Bounce reason");
    std::size_t end = std::string_view::npos;
    for (std::string_view stop : {"建议解决方案", "建議解決方案", "Proposed Solution", "退信代码", "退信代碼", "Bounce Code"}) {
        std::size_t e = util::ifind(body, stop, start);
        if (e != std::string_view::npos && e < end) end = e;
    }
    std::string_view section = body.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    std::size_t colon = section.find(':');
    if (colon != std::string_view::npos) section.remove_prefix(colon + 1);
    std::size_t smtp = util::ifind(section, "SMTP error");
    if (smtp != std::string_view::npos) {
        std::size_t eol = section.find('\n', smtp);
        r.diagnostic = util::squeeze(section.substr(smtp, eol == std::string_view::npos ? std::string_view::npos : eol - smtp));
    } else {
        // Keep the English sentences only: the Chinese one says the same.
        std::string english;
        for (std::string_view l : util::lines(section))
            if (util::is_ascii(l) && !util::trim(l).empty()) english += std::string(util::trim(l)) + " ";
        r.diagnostic = util::squeeze(english);
    }
    r.original.subject = labelled(body, {"主题/Subject", "主題/Subject"});
    r.original.date = labelled(body, {"时间/Time", "時間/Time"});
    r.original.to = to;
    if (!ctx.msg.has_original && r.original.subject.empty() && r.original.date.empty()) r.original = {};
    out.push_back(std::move(r));
    return true;
}

}  // namespace

extern const format format_coremail{"coremail", 300, parse};

}  // namespace ricochet::mta
