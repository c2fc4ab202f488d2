// io/reader: turns the command line's PATHs into a stream of messages. A PATH is a message file, a
// directory (read recursively in name order; a Maildir's cur/ and new/ are ordinary folders here),
// an mbox file (split on "From " lines that follow a blank line, ">From " unescaped), or "-" for
// standard input (itself a message or an mbox). Reading is streaming: an mbox of any size is held
// one message at a time.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ricochet::io {

struct message {
    std::string source;  // path, or path#N for the N-th message of an mbox (1-based)
    std::string bytes;
    std::string error;   // non-empty when the input could not be read (bytes then empty)
    bool truncated = false;  // the message was longer than the size limit: `bytes` holds its start
};

/// Calls `sink` for every message of every path, in order; stops early when `sink` returns false.
/// `max_bytes` caps one message (the rest of an oversized message is skipped, with a note in
/// `error` left empty and the bytes cut). Returns false when some path could not be read (each
/// such path also reaches `sink` as a message with `error` set).
bool read_paths(const std::vector<std::string>& paths, std::size_t max_bytes,
                const std::function<bool(message&&)>& sink);

/// Splits an mbox held in memory into messages (used by tests and the fuzzer).
std::vector<std::string> split_mbox(std::string_view data);

/// True when data looks like an mbox ("From " line followed by header lines).
bool looks_like_mbox(std::string_view data) noexcept;

}  // namespace ricochet::io
