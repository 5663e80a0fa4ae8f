#include "calibration/reading.hpp"

#include "calibration/text.hpp"
#include "text/number_text.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tractus::calibration {

WindowStats window_stats(std::span<const double> counts) {
  WindowStats s;
  const auto n = static_cast<double>(counts.size());
  if (counts.empty()) return s;
  for (const double c : counts)
    s.mean += c;
  s.mean /= n;
  const double centre = 0.5 * (n - 1.0);
  double var = 0.0, sxy = 0.0, sxx = 0.0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double d = counts[i] - s.mean;
    const double x = static_cast<double>(i) - centre;
    var += d * d;
    sxy += x * d;
    sxx += x * x;
  }
  s.sigma = counts.size() > 1 ? std::sqrt(var / (n - 1.0)) : 0.0;
  s.trend = sxx > 0.0 ? sxy / sxx * (n - 1.0) : 0.0;
  return s;
}

StableReading read_stable(hal::LoadCell &cell, const std::function<void()> &wait_one_period,
                          Duration period, const StabilityCriteria &criteria) {
  StableReading out;
  const double to_n = 1.0 / std::abs(criteria.counts_per_newton);
  const double max_sigma = criteria.max_sigma.si() * std::abs(criteria.counts_per_newton);
  const double max_trend = criteria.max_trend.si() * std::abs(criteria.counts_per_newton);
  const auto periods = static_cast<std::uint64_t>(std::ceil(criteria.timeout / period));
  // A transmitter converts at least every 10 ms; 100 periods without a new conversion at 1 kHz
  // is a hung one (the controller's stale monitor uses the same idea).
  constexpr std::uint64_t kStalePeriods = 100;
  const std::uint32_t check_every = std::max<std::uint32_t>(1U, criteria.window / 10U);

  std::vector<double> ring(criteria.window);
  std::uint32_t filled = 0, next = 0, since_check = 0;
  std::vector<double> ordered(criteria.window);
  bool have_counter = false;
  std::uint16_t last_counter = 0;
  std::uint64_t unchanged = 0;
  WindowStats last{};
  for (std::uint64_t i = 0; i < periods; ++i) {
    wait_one_period();
    const hal::LoadCellSample s = cell.read();
    if (s.io != hal::IoStatus::Ok) {
      out.why = std::string("the load cell does not answer (") + to_string(s.io) + ")";
      return out;
    }
    if (s.status.excitation_fault || !s.status.adc_ok) {
      out.why = "the transmitter reports a fault (excitation or ADC): check the cable";
      return out;
    }
    if (s.status.overload) {
      out.why = "the transmitter reports an overload: remove the load";
      return out;
    }
    if (have_counter && s.sample_counter == last_counter) {
      if (++unchanged >= kStalePeriods) {
        out.why = "the transmitter's sample counter stopped: it is not converting";
        return out;
      }
      continue;
    }
    have_counter = true;
    last_counter = s.sample_counter;
    unchanged = 0;
    ring[next] = static_cast<double>(s.raw_counts);
    next = (next + 1) % criteria.window;
    if (filled < criteria.window) ++filled;
    if (filled < criteria.window || ++since_check < check_every) continue;
    since_check = 0;
    for (std::uint32_t k = 0; k < criteria.window; ++k)
      ordered[k] = ring[(next + k) % criteria.window]; // oldest first, for the trend
    last = window_stats(ordered);
    if (last.sigma <= max_sigma && std::abs(last.trend) <= max_trend) {
      out.stable = true;
      out.mean_counts = last.mean;
      out.sigma_counts = last.sigma;
      out.trend_counts = last.trend;
      out.samples = criteria.window;
      return out;
    }
  }
  out.sigma_counts = last.sigma;
  out.trend_counts = last.trend;
  out.why = "the reading did not settle within " + text::format_number(criteria.timeout.si(), 1) +
            " s (spread " + newtons_text(last.sigma * to_n, 2) + ", allowed " +
            newtons_text(criteria.max_sigma.si(), 2) + "; drift " +
            newtons_text(std::abs(last.trend) * to_n, 2) + ", allowed " +
            newtons_text(criteria.max_trend.si(), 2) + ")";
  return out;
}

} // namespace tractus::calibration
