// Register maps for other vendors' devices, from a JSON file (docs/register-map.md,
// docs/examples/register-map-delta-laumas.json):
//
//   { "format": "tractus.register-map/1", "name": "...",
//     "load_cell": {...}, "drive": {...}, "safety_io": {...} }
//
// A device section that is left out keeps tractus's default map (hal/register_map.hpp); a
// section that is given must be complete, so a forgotten register never silently takes
// tractus's address. Unknown keys are errors (a typo must never fall back to a default), and
// every problem is reported at once as `FILE: /json/pointer: what is wrong (what is allowed)`.
// Start-up only: may allocate and throw std::bad_alloc, nothing else.
#pragma once

#include "hal/register_map.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::hal::modbus {

struct MapParse {
  std::optional<regmap::RegisterMap> map;
  std::string name;                // the file's "name", for the journal
  std::vector<std::string> errors; // every problem; map is empty when there are any
  explicit operator bool() const { return map.has_value(); }
};

// `origin` names the text in messages (usually the file's path).
MapParse parse_register_map(std::string_view json_text, const std::string &origin);
MapParse load_register_map(const std::filesystem::path &file);

// Structural rules every map keeps, whatever its source: distinct unit ids 1–247, bits 0–15 and
// distinct within a register, positive scales, registers that do not overlap, each cycle's
// registers within one span of at most 32, and the drive's command registers contiguous
// (function 23 writes them as one block). Messages start with the JSON pointer of the culprit.
std::vector<std::string> check_register_map(const regmap::RegisterMap &map);

} // namespace tractus::hal::modbus
