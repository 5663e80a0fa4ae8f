// The in-process simulated table: the hal devices over the plant, on a virtual clock.
//
// Time moves only when the caller calls advance() (at 1 kHz, 1 ms per control cycle), so a
// 30-minute session runs in a fraction of a second and every run with the same seed and
// injections is bit-identical. Reads return the current values with io Ok and age 0, unless an
// injected fault says otherwise. No read, exchange or advance allocates or throws.
//
//   sim::SimTable sim(sim::kAveragePatient, seed, std::move(schedule));
//   hal::Table table = sim.table();             // give this to the controller
//   each cycle: read, step, table.drive.exchange(cmd), sim.advance(milliseconds(1));
//   truth for tests: sim.true_force(), sim.true_travel(), sim.drive_enabled(), sim.elapsed()
#pragma once

#include "hal/calibration.hpp"
#include "hal/hal.hpp"
#include "sim/drive_model.hpp"
#include "sim/injection.hpp"
#include "sim/patient_preset.hpp"
#include "sim/plant.hpp"
#include "sim/safety_model.hpp"

#include <cstdint>
#include <string>

namespace tractus::sim {

class SimTable {
public:
  explicit SimTable(const PatientPreset &preset = kAveragePatient, std::uint64_t seed = 1,
                    InjectionSchedule injections = {});
  SimTable(const PlantConfig &config, std::uint64_t seed, InjectionSchedule injections = {});
  SimTable(const SimTable &) = delete; // the hal::Table handed out refers into this object
  SimTable &operator=(const SimTable &) = delete;

  // Moves the virtual clock by dt in whole 1 ms plant steps (a remainder carries over).
  void advance(Duration dt) noexcept;

  hal::Table table() noexcept { return {load_cell_, drive_, safety_, true}; }
  hal::LoadCell &load_cell() noexcept { return load_cell_; }
  hal::Drive &drive() noexcept { return drive_; }
  hal::SafetyIo &safety() noexcept { return safety_; }
  // The simulated transmitter's own calibration: F = (counts − offset) / gain, 2000 N range.
  [[nodiscard]] hal::Calibration factory_calibration() const;

  // ---- calibration: a dead weight on the load cell (docs/calibration.md) ----
  // Takes the load cell off the patient's cable and hangs `load` on it (replacing any weight
  // already there). The force on the cell reaches the new load as a hung weight does: a
  // 2 Hz bounce with damping ratio 0.5 (16 % overshoot, within 0.5 N of a 200 N step in ~1 s).
  void hang_reference_load(Force load) noexcept;
  // Puts the load cell back on the cable.
  void remove_reference_load() noexcept;
  [[nodiscard]] bool reference_load_hung() const noexcept { return weight_.hung; }
  // Truth: the force on the load cell now (cable tension, or the bouncing weight).
  [[nodiscard]] Force load_cell_force() const noexcept { return plant_.load_cell_force(); }

  // Adds an event (set-up or between cycles; may allocate). A time already past fires at the
  // next step.
  void inject(Injection injection) { schedule_.add(injection); }

  // ---- truth, for tests and the console's simulator banner ----
  [[nodiscard]] Force true_force() const noexcept { return plant_.cable_tension(); }
  [[nodiscard]] Length true_travel() const noexcept { return plant_.table_travel(); }
  [[nodiscard]] bool drive_enabled() const noexcept { return drive_model_.operation_enabled(); }
  [[nodiscard]] Duration elapsed() const noexcept { return from_micros(now()); }

  // The parts, for tests that need more than the truth above.
  Plant &plant() noexcept { return plant_; }
  [[nodiscard]] const Plant &plant() const noexcept { return plant_; }
  DriveModel &drive_model() noexcept { return drive_model_; }
  SafetyModel &safety_model() noexcept { return safety_model_; }
  LinkFaults &links() noexcept { return links_; }
  [[nodiscard]] const InjectionSchedule &injections() const noexcept { return schedule_; }

private:
  class LoadCellPort final : public hal::LoadCell {
  public:
    explicit LoadCellPort(SimTable &sim) : sim_(sim) {}
    hal::LoadCellSample read() noexcept override;

  private:
    SimTable &sim_;
  };
  class DrivePort final : public hal::Drive {
  public:
    explicit DrivePort(SimTable &sim) : sim_(sim) {}
    hal::DriveStatus exchange(const hal::DriveCommand &cmd) noexcept override;
    std::string configure_watchdog(Duration timeout) override;

  private:
    SimTable &sim_;
  };
  class SafetyPort final : public hal::SafetyIo {
  public:
    explicit SafetyPort(SimTable &sim) : sim_(sim) {}
    hal::SafetyInputs read() noexcept override;

  private:
    SimTable &sim_;
  };

  [[nodiscard]] Micros now() const noexcept {
    return static_cast<Micros>(plant_.steps()) * kMicrosPerStep;
  }
  // Applies what is due at now(): injections, STO and watchdog, and the motor mode.
  void settle() noexcept;
  void step_reference_weight() noexcept;

  // A dead weight on the load cell: its force and rate, settling on `target`.
  struct ReferenceWeight {
    bool hung = false;
    double target = 0.0, force = 0.0, rate = 0.0;
  };

  static constexpr Micros kMicrosPerStep = 1000;

  Plant plant_;
  DriveModel drive_model_;
  SafetyModel safety_model_;
  LinkFaults links_;
  InjectionSchedule schedule_;
  Micros pending_us_ = 0;
  ReferenceWeight weight_;
  LoadCellPort load_cell_{*this};
  DrivePort drive_{*this};
  SafetyPort safety_{*this};
};

} // namespace tractus::sim
