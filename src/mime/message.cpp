// mime/message: GMime-backed parsing of one message into a message_view (see message.h).
#include "mime/message.h"

#include <gmime/gmime.h>
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include "util/text.h"

namespace ricochet::mime {
namespace {

GMimeParserOptions* parser_options() {
    static GMimeParserOptions* opts = [] {
        GMimeParserOptions* o = g_mime_parser_options_new();
        // Undeclared 8-bit header text: try UTF-8 first, then the legacy charsets bounces use most.
        static const char* fallback[] = {"utf-8", "gb18030", "iso-8859-1", nullptr};
        g_mime_parser_options_set_fallback_charsets(o, fallback);
        g_mime_parser_options_set_rfc2047_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_address_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
        g_mime_parser_options_set_parameter_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
        return o;
    }();
    return opts;
}

struct gobject_unref {
    void operator()(void* p) const noexcept {
        if (p) g_object_unref(p);
    }
};
template <class T>
using gptr = std::unique_ptr<T, gobject_unref>;

struct gfree {
    void operator()(char* p) const noexcept { g_free(p); }
};
using gstring = std::unique_ptr<char, gfree>;

std::string lower_type(GMimeContentType* ct) {
    if (!ct) return "text/plain";
    const char* t = g_mime_content_type_get_media_type(ct);
    const char* s = g_mime_content_type_get_media_subtype(ct);
    std::string out = util::ascii_lower(t ? t : "text");
    out += '/';
    out += util::ascii_lower(s ? s : "plain");
    return out;
}

// Decoded (transfer-encoding undone) bytes of a leaf part, at most `cap` bytes kept.
std::string part_bytes(GMimePart* part, std::size_t cap, bool& cut) {
    GMimeDataWrapper* w = g_mime_part_get_content(part);
    if (!w) return {};
    gptr<GMimeStream> mem(g_mime_stream_mem_new());
    g_mime_data_wrapper_write_to_stream(w, mem.get());
    GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
    if (!arr) return {};
    std::size_t n = arr->len;
    if (n > cap) {
        n = cap;
        cut = true;
    }
    return std::string(reinterpret_cast<const char*>(arr->data), n);
}

void read_header_list(GMimeHeaderList* list, header_block& out, const limits& lim, std::vector<std::string>& warnings) {
    if (!list) return;
    int n = g_mime_header_list_get_count(list);
    if (static_cast<std::size_t>(n) > lim.max_headers) {
        warnings.push_back("header count over limit: only the first " + std::to_string(lim.max_headers) + " read");
        n = static_cast<int>(lim.max_headers);
    }
    out.fields.reserve(out.fields.size() + static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
        if (!h) continue;
        const char* name = g_mime_header_get_name(h);
        const char* raw = g_mime_header_get_raw_value(h);
        if (!name) continue;
        std::string value = raw ? decode_header_value(raw) : std::string();
        if (value.size() > lim.max_header_bytes) {
            value.resize(lim.max_header_bytes);
            warnings.push_back(std::string("header ") + name + " cut at " + std::to_string(lim.max_header_bytes) + " bytes");
        }
        out.fields.push_back({name, std::move(value)});
    }
}

std::string strip_html(std::string_view html) {
    std::string out;
    out.reserve(html.size());
    bool in_tag = false;
    for (std::size_t i = 0; i < html.size(); ++i) {
        char c = html[i];
        if (in_tag) {
            if (c == '>') in_tag = false;
            continue;
        }
        if (c == '<') {
            // Block-level tags end a line.
            std::string_view rest = html.substr(i + 1, 4);
            if (util::istarts_with(rest, "br") || util::istarts_with(rest, "p") || util::istarts_with(rest, "/p") ||
                util::istarts_with(rest, "div") || util::istarts_with(rest, "/div") || util::istarts_with(rest, "tr") ||
                util::istarts_with(rest, "li"))
                out += '\n';
            in_tag = true;
            continue;
        }
        if (c == '&') {
            static const std::pair<std::string_view, std::string_view> ents[] = {
                {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}, {"&nbsp;", " "}, {"&quot;", "\""}, {"&#39;", "'"}};
            bool hit = false;
            for (auto& [e, r] : ents) {
                if (util::istarts_with(html.substr(i), e)) {
                    out += r;
                    i += e.size() - 1;
                    hit = true;
                    break;
                }
            }
            if (hit) continue;
        }
        out += c;
    }
    return out;
}

// The signs, in an attached message's own headers, that it is a delivery report: a mail
// system's sender or the null sender, or a failure subject. (Ordinary attached originals are not
// copied; the formats themselves decide later whether the copy is a bounce.)
bool looks_like_report(const header_block& h) {
    std::string_view from = h.get("From");
    for (std::string_view w : {"mailer-daemon", "postmaster", "post_master", "mail delivery", "mail administrator", "ndr administrator"})
        if (util::icontains(from, w)) return true;
    if (util::trim(from) == "<>") return true;
    std::string_view subject = h.get("Subject");
    for (std::string_view w : {"undeliver", "undelivered", "returned mail", "failure notice", "delivery status", "delivery fail",
                               "not delivered", "could not be delivered", "nondeliverable", "non-deliverable", "unzustellbar", "non remis",
                               "メールエラー", "未送達", "退信", "投递失败",
                               // complaints and automatic replies a person forwards to ask what they are
                               "complaint", "abuse report", "feedback report", "automatic reply", "auto-reply", "autoreply",
                               "out of office", "自动回复", "自動返信"})
        if (util::icontains(subject, w)) return true;
    // An automatic message by its own account (RFC 3834), or an auto-responder's mark.
    if (std::string_view as = util::trim(h.get("Auto-Submitted")); !as.empty() && !util::iequals(as, "no")) return true;
    return h.has("X-Autoreply") || h.has("X-Autorespond");
}

// A message a person forwarded (Subject "Fwd: ...", Outlook's "FW: ...", the German "WG:", the
// French "TR:", the Spanish "RV:", the Chinese and Japanese marks): whatever it carries attached is
// what they ask about, bounce or not by its own headers.
bool forwarded_by_a_person(const header_block& h) {
    std::string_view s = util::trim(h.get("Subject"));
    if (!s.empty() && s.front() == '[') s.remove_prefix(1);
    for (std::string_view p : {"fwd:", "fw:", "fwd :", "fw :", "wg:", "tr:", "rv:", "enc:", "doorst:", "vs:", "转发:", "转发：", "轉寄:",
                               "轉寄：", "転送:", "転送：", "fwd：", "fw："})
        if (util::istarts_with(s, p)) return true;
    return false;
}

struct walker {
    const limits& lim;
    message_view& view;
    std::vector<std::string> html;
    bool depth_warned = false;

