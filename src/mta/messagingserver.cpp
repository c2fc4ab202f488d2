// mta/messagingserver: Oracle (Sun Java System / Sun ONE / iPlanet) Messaging Server. The text part
//
//   This report relates to a message you sent with the following header fields:
//   ...
//   Your message cannot be delivered to the following recipients:
//
//     Recipient address: @smtp.example.net:kijitora@server
//     Original address: kijitora@example.net
//     Reason: LMTP transmission failure has occurred
//     Diagnostic code: smtp;522 5.2.0 Delivery failed: Over quota
//     Remote system: dns;mx.example.net (...)
//
// usually followed by a message/delivery-status part with the same fields. The "Recipient
// address" (Final-Recipient) can be an internal routing form ("@host:user@server"); the address
// the sender wrote is then the "Original address" (Original-Recipient). Diagnostic code first,
// else the delivery-status Status comment, else the "Reason:" line, else the unlabelled lines an
// older PMDF writes under the addresses ("-SYSTEM-F-EXDISKQUOTA, disk quota exceeded").
#include "dsn/codes.h"
#include "dsn/fields.h"
#include "mta/common.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet::mta {
namespace {

// A plain mailbox address: no source route, and a domain with a dot.
bool plain_address(std::string_view a) {
    a = util::trim(a);
    if (a.empty() || a.front() == '@' || a.find(':') != std::string_view::npos) return false;
    return util::looks_like_address(a);
}

struct block {
    std::string recipient, original, reason, diagnostic, remote;
    std::string notes;  // unlabelled lines under the fields: older PMDF quotes the error there
};

std::vector<block> text_blocks(std::string_view text, std::size_t max) {
    std::vector<block> out;
    bool open = false;  // still inside the last block (no blank line since its fields)
    for (std::string_view line : util::lines(text)) {
        std::string_view t = util::trim(line);
        if (t.empty()) {
            open = false;
            continue;
        }
        std::size_t colon = t.find(':');
        std::string_view name = colon == std::string_view::npos ? std::string_view() : t.substr(0, colon);
        std::string_view value = colon == std::string_view::npos ? std::string_view() : util::trim(t.substr(colon + 1));
        if (util::iequals(name, "Recipient address")) {
            if (out.size() >= max) break;
            out.push_back({std::string(value), {}, {}, {}, {}, {}});
            open = true;
            continue;
        }
        if (out.empty()) continue;
        block& b = out.back();
        if (util::iequals(name, "Original address")) b.original = std::string(value);
        else if (util::iequals(name, "Reason")) b.reason = std::string(value);
        else if (util::iequals(name, "Diagnostic code")) b.diagnostic = std::string(value);
        else if (util::iequals(name, "Remote system")) b.remote = std::string(dsn::typed_value(value));
        else if (open && b.notes.size() < 1024) {
            if (!b.notes.empty()) b.notes += ' ';
            b.notes.append(t);
        }
    }
    return out;
}

bool parse(const context& ctx, std::vector<record>& out) {
    std::string_view text = before_original(ctx.body);
    if (!util::icontains(text, "This report relates to a message you sent with the following header fields:")) return false;
    if (!util::icontains(text, "Recipient address:")) return false;
    if (text.size() > ctx.lim.max_text_bytes) text = text.substr(0, ctx.lim.max_text_bytes);
    std::vector<block> blocks = text_blocks(text, ctx.lim.max_recipients);
    dsn::report rep;
    if (!ctx.msg.delivery_status.empty()) rep = dsn::parse(ctx.msg.delivery_status, ctx.lim);

    if (!rep.recipients.empty()) {
        for (const auto& pr : rep.recipients) {
            std::string addr = plain_address(pr.final_recipient) ? pr.final_recipient : std::string();
            if (addr.empty() && plain_address(pr.original_recipient)) addr = pr.original_recipient;
            if (addr.empty()) addr = pr.final_recipient.empty() ? pr.original_recipient : pr.final_recipient;
            const block* tb = nullptr;
            for (const auto& b : blocks)
                if (util::iequals(util::trim(b.recipient), pr.final_recipient)) tb = &b;
            std::string diag = pr.diagnostic;
            if (diag.empty() && tb) diag = tb->diagnostic;
            if (diag.empty()) diag = pr.status_comment;
            if (diag.empty() && tb) diag = tb->reason;
            if (diag.empty() && tb) diag = tb->notes;
            record r = make_record(addr, diag);
            if (r.recipient.empty()) continue;
            r.action = pr.action;
            r.status = pr.status;
            r.remote_mta = pr.remote_mta;
            r.diagnostic_type = pr.diagnostic_type;
            r.reporting_mta = rep.message.reporting_mta;
            if (!pr.last_attempt_date.empty()) r.timestamp = mime::to_rfc3339(pr.last_attempt_date);
            out.push_back(std::move(r));
        }
        return !out.empty();
    }
    for (const auto& b : blocks) {
        std::string addr = plain_address(b.recipient) ? b.recipient : std::string();
        if (addr.empty() && plain_address(b.original)) addr = b.original;
        if (addr.empty()) addr = b.recipient;
        record r = make_record(addr, !b.diagnostic.empty() ? b.diagnostic : !b.reason.empty() ? b.reason : b.notes);
        if (r.recipient.empty()) continue;
        r.remote_mta = b.remote;
        if (util::icontains(text, "has been enqueued and undeliverable for")) r.action = "delayed";
        out.push_back(std::move(r));
    }
    return !out.empty();
}

}  // namespace

extern const format format_messagingserver{"messagingserver", 490, parse};

}  // namespace ricochet::mta
