// The fault kinds of the in-process campaign and what each must cause, within what bound
// (invariants.hpp, KindRule): the table the invariant checker judges detection by.
#include "invariants.hpp"

namespace tractus::campaign {

namespace {

using controller::FaultCode;

constexpr Micros cycles(int n) { return n * kMicrosPerMs; }

// The detection bound of every kind, from docs/fault-codes.md ("detection" column). The loop
// runs at 1 kHz, so "the cycle the reading arrives" is the cycle that first sees the injection
// (latency 0); the bound allows one more cycle for sampling an asynchronous event.
constexpr KindRule kRules[] = {
    {.kind = "patient-switch",
     .response = Response::Stop,
     .code = FaultCode::PatientSwitchPressed,
     .bound = cycles(1),
     .cycles = 1,
     .basis = "150: the release begins the cycle the press is read"},
    {.kind = "switch-disconnect",
     .response = Response::Fault,
     .code = FaultCode::PatientSwitchDisconnected,
     .bound = cycles(1),
     .cycles = 1,
     .basis = "313: the cycle the reading arrives"},
    {.kind = "switch-stuck",
     .response = Response::Fault,
     .code = FaultCode::PatientSwitchDiscrepancy,
     .bound = 50'000 + cycles(1),
     .cycles = 1,
     .basis = "312: channels agree for 50 ms"},
    {.kind = "estop",
     .response = Response::Fault,
     .code = FaultCode::EstopOpened,
     .bound = cycles(1),
     .cycles = 1,
     .basis = "307: the cycle the reading arrives"},
    {.kind = "loadcell-freeze",
     .response = Response::Fault,
     .code = FaultCode::LoadCellStale,
     .bound = 20'000 + cycles(1),
     .cycles = 1,
     .basis = "303: 20 ms + one cycle"},
    {.kind = "loadcell-noise",
     .response = Response::None,
     .basis = "not a fault: spikes trip 301 once past the limit"},
    {.kind = "loadcell-fail",
     .response = Response::Fault,
     .code = FaultCode::LoadCellOutOfRange,
     .bound = cycles(1),
     .cycles = 1,
     .basis = "304: the cycle the reading arrives"},
    {.kind = "loadcell-offset",
     .response = Response::OverForceWhenAboveTrip,
     .code = FaultCode::OverForce,
     .bound = cycles(1),
     .cycles = 1,
     .basis = "301 when force + 200 N is over the trip: the cycle the reading arrives"},
    comm_lost_rule("loadcell-timeout", FaultCode::LoadCellCommLost,
                   "308: no good reply for 30 ms, seen the next cycle"),
    {.kind = "drive-fault",
     .response = Response::Fault,
     .code = FaultCode::DriveFault,
     .bound = cycles(2),
     .cycles = 2,
     .basis = "306: the cycle the status arrives (one exchange later)"},
    {.kind = "drive-runaway",
     .response = Response::FaultBeforeOverForce,
     .code = FaultCode::ForceRiseTooFast,
     .bound = cycles(1),
     .cycles = 1,
     .basis = "302 (50 ms + filter above 250 N/s), 301 backstop: before the trip is passed"},
    comm_lost_rule(
        "drive-timeout", FaultCode::DriveCommLost,
        "309: no good reply for 30 ms, seen the next cycle (+1: the drive's status is one "
        "exchange old)"),
    comm_lost_rule("safety-timeout", FaultCode::SafetyIoCommLost,
                   "310: no good reply for 30 ms, seen the next cycle"),
    {.kind = "harness-slip",
     .response = Response::Fault,
     .code = FaultCode::ForceImplausible,
     .bound = 100'000,
     .cycles = 0,
     .taut_only = true,
     .min_force = newtons(45),
     .basis = "305: <= 100 ms for a slip (a drop of 30 N and 25 %, once taut)"},
    {.kind = "muscle-guarding",
     .response = Response::None,
     .basis = "a spasm, not a fault: a, c, d, e only"},
    {.kind = kOperatorStop,
     .response = Response::Stop,
     .code = FaultCode::OperatorStop,
     .bound = cycles(1),
     .cycles = 1,
     .basis = "151: the release begins the cycle the stop is read"},
};

} // namespace

std::span<const KindRule> kind_rules() noexcept { return kRules; }

const KindRule *find_kind_rule(std::string_view kind) noexcept {
  for (const KindRule &r : kRules)
    if (r.kind == kind) return &r;
  return nullptr;
}

} // namespace tractus::campaign
