// analyzer: the pipeline behind ricochet::analyzer. MIME view -> the first format that recognises
// the report -> per-record completion (codes from the text, command, action) -> classification ->
// hard/soft -> the original message's headers and the bounce's date.
#include <algorithm>
#include <exception>
#include <tuple>
#include <unordered_map>

#include "dsn/codes.h"
#include "dsn/fields.h"
#include "mime/message.h"
#include "mta/common.h"
#include "mta/format.h"
#include "mta/provider_codes.h"
#include "reason/classifier.h"
#include "reason/taxonomy.h"
#include "ricochet/ricochet.h"
#include "util/address.h"
#include "util/text.h"

namespace ricochet {

struct analyzer::impl {
    options opts;
    std::unique_ptr<reason::classifier> classes;
};

std::string_view to_string(error_code code) noexcept {
    switch (code) {
        case error_code::ok: return "ok";
        case error_code::empty_input: return "empty input";
        case error_code::not_a_message: return "not an email message";
        case error_code::too_large: return "message larger than the size limit";
        case error_code::internal: return "internal error";
    }
    return "unknown error";
}

analyzer::analyzer(std::unique_ptr<impl> p) : impl_(std::move(p)) {}
analyzer::~analyzer() = default;
const options& analyzer::settings() const noexcept { return impl_->opts; }

std::unique_ptr<analyzer> analyzer::create(const options& opts, std::string* error) {
    try {
        mime::init();
        auto p = std::make_unique<impl>();
        p->opts = opts;
        p->classes = reason::classifier::build(reason::builtin_pattern_data(), error);
        if (!p->classes) return nullptr;
        return std::unique_ptr<analyzer>(new analyzer(std::move(p)));
    } catch (const std::exception& e) {
        if (error) *error = e.what();
        return nullptr;
    }
}

namespace {

original_message original_of(const mime::header_block& h) {
    original_message o;
    o.message_id = std::string(h.get("Message-ID"));
    o.from = std::string(h.get("From"));
    o.to = std::string(h.get("To"));
    o.subject = std::string(h.get("Subject"));
    o.date = std::string(h.get("Date"));
    o.return_path = std::string(h.get("Return-Path"));
    return o;
}

// A bounce that names no recipient ("This message could not be delivered.") but returns the
// original's headers: the address a receiving server wrote in its Received "for <x>" clause, else
// the original's only To address. Empty when neither is there or the guess would be ambiguous.
std::string recipient_from_original(const mime::header_block& h) {
    const std::string sender = util::first_address(h.get("From"));
    for (const auto& f : h.fields) {
        if (!util::iequals(f.name, "Received")) continue;
        std::string_view v = f.value;
        for (std::size_t p = util::ifind(v, "for "); p != std::string_view::npos; p = util::ifind(v, "for ", p + 4)) {
            if (p > 0 && !util::is_space(v[p - 1])) continue;
            std::string_view rest = util::trim(v.substr(p + 4));
            std::string_view word = rest.substr(0, std::min(rest.size(), rest.find_first_of("; \t\r\n")));
            std::string a = util::clean_address(word);
            if (!a.empty() && !util::iequals(a, sender)) return a;
        }
    }
    // One addressee besides the sender (who often copies itself: "Cc: noreply@" of the sender).
    std::vector<std::string> named;
    for (std::string_view field : {"To", "Cc"})
        for (auto& a : util::find_addresses(h.get(field), 3))
            if (!util::iequals(a, sender)) named.push_back(std::move(a));
    if (named.size() == 1) return named[0];
    return {};
}

// A relay that sums up the remote reply in its own words and quotes it after the code:
// "5.1.0 - Unknown address error 550-'5.2.2 <user@example.jp>... Mailbox Full' (delivery attempts: 0)".
// Returns the quoted reply with its code ("550 5.2.2 <user@example.jp>... Mailbox Full"), or empty.
std::string quoted_reply(std::string_view d) {
    d = util::trim(d);
    // "554 4.4.7 Message expired: unable to deliver in 840 minutes.<421 4.4.2 Connection timed out>":
    // the last attempt's reply in angle brackets at the end.
    if (d.size() > 12 && d.back() == '>') {
        std::size_t lt = d.rfind('<');
        if (lt != std::string_view::npos && lt > 0) {
            std::string_view inner = util::trim(d.substr(lt + 1, d.size() - lt - 2));
            if (inner.size() > 4 && (inner[0] == '4' || inner[0] == '5') && util::is_digit(inner[1]) && util::is_digit(inner[2]) && inner[3] == ' ' &&
                inner.find('@') == std::string_view::npos)
                return std::string(inner);
        }
    }
    // The relay's "x.y.z - summary" may follow a sentence of its own ("The reason for the
    // problem: 5.1.0 - Unknown address error 550-'...'"): start at the first "x.y.z - ".
    for (std::size_t k = d.find(" - "); k != std::string_view::npos && k < 400; k = d.find(" - ", k + 3)) {
        std::size_t b = d.rfind(' ', k > 0 ? k - 1 : 0);
        b = b == std::string_view::npos || b >= k ? 0 : b + 1;
        if (dsn::valid_status(d.substr(b, k - b))) {
            d = d.substr(b);
            break;
        }
    }
    if (d.size() < 12 || dsn::find_enhanced_status(d.substr(0, 9)).empty()) return {};
    std::size_t dash = d.find(" - ");
    if (dash == std::string_view::npos || dash > 10) return {};
    for (std::size_t p = d.find("-'", dash + 3); p != std::string_view::npos; p = d.find("-'", p + 2)) {
        if (p < 3 || !util::is_digit(d[p - 1]) || !util::is_digit(d[p - 2]) || !(d[p - 3] == '4' || d[p - 3] == '5')) continue;
        if (p > 3 && d[p - 4] != ' ') continue;
        std::size_t close = d.find('\'', p + 2);
        while (close != std::string_view::npos && close + 1 < d.size() && d[close + 1] != ' ') close = d.find('\'', close + 1);
        std::string_view inner = d.substr(p + 2, close == std::string_view::npos ? std::string_view::npos : close - p - 2);
        if (util::trim(inner).empty()) return {};
        return std::string(d.substr(p - 3, 3)) + ' ' + std::string(inner);
    }
    return {};
}

// A diagnostic that is empty or only repeats the recipient's address ("<ken@example.org>").
bool names_no_reason(std::string_view diagnostic, std::string_view recipient) {
    std::string rest(util::trim(diagnostic));
    if (std::size_t p = recipient.empty() ? std::string::npos : util::ifind(rest, recipient); p != std::string::npos) rest.erase(p, recipient.size());
    return std::none_of(rest.begin(), rest.end(), [](char c) { return util::is_alpha(c) || util::is_digit(c); });
}

bool is_action(std::string_view a) {
    return a == "failed" || a == "delayed" || a == "delivered" || a == "relayed" || a == "expanded";
}

// What the classifier is told about a record: its codes and command, and the words to read.
reason::evidence evidence_of(const record& r, std::string_view words) {
    reason::evidence ev;
    ev.diagnostic = words;
    ev.status = r.status;
    ev.reply_code = r.reply_code;
    ev.command = r.smtp_command;
    ev.action = r.action;
    ev.diagnostic_type = r.diagnostic_type;
    return ev;
}

void apply(record& r, const reason::verdict& v) {
    r.reason = v.reason;
    r.rule = v.rule;
    r.hard = v.hard;
    r.hard_signal = v.hard_signal;
    r.category = std::string(category_of(r.reason));
    const auto* info = reason::find(r.reason);
    if (r.action.empty() && info && info->is_failure) {
        char cls = dsn::status_class(r.status, r.reply_code);
        r.action = r.reason == "delivered" ? "delivered" : (cls == '4' && r.reason != "expired") ? "delayed" : "failed";
    }
}

// `error_text` is the report text before the copy of the original (empty to skip the per-recipient
// paragraph search); `report_command` the command the whole text names, computed once per message.
void complete(record& r, const reason::classifier& classes, const limits& lim, std::string_view error_text,
              std::string_view report_command, bool whole_report, bool own_verdict_without_reply = false) {
    const bool intl = std::any_of(r.recipient.begin(), r.recipient.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; }) &&
                      util::looks_like_intl_address(r.recipient);
    if (!intl) {
        std::string cleaned = util::clean_address(r.recipient, /*allow_local=*/true);
        if (cleaned.empty() && !r.recipient.empty()) {
            cleaned = util::malformed_address(r.recipient);
            if (!cleaned.empty()) r.warnings.push_back("the recipient address is malformed: kept as the report wrote it");
        }
        r.recipient = std::move(cleaned);
    }
    if (r.diagnostic.size() > lim.max_diagnostic_bytes) {
        r.diagnostic.resize(lim.max_diagnostic_bytes);
        r.warnings.push_back("diagnostic cut at " + std::to_string(lim.max_diagnostic_bytes) + " bytes");
    }
    if (!r.status.empty() && !dsn::valid_status(r.status)) {
        std::string s = dsn::find_enhanced_status(r.status);
        r.status = s;
    }
    // A relayed refusal quotes each hop ("host a said: 550 5.7.1 ...: host b said: 550 5.1.1 ..."):
    // the last hop's words are the final answer. With one hop, the server's own reply is the answer
    // too ("Connected to x but sender was rejected. Remote host said: 421 4.7.0 [TSS04] ..."): the
    // sending MTA's framing only says at which step, which the command already carries.
    std::string_view final_words = r.diagnostic;
    // Postfix's framing of a refused greeting: the server's words follow it.
    if (std::size_t p = util::ifind(final_words, "refused to talk to me:"); p != std::string_view::npos)
        final_words = util::trim(final_words.substr(p + 22));
    if (std::size_t first = util::ifind(final_words, " said:"); first != std::string_view::npos) {
        std::size_t last = first;
        for (std::size_t p = first; (p = util::ifind(final_words, " said:", p + 1)) != std::string_view::npos;) last = p;
        std::string_view said = util::trim(final_words.substr(last + 6));
        bool reply = said.size() > 4 && (said[0] == '4' || said[0] == '5') && util::is_digit(said[1]) && util::is_digit(said[2]);
        if (last != first || reply) final_words = final_words.substr(last + 6);
    }
    const std::string quoted = quoted_reply(final_words);
    if (!quoted.empty()) final_words = quoted;
    std::string text_status = dsn::find_enhanced_status(final_words);
    // A relay that quotes a reply without an enhanced status still gave its own summary one.
    if (text_status.empty() && !quoted.empty()) text_status = dsn::find_enhanced_status(r.diagnostic.substr(0, 12));
    // The last hop gave no enhanced status: the relay's own (earlier in the text) still sums up.
    if (text_status.empty() && final_words.data() != r.diagnostic.data()) text_status = dsn::find_enhanced_status(r.diagnostic);
    // The reporting MTA's Status sums up; the status in the server's own reply says what happened
    // ("Status: 4.4.7" over "450 4.7.1 Access denied. IP name lookup failed"), unless the reply's
    // is the empty x.0.0.
    auto says_nothing = [](std::string_view s) { return s.size() == 5 && s.substr(1) == ".0.0"; };
    if (!text_status.empty() && (r.status.empty() || says_nothing(r.status) || !says_nothing(text_status)))
        r.status = text_status;
    // A local delivery program's exit status ("X-Unix; 255") is not an SMTP reply.
    const bool exit_status = (util::iequals(r.diagnostic_type, "x-unix") || util::iequals(r.diagnostic_type, "x-local")) &&
                             !final_words.empty() && std::all_of(final_words.begin(), final_words.end(), util::is_digit);
    if (r.reply_code.empty() && !exit_status) r.reply_code = dsn::find_reply_code(final_words);
    if (r.smtp_command.empty()) r.smtp_command = dsn::find_command(r.diagnostic);
    if (r.smtp_command.empty()) {
        // The command is often said around the diagnostic rather than in it: Postfix's "(in reply
        // to RCPT TO command)", Sendmail's ">>> DATA" transcript line. The recipient's own
        // paragraph first, then the whole report text.
        if (!error_text.empty()) r.smtp_command = dsn::find_command(mta::paragraph_for(error_text, r.recipient));
        if (r.smtp_command.empty()) r.smtp_command = std::string(report_command);
    }
    if (r.remote_mta.empty()) r.remote_mta = mta::find_remote_host(r.diagnostic);
    r.action = util::ascii_lower(util::trim(r.action));
    if (!r.action.empty() && !is_action(r.action)) {
        // "failure", "deferred" and similar non-standard spellings.
        if (util::istarts_with(r.action, "fail")) r.action = "failed";
        else if (util::istarts_with(r.action, "delay") || util::istarts_with(r.action, "defer")) r.action = "delayed";
        else if (util::istarts_with(r.action, "deliver")) r.action = "delivered";
        else r.action.clear();
    }

