// replay_main: a main() for a libFuzzer target without libFuzzer, so that every build (g++ too)
// runs the seed corpus, regression inputs included, through LLVMFuzzerTestOneInput under ctest.
//
//   fuzz_replay_<target> PATH...   a PATH is a file or a directory (read recursively, name order)
//
// Each input is copied into a heap buffer of exactly its size, so that a read past the end is
// seen by AddressSanitizer. Exit status: 0 when every input ran, 1 when a PATH is missing or no
// input was found (a crash in the target aborts the process).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

bool collect(const fs::path& p, std::vector<fs::path>& out) {
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
        out.push_back(p);
        return true;
    }
    if (!fs::is_directory(p, ec)) {
        std::fprintf(stderr, "replay: %s: no such file or directory\n", p.c_str());
        return false;
    }
    std::vector<fs::path> found;
    for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec)) found.push_back(it->path());
    if (ec) {
        std::fprintf(stderr, "replay: %s: %s\n", p.c_str(), ec.message().c_str());
        return false;
    }
    std::sort(found.begin(), found.end());
    out.insert(out.end(), found.begin(), found.end());
    return true;
}

bool read_file(const fs::path& p, std::string& out) {
    std::FILE* f = std::fopen(p.c_str(), "rb");
    if (!f) return false;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    const bool ok = !std::ferror(f);
    std::fclose(f);
    return ok;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<fs::path> inputs;
    bool ok = true;
    for (int i = 1; i < argc; ++i) ok &= collect(argv[i], inputs);
    if (!ok) return 1;
    if (inputs.empty()) {
        std::fprintf(stderr, "replay: no inputs (usage: %s FILE|DIR...)\n", argc > 0 ? argv[0] : "replay");
        return 1;
    }
    double slowest = 0;
    std::string slowest_name;
    for (const auto& p : inputs) {
        std::string bytes;
        if (!read_file(p, bytes)) {
            std::fprintf(stderr, "replay: %s: cannot read\n", p.c_str());
            return 1;
        }
        const std::size_t n = bytes.size();
        auto buf = std::make_unique<std::uint8_t[]>(n ? n : 1);
        if (n) std::memcpy(buf.get(), bytes.data(), n);
        std::fprintf(stderr, "replay: %s (%zu bytes)\n", p.c_str(), n);
        const auto t0 = std::chrono::steady_clock::now();
        LLVMFuzzerTestOneInput(buf.get(), n);
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        if (secs > slowest) {
            slowest = secs;
            slowest_name = p.string();
        }
    }
    std::printf("replayed %zu inputs; slowest %.3f s (%s)\n", inputs.size(), slowest, slowest_name.c_str());
    return 0;
}
