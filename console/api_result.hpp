// What an API call answers: an HTTP status and a JSON body. Errors always have the body
// {"error": {"code": "kebab-case-code", "message": "one sentence naming what and where",
// …optional "problems": ["/json/pointer: what is wrong (what is allowed)", …]}}.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tractus::console {

// A file to download instead of a JSON body (a report): sent with its type, as an attachment
// named `file_name` (letters, digits, '.', '-' and '_' only).
struct Download {
  std::string content_type; // "application/pdf", "text/csv; charset=utf-8", "image/png"
  std::string file_name;
  std::string bytes;
};

struct ApiResult {
  int status = 200;
  nlohmann::json body = nlohmann::json::object();
  std::optional<Download> download; // when set, sent instead of `body`
};

inline ApiResult api_ok(nlohmann::json body, int status = 200) {
  return ApiResult{status, std::move(body), std::nullopt};
}

inline ApiResult api_error(int status, std::string code, std::string message,
                           std::vector<std::string> problems = {}) {
  nlohmann::json error = {{"code", std::move(code)}, {"message", std::move(message)}};
  if (!problems.empty()) error["problems"] = std::move(problems);
  return ApiResult{status, nlohmann::json{{"error", std::move(error)}}, std::nullopt};
}

} // namespace tractus::console
