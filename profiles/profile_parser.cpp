#include "profiles/profile_parser.hpp"

#include "profiles/profile_checks.hpp"
#include "strict_json/strict_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace tractus::profiles {
namespace {

using Json = nlohmann::ordered_json; // keeps document order, so unknown keys list in file order

// Profiles are a few hundred bytes; anything near this is not a profile.
constexpr std::uintmax_t kMaxFileBytes = 1024 * 1024;

// nlohmann says "[json.exception.parse_error.101] parse error at line 1, column 9: syntax error
// while parsing object key - unexpected '}'; expected string literal; last read: '...'". Keep
// the place and the reason; "last read" may hold raw bytes and the place already says where.
std::string syntax_error_message(const std::string &what) {
  std::string place;
  std::string reason = what;
  if (const auto at = what.find("parse error at "); at != std::string::npos) {
    const auto colon = what.find(": ", at);
    place = " at " + what.substr(at + 15, colon - at - 15);
    reason = colon == std::string::npos ? "" : what.substr(colon + 2);
  }
  if (const auto dash = reason.find(" - ");
      reason.starts_with("syntax error") && dash != std::string::npos)
    reason = reason.substr(dash + 3);
  if (const auto last = reason.find("; last read: '"); last != std::string::npos) {
    const auto after = reason.find("'; ", last + 14);
    reason.erase(last, after == std::string::npos ? std::string::npos : after + 1 - last);
  }
  return "JSON syntax error" + place + ": " + reason + " (valid JSON)";
}

std::string kind_of(const Json &value) {
  switch (value.type()) {
  case Json::value_t::null: return "is null";
  case Json::value_t::boolean: return "is a boolean";
  case Json::value_t::object: return "is an object";
  case Json::value_t::array: return "is an array";
  case Json::value_t::string: return "is a string";
  case Json::value_t::binary:
  case Json::value_t::discarded: return "is not JSON data";
  case Json::value_t::number_integer:
  case Json::value_t::number_unsigned:
  case Json::value_t::number_float: break;
  }
  return "is a number";
}

std::string known_keys(std::span<const std::string_view> keys) {
  std::string list;
  for (const std::string_view key : keys)
    list += (list.empty() ? "" : ", ") + std::string(key);
  return list;
}

class DraftReader {
public:
  DraftReader(ProfileDraft &draft, ProblemList &problems, const Limits &limits)
      : draft_(draft), problems_(problems), limits_(limits) {}

  void read_root(const Json &root) {
    for (const auto &[key, value] : root.items()) {
      const std::string pointer = "/" + strict_json::json_pointer_token(key);
      const auto keys = profile_keys();
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        problems_.add(pointer, "unknown key (known keys: " + known_keys(keys) + ")");
        continue;
      }
      draft_.present.insert(pointer);
      read_field(pointer, value);
    }
  }

private:
  void read_field(const std::string &pointer, const Json &value) {
    if (pointer == "/oscillation") return read_oscillation(value);
    if (pointer == "/progressive_steps")
      return read_steps(pointer, value, draft_.progressive_steps);
    if (pointer == "/regressive_steps") return read_steps(pointer, value, draft_.regressive_steps);
    const std::string *text = string_of(pointer, value);
    if (text == nullptr) return;
    if (pointer == "/format")
      draft_.format = *text;
    else if (pointer == "/id")
      draft_.id = *text;
    else if (pointer == "/name")
      draft_.name = *text;
    else if (pointer == "/region") {
      draft_.region = region_from_string(*text);
      if (!draft_.region)
        problems_.add(pointer, in_quotes(*text) + " is not a region (lumbar or cervical)");
    } else if (pointer == "/mode") {
      draft_.mode = mode_from_string(*text);
      if (!draft_.mode)
        problems_.add(pointer,
                      in_quotes(*text) + " is not a mode (static, intermittent or cyclic)");
    } else if (pointer == "/max_force")
      read_force(pointer, *text, draft_.max_force);
    else if (pointer == "/rest_force")
      read_force(pointer, *text, draft_.rest_force);
    else if (pointer == "/hold")
      read_duration(pointer, *text, draft_.hold);
    else if (pointer == "/rest")
      read_duration(pointer, *text, draft_.rest);
    else if (pointer == "/ramp")
      read_duration(pointer, *text, draft_.ramp);
    else if (pointer == "/ramp_shape") {
      draft_.ramp_shape = ramp_shape_from_string(*text);
      if (!draft_.ramp_shape)
        problems_.add(pointer,
                      in_quotes(*text) + " is not a ramp shape (" + allowed(pointer) + ")");
    } else if (pointer == "/duration")
      read_duration(pointer, *text, draft_.duration);
  }

  // What a field must look like, for a wrong JSON type.
  std::string allowed(const std::string &pointer) const {
    if (pointer == "/format") return "\"" + std::string(kProfileFormat) + "\"";
    if (pointer == "/id") return "1 to 64 characters from a-z, 0-9 and -";
    if (pointer == "/name") return "1 to 80 printable characters";
    if (pointer == "/region") return "lumbar or cervical";
    if (pointer == "/mode") return "static, intermittent or cyclic";
    if (pointer == "/ramp_shape") return "linear, logarithmic or s-curve";
    if (pointer.ends_with("_steps")) return "0 to " + std::to_string(limits_.max_steps);
    if (pointer == "/oscillation") return "an object with amplitude and frequency";
    return field_syntax(pointer);
  }

