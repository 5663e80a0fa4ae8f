// The time the store records things at: UTC text, "2026-12-06T09:30:00Z".
#pragma once

#include "text/utc_text.hpp"

#include <chrono>
#include <string>

namespace tractus::records {

inline std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  return text::utc_timestamp(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
}

} // namespace tractus::records