    void text_of(GMimePart* part, GMimeContentType* ct, std::string& into) {
        bool cut = false;
        std::string bytes = part_bytes(part, lim.max_text_bytes, cut);
        if (cut) view.warnings.push_back("text part cut at " + std::to_string(lim.max_text_bytes) + " bytes");
        const char* cs = ct ? g_mime_content_type_get_parameter(ct, "charset") : nullptr;
        into += to_utf8(bytes, cs ? cs : "");
    }

    void take_original(GMimeMessage* msg) {
        if (view.has_original || !msg) return;
        view.has_original = true;
        read_header_list(g_mime_object_get_header_list(GMIME_OBJECT(msg)), view.original_headers, lim, view.warnings);
        // A delivery report forwarded as an attachment (by a person, or by a gateway that wraps
        // the real report): kept whole so that the analyzer can read it when the outer message
        // names no recipient. Only reports, or what a person forwarded, so the originals that
        // bounces carry are not copied.
        GMimeObject* top = g_mime_message_get_mime_part(msg);
        std::string top_type = top ? lower_type(g_mime_object_get_content_type(top)) : std::string();
        if (top_type == "multipart/report" || looks_like_report(view.original_headers) || forwarded_by_a_person(view.headers)) {
            gptr<GMimeStream> mem(g_mime_stream_mem_new());
            g_mime_object_write_to_stream(GMIME_OBJECT(msg), nullptr, mem.get());
            GByteArray* arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem.get()));
            if (arr) view.attached_report.assign(reinterpret_cast<const char*>(arr->data), std::min<std::size_t>(arr->len, lim.max_message_bytes));
        }
        // The first text of the original (some formats quote the error there, e.g. Google Groups).
        std::string t;
        original_text(top, 0, t);
        if (t.size() > 8192) t.resize(8192);
        view.original_body_start = std::move(t);
    }

