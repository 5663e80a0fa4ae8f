// The stock protocols as the console shows them: the list (GET /api/profiles) and one protocol
// compiled for a patient's weight (GET /api/profiles/{id}/preview?weight=80kg).
#pragma once

#include "console/api_result.hpp"

#include <filesystem>
#include <string>

namespace tractus::console {

inline constexpr std::size_t kPreviewPoints = 600; // plenty for a chart a few hundred px wide

// {"profiles":[{"id","name","region","mode","max_force","duration","duration_s"},…],
//  "problems":[…library files that do not load…]}
ApiResult profile_list(const std::filesystem::path &library_dir);

// {"profile":{"id","name"},"weight","points":[[t_s,N],…≤600],"peak_N","duration_s","cycles"};
// 404 for an id that is no stock protocol, 422 with every reason it does not suit this weight.
ApiResult profile_preview(const std::filesystem::path &library_dir, const std::string &id,
                          const std::string &weight);

} // namespace tractus::console
