// How the console's protocol checks reach the clinic's own protocols (records/clinic_protocols)
// without knowing the records store: a protocol id that is no stock protocol is asked of this.
#pragma once

#include "profiles/profile.hpp"

#include <functional>
#include <optional>
#include <string>

namespace tractus::console {

struct ClinicProtocolFound {
  std::optional<profiles::Profile> profile; // the newest version, read under the machine's limits
  std::vector<std::string> problems;        // a stored version that no longer reads
  std::string unavailable;                  // the store could not be asked: why
};

// Empty: this console keeps no records, so no clinic protocols.
using FindClinicProtocol = std::function<ClinicProtocolFound(const std::string &id)>;

} // namespace tractus::console
