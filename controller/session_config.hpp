// The one place a session's configuration is built from what it runs on: the table (its loop
// period), the calibration (its full scale bounds the out-of-range monitor) and the protocol
// (the region's hard cap). `tractus run`, the console's live session, the campaigns and the
// test harnesses all call these, so no caller can forget a member (a harness once left
// monitors.full_scale at its default and was right only because both values were 2000 N).
#pragma once

#include "controller/loop_runner.hpp"
#include "controller/session.hpp"
#include "hal/calibration.hpp"
#include "profiles/limits.hpp"
#include "profiles/profile.hpp"
#include "profiles/trajectory.hpp"
#include "units/units.hpp"

#include <optional>
#include <string_view>

namespace tractus::controller {

struct SessionInputs {
  const profiles::Trajectory *trajectory = nullptr; // compiled for this patient
  profiles::Region region = profiles::Region::Lumbar;
  // The calibration in force; nullopt when there is none (the start is then refused with 110).
  std::optional<hal::Calibration> calibration;
  bool screening_confirmed = false;  // checked by the caller (checklist, or the simulator's)
  Duration period = milliseconds(1); // the table's loop period
  profiles::Limits limits = profiles::kDefaultLimits;
  // The force controller (`tractus run --controller`); the adaptive loop unless asked.
  ControllerKind controller = ControllerKind::Adaptive;
};

SessionSetup session_setup(const SessionInputs &in);

// "adaptive" or "baseline" (to_string's names, exactly), nullopt for anything else.
std::optional<ControllerKind> parse_controller_kind(std::string_view name);
// Every name parse_controller_kind accepts, for usage and error messages.
inline constexpr std::string_view kControllerKindNames = "adaptive, baseline";

// The loop's period and a journal sample rate of 10 Hz whatever the period.
LoopOptions loop_options_for(Duration period);

} // namespace tractus::controller
