// Bounces written in the legacy charsets mail still uses, each with base64 and quoted-printable
// bodies and an RFC 2047 subject: the text is decoded to UTF-8 and its own words (no reply or
// status code in it; only the SMTP step is said, in English) decide the reason.
#include <gtest/gtest.h>
#include <iconv.h>

#include <memory>
#include <string>

#include "ricochet/ricochet.h"

namespace {

using namespace ricochet;

const analyzer& az() {
    static std::unique_ptr<analyzer> a = analyzer::create();
    return *a;
}

std::string convert(const std::string& utf8, const char* charset) {
    iconv_t cd = iconv_open(charset, "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) return {};
    std::string out(utf8.size() * 4 + 16, '\0');
    char* in = const_cast<char*>(utf8.data());
    std::size_t left = utf8.size();
    char* dst = out.data();
    std::size_t room = out.size();
    std::size_t r = iconv(cd, &in, &left, &dst, &room);
    iconv(cd, nullptr, nullptr, &dst, &room);  // the shift back to ASCII of stateful charsets
    iconv_close(cd);
    if (r == static_cast<std::size_t>(-1)) return {};
    out.resize(out.size() - room);
    return out;
}

std::string base64(const std::string& s) {
    static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < s.size(); i += 3) {
        unsigned v = (static_cast<unsigned char>(s[i]) << 16) | (static_cast<unsigned char>(s[i + 1]) << 8) | static_cast<unsigned char>(s[i + 2]);
        out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], t[v & 63]};
        if (out.size() % 77 == 76) out += '\n';
    }
    if (i + 1 == s.size()) {
        unsigned v = static_cast<unsigned char>(s[i]) << 16;
        out += {t[v >> 18], t[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == s.size()) {
        unsigned v = (static_cast<unsigned char>(s[i]) << 16) | (static_cast<unsigned char>(s[i + 1]) << 8);
        out += {t[v >> 18], t[(v >> 12) & 63], t[(v >> 6) & 63], '='};
    }
    return out;
}

std::string quoted_printable(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    std::size_t col = 0;
    for (unsigned char c : s) {
        if (c == '\n') {
            out += '\n';
            col = 0;
            continue;
        }
        if (col > 70) {
            out += "=\n";
            col = 0;
        }
        if (c >= 33 && c <= 126 && c != '=') {
            out += static_cast<char>(c);
            ++col;
        } else {
            out += {'=', hex[c >> 4], hex[c & 15]};
            col += 3;
        }
    }
    return out;
}

struct sample {
    const char* charset;
    const char* recipient;
    const char* words;  // UTF-8; written in `charset`
    const char* reason;
};

std::string bounce(const sample& s, bool use_base64) {
    // The original's subject is RFC 2047-encoded in the same charset.
    std::string subject = "=?" + std::string(s.charset) + "?B?" + base64(convert(s.words, s.charset)) + "?=";
    std::string body = "Your message could not be delivered.\n\n<" + std::string(s.recipient) + ">\n" + s.words +
                       " (in reply to RCPT TO command)\n\n----- Original message -----\n\nFrom: sender@example.org\nTo: <" + s.recipient +
                       ">\nSubject: " + subject + "\n\nhello\n";
    std::string coded = convert(body, s.charset);
    return std::string("From: MAILER-DAEMON@mx.example.net\nTo: sender@example.org\nSubject: Undelivered Mail Returned to Sender") +
           "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=" + s.charset +
           "\nContent-Transfer-Encoding: " + (use_base64 ? "base64" : "quoted-printable") + "\n\n" +
           (use_base64 ? base64(coded) : quoted_printable(coded)) + "\n";
}

TEST(charsets, legacy_charsets_decode_and_their_words_decide) {
    const sample samples[] = {
        {"Shift_JIS", "taro@example.jp", "宛先不明です。該当するユーザーが存在しません。", "userunknown"},
        {"EUC-JP", "hanako@example.jp", "メールボックスがいっぱいです。", "mailboxfull"},
        {"ISO-2022-JP", "jiro@example.jp", "存在しないドメインです。ドメインが見つかりません。", "hostunknown"},
        {"GB18030", "wang@example.cn", "收件人邮箱已满，无法投递。", "mailboxfull"},
        {"GBK", "li@example.cn", "该邮箱已被停用。", "suspend"},
        {"Big5", "chen@example.tw", "使用者不存在，請確認收件地址。", "userunknown"},
        {"EUC-KR", "kim@example.kr", "메일함이 가득 찼습니다.", "mailboxfull"},
        {"KOI8-R", "ivan@example.ru", "Пользователь не найден.", "userunknown"},
        {"UTF-8", "jean@example.fr", "Votre message a été identifié comme spam.", "spamdetected"},
        {"ISO-8859-1", "hans@example.de", "Empfänger unbekannt.", "userunknown"},
    };
    for (const sample& s : samples) {
        for (bool b64 : {true, false}) {
            std::string msg = bounce(s, b64);
            ASSERT_FALSE(convert(s.words, s.charset).empty()) << s.charset;
            analysis a = az().analyze(msg);
            ASSERT_EQ(a.records.size(), 1u) << s.charset << (b64 ? " base64" : " qp");
            const record& r = a.records[0];
            EXPECT_EQ(r.recipient, s.recipient) << s.charset;
            EXPECT_EQ(r.reason, s.reason) << s.charset << (b64 ? " base64" : " qp") << ": " << r.diagnostic;
            EXPECT_NE(r.diagnostic.find(std::string(s.words).substr(0, 6)), std::string::npos) << s.charset << ": " << r.diagnostic;
            EXPECT_EQ(r.original.subject, s.words) << s.charset;
        }
    }
}

TEST(charsets, a_wrong_label_yields_to_valid_utf8) {
    // Sent as UTF-8 but labelled ISO-2022-JP (a 7-bit charset its 8-bit bytes cannot be): the text
    // still reads as written instead of replacement characters.
    const std::string words = "宛先のメールアドレスが存在しません。";
    std::string msg = std::string("From: MAILER-DAEMON@mx.example.jp\nTo: sender@example.org\nSubject: Returned mail\n") +
                      "MIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\nContent-Transfer-Encoding: base64\n\n" +
                      base64("Your message could not be delivered.\n\n<saburo@example.jp>\n" + words + " (in reply to RCPT TO command)\n") + "\n";
    analysis a = az().analyze(msg);
    ASSERT_EQ(a.records.size(), 1u);
    EXPECT_EQ(a.records[0].recipient, "saburo@example.jp");
    EXPECT_NE(a.records[0].diagnostic.find(words), std::string::npos) << a.records[0].diagnostic;
    EXPECT_EQ(a.records[0].reason, "userunknown");
}

}  // namespace
