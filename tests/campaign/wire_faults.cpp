#include "wire_faults.hpp"

#include "hal/register_map.hpp"

#include <iterator>
#include <vector>

namespace tractus::campaign {

namespace {

namespace sc = hal::regmap::sim_control;
using controller::FaultCode;

constexpr std::uint8_t kLoadCell = 1, kDrive = 2, kSafety = 3;

constexpr WireTrigger kTriggers[] = {
    {"patient-switch", sc::kPressSwitchMs, 2000, "the patient presses the hand switch for 2 s"},
    {"switch-disconnect", sc::kSwitchUnplugged, 1, "the patient switch is unplugged"},
    {"estop", sc::kEstopOpen, 1, "the E-stop chain opens (the drive in STO at once)"},
    {"loadcell-freeze", sc::kFreezeLoadCell, 1, "the transmitter's value and counter stop"},
    {"drive-fault", sc::kDriveFault, 0x2310, "the drive trips with 0x2310 (over-current)"},
    {"loadcell-delay", sc::trigger_address(kLoadCell, sc::kDelayMs), 50,
     "every load-cell reply 50 ms late, past the 3 ms response timeout"},
    {"loadcell-corrupt", sc::trigger_address(kLoadCell, sc::kCorrupt), 1,
     "load-cell replies with a wrong byte count (they do not decode)"},
    {"drive-exception", sc::trigger_address(kDrive, sc::kException), 4,
     "the drive answers exception 4 and does not act: commands no longer reach it"},
    {"drive-drop", sc::trigger_address(kDrive, sc::kDrop), 1,
     "the drive's replies are lost; its commands still act"},
    {"safety-drop", sc::trigger_address(kSafety, sc::kDrop), 1,
     "the safety I/O module's replies are lost"},
};

// Kinds that also exist in-process keep their in-process rule (invariants.cpp): over the wire
// they are read in the same cycle, so only the transport faults below need rules of their own.
constexpr std::string_view kSharedKinds[] = {"patient-switch",  "switch-disconnect", "estop",
                                             "loadcell-freeze", "drive-fault",       kOperatorStop};

constexpr KindRule kTransportRules[] = {
    comm_lost_rule("loadcell-delay", FaultCode::LoadCellCommLost,
                   "308: no good reply for 30 ms, seen the next cycle"),
    comm_lost_rule(
        "loadcell-corrupt", FaultCode::LoadCellCommLost,
        "308: no good reply for 30 ms, seen the next cycle (a reply that does not decode is "
        "a failed transaction)"),
    comm_lost_rule(
        "drive-exception", FaultCode::DriveCommLost,
        "309: no good reply for 30 ms, seen the next cycle (+1: the drive's status is one "
        "exchange old)"),
    comm_lost_rule(
        "drive-drop", FaultCode::DriveCommLost,
        "309: no good reply for 30 ms, seen the next cycle (+1: the drive's status is one "
        "exchange old)"),
    comm_lost_rule("safety-drop", FaultCode::SafetyIoCommLost,
                   "310: no good reply for 30 ms, seen the next cycle"),
};

std::vector<KindRule> make_wire_rules() {
  std::vector<KindRule> rules;
  for (const std::string_view kind : kSharedKinds)
    if (const KindRule *r = find_kind_rule(kind)) rules.push_back(*r);
  rules.insert(rules.end(), std::begin(kTransportRules), std::end(kTransportRules));
  return rules;
}

} // namespace

std::span<const WireTrigger> wire_triggers() noexcept { return kTriggers; }

const WireTrigger *find_wire_trigger(std::string_view kind) noexcept {
  for (const WireTrigger &t : kTriggers)
    if (t.kind == kind) return &t;
  return nullptr;
}

std::span<const KindRule> wire_kind_rules() noexcept {
  static const std::vector<KindRule> rules = make_wire_rules();
  return rules;
}

const KindRule *find_wire_rule(std::string_view kind) noexcept {
  for (const KindRule &r : wire_kind_rules())
    if (r.kind == kind) return &r;
  return nullptr;
}

} // namespace tractus::campaign
