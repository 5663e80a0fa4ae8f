// The faults the Modbus campaign injects over the wire: each is one register written to
// tractus-sim's simulator-only unit 247 (docs/register-map.md, regmap::sim_control), between
// two control cycles, so the first cycle that can see it is known. Each has the detection rule
// the in-process campaign uses for the same reaction (invariants.hpp), with its cycles counted
// as the real-time loop ran them.
#pragma once

#include "invariants.hpp"

#include <cstdint>
#include <span>
#include <string_view>

namespace tractus::campaign {

struct WireTrigger {
  std::string_view kind;
  std::uint16_t address = 0; // unit 247 register
  std::uint16_t value = 0;
  std::string_view what; // for the usage text and docs
};

// Every wire fault kind; operator-stop (the campaign's operator) is a rule with no trigger.
std::span<const WireTrigger> wire_triggers() noexcept;
const WireTrigger *find_wire_trigger(std::string_view kind) noexcept;
// One rule per wire trigger, in that order, then operator-stop's.
std::span<const KindRule> wire_kind_rules() noexcept;
const KindRule *find_wire_rule(std::string_view kind) noexcept;

} // namespace tractus::campaign