    // The first text part of an attached message and any delivery-status part in it: a bounce
    // forwarded as an attachment keeps its report there.
    void original_text(GMimeObject* obj, int depth, std::string& out) {
        if (!obj || depth > 4 || out.size() >= 8192) return;
        if (GMIME_IS_MULTIPART(obj)) {
            GMimeMultipart* mp = GMIME_MULTIPART(obj);
            int n = g_mime_multipart_get_count(mp);
            for (int i = 0; i < n && i < 16; ++i) original_text(g_mime_multipart_get_part(mp, i), depth + 1, out);
            return;
        }
        if (!GMIME_IS_PART(obj)) return;
        GMimeContentType* ct = g_mime_object_get_content_type(obj);
        std::string type = lower_type(ct);
        bool first_text = type == "text/plain" && out.empty();
        if (first_text || type == "message/delivery-status") {
            if (!out.empty()) out += "\n\n";
            text_of(GMIME_PART(obj), ct, out);
        }
    }

    void take_original_bytes(std::string_view bytes) {
        if (view.has_original) return;
        view.has_original = true;
        view.original_headers = parse_headers(bytes, lim);
    }

    void walk(GMimeObject* obj, int depth, bool inside) {
        if (!obj) return;
        ++view.part_count;
        if (depth > lim.max_mime_depth) {
            if (!depth_warned) view.warnings.push_back("MIME nesting deeper than " + std::to_string(lim.max_mime_depth) + ": not descended");
            depth_warned = true;
            return;
        }
        GMimeContentType* ct = g_mime_object_get_content_type(obj);
        std::string type = lower_type(ct);
        if (GMIME_IS_MESSAGE_PART(obj)) {
            GMimeMessage* msg = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
            if (!inside) take_original(msg);
            return;  // the original's body is not the bounce
        }
        if (GMIME_IS_MULTIPART(obj)) {
            GMimeMultipart* mp = GMIME_MULTIPART(obj);
            int n = g_mime_multipart_get_count(mp);
            for (int i = 0; i < n; ++i) walk(g_mime_multipart_get_part(mp, i), depth + 1, inside);
            return;
        }
        if (!GMIME_IS_PART(obj)) return;
        GMimePart* part = GMIME_PART(obj);
        if (type == "message/delivery-status" || type == "message/global-delivery-status") {
            text_of(part, ct, view.delivery_status);
            view.delivery_status += '\n';
        } else if (type == "message/feedback-report") {
            text_of(part, ct, view.feedback_report);
        } else if (type == "message/disposition-notification" || type == "message/global-disposition-notification") {
            text_of(part, ct, view.disposition_notification);
        } else if (type == "text/rfc822-headers" || type == "message/rfc822-headers" || type == "message/rfc822" ||
                   type == "message/global" || type == "message/global-headers") {
            bool cut = false;
            take_original_bytes(part_bytes(part, lim.max_text_bytes, cut));
        } else if (type == "text/plain" || type == "text/html" || type == "text/enriched") {
            if (inside) return;
            // A text part that is an attachment with a file name is not the bounce text, but some
            // MTAs attach the error text that way (e.g. "details.txt"); keep it.
            std::string t;
            text_of(part, ct, t);
            if (type == "text/html") {
                html.push_back(strip_html(t));
            } else {
                view.texts.push_back({type, std::move(t)});
            }
        }
    }
};

std::string iconv_name(std::string_view cs) {
    std::string c = util::ascii_lower(util::trim(cs));
    if (c.size() >= 2 && c.front() == '"' && c.back() == '"') c = c.substr(1, c.size() - 2);
    // Supersets decode what senders mislabel (GBK in "gb2312", CP932 in "shift_jis").
    if (c == "gb2312" || c == "gbk" || c == "x-gbk" || c == "cp936" || c == "euc-cn" || c == "gb_2312-80" || c == "chinese") return "GB18030";
    if (c == "shift_jis" || c == "shift-jis" || c == "sjis" || c == "x-sjis" || c == "ms_kanji" || c == "windows-31j") return "CP932";
    if (c == "iso-2022-jp") return "ISO-2022-JP-2";
    if (c == "euc-kr" || c == "ks_c_5601-1987" || c == "ks_c_5601" || c == "korean") return "CP949";
    if (c == "big5" || c == "x-big5" || c == "big5-hkscs") return "BIG5-HKSCS";
    if (c == "us-ascii" || c == "ascii" || c == "ansi_x3.4-1968") return "UTF-8";  // ASCII is UTF-8; stray 8-bit is guessed below
    if (c == "iso-8859-1" || c == "latin1" || c == "latin-1") return "WINDOWS-1252";
    return c;
}

