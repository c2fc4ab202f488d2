// Fuzz target: whole-message analysis, analyzer::analyze(bytes), then what the CLI does with the
// answer: the JSON record (with explanation and evidence) and the CSV row. Checks the API's
// promises: no internal error (a caught exception is a bug), records only for a bounce, the
// recipient and diagnostic limits hold. The limits are small so that inputs of a few KB reach them.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "io/output.h"
#include "ricochet/ricochet.h"

// A broken invariant prints what broke and aborts: libFuzzer (and the replay test) report a crash.
#define FUZZ_CHECK(cond) \
    ((cond) ? void(0) : (std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond), std::abort()))

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto an = [] {
        ricochet::options o;
        o.limit.max_mime_depth = 6;
        o.limit.max_headers = 40;
        o.limit.max_header_bytes = 512;
        o.limit.max_recipients = 5;
        o.limit.max_diagnostic_bytes = 200;
        o.limit.max_text_bytes = 2048;
        return ricochet::analyzer::create(o);
    }();
    FUZZ_CHECK(an != nullptr);
    const ricochet::limits& lim = an->settings().limit;
    const ricochet::analysis a = an->analyze(std::string_view(reinterpret_cast<const char*>(data), size));
    if (a.error == ricochet::error_code::internal) std::fprintf(stderr, "internal error: %s\n", a.error_message.c_str());
    FUZZ_CHECK(a.error != ricochet::error_code::internal);
    FUZZ_CHECK(a.error == ricochet::error_code::ok || a.records.empty());
    FUZZ_CHECK(a.records.size() <= lim.max_recipients);
    ricochet::io::output_options o;
    o.explain = true;
    o.why = true;
    o.lang = static_cast<ricochet::language>(size % 3);
    for (const ricochet::record& r : a.records) {
        FUZZ_CHECK(r.diagnostic.size() <= lim.max_diagnostic_bytes);
        FUZZ_CHECK(!r.reason.empty() && !r.category.empty());
        std::string json = ricochet::io::to_json(r, "fuzz", o).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        FUZZ_CHECK(!json.empty());
        FUZZ_CHECK(!ricochet::io::csv_row(r, "fuzz").empty());
    }
    return 0;
}
