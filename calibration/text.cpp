#include "calibration/text.hpp"

#include "text/number_text.hpp"

namespace tractus::calibration {

std::string newtons_text(double value_n, int max_decimals) {
  return text::format_number(value_n, max_decimals) + " N";
}

std::string percent_text(double value_pct) { return text::format_number(value_pct, 3) + " %"; }

} // namespace tractus::calibration
