// Fuzz target: the mbox splitter, io::split_mbox(data) and io::looks_like_mbox(data). Splitting
// only removes bytes ("From " separator lines, the blank line before them, one ">" of a quoted
// ">From "), so the messages together are never longer than the input.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "io/reader.h"

// A broken invariant prints what broke and aborts: libFuzzer (and the replay test) report a crash.
#define FUZZ_CHECK(cond) \
    ((cond) ? void(0) : (std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond), std::abort()))

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view mbox(reinterpret_cast<const char*>(data), size);
    (void)ricochet::io::looks_like_mbox(mbox);
    const std::vector<std::string> messages = ricochet::io::split_mbox(mbox);
    std::size_t total = 0;
    for (const auto& m : messages) total += m.size();
    FUZZ_CHECK(total <= size);
    return 0;
}
