// The in-process simulator as a console lease: a fresh simulated table per lease.
#pragma once

#include "console/table_binding.hpp"
#include "sim/sim_table.hpp"
#include "sim/simulated_patient.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tractus::bindings {

// The simulated patient tests the hand switch this long after the session is loaded, as
// `tractus run` does (its `patient-switch@500ms`): on a real table the operator asks the patient
// to press it; here nobody could.
inline constexpr const char *kSimulatedPressTest = "patient-switch@500ms";

class SimLease final : public console::TableLease {
public:
  // A session lease gets the patient (a preset or a patient file, with its muscle guarding),
  // the press test and `events` (simulated faults, for tests); a calibration or diagnostics
  // lease a calm plant and `events` alone (a noisy cell for `tractus calibrate --inject`), as
  // `tractus calibrate` uses.
  // `virtual_time`: the session's clock advances the simulation as fast as the computer runs
  // (`tractus run` without --realtime) instead of with the wall clock.
  SimLease(std::string address, const sim::SimulatedPatient &patient, std::uint64_t seed,
           console::LeasePurpose purpose, const std::vector<sim::Injection> &events = {},
           bool virtual_time = false, double speed = 1.0);
  // A calibration lease on a simulated table of this configuration, with these events:
  // `tractus calibrate --table sim[:PRESET] [--inject …]`, and tests that choose the load cell.
  SimLease(const sim::PlantConfig &config, std::uint64_t seed, sim::InjectionSchedule events = {},
           std::string address = "sim",
           const sim::SimulatedPatient &patient = sim::kAveragePatient);

  hal::Table table() noexcept override { return sim_.table(); }
  std::unique_ptr<controller::Clock> make_clock() override;
  [[nodiscard]] nlohmann::ordered_json journal_table() const override;
  [[nodiscard]] calibration::TreatmentCalibration
  calibration(const std::filesystem::path &store_dir, std::int64_t now_unix,
              const calibration::VerificationPolicy &policy) const override;

  [[nodiscard]] Force capacity() const override { return cell_.full_scale; }
  [[nodiscard]] double nominal_counts_per_newton() const override {
    return cell_.gain_counts_per_n;
  }
  void wait_one_period() override { sim_.advance(period()); }
  [[nodiscard]] Duration period() const override { return milliseconds(1); }
  bool hang_reference_load(Force load) override;
  void remove_reference_load() override { sim_.remove_reference_load(); }
  [[nodiscard]] std::string description() const override;

  // Set-up only: the watchdog the loop must feed (as on tractus-sim and a real drive).
  std::string configure_watchdog(Duration timeout) {
    return sim_.drive().configure_watchdog(timeout);
  }

  // The simulated table itself: what its cell and cable carry, for tests.
  sim::SimTable &sim() noexcept { return sim_; }

private:
  std::string address_;
  sim::SimulatedPatient patient_; // named in the journal, a patient file's figures too
  std::uint64_t seed_;
  std::vector<std::string> events_; // as text, for the journal
  bool virtual_time_ = false;
  double speed_ = 1.0; // paced sessions: simulated seconds per wall-clock second
  sim::LoadCellParams cell_;
  sim::SimTable sim_;
};

} // namespace tractus::bindings