    reason::evidence ev = evidence_of(r, final_words);
    // A notice that quotes no server reply (no code, no status) where the format would have
    // quoted one (a notice written for people; Postfix's own local delivery verdict) is not
    // evidence that the refusal came after RCPT.
    ev.whole_report = whole_report && !(own_verdict_without_reply && r.reply_code.empty() && r.status.empty());
    std::string hint = r.reason, hint_rule = r.rule;
    if (hint.empty()) {
        // Receiving providers' own codes decide where they are specific: look them up by the host
        // that answered, then by the recipient's domain.
        auto [reason, rule] = mta::provider_reason(r.remote_mta, final_words, r.smtp_command, r.status);
        if (reason.empty()) std::tie(reason, rule) = mta::provider_reason(util::domain_of(r.recipient), final_words, r.smtp_command, r.status);
        if (!reason.empty()) {
            hint = std::string(reason);
            hint_rule = std::string(rule);
        }
    }
    ev.hint = hint;
    ev.hint_rule = hint_rule;
    apply(r, classes.decide(ev));
}

// No record's own words gave a reason ("The following recipients did not receive your message:"),
// but the notice says one for all of them in its own sentences ("Your message was not delivered
// within 2 days. Host example.com is not responding."): the notice's text, read as the reporting
// side's verdict, decides. Only when every record is without a reason, so that a report that
// gives each recipient its own reason never lends one recipient's to another.
void reason_from_notice(std::vector<record>& recs, const reason::classifier& classes, std::string_view error_text) {
    if (recs.empty() || error_text.empty()) return;
    if (!std::all_of(recs.begin(), recs.end(), [](const record& r) { return r.rule == "no-pattern"; })) return;
    const std::string notice = util::squeeze(error_text.substr(0, 2048));
    // The verdict is read once per kind of evidence (a list of thousands shares one).
    std::string last_key;  // (never empty once set: the key holds its separators)
    reason::verdict v;
    for (auto& r : recs) {
        std::string key = r.status + '\n' + r.reply_code + '\n' + r.smtp_command + '\n' + r.action + '\n' + r.diagnostic_type;
        if (key != last_key) {
            v = classes.decide(evidence_of(r, notice));
            v.rule = "notice:" + v.rule;
            last_key = std::move(key);
        }
        if (v.rule == "notice:no-pattern" || v.reason == "undefined" || v.reason == "onhold") continue;
        apply(r, v);
        r.warnings.push_back("the reason is read from the notice's own sentences, not from a line about this recipient");
    }
}

}  // namespace

