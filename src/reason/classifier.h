// reason/classifier: decides the reason of one failed recipient from its evidence: the enhanced
// status code, the reply code, the diagnostic text (against the pattern rows of patterns.tsv), the
// SMTP command and the action. Immutable once built; shared by all threads.
//
// Matching: an RE2::FilteredRE2 over the rows, prefiltered by the rows' literal atoms (found with
// one RE2::Set of literals on the lower-cased text), then each candidate row's own RE2 in file
// order. One RE2::Set over all rows was simpler, but its lazily built DFA kept growing on varied
// real-world text (bench/: 175 us/line and 146-267 MB after 100k distinct lines); the prefilter
// keeps the cost per line flat and the memory small.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/filtered_re2.h>
#include <re2/re2.h>
#include <re2/set.h>

namespace ricochet::reason {

struct pattern_row {
    std::string id;
    std::string reason;
    std::string pattern;
    std::string example;
    int line = 0;
};

/// Parses the TSV pattern data. Returns false and sets `error` (naming the line) on a bad row.
bool load_patterns(std::string_view tsv, std::vector<pattern_row>& rows, std::string* error);

/// The built-in pattern data (src/reason/patterns.tsv, embedded at build time).
std::string_view builtin_pattern_data() noexcept;

struct evidence {
    std::string_view diagnostic;
    std::string_view status;
    std::string_view reply_code;
    std::string_view command;
    std::string_view action;
    std::string_view diagnostic_type;  // RFC 3464 type: smtp, x-unix, ...
    std::string_view hint;       // a reason a format module already knows (provider code), or empty
    bool whole_report = false;   // the evidence comes from a whole bounce (not a bare pasted line)
    std::string_view hint_rule;  // the rule id for the hint
};

struct verdict {
    std::string reason;
    std::string rule;
    bool hard = false;
    std::string hard_signal;
};

class classifier {
public:
    static std::unique_ptr<classifier> build(std::string_view tsv, std::string* error);
    ~classifier();

    /// The first pattern row (in file order) that matches text; -1 when none.
    int match(std::string_view text) const;
    const pattern_row& row(int i) const { return rows_[static_cast<std::size_t>(i)]; }
    std::size_t size() const noexcept { return rows_.size(); }

    verdict decide(const evidence& ev) const;

private:
    classifier() = default;
    std::vector<pattern_row> rows_;
    std::unique_ptr<re2::FilteredRE2> rows_re_;
    std::unique_ptr<RE2::Set> atoms_;  // the prefilter's literal atoms; null when there are none
};

/// The reason an enhanced status code names on its own, with whether it is decisive (specific
/// enough to win over the text); empty when the code says nothing specific.
struct status_meaning {
    std::string_view reason;
    bool decisive = false;
};
status_meaning reason_of_status(std::string_view status) noexcept;

/// The diagnostic as the patterns see it: white space squeezed, repeated multi-line reply codes removed.
std::string normalize_diagnostic(std::string_view diagnostic);

}  // namespace ricochet::reason
