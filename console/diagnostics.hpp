// What the technician's diagnostics page shows (GET /api/tech/diagnostics): the devices'
// readings as the controller sees them, and the control loop's timing.
#pragma once

#include "controller/lateness_histogram.hpp"
#include "controller/readings.hpp"
#include "hal/hal.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace tractus::console {

// Reads every device once with the drive commanded disabled (between sessions only: the caller
// holds the table's lease and no loop runs on it).
controller::Readings read_devices(hal::Table table) noexcept;

// {"load_cell":{"io","raw_counts","adc_ok","overload","excitation_fault","sample_counter",
//   "age_ms"},"safety":{…},"drive":{…}}
nlohmann::json devices_json(const controller::Readings &r);

struct LoopTiming {
  Duration period{};
  std::uint64_t cycles = 0;
  std::uint64_t overruns = 0;
  Duration worst_lateness{};
  controller::LatenessHistogram::Snapshot lateness;
};

// {"period_ms","cycles","overruns","worst_lateness_ms",
//  "period_error_ms":{"p50","p99","p99_9"}}: the period error is how late a cycle woke
//  (an upper bound, controller/lateness_histogram.hpp).
nlohmann::json timing_json(const LoopTiming &t);

} // namespace tractus::console
