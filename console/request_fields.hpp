// Every field of every request the API takes, with its bounds (docs/console.md, "Request
// fields"). A body is checked here before anything acts on it: unknown members, JSON types,
// numbers in range, strings within their length and characters, arrays within their count.
// The check costs what the body's size costs (bodies are at most 16 KiB), never what a value
// asks for: `"cycles": 1000000000` is refused as a number, not planned as a billion steps.
//
// Each problem reads "/json/pointer: what is wrong (what is allowed)". A value too long to
// read is described (its length), never echoed; a PIN is never echoed at all.
//
// Pure functions: the route table (api_routes.cpp) runs the one for its route before the
// handler, the handlers' own checks (session_request.cpp, calibration_wizard.cpp) start with
// it, and the fuzz target runs them on anything.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace tractus::console {

// The bounds, in one place; docs/console.md's table states the same figures.
namespace bounds {
// A load stated to the calibration wizard or the verification: far above any cell on an
// 890 N table; the cell's own capacity is checked once the table is open.
inline constexpr double kMaxLoadN = 5000.0;
inline constexpr int kMinCycles = 2; // repeatability needs two cycles (calibration::check_plan)
inline constexpr int kMaxCycles = 10;
inline constexpr std::size_t kMinLoads = 5; // zero, span and 3 between (calibration::check_plan)
inline constexpr std::size_t kMaxLoads = 25;
inline constexpr std::size_t kMaxTechnicianChars = 64;
inline constexpr std::size_t kMaxSerialChars = 32;
inline constexpr std::size_t kMaxProfileIdChars = 64;
inline constexpr std::size_t kMaxPatientIdChars = 32;
inline constexpr std::size_t kMaxWeightChars = 32; // "176.5 lb" and then some
inline constexpr std::size_t kMaxPinDigits = 12;
inline constexpr std::size_t kMinPinDigits = 4;
inline constexpr std::size_t kMaxPathParamChars = 64; // {id} in a path
// Answers in a screening: the checklist has 16 items; room for a page a few items ahead.
inline constexpr std::size_t kMaxScreeningAnswers = 64;
inline constexpr std::size_t kMaxQueryValueChars = 32; // ?weight=
// Past this many, problems are counted rather than listed: an answer stays small.
inline constexpr std::size_t kMaxListedProblems = 20;
} // namespace bounds

using Problems = std::vector<std::string>;

// POST /api/login {"role","pin"}. A PIN of the wrong form is a problem here, so it never
// reaches the PIN check and never costs a lockout attempt.
Problems login_request_problems(const nlohmann::json &body);
// POST /api/session {"profile","patient":{"id","weight"},"screening":{"answers","confirmed"},
// "visit_id"?}:
// the shape and bounds; whether the profile exists and suits the patient is session_request's.
Problems session_request_problems(const nlohmann::json &body);
// POST /api/tech/calibration/begin {"technician","serial","loads_N","cycles","min_span_N",
// "valid_months"}.
Problems calibration_begin_problems(const nlohmann::json &body);
// POST /api/tech/calibration/reading {"load_N"}.
Problems calibration_reading_problems(const nlohmann::json &body);
// POST /api/tech/verification {"load_N","technician"}.
Problems verification_problems(const nlohmann::json &body);

// A text to quote in a problem: itself when short and printable ASCII, else a description
// ("a text of 10000 characters") so that no answer grows with what a client sent.
std::string quoted_excerpt(std::string_view text);

// At most bounds::kMaxListedProblems of `problems`, then "… and N more problems".
Problems capped(Problems problems);

} // namespace tractus::console
