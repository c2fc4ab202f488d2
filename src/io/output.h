// io/output: record serialisation for the command line: JSON objects, CSV rows, text table rows.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "ricochet/explain.h"
#include "ricochet/ricochet.h"

namespace ricochet::io {

struct output_options {
    bool explain = false;  // add the explanation object
    bool why = false;      // add the evidence object
    language lang = language::en;
};

nlohmann::json to_json(const record& r, std::string_view source, const output_options& o);

/// The CSV header line and one CSV row (RFC 4180 quoting).
std::string csv_header();
std::string csv_row(const record& r, std::string_view source);

/// One human-readable block for a record (text format).
std::string text_block(const record& r, std::string_view source, const output_options& o);

}  // namespace ricochet::io
