#include "records/report/session_report.hpp"

#include "profiles/quantity_text.hpp"
#include "records/report/chart.hpp"
#include "records/report/csv.hpp"
#include "records/report/document.hpp"
#include "records/report/guarding.hpp"
#include "records/report/json_members.hpp"
#include "records/report/report_frame.hpp"
#include "records/report/report_text.hpp"
#include "text/number_text.hpp"
#include "units/units.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tractus::records::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kRight = kA4WidthPt - kMargin;
constexpr double kColumnGap = 18;
constexpr double kColumn = (kRight - kMargin - kColumnGap) / 2;
constexpr double kLabel = 74;
constexpr double kEventRow = 11;

struct Curve {
  std::vector<double> t, setpoint, force;
};

double number_or_nan(const nlohmann::json &j) { return j.is_number() ? j.get<double>() : kNaN; }

// The store's curve, [[t, setpoint, force], …]; a point of another shape is left out.
Curve curve_of(const SessionEntry &entry) {
  Curve c;
  if (!entry.curve.is_array()) return c;
  for (const auto &p : entry.curve) {
    if (!p.is_array() || p.size() < 3) continue;
    c.t.push_back(number_or_nan(p[0]));
    c.setpoint.push_back(number_or_nan(p[1]));
    c.force.push_back(number_or_nan(p[2]));
  }
  return c;
}

std::optional<double> highest(const std::vector<double> &values) {
  std::optional<double> h;
  for (const double v : values) {
    if (std::isfinite(v) && (!h || v > *h)) h = v;
  }
  return h;
}

std::string joined(const std::vector<std::string> &parts, std::string_view separator = " · ") {
  std::string text;
  for (const auto &p : parts) {
    if (p.empty()) continue;
    if (!text.empty()) text += separator;
    text += p;
  }
  return text.empty() ? std::string(kNone) : text;
}

// "40 %bw → 313.8 N = 70.5 lbf": as written in the profile, then as resolved for this patient.
std::string resolved_force(const nlohmann::json &header, std::string_view as_written,
                           std::string_view resolved) {
  const std::string written = text_at(header, {"profile", "as_run", as_written});
  const auto n = number_at(header, {"profile", "resolved", resolved});
  if (!n) return written.empty() ? std::string(kNone) : written;
  return (written.empty() ? "" : written + " \xE2\x86\x92 ") + force_text(n);
}

std::string outcome_text(const SessionEntry &e) {
  if (!e.summary) return "interrupted \xE2\x80\x94 no summary in the journal";
  std::string text = e.outcome.empty() ? std::string(kNone) : e.outcome;
  const std::string fault = text_at(*e.summary, {"fault"});
  const std::string code = text_at(*e.summary, {"code"});
  if (!code.empty() || !fault.empty()) text += " \xE2\x80\x94 " + joined({code, fault}, " ");
  return text;
}

// Seconds in each state, in the order a session passes through them.
std::string states_text(const SessionEntry &e) {
  const nlohmann::json *states = e.summary ? member_at(*e.summary, {"seconds_in_state"}) : nullptr;
  if (states == nullptr || !states->is_object()) return std::string(kNone);
  static const std::vector<std::string> kOrder = {"idle",   "ready",     "pretension", "treating",
                                                  "paused", "releasing", "complete",   "fault"};
  std::vector<std::string> names = kOrder;
  for (const auto &[state, seconds] : states->items()) {
    if (std::find(names.begin(), names.end(), state) == names.end()) names.push_back(state);
  }
  std::vector<std::string> parts;
  for (const auto &state : names) {
    const auto seconds = number_at(*states, {state});
    if (seconds) parts.push_back(state + " " + profiles::format_duration(Duration(*seconds)));
  }
  return joined(parts);
}

// A value with its unit when there is one, else nothing (a part of a joined line).
std::string part(std::optional<double> value, int decimals, std::string_view unit) {
  return value ? number_text(value, decimals, unit) : "";
}