// iconv_open looks the charset up in gconv's module table (and may load a module) on every call:
// each thread keeps the descriptors it opened, reset before each use, for the few charsets mail uses.
class iconv_cache {
public:
    ~iconv_cache() {
        for (auto& e : open_)
            if (e.second != reinterpret_cast<iconv_t>(-1)) iconv_close(e.second);
    }
    iconv_t get(const std::string& from) {
        for (auto& e : open_)
            if (e.first == from) {
                if (e.second != reinterpret_cast<iconv_t>(-1)) iconv(e.second, nullptr, nullptr, nullptr, nullptr);
                return e.second;
            }
        iconv_t cd = iconv_open("UTF-8", from.c_str());
        if (open_.size() >= 16) {
            if (open_.front().second != reinterpret_cast<iconv_t>(-1)) iconv_close(open_.front().second);
            open_.erase(open_.begin());
        }
        open_.emplace_back(from, cd);
        return cd;
    }

private:
    std::vector<std::pair<std::string, iconv_t>> open_;
};

// Converts with iconv, replacing undecodable bytes by U+FFFD. Returns false when iconv does not know
// the charset.
bool convert(std::string_view in, const std::string& from, std::string& out, std::size_t* bad = nullptr) {
    thread_local iconv_cache cache;
    iconv_t cd = cache.get(from);
    if (cd == reinterpret_cast<iconv_t>(-1)) return false;
    out.clear();
    out.reserve(in.size() * 2 + 16);
    char buf[4096];
    char* src = const_cast<char*>(in.data());
    std::size_t left = in.size();
    std::size_t errors = 0;
    while (left > 0) {
        char* dst = buf;
        std::size_t room = sizeof buf;
        std::size_t r = iconv(cd, &src, &left, &dst, &room);
        out.append(buf, static_cast<std::size_t>(dst - buf));
        if (r == static_cast<std::size_t>(-1)) {
            if (errno == E2BIG) continue;
            // EILSEQ or EINVAL (truncated sequence): skip one byte.
            out += "\xEF\xBF\xBD";
            ++src;
            --left;
            ++errors;
            iconv(cd, nullptr, nullptr, nullptr, nullptr);
        }
    }
    char* dst = buf;
    std::size_t room = sizeof buf;
    iconv(cd, nullptr, nullptr, &dst, &room);
    out.append(buf, static_cast<std::size_t>(dst - buf));
    if (bad) *bad = errors;
    return true;
}

// The message with each field of its top header block cut to `max_field` bytes (continuation lines
// past the limit are dropped); empty when no field is that long.
std::string cut_long_fields(std::string_view bytes, std::size_t max_field) {
    std::size_t end = bytes.find("\n\n");
    std::size_t end2 = bytes.find("\r\n\r\n");
    std::size_t header_end = std::min(end, end2);
    if (header_end == std::string_view::npos) header_end = bytes.size();
    // Fast path: no field can be longer than the whole header block.
    if (header_end <= max_field) return {};
    std::string out;
    bool changed = false;
    std::size_t field_len = 0, pos = 0;
    while (pos < header_end) {
        std::size_t eol = bytes.find('\n', pos);
        std::size_t next = eol == std::string_view::npos || eol >= header_end ? header_end : eol + 1;
        std::string_view line = bytes.substr(pos, next - pos);
        bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
        field_len = continuation ? field_len + line.size() : line.size();
        if (field_len > max_field) {
            changed = true;  // drop the rest of an over-long field; keep the start of a long first line
            if (!continuation) {
                out.append(line.substr(0, max_field));
                out += '\n';
            }
        } else {
            out.append(line);
        }
        pos = next;
    }
    if (!changed) return {};
    out.append(bytes.substr(header_end));
    return out;
}

}  // namespace

std::string_view header_block::get(std::string_view name) const noexcept {
    for (const auto& f : fields)
        if (util::iequals(f.name, name)) return f.value;
    return {};
}

bool header_block::has(std::string_view name) const noexcept {
    for (const auto& f : fields)
        if (util::iequals(f.name, name)) return true;
    return false;
}

const std::string& message_view::body() const {
    if (!body_built) {
        body_built = true;
        for (const auto& t : texts) {
            if (!body_cache.empty()) body_cache += '\n';
            body_cache += t.text;
        }
    }
    return body_cache;
}

void init() {
    static std::once_flag once;
    std::call_once(once, [] {
        g_mime_init();
        parser_options();
    });
}

