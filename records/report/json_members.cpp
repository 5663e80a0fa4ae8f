#include "records/report/json_members.hpp"

#include "text/number_text.hpp"

#include <cmath>

namespace tractus::records::report {

const nlohmann::json *member_at(const nlohmann::json &json,
                                std::initializer_list<std::string_view> path) {
  const nlohmann::json *at = &json;
  for (const std::string_view key : path) {
    if (!at->is_object()) return nullptr;
    const auto it = at->find(std::string(key));
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at;
}

std::string text_at(const nlohmann::json &json, std::initializer_list<std::string_view> path) {
  const nlohmann::json *at = member_at(json, path);
  if (at == nullptr) return "";
  if (at->is_string()) return at->get<std::string>();
  if (at->is_number_integer()) return std::to_string(at->get<long long>());
  if (at->is_number() && std::isfinite(at->get<double>())) {
    return text::format_number(at->get<double>(), 3);
  }
  return "";
}

std::optional<double> number_at(const nlohmann::json &json,
                                std::initializer_list<std::string_view> path) {
  const nlohmann::json *at = member_at(json, path);
  if (at == nullptr || !at->is_number()) return std::nullopt;
  const double value = at->get<double>();
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

} // namespace tractus::records::report