namespace {

// One message; `depth` 1 for a delivery report found attached to another message.
analysis analyze_message(const analyzer::impl& im, std::string_view bytes, int depth) {
    analysis out;
    const limits& lim = im.opts.limit;
    if (bytes.empty()) {
        out.error = error_code::empty_input;
        out.error_message = "empty input";
        return out;
    }
    if (bytes.size() > lim.max_message_bytes) {
        bytes = bytes.substr(0, lim.max_message_bytes);
        out.warnings.push_back("message larger than " + std::to_string(lim.max_message_bytes) + " bytes: analysed the first part only");
    }
    // Bare-CR line ends (old Mac tools, some gateways): no LF at all where the headers should
    // be, only CRs. Line ends become LF.
    std::string lf;
    if (std::string_view head = bytes.substr(0, 8192); head.find('\n') == std::string_view::npos && head.find('\r') != std::string_view::npos) {
        lf = util::normalize_newlines(bytes);
        bytes = lf;
    }
    // Blank lines before the header block (a copy saved by hand, a fetch that kept the server's
    // separator line): the headers start at the first line that is not blank.
    {
        std::size_t p = 0;
        while (p < bytes.size() && p < 65536) {
            std::size_t eol = bytes.find('\n', p);
            if (eol == std::string_view::npos) break;
            if (!util::trim(bytes.substr(p, eol - p)).empty()) break;
            p = eol + 1;
        }
        if (p > 0 && p < bytes.size()) {
            std::string_view first = bytes.substr(p, bytes.find('\n', p) - p);
            std::size_t colon = first.find(':');
            if (colon != std::string_view::npos && colon > 0 && first.substr(0, colon).find(' ') == std::string_view::npos) bytes.remove_prefix(p);
        }
    }
    mime::message_view view = mime::parse(bytes, lim);
    for (auto& w : view.warnings) out.warnings.push_back(w);
    if (view.headers.fields.empty() && view.texts.empty() && view.delivery_status.empty()) {
        out.error = error_code::not_a_message;
        out.error_message = "no header block found";
        return out;
    }
    std::string body = util::normalize_newlines(view.body());
    mta::context ctx{view, lim, body, view.headers.get("From"), view.headers.get("Subject")};
    std::vector<record> recs;
    std::string_view mta_name;
    const mta::format* fmt = nullptr;
    for (const mta::format* f : mta::all_formats()) {
        recs.clear();
        if (f->parse(ctx, recs)) {
            mta_name = f->name;
            fmt = f;
            break;
        }
    }
    // A delivery report forwarded as an attachment: read it when the outer message is no bounce
    // or names no recipient (a person forwarding a bounce, a gateway wrapping the real report).
    auto names_a_recipient = [](const std::vector<record>& rs) {
        return std::any_of(rs.begin(), rs.end(), [](const record& r) { return !r.recipient.empty(); });
    };
    if (!names_a_recipient(recs) && depth == 0 && !view.attached_report.empty()) {
        analysis inner = analyze_message(im, view.attached_report, depth + 1);
        if (inner.kind == message_kind::bounce && names_a_recipient(inner.records)) {
            for (auto& r : inner.records) r.warnings.push_back("read from a delivery report attached to the message (a forwarded bounce)");
            return inner;
        }
    }
    // A bounce a person forwarded in the body of their message (pasted under "Forwarded message"
    // with its From and Subject lines): read the forwarded part as a message of its own.
    if (!names_a_recipient(recs) && depth == 0) {
        if (std::string fwd = mta::forwarded_inline(body); !fwd.empty()) {
            analysis inner = analyze_message(im, fwd, depth + 1);
            if (inner.kind == message_kind::bounce && names_a_recipient(inner.records)) {
                for (auto& r : inner.records) r.warnings.push_back("read from a bounce forwarded in the message body");
                return inner;
            }
        }
    }
    if (mta_name.empty()) return out;  // not a bounce

    mime::header_block inline_hdr;
    const mime::header_block* orig = &view.original_headers;
    if (!view.has_original && mta::inline_original(body, lim, inline_hdr)) orig = &inline_hdr;
    original_message original = original_of(*orig);
    // Records that name no recipient, as many as the addresses the bounce's X-Failed-Recipients
    // header lists: those addresses, in order.
    {
        std::size_t unnamed = static_cast<std::size_t>(std::count_if(recs.begin(), recs.end(), [](const record& r) { return r.recipient.empty(); }));
        if (unnamed > 0 && view.headers.has("X-Failed-Recipients")) {
            std::vector<std::string> failed = util::find_addresses(view.headers.get("X-Failed-Recipients"), lim.max_recipients);
            std::vector<std::string> fresh;
            for (auto& a : failed)
                if (std::none_of(recs.begin(), recs.end(), [&](const record& r) { return util::iequals(r.recipient, a); })) fresh.push_back(a);
            if (fresh.size() == unnamed) {
                std::size_t k = 0;
                for (auto& r : recs)
                    if (r.recipient.empty()) r.recipient = fresh[k++];
            }
        }
    }
    // The address the sender wrote, where the delivery-status part says the failed one was reached
    // through another (Original-Recipient: an alias, a forward, a list's member).
    if (!view.delivery_status.empty()) {
        dsn::report rep = dsn::parse(view.delivery_status, lim);
        std::unordered_map<std::string, std::string> sent_to_of;  // lower-cased final recipient -> original
        auto unquoted = [](std::string a) {
            a.erase(std::remove(a.begin(), a.end(), '"'), a.end());
            return a;
        };
        for (const auto& pr : rep.recipients) {
            std::string fin = util::clean_address(pr.final_recipient, /*allow_local=*/true), sent_to = util::clean_address(pr.original_recipient);
            if (fin.empty() || sent_to.empty() || util::iequals(unquoted(fin), unquoted(sent_to))) continue;
            sent_to_of.emplace(util::ascii_lower(fin), std::move(sent_to));
        }
        if (!sent_to_of.empty())
            for (auto& r : recs)
                if (r.original_recipient.empty())
                    if (auto it = sent_to_of.find(util::ascii_lower(util::clean_address(r.recipient, true))); it != sent_to_of.end())
                        r.original_recipient = it->second;
    }
    if (recs.size() == 1 && recs[0].recipient.empty()) {
        if (std::string guess = recipient_from_original(*orig); !guess.empty()) {
            recs[0].recipient = guess;
            recs[0].warnings.push_back("the bounce names no recipient: address taken from the returned message's headers");
        }
    }
    // Sendmail names the failure in its subject when there is one ("Returned mail: User unknown",
    // "Returned mail: Host unknown (Name server: ...)"): the only words left for a record whose
    // report part was lost (a bounce pasted without its delivery-status part).
    {
        std::string_view subject = util::trim(view.headers.get("Subject"));
        if (util::istarts_with(subject, "Returned mail:")) {
            std::string_view said = util::trim(subject.substr(14));
            bool specific = !said.empty() && !util::icontains(said, "see transcript") && !util::istarts_with(said, "warning");
            for (auto& r : recs)
                if (specific && names_no_reason(r.diagnostic, r.recipient) && r.status.empty() && r.reply_code.empty()) {
                    r.diagnostic = std::string(said);
                    r.warnings.push_back("the report gives no reason for this recipient: diagnostic taken from the bounce's subject");
                }
        }
    }
    // One recipient reported several times over with the same words (an alias loop that Sendmail
    // lists once per expansion): one record.
    if (recs.size() > 1 && recs.size() <= 256) {
        std::vector<record> unique;
        for (auto& r : recs) {
            auto same = std::find_if(unique.begin(), unique.end(), [&](const record& u) {
                return !r.recipient.empty() && util::iequals(u.recipient, r.recipient) && u.action == r.action && u.status == r.status &&
                       u.reply_code == r.reply_code && u.diagnostic == r.diagnostic;
            });
            if (same == unique.end()) unique.push_back(std::move(r));
            else if (same->warnings.empty() || same->warnings.back().rfind("the report repeats", 0) != 0)
                same->warnings.push_back("the report repeats this recipient with the same words: reported once");
        }
        recs = std::move(unique);
    }
    std::string timestamp = mime::to_rfc3339(view.headers.get("Date"));

    if (recs.size() > lim.max_recipients) {
        recs.resize(lim.max_recipients);
        out.warnings.push_back("more than " + std::to_string(lim.max_recipients) + " recipients: the rest were not reported");
    }
    std::string_view error_text = mta::before_original(body);
    if (error_text.size() > 65536) error_text = error_text.substr(0, 65536);
    const std::string report_command = dsn::find_command(error_text);
    // Each recipient's own paragraph is looked up in the text: linear per recipient, so only
    // for reports of ordinary size (a report of thousands of recipients uses the report-wide
    // command).
    std::string_view per_recipient_text = recs.size() <= 256 ? error_text : std::string_view();
    for (auto& r : recs) {
        if (r.original_recipient.empty() && !r.recipient.empty()) r.original_recipient = mta::expanded_from(per_recipient_text, r.recipient);
        // Text read by heuristics, and Postfix's own words on a local delivery ("unknown user:
        // \"carl\""), are the reporting side's verdict when no server reply is quoted.
        complete(r, *im.classes, lim, per_recipient_text, report_command, true, mta_name == "generic" || mta_name == "postfix");
        r.mta = std::string(mta_name);
        if (r.timestamp.empty()) r.timestamp = timestamp;
        if (r.original.message_id.empty() && r.original.from.empty() && r.original.subject.empty()) r.original = original;
        for (const auto& w : out.warnings) r.warnings.push_back(w);
    }
    reason_from_notice(recs, *im.classes, error_text);
    if (!fmt->fallback_reason.empty())
        for (auto& r : recs)
            if (r.rule == "no-pattern" || r.rule == "no-evidence") {
                reason::evidence ev = evidence_of(r, r.diagnostic);
                ev.hint = fmt->fallback_reason;
                ev.hint_rule = fmt->fallback_rule;
                apply(r, im.classes->decide(ev));
            }
    out.records = std::move(recs);
    out.kind = message_kind::bounce;
    return out;
}

}  // namespace

