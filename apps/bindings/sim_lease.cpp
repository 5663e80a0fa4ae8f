#include "bindings/sim_lease.hpp"

#include "sim/injection.hpp"
#include "sim/patient_file.hpp"
#include "text/number_text.hpp"

namespace tractus::bindings {

namespace {

sim::PlantConfig config_for(const sim::PatientPreset &preset, console::LeasePurpose purpose) {
  return purpose == console::LeasePurpose::Session ? sim::plant_config(preset)
                                                   : sim::calm_plant_config(preset);
}

sim::InjectionSchedule schedule_for(console::LeasePurpose purpose,
                                    const std::vector<sim::Injection> &events) {
  sim::InjectionSchedule schedule;
  if (purpose == console::LeasePurpose::Session)
    schedule.add(*sim::parse_injection(kSimulatedPressTest).injection);
  for (const auto &e : events)
    schedule.add(e);
  return schedule;
}

std::vector<std::string> texts(const std::vector<sim::Injection> &events) {
  std::vector<std::string> out;
  for (const auto &e : events)
    out.push_back(sim::to_string(e));
  return out;
}

} // namespace

SimLease::SimLease(std::string address, const sim::SimulatedPatient &patient, std::uint64_t seed,
                   console::LeasePurpose purpose, const std::vector<sim::Injection> &events,
                   bool virtual_time, double speed)
    : address_(std::move(address)), patient_(patient), seed_(seed), events_(texts(events)),
      virtual_time_(virtual_time), speed_(speed),
      cell_(config_for(patient.preset(), purpose).load_cell),
      sim_(config_for(patient.preset(), purpose), seed, schedule_for(purpose, events)) {}

SimLease::SimLease(const sim::PlantConfig &config, std::uint64_t seed,
                   sim::InjectionSchedule events, std::string address,
                   const sim::SimulatedPatient &patient)
    : address_(std::move(address)), patient_(patient), seed_(seed), cell_(config.load_cell),
      sim_(config, seed, std::move(events)) {}

std::unique_ptr<controller::Clock> SimLease::make_clock() {
  const auto advance = [this](Duration dt) { sim_.advance(dt); };
  if (virtual_time_) return std::make_unique<controller::VirtualClock>(advance);
  if (speed_ != 1.0) return std::make_unique<controller::ThrottledClock>(advance, speed_);
  // Paced: a person watches the console, so simulated time moves with the wall clock.
  return std::make_unique<controller::PacedClock>(advance);
}

nlohmann::ordered_json SimLease::journal_table() const {
  nlohmann::ordered_json t;
  t["address"] = address_;
  t["simulated"] = true;
  t["preset"] = patient_.name();
  if (!patient_.file().empty()) { // the file may change; the journal keeps what was simulated
    t["patient_file"] = patient_.file();
    t["patient"] = sim::patient_document(patient_.preset());
  }
  t["seed"] = seed_;
  t["injections"] = events_;
  t["press_test"] = std::string(kSimulatedPressTest) + " (the simulated patient)";
  t["clock"] = virtual_time_   ? "virtual (as fast as the computer runs)"
               : speed_ != 1.0 ? "virtual, " + text::format_number(speed_, 2) +
                                     " times the wall clock (--sim-speed)"
                               : "paced by the wall clock";
  return t;
}

calibration::TreatmentCalibration
SimLease::calibration(const std::filesystem::path &, std::int64_t,
                      const calibration::VerificationPolicy &) const {
  // The simulated load cell brings its own factory calibration (DESIGN §8).
  return {sim_.factory_calibration(), "", ""};
}

bool SimLease::hang_reference_load(Force load) {
  sim_.hang_reference_load(load);
  return true;
}

std::string SimLease::description() const {
  return "the simulator (seed " + std::to_string(seed_) + ")";
}

} // namespace tractus::bindings
