#include "records/report/guarding.hpp"

#include "records/report/json_members.hpp"
#include "records/report/report_text.hpp"

#include <algorithm>
#include <cmath>

namespace tractus::records::report {

GuardingRecord guarding_of(const SessionEntry &entry) {
  GuardingRecord g;
  int onsets = 0;
  std::optional<double> largest;
  if (entry.events.is_array()) {
    for (const auto &event : entry.events) {
      const std::string kind = text_at(event, {"event"});
      const auto t = number_at(event, {"t"});
      const auto size = number_at(event, {"size_n"});
      if (kind == "guarding-onset" && t) {
        ++onsets;
        g.spans.push_back({*t, std::nullopt, size});
      } else if (kind == "guarding-end" && t) {
        // The end closes the newest open span; an end with none open (a damaged line lost the
        // onset) is skipped rather than guessed.
        for (auto it = g.spans.rbegin(); it != g.spans.rend(); ++it) {
          if (it->end_s) break;
          it->end_s = std::max(*t, it->onset_s);
          if (size) it->size_n = size;
          break;
        }
        if (size) largest = std::max(largest.value_or(*size), *size);
      }
    }
  }
  const nlohmann::json *summary = entry.summary ? member_at(*entry.summary, {"guarding"}) : nullptr;
  if (summary != nullptr && summary->is_object()) {
    g.recorded = true;
    const auto events = number_at(*summary, {"events"});
    g.events = events && *events >= 0 ? static_cast<int>(*events) : onsets;
    g.largest_n = number_at(*summary, {"largest_n"});
    g.seconds = number_at(*summary, {"seconds"});
  } else if (onsets > 0) {
    // No summary (interrupted), or one from before the summary counted it: the events say.
    g.recorded = true;
    g.events = onsets;
    g.largest_n = largest;
    double seconds = 0;
    for (const auto &s : g.spans)
      if (s.end_s) seconds += *s.end_s - s.onset_s;
    g.seconds = seconds;
  }
  // Otherwise not recorded: a journal from before the detector, or one cut short before any
  // event and its summary (the curve cannot tell which).
  return g;
}

std::string guarding_text(const GuardingRecord &g) {
  if (!g.recorded) return std::string(kNone);
  if (g.events == 0) return "none";
  std::string text = std::to_string(g.events) +
                     (g.events == 1 ? " muscle-guarding event" : " muscle-guarding events");
  if (g.largest_n && *g.largest_n > 0) text += ", largest " + force_text(g.largest_n);
  if (g.seconds) text += ", " + number_text(g.seconds, 1, "s") + " in all";
  return text;
}

} // namespace tractus::records::report
