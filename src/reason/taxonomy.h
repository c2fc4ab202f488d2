// reason/taxonomy: the reason and category names (docs/reasons.md) and the facts that hang off
// each reason: its category and whether it is usually permanent.
#pragma once

#include <string_view>

namespace ricochet::reason {

struct reason_info {
    std::string_view name;
    std::string_view category;
    bool usually_hard;     // the usual verdict for a 5xx of this reason
    bool is_failure;       // false for delivered, feedback, vacation
    std::string_view implied_status;  // the status this reason usually carries
};

/// Info of a reason; nullptr when the name is not in the taxonomy.
const reason_info* find(std::string_view name) noexcept;

}  // namespace ricochet::reason
