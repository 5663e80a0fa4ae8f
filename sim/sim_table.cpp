#include "sim/sim_table.hpp"

#include <cmath>
#include <utility>

namespace tractus::sim {

namespace {
// to_micros(dt), llround(dt·10⁶), without the library call every cycle: the same value for any
// |dt| under 2⁵² µs (then us − whole is exact), which is every step a clock hands over.
Micros whole_micros(Duration dt) noexcept {
  const double us = dt.si() * 1e6;
  if (!(std::abs(us) < 0x1p52)) return to_micros(dt);
  const auto whole = static_cast<Micros>(us); // toward zero
  const double rest = us - static_cast<double>(whole);
  if (rest >= 0.5) return whole + 1; // halves away from zero, as llround
  if (rest <= -0.5) return whole - 1;
  return whole;
}
} // namespace

SimTable::SimTable(const PatientPreset &preset, std::uint64_t seed, InjectionSchedule injections)
    : SimTable(plant_config(preset), seed, std::move(injections)) {}

SimTable::SimTable(const PlantConfig &config, std::uint64_t seed, InjectionSchedule injections)
    : plant_(config, seed), schedule_(std::move(injections)) {
  static_assert(Plant::kStep.si() == 1e-3, "kMicrosPerStep assumes a 1 ms plant step");
}

void SimTable::advance(Duration dt) noexcept {
  settle(); // events at the current time act before the first step
  pending_us_ += whole_micros(dt);
  while (pending_us_ >= kMicrosPerStep) {
    pending_us_ -= kMicrosPerStep;
    if (weight_.hung) step_reference_weight();
    plant_.step();
    settle();
  }
}

void SimTable::settle() noexcept {
  const Micros t = now();
  // Most steps have no event due: the schedule is only entered when its next one is.
  const auto events = schedule_.events();
  if (schedule_.applied() < events.size() && events[schedule_.applied()].at <= t) {
    InjectionTarget target{plant_, drive_model_, safety_model_, links_, t};
    schedule_.apply_due(target);
  }
  drive_model_.tick(t, !safety_model_.estop_chain_closed());
  plant_.set_motor(drive_model_.motor_mode(), drive_model_.target_speed());
}

void SimTable::hang_reference_load(Force load) noexcept {
  if (!weight_.hung) weight_ = ReferenceWeight{true, 0.0, 0.0, 0.0}; // an empty hook at first
  weight_.target = load.si();
  plant_.set_reference_force(Force(weight_.force));
}

void SimTable::remove_reference_load() noexcept {
  weight_ = ReferenceWeight{};
  plant_.clear_reference_force();
}

void SimTable::step_reference_weight() noexcept {
  // A weight on the cell's spring and hanger: f'' = ω²·(target − f) − 2ζω·f', semi-implicit
  // Euler (ω·dt = 0.013, far inside the stability limit).
  constexpr double kOmega = 2.0 * 3.141592653589793 * 2.0; // 2 Hz
  constexpr double kDampingRatio = 0.5;
  constexpr double kDt = Plant::kStep.si();
  weight_.rate += (kOmega * kOmega * (weight_.target - weight_.force) -
                   2.0 * kDampingRatio * kOmega * weight_.rate) *
                  kDt;
  weight_.force += weight_.rate * kDt;
  plant_.set_reference_force(Force(weight_.force));
}

hal::Calibration SimTable::factory_calibration() const {
  const LoadCellParams &lc = plant_.config().load_cell;
  hal::Calibration cal = hal::Calibration::from_gain_offset(lc.gain_counts_per_n, lc.offset_counts);
  cal.id = "sim-factory";
  cal.source = "simulator factory calibration";
  cal.full_scale = lc.full_scale;
  cal.expires_unix = 0; // the simulator's calibration never expires
  return cal;
}

hal::LoadCellSample SimTable::LoadCellPort::read() noexcept {
  hal::LoadCellSample s;
  if (sim_.links_.load_cell_timeout) {
    s.io = hal::IoStatus::Timeout;
    return s;
  }
  const LoadCellReading &r = sim_.plant_.load_cell();
  s.io = hal::IoStatus::Ok;
  s.raw_counts = r.counts;
  s.status = {r.adc_ok, r.overload, r.excitation_fault};
  s.sample_counter = r.sample_counter;
  s.age = Duration{};
  return s;
}

hal::DriveStatus SimTable::DrivePort::exchange(const hal::DriveCommand &cmd) noexcept {
  if (sim_.links_.drive_timeout) {
    hal::DriveStatus lost;
    lost.io = hal::IoStatus::Timeout;
    return lost;
  }
  const Micros t = sim_.now();
  sim_.drive_model_.command(cmd, t, !sim_.safety_model_.estop_chain_closed());
  sim_.plant_.set_motor(sim_.drive_model_.motor_mode(), sim_.drive_model_.target_speed());
  hal::DriveStatus s = sim_.drive_model_.status();
  s.cable_position = sim_.plant_.cable_position();
  s.cable_speed = sim_.plant_.cable_speed();
  s.motor_current_a = sim_.plant_.motor_current_a();
  s.age = Duration{};
  return s;
}

std::string SimTable::DrivePort::configure_watchdog(Duration timeout) {
  if (sim_.links_.drive_timeout) return "drive did not answer (timeout)";
  return sim_.drive_model_.configure_watchdog(timeout, sim_.now());
}

hal::SafetyInputs SimTable::SafetyPort::read() noexcept {
  if (sim_.links_.safety_timeout) {
    hal::SafetyInputs lost;
    lost.io = hal::IoStatus::Timeout;
    return lost;
  }
  return sim_.safety_model_.inputs(sim_.now());
}

} // namespace tractus::sim
