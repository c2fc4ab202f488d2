#include "io/reader.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "util/text.h"

namespace ricochet::io {
namespace fs = std::filesystem;

bool looks_like_mbox(std::string_view d) noexcept {
    if (d.substr(0, 5) != "From ") return false;
    std::size_t eol = d.find('\n');
    if (eol == std::string_view::npos) return false;
    std::string_view next = d.substr(eol + 1, 200);
    std::size_t colon = next.find(':');
    std::size_t nl = next.find('\n');
    return colon != std::string_view::npos && colon < nl && colon > 0 && next[0] != ' ';
}

namespace {

// Reads lines from a FILE*, assembling mbox messages; `first` holds bytes already read.
class mbox_splitter {
public:
    // `strict`: a "From " line separates messages only when a header line follows it (a file
    // named as one message, ".eml", whose body may hold unquoted "From " lines).
    mbox_splitter(std::string source, std::size_t max_bytes, const std::function<bool(message&&)>& sink, bool strict = false)
        : source_(std::move(source)), max_(max_bytes), sink_(sink), strict_(strict) {}

    // Feeds one line (with its terminator). Returns false when the sink asked to stop.
    bool line(std::string_view l) {
        if (!held_from_.empty()) {
            std::string from = std::move(held_from_);
            held_from_.clear();
            if (header_like(l) && message_complete()) {
                if (!flush()) return false;
            } else {
                append(from);  // a body line that happens to start with "From "
            }
        }
        bool from_line = l.substr(0, 5) == "From " && (prev_blank_ || (count_ == 0 && cur_.empty()));
        if (from_line && strict_ && !(count_ == 0 && cur_.empty())) {
            held_from_.assign(l);
            prev_blank_ = false;
            return true;
        }
        if (from_line) {
            if (!flush()) return false;
            prev_blank_ = false;
            return true;
        }
        prev_blank_ = (l == "\n" || l == "\r\n");
        // ">From " quoting (mboxrd / mboxo): remove one ">".
        if (l.size() > 5 && l[0] == '>') {
            std::size_t k = l.find_first_not_of('>');
            if (k != std::string_view::npos && l.substr(k, 5) == "From ") l.remove_prefix(1);
        }
        append(l);
        return true;
    }

    // "Name: value" with no space in the name.
    static bool header_like(std::string_view l) {
        std::size_t colon = l.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon > 76) return false;
        for (std::size_t i = 0; i < colon; ++i)
            if (l[i] <= ' ' || l[i] > '~') return false;
        return true;
    }

    // Whether the message read so far has ended, so that a "From " line after it can start the
    // next one rather than be a message quoted inside it ("bounced E-Mail:" then an mbox copy):
    // a multipart message once its closing boundary is seen; another when the last line before
    // the blank is not an introduction (ending in ':') or a copy marker.
    bool message_complete() const {
        std::string_view m = cur_;
        std::size_t end_of_headers = m.find("\n\n");
        if (end_of_headers == std::string_view::npos) end_of_headers = m.find("\n\r\n");
        std::string_view headers = m.substr(0, end_of_headers == std::string_view::npos ? m.size() : end_of_headers);
        std::size_t b = util::ifind(headers, "boundary=");
        if (b != std::string_view::npos) {
            std::string_view v = headers.substr(b + 9);
            if (!v.empty() && v.front() == '"') v.remove_prefix(1);
            std::size_t e = v.find_first_of("\";\r\n");
            std::string close = "--" + std::string(v.substr(0, e)) + "--";
            return m.find(close) != std::string_view::npos;
        }
        std::size_t last = m.find_last_not_of(" \t\r\n");
        if (last == std::string_view::npos) return true;
        std::size_t bol = m.rfind('\n', last);
        std::string_view line = util::trim(m.substr(bol == std::string_view::npos ? 0 : bol + 1, last + 1 - (bol == std::string_view::npos ? 0 : bol + 1)));
        if (!line.empty() && line.back() == ':') return false;
        for (std::string_view w : {"original message", "copy of", "follows", "below this line", "forwarded message", "bounced"})
            if (util::icontains(line, w)) return false;
        return true;
    }

    void append(std::string_view l) {
        if (cur_.size() + l.size() <= max_) cur_.append(l);
        else cut_ = true;
    }

    // The first message is held back until a second one appears: a file holding a single message
    // behind a "From " line is reported under its plain path.
    bool finish() {
        if (!held_from_.empty()) {
            append(held_from_);
            held_from_.clear();
        }
        if (!flush()) return false;
        if (held_) {
            held_ = false;
            if (count_ == 1) held_msg_.source = source_;
            return sink_(std::move(held_msg_));
        }
        return true;
    }