  const std::string *string_of(const std::string &pointer, const Json &value) {
    if (value.is_string()) return value.get_ptr<const std::string *>();
    problems_.add(pointer, kind_of(value) + ", must be a string (" + allowed(pointer) + ")");
    return nullptr;
  }

  void read_force(const std::string &pointer, const std::string &text,
                  std::optional<ForceSpec> &field) {
    Parsed<ForceSpec> spec = parse_force_spec(text, accepted_units(pointer));
    if (!spec.ok()) return problems_.add(pointer, spec.error + " (" + field_syntax(pointer) + ")");
    field = spec.value;
  }

  void read_duration(const std::string &pointer, const std::string &text,
                     std::optional<Duration> &field) {
    Parsed<Duration> parsed = parse_duration(text);
    if (!parsed.ok())
      return problems_.add(pointer, parsed.error + " (" + field_syntax(pointer) + ")");
    field = parsed.value;
  }

  void read_steps(const std::string &pointer, const Json &value, std::optional<int> &field) {
    if (!value.is_number())
      return problems_.add(pointer,
                           kind_of(value) + ", must be a number (" + allowed(pointer) + ")");
    const double number = value.get<double>();
    const std::string range = " (" + allowed(pointer) + ")";
    if (number != std::floor(number))
      return problems_.add(pointer, value.dump() + " is not a whole number" + range);
    if (number < -1000.0) return problems_.add(pointer, value.dump() + " is negative" + range);
    if (number > 1000.0) return problems_.add(pointer, value.dump() + " is too many" + range);
    field = static_cast<int>(number);
  }

  void read_oscillation(const Json &value) {
    if (!value.is_object())
      return problems_.add("/oscillation", kind_of(value) + ", must be an object (" +
                                               allowed("/oscillation") + ")");
    for (const auto &[key, member] : value.items()) {
      const std::string pointer = "/oscillation/" + strict_json::json_pointer_token(key);
      const auto keys = oscillation_keys();
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        problems_.add(pointer, "unknown key (known keys: " + known_keys(keys) + ")");
        continue;
      }
      draft_.present.insert(pointer);
      const std::string *text = string_of(pointer, member);
      if (text == nullptr) continue;
      if (key == "amplitude") {
        read_force(pointer, *text, draft_.amplitude);
      } else {
        Parsed<Frequency> frequency = parse_frequency(*text);
        if (!frequency.ok())
          problems_.add(pointer, frequency.error + " (" + field_syntax(pointer) + ")");
        draft_.frequency = frequency.value;
      }
    }
  }

  ProfileDraft &draft_;
  ProblemList &problems_;
  const Limits &limits_;
};

} // namespace

Result<Profile> parse_profile(std::string_view json_text, std::string_view file,
                              const Limits &limits) {
  if (auto problems = limit_problems(limits); !problems.empty()) return {std::nullopt, problems};
  ProblemList problems{std::string(file)};
  std::vector<std::string> duplicates;
  Json root;
  try {
    root = strict_json::parse_noting_duplicates<Json>(json_text, duplicates);
  } catch (const Json::parse_error &error) {
    problems.add("/", syntax_error_message(error.what()));
    return {std::nullopt, problems.sorted()};
  } catch (const Json::out_of_range &) {
    // The reader stops at a number no double can hold (found by fuzzing: 99e999599).
    problems.add("/", "a number is too large to read (numbers must fit a double)");
    return {std::nullopt, problems.sorted()};
  }
  if (!root.is_object()) {
    problems.add("/",
                 kind_of(root) + ", must be an object (a JSON object with the profile's fields)");
    return {std::nullopt, problems.sorted()};
  }
  for (const std::string &pointer : duplicates)
    problems.add(pointer, "duplicate key (each key at most once)");
  ProfileDraft draft;
  DraftReader(draft, problems, limits).read_root(root);
  check_profile(draft, limits, std::nullopt, problems);
  if (!problems.empty()) return {std::nullopt, problems.sorted()};
  return {profile_of(draft, std::string(file)), {}};
}

Result<Profile> load_profile(const std::filesystem::path &path, const Limits &limits) {
  const std::string file = path.string();
  const auto refuse = [&](std::string message) {
    return Result<Profile>{std::nullopt, {Problem{file, "/", std::move(message)}}};
  };
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (!std::filesystem::exists(status)) return refuse("does not exist (a profile file)");
  if (std::filesystem::is_directory(status)) return refuse("is a directory (a profile file)");
  const auto size = std::filesystem::file_size(path, error);
  if (!error && size > kMaxFileBytes)
    return refuse("is " + std::to_string(size) + " bytes, too large for a profile (at most " +
                  std::to_string(kMaxFileBytes) + " bytes)");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in || error) return refuse("cannot be read (a readable profile file)");
  return parse_profile(text.str(), file, limits);
}

std::vector<Problem> validate(const Profile &profile, const Limits &limits) {
  if (auto problems = limit_problems(limits); !problems.empty()) return problems;
  ProblemList problems(profile.source);
  check_profile(draft_of(profile), limits, std::nullopt, problems);
  return problems.sorted();
}

} // namespace tractus::profiles