std::string decode_header_value(std::string_view value) {
    // Unfold first: continuation lines become single spaces.
    std::string unfolded;
    unfolded.reserve(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
        char c = value[i];
        if (c == '\r' || c == '\n') {
            while (i + 1 < value.size() && (value[i + 1] == '\r' || value[i + 1] == '\n')) ++i;
            if (i + 1 < value.size() && (value[i + 1] == ' ' || value[i + 1] == '\t')) {
                unfolded += ' ';
                while (i + 1 < value.size() && (value[i + 1] == ' ' || value[i + 1] == '\t')) ++i;
            } else {
                unfolded += ' ';
            }
            continue;
        }
        if (c == '\0') continue;
        unfolded += c;
    }
    std::string trimmed(util::trim(unfolded));
    if (trimmed.find("=?") == std::string::npos && util::is_ascii(trimmed)) return trimmed;
    gstring dec(g_mime_utils_header_decode_text(parser_options(), trimmed.c_str()));
    return dec ? std::string(dec.get()) : trimmed;
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
    std::string name = iconv_name(charset);
    std::string out;
    if (!name.empty() && name != "UTF-8" && name != "utf-8" && name != "utf8") {
        std::size_t bad = 0;
        // A label that does not fit the bytes (UTF-8 text sent as "ISO-2022-JP", a 7-bit charset)
        // decodes to replacement characters; the bytes' own valid UTF-8 reading is the better one.
        if (convert(bytes, name, out, &bad) && (bad == 0 || util::is_ascii(bytes) || !util::valid_utf8(bytes))) return out;
    }
    if (util::valid_utf8(bytes)) return std::string(bytes);
    // Guess: ISO-2022-JP announces itself with escapes; otherwise try the common legacy sets.
    if (bytes.find("\x1b$B") != std::string_view::npos || bytes.find("\x1b$@") != std::string_view::npos) {
        if (convert(bytes, "ISO-2022-JP-2", out)) return out;
    }
    std::size_t bad = 0;
    if (convert(bytes, "GB18030", out, &bad) && bad == 0) return out;
    if (convert(bytes, "CP932", out, &bad) && bad == 0) return out;
    convert(bytes, "WINDOWS-1252", out);
    return out;
}

std::string to_rfc3339(std::string_view date) {
    if (date.empty()) return {};
    std::string d(date);
    GDateTime* dt = g_mime_utils_header_decode_date(d.c_str());
    if (!dt) return {};
    gstring s(g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S%:z"));
    g_date_time_unref(dt);
    return s ? std::string(s.get()) : std::string();
}

header_block parse_headers(std::string_view text, const limits& lim) {
    init();
    header_block out;
    // Skip leading blank lines; an inline copy often starts after one.
    std::size_t start = 0;
    while (start < text.size() && (text[start] == '\n' || text[start] == '\r' || text[start] == ' ')) ++start;
    text = text.substr(start);
    if (text.size() > 256 * 1024) text = text.substr(0, 256 * 1024);
    // A header block needs no MIME parser: "Name: value" lines and continuation lines that start
    // with white space, up to the first blank line. Values are unfolded and RFC 2047-decoded as for
    // the top level (decode_header_value).
    auto name_end = [](std::string_view line) -> std::size_t {
        std::size_t i = 0;
        while (i < line.size() && line[i] != ':' && static_cast<unsigned char>(line[i]) > 32 && static_cast<unsigned char>(line[i]) < 127) ++i;
        return i > 0 && i < line.size() && line[i] == ':' ? i : std::string_view::npos;
    };
    std::string_view name;
    std::size_t value_begin = 0, value_end = 0;
    auto flush = [&] {
        if (name.empty() || out.fields.size() >= lim.max_headers) return;
        std::string value = decode_header_value(text.substr(value_begin, value_end - value_begin));
        if (value.size() > lim.max_header_bytes) value.resize(lim.max_header_bytes);
        out.fields.push_back({std::string(name), std::move(value)});
    };
    std::size_t pos = 0;
    // An mbox "From " line before the headers is not a header.
    if (text.substr(0, 5) == "From ") {
        std::size_t eol = text.find('\n');
        pos = eol == std::string_view::npos ? text.size() : eol + 1;
    }
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        std::size_t next = eol == std::string_view::npos ? text.size() : eol + 1;
        std::string_view line = text.substr(pos, next - pos);
        std::string_view bare = line;
        while (!bare.empty() && (bare.back() == '\n' || bare.back() == '\r')) bare.remove_suffix(1);
        if (bare.empty()) break;
        if ((bare[0] == ' ' || bare[0] == '\t') && !name.empty()) {
            value_end = pos + bare.size();
        } else if (std::size_t colon = name_end(bare); colon != std::string_view::npos) {
            flush();
            name = bare.substr(0, colon);
            value_begin = pos + colon + 1;
            value_end = pos + bare.size();
        } else if (name.empty() && out.fields.empty()) {
            break;  // not a header block at all
        } else {
            // A stray line inside the block (a continuation that lost its indentation): skipped,
            // as a MIME parser would.
            flush();
            name = {};
        }
        pos = next;
    }
    flush();
    return out;
}

