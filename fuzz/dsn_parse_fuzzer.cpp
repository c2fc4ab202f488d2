// Fuzz target: the RFC 3464 delivery-status field parser, dsn::parse(text, limits),
// dsn::find_inline (the fields inside a text body) and dsn::typed_value. Small limits so that the fuzzer can reach them: the recipient and diagnostic
// caps must hold whatever the text.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "dsn/fields.h"

// A broken invariant prints what broke and aborts: libFuzzer (and the replay test) report a crash.
#define FUZZ_CHECK(cond) \
    ((cond) ? void(0) : (std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond), std::abort()))

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const ricochet::limits lim = [] {
        ricochet::limits l;
        l.max_recipients = 8;
        l.max_diagnostic_bytes = 64;
        return l;
    }();
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const ricochet::dsn::report r = ricochet::dsn::parse(text, lim);
    FUZZ_CHECK(r.recipients.size() <= lim.max_recipients);
    for (const auto& rcpt : r.recipients) FUZZ_CHECK(rcpt.diagnostic.size() <= lim.max_diagnostic_bytes);
    // The inline fields are a part of the text that starts at a field line.
    const std::string_view in = ricochet::dsn::find_inline(text);
    if (!in.empty()) {
        FUZZ_CHECK(in.data() >= text.data() && in.data() + in.size() <= text.data() + text.size());
        FUZZ_CHECK(in.size() >= 14);
        FUZZ_CHECK(ricochet::dsn::parse(in, lim).recipients.size() <= lim.max_recipients);
    }
    std::string type;
    const std::string_view value = ricochet::dsn::typed_value(text, &type);
    FUZZ_CHECK(value.size() <= text.size());
    return 0;
}
