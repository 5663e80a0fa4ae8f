// A stable reading of the load cell: what a technician's "wait until the display settles" means,
// made exact so every calibration point is taken the same way.
//
// Stable = over a window of consecutive fresh conversions (the sample counter moved), the
// standard deviation is below max_sigma and there is no trend: the least-squares slope times
// the window length is below max_trend. A swinging hanger fails the first test, a creeping or
// still-settling weight the second. The reading is the mean of that window. Nothing else
// (overload, a transmitter fault, no answer, a frozen counter) ever counts as stable.
//
// Runs outside the control loop (calibration only), so it may allocate and block; the caller
// supplies `wait_one_period` — the simulator advances virtual time, hardware sleeps.
#pragma once

#include "hal/hal.hpp"

#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace tractus::calibration {

struct StabilityCriteria {
  std::uint32_t window = 500;       // conversions averaged: 0.5 s at 1 kHz
  Force max_sigma = newtons(0.5);   // twice the filtered noise of a good transmitter
  Force max_trend = newtons(0.25);  // change across the window: a quarter of the 0.1 % limit
  Duration timeout = seconds(20);   // long enough for a hanger to stop swinging
  double counts_per_newton = 100.0; // nominal sensitivity, to compare counts with the above
};

struct WindowStats {
  double mean = 0.0, sigma = 0.0, trend = 0.0; // counts; trend = slope × (window − 1)
};
WindowStats window_stats(std::span<const double> counts);

struct StableReading {
  bool stable = false;
  double mean_counts = 0.0;
  double sigma_counts = 0.0;
  double trend_counts = 0.0;
  std::uint32_t samples = 0;
  std::string why; // when not stable, what was wrong, e.g. "did not settle within 20 s (...)"
};

StableReading read_stable(hal::LoadCell &cell, const std::function<void()> &wait_one_period,
                          Duration period, const StabilityCriteria &criteria);

} // namespace tractus::calibration