message_view parse(std::string_view bytes, const limits& lim) {
    init();
    message_view view;
    // GMime builds nested multiparts recursively; a mail bomb of thousands of nested multiparts
    // would exhaust the stack before the walker's depth limit is reached. Each nesting level needs
    // a boundary parameter, so the message is cut before the one that would go past the budget.
    const std::size_t boundary_budget = static_cast<std::size_t>(std::max(lim.max_mime_depth, 1)) * 8;
    std::size_t seen = 0;
    for (std::size_t p = util::ifind(bytes, "boundary"); p != std::string_view::npos; p = util::ifind(bytes, "boundary", p + 8)) {
        // boundary="x", boundary = "x", and RFC 2231 boundary*0="x" / boundary*="x".
        std::size_t q = p + 8;
        while (q < bytes.size() && (bytes[q] == ' ' || bytes[q] == '\t')) ++q;
        if (q < bytes.size() && bytes[q] == '*') {
            ++q;
            while (q < bytes.size() && (util::is_digit(bytes[q]) || bytes[q] == '*')) ++q;
        }
        while (q < bytes.size() && (bytes[q] == ' ' || bytes[q] == '\t')) ++q;
        if (q >= bytes.size() || bytes[q] != '=') continue;
        if (++seen > boundary_budget) {
            std::size_t bol = bytes.rfind('\n', p);
            bytes = bytes.substr(0, bol == std::string_view::npos ? 0 : bol + 1);
            view.warnings.push_back("more than " + std::to_string(boundary_budget) + " multipart boundaries: the rest of the message was not parsed");
            break;
        }
    }
    // GMime grows a folded header's buffer a little per continuation line (quadratic on a header of
    // a million short lines): fields of the top header block longer than the limit are cut first.
    std::string shortened;
    if (std::string cut = cut_long_fields(bytes, lim.max_header_bytes); !cut.empty()) {
        shortened = std::move(cut);
        bytes = shortened;
        view.warnings.push_back("a header field longer than " + std::to_string(lim.max_header_bytes) + " bytes was cut");
    }
    gptr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(bytes.data(), bytes.size()));
    gptr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
    g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
    gptr<GMimeMessage> msg(g_mime_parser_construct_message(parser.get(), parser_options()));
    if (!msg) {
        view.warnings.push_back("MIME parser could not read the message");
        return view;
    }
    read_header_list(g_mime_object_get_header_list(GMIME_OBJECT(msg.get())), view.headers, lim, view.warnings);
    GMimeObject* top = g_mime_message_get_mime_part(msg.get());
    if (top) {
        GMimeContentType* ct = g_mime_object_get_content_type(top);
        view.content_type = lower_type(ct);
        const char* rt = ct ? g_mime_content_type_get_parameter(ct, "report-type") : nullptr;
        if (rt) view.report_type = util::ascii_lower(rt);
    }
    walker w{lim, view, {}};
    w.walk(top, 0, false);
    if (view.texts.empty())
        for (auto& h : w.html) view.texts.push_back({"text/html", std::move(h)});
    if (view.texts.empty() && view.delivery_status.empty() && view.feedback_report.empty()) {
        // A multipart whose boundaries never occur (a broken report) or a body GMime could not
        // place: fall back to the raw body after the header block, as plain text.
        std::size_t hdr_end = bytes.find("\n\n");
        std::size_t hdr_end2 = bytes.find("\r\n\r\n");
        std::size_t cut = std::min(hdr_end, hdr_end2);
        if (cut != std::string_view::npos) {
            std::string_view raw = bytes.substr(cut, std::min(bytes.size() - cut, lim.max_text_bytes));
            const char* cs = nullptr;
            if (top) cs = g_mime_object_get_content_type_parameter(top, "charset");
            view.texts.push_back({"text/plain", to_utf8(raw, cs ? cs : "")});
            view.warnings.push_back("MIME structure unreadable: the raw body was read as text");
        }
    }
    return view;
}

}  // namespace ricochet::mime