void draw_header(const Page &page, const SessionEntry &e, double y) {
  const nlohmann::json &h = e.header;
  const double right_x = kMargin + kColumn + kColumnGap;
  draw_heading(page, kMargin, y, "Patient and table");
  draw_heading(page, right_x, y, "Protocol as run");
  y += 13;
  const auto left = [&](double row, std::string_view label, const std::string &value,
                        Colour colour = kInk) {
    page.field(kMargin, y + row * kBodyLine, kLabel, kColumn, label, value, kBodyFont, colour);
  };
  const auto right = [&](double row, std::string_view label, const std::string &value) {
    page.field(right_x, y + row * kBodyLine, kLabel, kColumn, label, value, kBodyFont);
  };
  left(0, "Patient", e.patient_id.empty() ? "none given" : e.patient_id,
       e.patient_id.empty() ? kAlert : kInk);
  left(1, "Body mass", number_text(e.body_mass_kg, 1, "kg"));
  left(2, "Started", utc_text(e.started_utc));
  left(3, "Table", joined({e.table_name, text_at(h, {"table", "address"})}));
  const std::string preset = text_at(h, {"table", "preset"});
  left(4, "Simulator",
       e.simulated ? "SIMULATOR" + (preset.empty() ? "" : " (preset " + preset + ")")
                   : "no: a real table",
       e.simulated ? kAlert : kInk);
  left(5, "Calibration",
       joined({text_at(h, {"calibration", "id"}), text_at(h, {"calibration", "source"})}));
  left(6, "Limits",
       joined({part(number_at(h, {"limits", "hard_cap_n"}), 1, "N cap"),
               part(number_at(h, {"limits", "over_force_n"}), 1, "N over-force"),
               part(number_at(h, {"limits", "treatment_rate_n_per_s"}), 1, "N/s")}));

  const std::string name =
      e.profile_name.empty() ? text_at(h, {"profile", "as_run", "name"}) : e.profile_name;
  right(0, "Protocol", name.empty() ? std::string(kNone) : name);
  right(1, "Protocol id", e.profile_id.empty() ? std::string(kNone) : e.profile_id);
  right(2, "Region, mode", joined({e.region, text_at(h, {"profile", "as_run", "mode"})}));
  right(3, "Max force", resolved_force(h, "max_force", "max_force_n"));
  right(4, "Rest force", resolved_force(h, "rest_force", "rest_force_n"));
  const auto timing = [&](std::string_view key) {
    const std::string t = text_at(h, {"profile", "as_run", key});
    return t.empty() ? "" : std::string(key) + " " + t;
  };
  right(5, "Timing", joined({timing("hold"), timing("rest"), timing("ramp")}));
  const std::string progressive = text_at(h, {"profile", "as_run", "progressive_steps"});
  const std::string regressive = text_at(h, {"profile", "as_run", "regressive_steps"});
  right(6, "Steps",
        joined({progressive.empty() ? "" : progressive + " progressive",
                regressive.empty() ? "" : regressive + " regressive"}));
  const std::string cycles = text_at(h, {"profile", "resolved", "cycles"});
  right(7, "Duration",
        joined({text_at(h, {"profile", "as_run", "duration"}),
                cycles.empty() ? "" : cycles + " cycles"}));
}

double draw_visit(const Page &page, const SessionVisit &v, double y) {
  draw_heading(page, kMargin, y, "Course visit " + std::to_string(v.number));
  y += 13;
  page.field(kMargin, y, kLabel, kColumn, "Confirmed", force_text(v.confirmed_force_n), kBodyFont);
  page.field(kMargin + kColumn + kColumnGap, y, kLabel, kColumn,
             "Pain (0\xE2\x80\x93"
             "10)",
             "before " + pain_text(v.pain_before) + " \xE2\x86\x92 after " +
                 pain_text(v.pain_after),
             kBodyFont);
  y += kBodyLine;
  page.text(kMargin, y, "Note", kBodyFont, Align::Left, kMuted);
  const int lines = page.paragraph(kMargin + kLabel, y, kRight - kMargin - kLabel, kBodyLine,
                                   v.note.empty() ? std::string(kNone) : v.note, kBodyFont, 3);
  return y + std::max(1, lines) * kBodyLine;
}

void draw_force_chart(const Page &page, const SessionEntry &e, double y, double height) {
  const Curve c = curve_of(e);
  std::vector<double> minutes;
  for (const double t : c.t)
    minutes.push_back(t / 60);
  const double last_minute =
      std::max({highest(minutes).value_or(0.0), e.duration_s.value_or(0.0) / 60, 1.0});
  const double top = std::max({highest(c.setpoint).value_or(0.0), highest(c.force).value_or(0.0),
                               e.peak_force_n.value_or(0.0), 10.0});
  Ticks x = nice_ticks(0, last_minute, 10);
  Ticks left = nice_ticks(0, top * 1.05, 6);
  Chart chart(page, Rect{kMargin, y, kRight - kMargin, height}, x, "Time since start (min)", left,
              "Force (N)");
  chart.right_axis(ticks_within(left.min / kNewtonsPerLbf, left.max / kNewtonsPerLbf, 6),
                   "Force (lbf)");
  // Muscle guarding, onset to end, shaded under the lines with a rule at each onset; an event
  // the journal never ended (cut short) runs to the curve's end.
  const GuardingRecord guarding = guarding_of(e);
  const double curve_end = std::max(highest(minutes).value_or(0.0), 0.0);
  for (const auto &s : guarding.spans)
    chart.span(s.onset_s / 60, s.end_s ? *s.end_s / 60 : std::max(curve_end, s.onset_s / 60),
               kPurpleTint);
  chart.draw_axes();
  for (const auto &s : guarding.spans)
    chart.rule(s.onset_s / 60, kPurple);
  const LineStyle setpoint{kOrange, 1.3, true, Marker::None};
  const LineStyle force{kBlue, 1.1, false, Marker::None};
  // The setpoint over the force, dashed, so both show where they agree.
  chart.line(minutes, c.force, force);
  chart.line(minutes, c.setpoint, setpoint);
  std::vector<LegendEntry> legend = {{"Setpoint", setpoint, false},
                                     {"Measured force (highest each second)", force, false}};
  if (!guarding.spans.empty())
    legend.push_back({"Muscle guarding", LineStyle{kPurpleTint, 1, false, Marker::None}, true});
  chart.legend(legend);
  if (!highest(c.force)) chart.message("No force curve in the journal");
}

