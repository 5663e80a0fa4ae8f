// The stock protocols as the console shows them: the list (GET /api/profiles) and one protocol
// compiled for a patient's weight (GET /api/profiles/{id}/preview?weight=80kg).
#pragma once

#include "console/api_result.hpp"
#include "console/clinic_protocol_finder.hpp"
#include "profiles/limits.hpp"
#include "profiles/profile.hpp"

#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace tractus::console {

inline constexpr std::size_t kPreviewPoints = 600; // plenty for a chart a few hundred px wide

// Said where a protocol is refused by limits the clinic lowered (docs/configuration.md), not by
// the machine's: the clinic, not the protocol, is what to ask about.
inline constexpr const char *kClinicLimits =
    "this clinic's limits (clinic_limits in the configuration file or the records store)";

// A clinic protocol as the list shows it (records/clinic_protocols.hpp): its newest version.
struct ListedClinicProtocol {
  profiles::Profile profile;
  int version = 0;
  std::string created_utc, created_by;
};

// {"profiles":[{"id","name","region","mode","max_force","duration","duration_s","allowed",
//  "source":"stock"|"clinic","version"?},…], "problems":[…library files that do not load…],
//  "clinic_unavailable"?: why the clinic's protocols are missing}. A protocol over the clinic's
// `limits` stays listed with "allowed": false and "refused": every reason, "FILE: /pointer:
// what (allowed)", so the operator sees why it cannot be chosen.
ApiResult profile_list(const std::filesystem::path &library_dir,
                       const profiles::Limits &limits = profiles::kDefaultLimits,
                       std::span<const ListedClinicProtocol> clinic = {},
                       const std::string &clinic_unavailable = "");

// Why the clinic's `limits` refuse a stock protocol the defaults accept (empty: they do not).
std::vector<std::string> clinic_refusal(const profiles::Profile &profile,
                                        const profiles::Limits &limits);

// {"profile":{"id","name"},"weight","points":[[t_s,N],…≤600],"peak_N","duration_s","cycles"};
// 404 for an id that is no stock protocol (nor, through `clinic`, a clinic protocol), 503 when
// the clinic's protocols cannot be read, 422 with every reason it is not allowed here or does
// not suit this weight (compiled against the clinic's `limits`).
ApiResult profile_preview(const std::filesystem::path &library_dir, const std::string &id,
                          const std::string &weight,
                          const profiles::Limits &limits = profiles::kDefaultLimits,
                          const FindClinicProtocol &clinic = {});

// The same preview for a profile in hand (a clinic protocol being edited).
ApiResult preview_of(const profiles::Profile &profile, const std::string &weight,
                     const profiles::Limits &limits);

} // namespace tractus::console
