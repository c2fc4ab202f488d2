// bench/patternset: why the pattern set is an RE2::Set and not a Hyperscan database. Compiles
// src/reason/patterns.tsv with both and matches a file of diagnostic lines (one per line) several
// times: compile time, the first pass (RE2 builds its DFA lazily), and warm passes.
//
//   build/release/bench/patternset src/reason/patterns.tsv diagnostics.txt
#include <hs/hs.h>
#include <re2/re2.h>
#include <re2/set.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;
double ms_since(clock_type::time_point t) { return std::chrono::duration<double, std::milli>(clock_type::now() - t).count(); }

std::vector<std::string> patterns_of(const char* path) {
    std::ifstream in(path);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        std::stringstream ss(line);
        for (std::string c; std::getline(ss, c, '\t');) cols.push_back(c);
        if (cols.size() == 4) out.push_back(cols[2]);
    }
    return out;
}

int on_match(unsigned int id, unsigned long long, unsigned long long, unsigned int, void* ctx) {
    auto* best = static_cast<unsigned*>(ctx);
    if (id < *best) *best = id;
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: patternset PATTERNS.tsv DIAGNOSTICS.txt\n");
        return 2;
    }
    auto pats = patterns_of(argv[1]);
    std::vector<std::string> texts;
    {
        std::ifstream in(argv[2]);
        for (std::string l; std::getline(in, l);) texts.push_back(l);
    }
    std::printf("%zu patterns, %zu texts\n", pats.size(), texts.size());

    auto t = clock_type::now();
    RE2::Options o;
    o.set_case_sensitive(false);
    o.set_max_mem(256 << 20);
    RE2::Set set(o, RE2::UNANCHORED);
    for (const auto& p : pats) set.Add(p, nullptr);
    set.Compile();
    std::printf("re2::Set    compile %8.1f ms\n", ms_since(t));
    std::vector<int> hits;
    for (int pass = 0; pass < 3; ++pass) {
        t = clock_type::now();
        int n = 0;
        for (const auto& s : texts) n += set.Match(s, &hits);
        std::printf("re2::Set    pass %d  %8.2f ms  (%d matched)\n", pass, ms_since(t), n);
    }

    std::vector<const char*> ps;
    std::vector<unsigned> flags, ids;
    for (std::size_t i = 0; i < pats.size(); ++i) {
        ps.push_back(pats[i].c_str());
        flags.push_back(HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH | HS_FLAG_ALLOWEMPTY);
        ids.push_back(static_cast<unsigned>(i));
    }
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    t = clock_type::now();
    if (hs_compile_multi(ps.data(), flags.data(), ids.data(), static_cast<unsigned>(ps.size()), HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
        std::printf("hyperscan   cannot compile: %s (pattern %d)\n", err->message, err->expression);
        hs_free_compile_error(err);
        return 0;
    }
    std::printf("hyperscan   compile %8.1f ms\n", ms_since(t));
    hs_scratch_t* scratch = nullptr;
    hs_alloc_scratch(db, &scratch);
    for (int pass = 0; pass < 3; ++pass) {
        t = clock_type::now();
        int n = 0;
        for (const auto& s : texts) {
            unsigned best = ~0u;
            hs_scan(db, s.data(), static_cast<unsigned>(s.size()), 0, scratch, on_match, &best);
            n += best != ~0u;
        }
        std::printf("hyperscan   pass %d  %8.2f ms  (%d matched)\n", pass, ms_since(t), n);
    }
    hs_free_scratch(scratch);
    hs_free_database(db);
    return 0;
}
