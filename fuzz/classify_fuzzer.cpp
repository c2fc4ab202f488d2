// Fuzz target: the explain path for a bare SMTP reply or diagnostic line, as `ricochet explain`
// runs it: analyzer::classify(text), then explain() and render_explanation() of the record built
// from the classification (the language is picked by the input's length).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ricochet/explain.h"
#include "ricochet/ricochet.h"

// A broken invariant prints what broke and aborts: libFuzzer (and the replay test) report a crash.
#define FUZZ_CHECK(cond) \
    ((cond) ? void(0) : (std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond), std::abort()))

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto an = ricochet::analyzer::create();
    FUZZ_CHECK(an != nullptr);
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const ricochet::classification c = an->classify(text);
    FUZZ_CHECK(!c.reason.empty() && !c.category.empty());
    FUZZ_CHECK(c.rule != "internal-error");
    ricochet::record r;
    r.recipient = c.recipient;
    r.reason = c.reason;
    r.category = c.category;
    r.hard = c.hard;
    r.status = c.status;
    r.reply_code = c.reply_code;
    r.smtp_command = c.smtp_command;
    r.rule = c.rule;
    r.diagnostic = std::string(text.substr(0, 4096));
    const auto lang = static_cast<ricochet::language>(size % 3);
    const ricochet::explanation e = ricochet::explain(r, lang);
    FUZZ_CHECK(!ricochet::render_explanation(e, lang).empty());
    return 0;
}
