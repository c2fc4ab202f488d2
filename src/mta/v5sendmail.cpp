// mta/v5sendmail: bounces of Sendmail V5 (and the IDA / old vendor builds on it). Plain text, no
// delivery-status part, no "The original message was received" preamble:
//
//      ----- Transcript of session follows -----
//   While talking to mx.example.org:
//   >>> MAIL From:<sender@example.jp>
//   <<< 501 <sender@example.jp>... no access from mail server [192.0.2.1]
//   554 <kijitora@example.org>... Remote protocol error
//   554 <mikeneko@example.org>... 550 Host unknown (Authoritative answer from name server)
//   While talking to smtp.example.edu:
//   >>> RCPT To:<hachiware@example.edu>
//   <<< 550 <hachiware@example.edu>... User unknown
//   550 <hachiware@example.edu>... User unknown
//
//      ----- Unsent message follows -----
//
// The transcript is read like Sendmail 8's (sendmail.cpp): each "NNN <addr>... text" summary line
// is a recipient; the "<<<" answer just before it, if not already claimed by another summary line,
// is its diagnostic and the ">>>" line before that its command.
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {

namespace sendmail_detail {
struct tx_entry {
    std::string addr, diag, command, remote;
    bool remote_reply = false;
};
std::vector<tx_entry> read_transcript(std::string_view text, const limits& lim);
}  // namespace sendmail_detail

namespace {

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view body = ctx.body;
    if (!util::icontains(body, "----- Transcript of session follows -----") || !util::icontains(body, "----- Unsent message follows -----"))
        return false;
    if (util::icontains(body, "The original message was received") || !ctx.msg.delivery_status.empty()) return false;
    std::size_t end = util::ifind(body, "----- Unsent message follows -----");
    std::string_view text = body.substr(0, std::min(end, ctx.lim.max_text_bytes));
    auto tx = sendmail_detail::read_transcript(text, ctx.lim);
    std::string to = util::first_address(ctx.msg.original_headers.get("To"));
    if (to.empty()) {
        mime::header_block ih;
        if (inline_original(body, ctx.lim, ih)) to = util::first_address(ih.get("To"));
    }
    for (const auto& e : tx) {
        std::string a = e.addr.empty() ? to : e.addr;
        record r = make_record(a, e.diag);
        if (r.recipient.empty()) continue;
        r.smtp_command = e.command;
        r.remote_mta = e.remote;
        if (!r.diagnostic.empty() && r.diagnostic[0] == '4' && util::icontains(r.diagnostic, "Deferred")) r.action = "delayed";
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_v5sendmail{"v5sendmail", 445, parse};

}  // namespace ricochet::mta
