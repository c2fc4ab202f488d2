// mta/mailru: bounces of Mail.Ru (mail.ru, inbox.ru, list.ru, bk.ru), an Exim installation that
// puts a Russian preamble before Exim's usual English text:
//
//   Это письмо создано автоматически сервером Mail.Ru, отвечать на него не нужно.
//   К сожалению, Ваше письмо не может быть доставлено одному или нескольким получателям:
//
//     kijitora@example.jp
//       SMTP error from remote mail server after RCPT TO:<kijitora@example.jp>:
//       host mx.example.jp [192.0.2.1]: 550 5.1.1 <kijitora@example.jp>... User Unknown
//
//   Рекомендуем Вам проверить корректность указания адресов получателей.
//   **********************
//   This message was created automatically by mail delivery software.
//   ... (the Exim text, see exim.cpp)
//
// The address blocks are read with Exim's reader, from the English text when it is there (else
// from the Russian list, which has the same layout).
#include "mta/common.h"
#include "util/text.h"

namespace ricochet::mta {

namespace exim_detail {
bool records_from_text(const context& ctx, std::string_view text, std::vector<record>& out);
}

namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    bool mailru = util::icontains(body, "сервером Mail.Ru") || util::icontains(body, "Mail.Ru, отвечать") ||
                  ((util::iends_with(util::trim(ctx.from), "mail.ru>") || util::iends_with(util::trim(ctx.from), "mail.ru")) &&
                   util::icontains(body, "не может быть доставлено"));
    if (!mailru) return false;
    std::size_t p = util::ifind(body, "This message was created automatically by mail delivery software");
    if (p == std::string_view::npos) p = util::ifind(body, "A message that you sent could not be delivered");
    if (p == std::string_view::npos) {
        // Russian text only: its list starts after "... получателям:".
        p = util::ifind(body, "не может быть доставлено");
        if (p == std::string_view::npos) return false;
        std::size_t bol = body.rfind('\n', p);
        p = bol == std::string_view::npos ? 0 : bol + 1;
    }
    std::string_view text = before_original(body.substr(p));
    return exim_detail::records_from_text(ctx, text, out);
}

}  // namespace

extern const format format_mailru{"mailru", 410, parse};

}  // namespace ricochet::mta
