// JSON read strictly: nlohmann keeps the last of duplicate keys without a word, so a document
// with `"max_force"` twice (or a request with `"patient"` twice) would silently lose one. Every
// JSON text tractus takes from a person or a client is read through parse_noting_duplicates,
// which reports each repeated key by its JSON pointer (hazard H7, docs/safety/hazard-analysis.md).
// Used wherever JSON comes in: profiles, screening files, register maps, calibration records
// and verification lines, journals, and the console's request bodies and files.
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::strict_json {

// RFC 6901: "~" -> "~0", "/" -> "~1".
inline std::string json_pointer_token(std::string_view key) {
  std::string token;
  for (const char c : key) {
    if (c == '~')
      token += "~0";
    else if (c == '/')
      token += "~1";
    else
      token += c;
  }
  return token;
}

// A parser callback that notices duplicate keys while the document is read, with the pointer of
// the repeated key ("/patient/id").
template <class Json> class DuplicateKeyFinder {
public:
  bool on_event(typename Json::parse_event_t event, const Json &parsed) {
    using E = typename Json::parse_event_t;
    switch (event) {
    case E::object_start: frames_.push_back(Frame{true, {}, {}, 0}); break;
    case E::array_start: frames_.push_back(Frame{false, {}, {}, 0}); break;
    case E::key: {
      Frame &frame = frames_.back();
      frame.key = parsed.template get<std::string>();
      if (!frame.keys.insert(frame.key).second) duplicates_.push_back(current_pointer());
      break;
    }
    case E::object_end:
    case E::array_end:
      frames_.pop_back();
      value_done();
      break;
    case E::value: value_done(); break;
    }
    return true; // keep everything; duplicates are reported, not dropped
  }
  [[nodiscard]] const std::vector<std::string> &duplicates() const { return duplicates_; }

private:
  struct Frame {
    bool is_object;
    std::set<std::string> keys;
    std::string key;
    std::size_t index;
  };
  [[nodiscard]] std::string current_pointer() const {
    std::string pointer;
    for (const Frame &frame : frames_)
      pointer +=
          "/" + (frame.is_object ? json_pointer_token(frame.key) : std::to_string(frame.index));
    return pointer;
  }
  void value_done() {
    if (!frames_.empty() && !frames_.back().is_object) ++frames_.back().index;
  }
  std::vector<Frame> frames_;
  std::vector<std::string> duplicates_;
};

// Json::parse(text), adding the pointer of every repeated key to `duplicates`. Throws what
// Json::parse throws (parse_error; out_of_range for a number no double can hold).
template <class Json>
Json parse_noting_duplicates(std::string_view text, std::vector<std::string> &duplicates) {
  DuplicateKeyFinder<Json> finder;
  Json root = Json::parse(text.begin(), text.end(),
                          [&](int /*depth*/, typename Json::parse_event_t event, Json &parsed) {
                            return finder.on_event(event, parsed);
                          });
  duplicates.insert(duplicates.end(), finder.duplicates().begin(), finder.duplicates().end());
  return root;
}

// The same for a reader that treats any damage alike: a text that is not JSON reads as a
// discarded value (`is_discarded()`), as `Json::parse(text, nullptr, false)` gives.
template <class Json>
Json parse_noting_duplicates_or_discarded(std::string_view text,
                                          std::vector<std::string> &duplicates) {
  try {
    return parse_noting_duplicates<Json>(text, duplicates);
  } catch (const typename Json::exception &) {
    return Json(Json::value_t::discarded);
  }
}

} // namespace tractus::strict_json
