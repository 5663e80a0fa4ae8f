// What an API call answers: an HTTP status and a JSON body. Errors always have the body
// {"error": {"code": "kebab-case-code", "message": "one sentence naming what and where",
// …optional "problems": ["/json/pointer: what is wrong (what is allowed)", …]}}.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace tractus::console {

struct ApiResult {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();
};

inline ApiResult api_ok(nlohmann::json body, int status = 200) {
  return ApiResult{status, std::move(body)};
}

inline ApiResult api_error(int status, std::string code, std::string message,
                           std::vector<std::string> problems = {}) {
  nlohmann::json error = {{"code", std::move(code)}, {"message", std::move(message)}};
  if (!problems.empty()) error["problems"] = std::move(problems);
  return ApiResult{status, nlohmann::json{{"error", std::move(error)}}};
}

} // namespace tractus::console
