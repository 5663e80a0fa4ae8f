// The campaign's table (docs/safety/campaign.md): every session's verdict added to its fault
// kind's row and to the campaign's worst figures, invariant counts, unprovoked faults, the
// recoil after slips and the real-time figures of sessions over Modbus.
#pragma once

#include "campaign.hpp"

#include <span>
#include <vector>

namespace tractus::campaign {

// Adds `reports` to `result`: a row for each rule (in order), one for sessions without a fault
// ("none"), and one for any other kind a session ran.
void tally_sessions(const std::vector<SessionReport> &reports, std::span<const KindRule> rules,
                    bool modbus, CampaignResult &result);

} // namespace tractus::campaign
