#include <algorithm>
#include <vector>

#include "mta/format.h"

namespace ricochet::mta {

std::span<const format* const> all_formats() {
    static const std::vector<const format*> sorted = [] {
        auto list = all_formats_unsorted();
        std::vector<const format*> v(list.begin(), list.end());
        std::stable_sort(v.begin(), v.end(), [](const format* a, const format* b) {
            return a->order != b->order ? a->order < b->order : a->name < b->name;
        });
        return v;
    }();
    return sorted;
}

}  // namespace ricochet::mta
