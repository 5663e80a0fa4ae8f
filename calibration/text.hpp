// Text of the calibration files as a technician reads them: forces, percentages of full scale.
// Numbers and UTC dates in general are text/ (text/number_text.hpp, text/utc_text.hpp).
#pragma once

#include <string>

namespace tractus::calibration {

// "200 N", "222.4 N" (one decimal at most unless asked for more).
std::string newtons_text(double value_n, int max_decimals = 1);
// "0.043 %" style percentages of full scale: three decimals, trailing zeros dropped.
std::string percent_text(double value_pct);

} // namespace tractus::calibration
