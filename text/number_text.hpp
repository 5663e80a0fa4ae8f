// Numbers as people read them, for every module's messages, summaries and records.
#pragma once

#include <string>

namespace tractus::text {

// Fixed-point with at most `max_decimals` decimals, trailing zeros dropped, never "-0":
// 222.40 -> "222.4", 200.0 -> "200", -0.01 at 1 decimal -> "0".
std::string format_number(double value, int max_decimals);

} // namespace tractus::text