double draw_summary(const Page &page, const SessionEntry &e, const Curve &c, double y) {
  draw_heading(page, kMargin, y, "Summary");
  y += 13;
  const double right_x = kMargin + kColumn + kColumnGap;
  const double full = kRight - kMargin;
  const bool completed = e.summary && e.outcome == "completed";
  page.field(kMargin, y, kLabel, full, "Outcome", outcome_text(e), Font{8.5, true},
             completed ? kInk : kAlert);
  y += kBodyLine;
  std::string peak = force_text(e.peak_force_n);
  if (!e.peak_force_n && highest(c.force)) peak = force_text(highest(c.force)) + " (in the curve)";
  page.field(kMargin, y, kLabel, kColumn, "Peak force", peak, kBodyFont);
  const auto rms_n = e.summary ? number_at(*e.summary, {"hold_rms_error_n"}) : std::nullopt;
  page.field(right_x, y, kLabel, kColumn, "Hold RMS error",
             number_text(rms_n, 1, "N") + " (" + number_text(e.hold_rms_error_percent, 1, "%") +
                 " of the setpoint)",
             kBodyFont);
  y += kBodyLine;
  page.field(kMargin, y, kLabel, kColumn, "Duration",
             e.duration_s && std::isfinite(*e.duration_s)
                 ? profiles::format_duration(Duration(*e.duration_s))
                 : std::string(kNone),
             kBodyFont);
  page.field(right_x, y, kLabel, kColumn, "Exit code",
             e.exit_code ? std::to_string(*e.exit_code) : std::string(kNone), kBodyFont);
  y += kBodyLine;
  // A notice, not a fault: in ink, whatever the count.
  page.field(kMargin, y, kLabel, full, "Guarding", guarding_text(guarding_of(e)), kBodyFont);
  y += kBodyLine;
  page.field(kMargin, y, kLabel, full, "Time in state", states_text(e), kBodyFont);
  if (!e.problems.empty()) {
    y += kBodyLine;
    page.field(kMargin, y, kLabel, full, "Journal",
               std::to_string(e.problems.size()) + " damaged line" +
                   (e.problems.size() == 1 ? "" : "s") + ": " + e.problems.front(),
               kBodyFont, kAlert);
  }
  return y + kBodyLine;
}

std::vector<std::string> event_row(const nlohmann::json &event) {
  const std::string code = text_at(event, {"code"});
  const std::string fault = text_at(event, {"fault"});
  // A guarding event's size (size_n: at onset, at its end the largest it reached).
  const auto size = number_at(event, {"size_n"});
  std::string detail = text_at(event, {"detail"});
  // First, so a detail cut to its column never loses it.
  if (size) detail = force_text(size) + (detail.empty() ? "" : ": " + detail);
  return {clock_text(number_at(event, {"t"})), text_at(event, {"event"}), text_at(event, {"state"}),
          code.empty() && fault.empty() ? "" : joined({code, fault}, " "), detail};
}

void draw_events(const Page &page, const SessionEntry &e, double y) {
  draw_heading(page, kMargin, y, "Events and faults");
  y += 5;
  const std::vector<Column> columns = {{"Time", 40, Align::Right},
                                       {"Event", 74, Align::Left},
                                       {"State", 64, Align::Left},
                                       {"Fault", 112, Align::Left},
                                       {"Detail", kRight - kMargin - 290, Align::Left}};
  const TableStyle style{kSmallFont, kEventRow};
  std::vector<nlohmann::json> events;
  if (e.events.is_array()) {
    for (const auto &event : e.events)
      events.push_back(event);
  }
  // Rows that fit above the footer, one kept for the line saying how many more there are.
  const auto room = static_cast<std::size_t>(
      std::max(0.0, std::floor((kFooterTop - 8 - y - style.row_height) / style.row_height)));
  const bool all_fit = events.size() <= room;
  const std::size_t shown = all_fit ? events.size() : (room > 0 ? room - 1 : 0);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 0; i < shown; ++i)
    rows.push_back(event_row(events[i]));
  const double bottom =
      draw_table(page, kMargin, y, columns, rows, style, "No event in the journal");
  if (!all_fit) {
    const std::size_t more = events.size() - shown;
    page.text(kMargin + 3, bottom + 9,
              "\xE2\x80\xA6 and " + std::to_string(more) + " more event" + (more == 1 ? "" : "s") +
                  ", all in the journal",
              kSmallFont, Align::Left, kMuted);
  }
}