    bool flush() {
        if (cur_.empty() && !cut_) return true;
        ++count_;
        message m;
        m.source = source_ + "#" + std::to_string(count_);
        // The blank line before the next "From " belongs to the separator.
        if (cur_.size() >= 1 && cur_.back() == '\n') {
            std::size_t n = cur_.size();
            if (n >= 2 && cur_[n - 2] == '\n') cur_.pop_back();
            else if (n >= 3 && cur_[n - 2] == '\r' && cur_[n - 3] == '\n') cur_.resize(n - 2);
        }
        m.bytes = std::move(cur_);
        m.truncated = cut_;
        cur_.clear();
        cut_ = false;
        if (count_ == 1) {
            held_ = true;
            held_msg_ = std::move(m);
            return true;
        }
        if (held_) {
            held_ = false;
            if (!sink_(std::move(held_msg_))) return false;
        }
        return sink_(std::move(m));
    }

private:
    std::string source_;
    std::size_t max_;
    const std::function<bool(message&&)>& sink_;
    std::string cur_;
    bool strict_ = false;
    std::string held_from_;  // a "From " line waiting for the next line to tell what it is
    std::size_t count_ = 0;
    bool prev_blank_ = false;
    bool cut_ = false;
    bool held_ = false;
    message held_msg_;
};

// `single`: the file is named as one message (".eml"): a leading mbox envelope line is dropped, and it
// is split into several only where a "From " line after a blank line is followed by a header line.
bool read_stream(std::FILE* f, const std::string& source, std::size_t max_bytes, const std::function<bool(message&&)>& sink,
                 bool& stop, bool single = false) {
    // Read the head to decide between a single message and an mbox.
    std::string head(4096, '\0');
    std::size_t got = std::fread(head.data(), 1, head.size(), f);
    head.resize(got);
    // A file named as one message (".eml") that starts with an mbox envelope line may still be an
    // mbox export: it is split only where a "From " line is followed by a header line.
    bool mbox = looks_like_mbox(head);
    if (!mbox) {
        std::string bytes = std::move(head);
        char buf[65536];
        std::size_t n;
        bool cut = false;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
            if (bytes.size() + n > max_bytes) {
                bytes.append(buf, std::min(n, max_bytes - std::min(max_bytes, bytes.size())));
                cut = true;
                // Keep reading to the end so that a pipe writer is not blocked; discard the rest.
                while (std::fread(buf, 1, sizeof buf, f) > 0) {
                }
                break;
            }
            bytes.append(buf, n);
        }
        bool ok = !std::ferror(f);
        message m{source, std::move(bytes), ok ? "" : std::string("read error: ") + std::strerror(errno), cut};
        if (!sink(std::move(m))) stop = true;
        return ok;
    }
    mbox_splitter split(source, max_bytes, sink, single);
    std::string pending = std::move(head);
    char buf[65536];
    bool eof = false;
    while (!stop) {
        std::size_t start = 0;
        for (;;) {
            std::size_t nl = pending.find('\n', start);
            if (nl == std::string::npos) break;
            if (!split.line(std::string_view(pending).substr(start, nl + 1 - start))) {
                stop = true;
                break;
            }
            start = nl + 1;
        }
        pending.erase(0, start);
        if (stop) break;
        if (eof) {
            if (!pending.empty() && !split.line(pending)) stop = true;
            break;
        }
        std::size_t n = std::fread(buf, 1, sizeof buf, f);
        if (n == 0) eof = true;
        else pending.append(buf, n);
        // A single line longer than the message cap is fed in pieces.
        if (pending.size() > max_bytes && pending.find('\n') == std::string::npos) {
            if (!split.line(pending)) stop = true;
            pending.clear();
        }
    }
    if (!stop && !split.finish()) stop = true;
    return !std::ferror(f);
}

bool read_file(const fs::path& p, std::size_t max_bytes, const std::function<bool(message&&)>& sink, bool& stop) {
    std::FILE* f = std::fopen(p.c_str(), "rb");
    if (!f) {
        message m{p.string(), {}, std::string("cannot open: ") + std::strerror(errno)};
        if (!sink(std::move(m))) stop = true;
        return false;
    }
    bool ok = read_stream(f, p.string(), max_bytes, sink, stop, util::iequals(p.extension().string(), ".eml"));
    std::fclose(f);
    return ok;
}

}  // namespace

bool read_paths(const std::vector<std::string>& paths, std::size_t max_bytes, const std::function<bool(message&&)>& sink) {
    bool all_ok = true;
    bool stop = false;
    for (const auto& path : paths) {
        if (stop) break;
        if (path == "-") {
            all_ok &= read_stream(stdin, "-", max_bytes, sink, stop);
            continue;
        }
        std::error_code ec;
        fs::file_status st = fs::status(path, ec);
        if (ec || !fs::exists(st)) {
            message m{path, {}, "no such file or directory"};
            if (!sink(std::move(m))) stop = true;
            all_ok = false;
            continue;
        }
        if (fs::is_directory(st)) {
            std::vector<fs::path> files;
            for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
                 !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
                std::error_code e2;
                if (it->is_regular_file(e2)) files.push_back(it->path());
            }
            if (ec) {
                message m{path, {}, "cannot read directory: " + ec.message()};
                if (!sink(std::move(m))) stop = true;
                all_ok = false;
            }
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                if (stop) break;
                all_ok &= read_file(f, max_bytes, sink, stop);
            }
            continue;
        }
        all_ok &= read_file(path, max_bytes, sink, stop);
    }
    return all_ok;
}

std::vector<std::string> split_mbox(std::string_view data) {
    std::vector<std::string> out;
    std::function<bool(message&&)> sink = [&](message&& m) {
        out.push_back(std::move(m.bytes));
        return true;
    };
    mbox_splitter split("mbox", static_cast<std::size_t>(-1), sink);
    std::size_t start = 0;
    while (start < data.size()) {
        std::size_t nl = data.find('\n', start);
        std::size_t end = nl == std::string_view::npos ? data.size() : nl + 1;
        split.line(data.substr(start, end - start));
        start = end;
    }
    split.finish();
    return out;
}

}  // namespace ricochet::io
