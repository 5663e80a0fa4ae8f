// Fault and event injection: `KIND@TIME` events applied to a simulated table at virtual times
// (DESIGN §6, §8: `tractus run --inject patient-switch@300s`), so every safety behaviour can be
// shown from the command line and exercised in tests.
//
// The kinds are one table in injection.cpp (name, effect, action): adding a kind is one line.
// Parsing happens at the edge (start-up) and may allocate; applying is noexcept and never
// allocates, so it runs inside the simulated control cycle.
#pragma once

#include "sim/drive_model.hpp"
#include "sim/plant.hpp"
#include "sim/safety_model.hpp"
#include "sim/virtual_time.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::sim {

// Links that stop answering: reads of that device report a timeout. A drive that cannot be
// reached receives no commands either, so its watchdog trips (if configured).
struct LinkFaults {
  bool load_cell_timeout = false;
  bool drive_timeout = false;
  bool safety_timeout = false;
};

// The parts of one simulated table an injection acts on, at virtual time `now`.
struct InjectionTarget {
  Plant &plant;
  DriveModel &drive;
  SafetyModel &safety;
  LinkFaults &links;
  Micros now = 0;
};

struct InjectionKind {
  std::string_view name;   // what users type before '@'
  std::string_view effect; // one line, for usage text and docs/simulator.md
  void (*apply)(InjectionTarget &target) noexcept;
};

// Every kind, in the order of the table.
std::span<const InjectionKind> injection_kinds() noexcept;
const InjectionKind *find_injection_kind(std::string_view name) noexcept;
// "patient-switch, switch-disconnect, ...": the known kinds, for messages.
std::string injection_kind_names();

// How long a `patient-switch` press lasts, and what `loadcell-offset` and `harness-slip` add.
inline constexpr Duration kPatientSwitchPress = seconds(2.0);
inline constexpr Force kLoadCellOffsetJump = newtons(200.0);
inline constexpr double kLoadCellNoiseFactor = 20.0;
inline constexpr Length kHarnessSlip = millimetres(40.0);

struct Injection {
  const InjectionKind *kind = nullptr;
  Micros at = 0;
};
std::string to_string(const Injection &injection); // "estop@120s", "loadcell-freeze@1500ms"

struct InjectionParse {
  std::optional<Injection> injection;
  std::string error; // set when injection is empty, e.g. `unknown injection kind "x" in ...`
  explicit operator bool() const { return injection.has_value(); }
};
// Parses "KIND@TIME", TIME a non-negative number with a unit ms, s or min ("300s", "2min",
// "1500ms"; a space before the unit is accepted).
InjectionParse parse_injection(std::string_view text);

class InjectionSchedule {
public:
  // Keeps the events in time order (ties in the order added). Set-up only: may allocate.
  void add(Injection injection);
  // Applies every not yet applied event due at or before target.now.
  void apply_due(InjectionTarget &target) noexcept;
  [[nodiscard]] std::span<const Injection> events() const noexcept { return events_; }
  [[nodiscard]] std::size_t applied() const noexcept { return next_; }

private:
  std::vector<Injection> events_;
  std::size_t next_ = 0;
};

// Parses every text, reporting every bad one at once (a typo never silently drops a fault).
struct ScheduleParse {
  InjectionSchedule schedule;
  std::vector<std::string> errors;
};
ScheduleParse parse_injections(std::span<const std::string> texts);

} // namespace tractus::sim