analysis analyzer::analyze(std::string_view bytes) const noexcept {
    analysis out;
    try {
        return analyze_message(*impl_, bytes, 0);
    } catch (const std::exception& e) {
        out.error = error_code::internal;
        out.error_message = e.what();
        out.records.clear();
        return out;
    } catch (...) {
        out.error = error_code::internal;
        out.error_message = "unknown exception";
        out.records.clear();
        return out;
    }
}

classification analyzer::classify(std::string_view text) const noexcept {
    classification c;
    try {
        record r = mta::make_record("", text);
        // A line copied from a report keeps its RFC 3464 type ("X-Unix; 255", "smtp; 550 ...").
        dsn::typed_value(text, &r.diagnostic_type);
        r.recipient = util::first_address(text);
        complete(r, *impl_->classes, impl_->opts.limit, {}, dsn::find_command(text), false);
        c.reason = r.reason;
        c.category = r.category;
        c.hard = r.hard;
        c.hard_signal = r.hard_signal;
        c.rule = r.rule;
        c.reply_code = r.reply_code;
        c.smtp_command = r.smtp_command;
        c.recipient = r.recipient;
        c.status = r.status;
        if (c.status.empty()) {
            const auto* info = reason::find(c.reason);
            if (info && !info->implied_status.empty()) {
                c.status = std::string(info->implied_status);
                char cls = dsn::status_class("", c.reply_code);
                if (cls == '4' || cls == '5') c.status[0] = cls;
                c.status_inferred = true;
            }
        }
    } catch (...) {
        c.reason = "undefined";
        c.category = "unknown";
        c.rule = "internal-error";
    }
    return c;
}

}  // namespace ricochet
