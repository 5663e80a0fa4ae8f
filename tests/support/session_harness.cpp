#include "session_harness.hpp"

#include "sim/patient_file.hpp"

#include <stdexcept>

namespace tractus::testing {

namespace {
// Starts the session once the simulated patient has tested the switch; nothing else.
class StartWhenTested final : public controller::OperatorSource {
public:
  explicit StartWhenTested(const SessionSpec &spec) : spec_(spec) {}
  controller::OperatorInput poll(Duration now,
                                 const controller::CycleOutput &last) noexcept override {
    controller::OperatorInput op =
        spec_.operator_script ? spec_.operator_script(now, last) : controller::OperatorInput{};
    for (std::uint8_t i = 0; i < last.event_count; ++i)
      if (last.events[i].kind == controller::EventKind::PressTestPassed) tested_ = true;
    if (tested_ && last.state == controller::State::Ready && !sent_) op.start = sent_ = true;
    return op;
  }

private:
  const SessionSpec &spec_;
  bool tested_ = false;
  bool sent_ = false;
};
} // namespace

SessionRun run_session(const SessionSpec &spec) {
  const auto profile = profiles::find_profile(spec.profile);
  if (!profile.ok()) throw std::runtime_error(profiles::to_string(profile.problems.front()));
  const auto trajectory = profiles::compile(*profile.value, {"test", spec.body_mass});
  if (!trajectory.ok()) throw std::runtime_error(profiles::to_string(trajectory.problems.front()));
  const auto patient = sim::find_simulated_patient(spec.preset);
  if (!patient) throw std::runtime_error(patient.error);
  const sim::PatientPreset &preset = patient.value->preset();

  std::vector<std::string> inject = spec.inject;
  inject.emplace_back("patient-switch@500ms"); // the press test before the start
  auto schedule = sim::parse_injections(inject);
  if (!schedule.errors.empty()) throw std::runtime_error(schedule.errors.front());
  const sim::PlantConfig config =
      spec.calm ? sim::calm_plant_config(preset) : sim::plant_config(preset);
  sim::SimTable sim(config, spec.seed, std::move(schedule.schedule));
  if (!sim.drive().configure_watchdog(milliseconds(100)).empty())
    throw std::runtime_error("watchdog");

  controller::SessionSetup setup;
  setup.trajectory = &*trajectory.value;
  setup.calibration = sim.factory_calibration();
  setup.calibration_valid = true;
  setup.screening_confirmed = true;
  setup.hard_cap = profiles::hard_cap(profiles::kDefaultLimits, profile.value->region);
  setup.force_loop = spec.force_loop;
  if (spec.adjust_setup) spec.adjust_setup(setup);
  controller::Session session(setup);

  SessionRun run;
  run.events.reserve(4096); // the harness's bookkeeping must not allocate inside a cycle
  run.max_setpoint = trajectory.value->peak_force();
  controller::VirtualClock clock([&sim](Duration dt) { sim.advance(dt); });
  controller::LoopRunner runner(sim.table(), session, clock, run.stats, {});
  StartWhenTested op(spec);
  runner.set_operator(&op);
  std::optional<controller::Journal> journal;
  if (spec.journal_dir) {
    const std::string name = std::filesystem::path(spec.profile).stem().string();
    journal.emplace(*spec.journal_dir, "test-" + name + "-" + patient.value->name(),
                    nlohmann::ordered_json{}, spec.journal_options);
    runner.set_journal(&*journal);
  }
  double sq = 0;
  std::uint64_t n = 0;
  runner.set_output_observer([&](const controller::CycleOutput &out) {
    const Duration now = sim.elapsed();
    for (std::uint8_t i = 0; i < out.event_count; ++i)
      run.events.push_back(out.events[i]);
    if (sim.drive_enabled()) run.true_peak = max(run.true_peak, sim.true_force());
    const bool holding = out.state == controller::State::Treating &&
                         (out.phase == profiles::Phase::Hold || out.phase == profiles::Phase::Rest);
    if (holding && out.setpoint.si() > 0) {
      const double e = (sim.true_force() - out.setpoint) / out.setpoint;
      sq += e * e;
      ++n;
    }
    const bool stopping = out.outcome == controller::Outcome::PatientStop ||
                          out.outcome == controller::Outcome::OperatorStop ||
                          out.outcome == controller::Outcome::Faulted;
    if (stopping && !run.stop_at) run.stop_at = now;
    if (run.stop_at && !run.below_15n_at && sim.true_force() <= newtons(15)) run.below_15n_at = now;
    if (run.stop_at && !run.drive_disabled_at && !sim.drive_enabled()) run.drive_disabled_at = now;
    if (run.stop_at) {
      run.peak_after_stop = max(run.peak_after_stop, sim.true_force());
      if (sim.drive_enabled()) run.drive_last_enabled_at = now;
      if (sim.true_force() > newtons(15)) run.last_above_15n_at = now;
    }
    if (spec.observer) spec.observer(out);
    if (spec.truth_observer) spec.truth_observer(out, sim);
  });
  run.report = runner.run();
  if (spec.after_loop) spec.after_loop();
  run.true_hold_rms_percent = n == 0 ? 0 : 100.0 * std::sqrt(sq / static_cast<double>(n));
  if (journal) {
    run.journal = journal->path();
    run.journal_finished = journal->finish(
        nlohmann::ordered_json{{"outcome", controller::to_string(run.report.last.outcome)}});
  }
  return run;
}

} // namespace tractus::testing
