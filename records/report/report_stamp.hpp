// What a report says of its own making. Passed in, never read from a clock or the build, so the
// same records give the same report (and a test can say what it holds).
#pragma once

#include <string>

namespace tractus::records::report {

struct ReportStamp {
  std::string version;       // tractus's, as TRACTUS_VERSION: "0.1.0"
  std::string generated_utc; // "2026-12-06T12:00:00Z"
};

} // namespace tractus::records::report
