#include "sim/injection.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace tractus::sim {
namespace {

// kind name → effect. Everything stays in effect until the end of the run, except the
// patient-switch press (released after kPatientSwitchPress) and muscle guarding (relaxes).
constexpr InjectionKind kKinds[] = {
    {"patient-switch", "patient presses the hand switch (A open, B closed) for 2 s",
     [](InjectionTarget &t) noexcept {
       t.safety.press_patient_switch(t.now, kPatientSwitchPress);
     }},
    {"switch-disconnect", "patient switch unplugged: not connected, both channels open",
     [](InjectionTarget &t) noexcept { t.safety.disconnect_patient_switch(true); }},
    {"switch-stuck", "patient switch channel B stuck closed: A and B disagree with antivalence",
     [](InjectionTarget &t) noexcept { t.safety.stick_patient_switch(true); }},
    {"estop", "E-stop chain opens and stays open: the relay puts the drive in STO",
     [](InjectionTarget &t) noexcept {
       t.safety.open_estop();
       t.drive.tick(t.now, true);
     }},
    {"loadcell-freeze", "load-cell transmitter hangs: value and sample counter stop",
     [](InjectionTarget &t) noexcept { t.plant.freeze_load_cell(true); }},
    {"loadcell-noise", "load-cell noise ×20 (a damaged cable picking up interference)",
     [](InjectionTarget &t) noexcept { t.plant.set_load_cell_noise_factor(kLoadCellNoiseFactor); }},
    {"loadcell-fail", "excitation fault: ADC not ok, the value reads as no load",
     [](InjectionTarget &t) noexcept { t.plant.fail_load_cell(true); }},
    {"loadcell-offset", "load-cell zero jumps by +200 N (a knocked or overloaded cell)",
     [](InjectionTarget &t) noexcept { t.plant.shift_load_cell_offset(kLoadCellOffsetJump); }},
    {"loadcell-timeout", "load-cell transmitter stops answering (reads time out)",
     [](InjectionTarget &t) noexcept { t.links.load_cell_timeout = true; }},
    {"drive-fault", "drive trips with 0x2310 (over-current) and drops torque",
     [](InjectionTarget &t) noexcept { t.drive.inject_fault(DriveModel::kFaultOverCurrent); }},
    {"drive-runaway", "drive ignores its speed target and reels in at 40 mm/s while enabled",
     [](InjectionTarget &t) noexcept { t.drive.run_away(); }},
    {"drive-timeout", "drive stops answering; commands no longer reach it (its watchdog trips)",
     [](InjectionTarget &t) noexcept { t.links.drive_timeout = true; }},
    {"safety-timeout", "safety I/O module stops answering (reads time out)",
     [](InjectionTarget &t) noexcept { t.links.safety_timeout = true; }},
    {"harness-slip", "harness slips: 40 mm more slack, the tension collapses",
     [](InjectionTarget &t) noexcept { t.plant.add_slack(kHarnessSlip); }},
    {"muscle-guarding", "back spasm: tissue stiffness ×1.6 over 1 s, held 4 s, relaxed in 2 s",
     [](InjectionTarget &t) noexcept { t.plant.start_guarding(GuardingEvent{}); }},
};

constexpr std::string_view kExample = "patient-switch@300s";

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// "300s", "2min", "1500ms", "2.5 s" → microseconds; nullopt when it is not such a time.
std::optional<Micros> parse_time(std::string_view text) {
  if (text.empty() || !(text.front() >= '0' && text.front() <= '9')) return std::nullopt;
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || !std::isfinite(value)) return std::nullopt;
  std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  double seconds_per_unit = 0.0;
  if (unit == "ms")
    seconds_per_unit = 1e-3;
  else if (unit == "s")
    seconds_per_unit = 1.0;
  else if (unit == "min")
    seconds_per_unit = 60.0;
  else
    return std::nullopt;
  const double us = value * seconds_per_unit * 1e6;
  if (us > 1e15) return std::nullopt; // beyond any session (~31 years)
  return std::llround(us);
}

} // namespace

std::span<const InjectionKind> injection_kinds() noexcept { return kKinds; }

const InjectionKind *find_injection_kind(std::string_view name) noexcept {
  for (const InjectionKind &k : kKinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string injection_kind_names() {
  std::string names;
  for (const InjectionKind &k : kKinds) {
    if (!names.empty()) names += ", ";
    names += k.name;
  }
  return names;
}

std::string to_string(const Injection &injection) {
  const std::string name = injection.kind ? std::string(injection.kind->name) : "?";
  if (injection.at % 1000000 == 0) return name + "@" + std::to_string(injection.at / 1000000) + "s";
  if (injection.at % 1000 == 0) return name + "@" + std::to_string(injection.at / 1000) + "ms";
  return name + "@" + std::to_string(injection.at) + "us";
}

InjectionParse parse_injection(std::string_view text) {
  InjectionParse result;
  const std::size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0) {
    result.error =
        "bad injection " + quoted(text) + ": expected KIND@TIME, e.g. " + std::string(kExample);
    return result;
  }
  const std::string_view name = text.substr(0, at);
  const std::string_view time = text.substr(at + 1);
  const InjectionKind *kind = find_injection_kind(name);
  if (kind == nullptr) {
    result.error = "unknown injection kind " + quoted(name) + " in " + quoted(text) +
                   "; known kinds: " + injection_kind_names();
    return result;
  }
  const std::optional<Micros> micros = parse_time(time);
  if (!micros) {
    result.error = "bad time " + quoted(time) + " in " + quoted(text) +
                   ": expected a number and a unit (ms, s or min), e.g. 300s, 2min, 1500ms";
    return result;
  }
  result.injection = Injection{kind, *micros};
  return result;
}

void InjectionSchedule::add(Injection injection) {
  // Never insert before events already applied: a late addition fires at the next step.
  const auto first = events_.begin() + static_cast<std::ptrdiff_t>(next_);
  const auto pos =
      std::upper_bound(first, events_.end(), injection,
                       [](const Injection &a, const Injection &b) { return a.at < b.at; });
  events_.insert(pos, injection);
}

void InjectionSchedule::apply_due(InjectionTarget &target) noexcept {
  while (next_ < events_.size() && events_[next_].at <= target.now) {
    events_[next_].kind->apply(target);
    ++next_;
  }
}

ScheduleParse parse_injections(std::span<const std::string> texts) {
  ScheduleParse result;
  for (const std::string &text : texts) {
    InjectionParse parsed = parse_injection(text);
    if (parsed)
      result.schedule.add(*parsed.injection);
    else
      result.errors.push_back(std::move(parsed.error));
  }
  return result;
}

} // namespace tractus::sim