// The chart takes the room the events leave: taller for a session with a few events, never
// below 220 pt (a 20-minute curve still reads at about 0.4 pt a second).
double chart_height_for(const SessionEntry &e, double chart_top) {
  const std::size_t events = e.events.is_array() ? e.events.size() : 0;
  const double summary = 13 + (e.problems.empty() ? 5 : 6) * kBodyLine;
  const double table = 8 + static_cast<double>(std::max<std::size_t>(events, 1) + 2) * kEventRow;
  const double room = kFooterTop - 8 - (chart_top + 10) - 14 - summary - 8 - table;
  return std::clamp(room, 220.0, 320.0);
}

Document session_document(const SessionEntry &e, const std::optional<SessionVisit> &visit,
                          const ReportStamp &stamp) {
  Document d;
  d.title = "Session report " + e.session_id;
  d.creator = "tractus " + stamp.version;
  d.created_utc = stamp.generated_utc;
  d.draw = [&e, visit, stamp](cairo_t *cr, int) {
    const Page page(cr);
    const std::string subtitle =
        joined({"Session " + (e.session_id.empty() ? std::string(kNone) : e.session_id),
                "started " + utc_text(e.started_utc)});
    double y = draw_title(page, "Session report", subtitle);
    if (e.simulated) draw_simulator_mark(page);
    draw_header(page, e, y + 16);
    y += 16 + 13 + 8 * kBodyLine;
    if (visit) y = draw_visit(page, *visit, y + 8);
    const double chart_top = y + 6;
    draw_heading(page, kMargin, chart_top + 8, "Force against setpoint");
    const double chart_height = chart_height_for(e, chart_top);
    draw_force_chart(page, e, chart_top + 10, chart_height);
    y = draw_summary(page, e, curve_of(e), chart_top + 10 + chart_height + 14);
    draw_events(page, e, y + 8);
    draw_footer(page,
                "Journal " + (e.journal_file.empty() ? std::string(kNone) : e.journal_file) + ", " +
                    size_text(e.journal_bytes) +
                    (e.table_name.empty() ? "" : ", on table " + e.table_name),
                stamp, 1, 1);
  };
  return d;
}

} // namespace

SessionVisit session_visit(const Visit &visit) {
  return {visit.number, visit.pain_before, visit.pain_after, visit.note, visit.confirmed_force_n};
}

std::string session_report_pdf(const SessionEntry &entry, const std::optional<SessionVisit> &visit,
                               const ReportStamp &stamp) {
  return pdf_bytes(session_document(entry, visit, stamp));
}

std::string session_report_png(const SessionEntry &entry, const std::optional<SessionVisit> &visit,
                               const ReportStamp &stamp, double pixels_per_point) {
  return png_bytes(session_document(entry, visit, stamp), pixels_per_point);
}

std::string session_report_csv(const SessionEntry &entry) {
  const Curve c = curve_of(entry);
  const GuardingRecord guarding = guarding_of(entry);
  std::string csv = csv_row({"t_s", "setpoint_n", "force_n", "guarding", "guarding_size_n"});
  for (std::size_t i = 0; i < c.t.size(); ++i) {
    // The point stands for [t, the next point's t) (one second at the end): under way if a
    // guarding event overlaps it, and the size of one that began in it (the largest it reached).
    const double from = c.t[i];
    const double to = i + 1 < c.t.size() && std::isfinite(c.t[i + 1]) ? c.t[i + 1] : from + 1;
    bool under_way = false;
    std::optional<double> size_n;
    for (const auto &s : guarding.spans) {
      if (!std::isfinite(from)) break;
      if (s.onset_s < to && (!s.end_s || *s.end_s >= from)) under_way = true;
      if (s.onset_s >= from && s.onset_s < to) {
        const double size = s.size_n.value_or(0.0);
        size_n = std::max(size_n.value_or(size), size);
      }
    }
    csv += csv_row({csv_number(c.t[i], 3), csv_number(c.setpoint[i], 2), csv_number(c.force[i], 2),
                    std::isfinite(from) ? (under_way ? "1" : "0") : "",
                    size_n ? csv_number(*size_n, 1) : ""});
  }
  return csv;
}

} // namespace tractus::records::report
