#include "records/report/course_report.hpp"

#include "records/report/chart.hpp"
#include "records/report/csv.hpp"
#include "records/report/document.hpp"
#include "records/report/guarding.hpp"
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
constexpr double kLabel = 70;

// Where the chart's heading is, and the least and most room for the chart and a table row: a
// short course gets a tall chart and airy rows; 40 visits still fit the page, at 10 pt rows.
constexpr double kChartHeadingY = 184;
constexpr double kChartMin = 165, kChartMax = 300;
constexpr double kRowMin = 10, kRowMax = 13;
constexpr double kTableHeadingGap = 22; // from the chart's bottom to the table's top
constexpr double kContinuedTop = 100;   // the table's top on a page after the first

// A visit as the report shows it, its session looked up once.
struct VisitLine {
  const Visit *visit;
  const SessionEntry *session; // nullptr: not run, or its journal not indexed
};

struct Layout {
  double chart_height = kChartMax, row_height = kRowMax;
  std::size_t first_page_rows = 0, later_page_rows = 0;
  int pages = 1;
};

std::vector<VisitLine> lines_of(const CourseRecords &r) {
  std::vector<VisitLine> lines;
  for (const auto &v : r.visits) {
    const auto it = v.session_id.empty() ? r.sessions.end() : r.sessions.find(v.session_id);
    lines.push_back({&v, it == r.sessions.end() ? nullptr : &it->second});
  }
  return lines;
}

Layout layout_for(std::size_t visits) {
  Layout l;
  const double room = kFooterTop - 8 - (kChartHeadingY + 2) - kTableHeadingGap;
  const double rows = static_cast<double>(std::max<std::size_t>(visits, 1) + 1); // + the headings
  l.chart_height = std::clamp(room - rows * kRowMax, kChartMin, kChartMax);
  l.row_height = std::clamp((room - l.chart_height) / rows, kRowMin, kRowMax);
  const auto fit = [&](double space) {
    return static_cast<std::size_t>(std::max(1.0, std::floor(space / l.row_height) - 1));
  };
  l.first_page_rows = fit(room - l.chart_height);
  l.later_page_rows = fit(kFooterTop - 8 - kContinuedTop);
  if (visits > l.first_page_rows) {
    const std::size_t rest = visits - l.first_page_rows;
    l.pages = 1 + static_cast<int>((rest + l.later_page_rows - 1) / l.later_page_rows);
  }
  return l;
}

std::string force_cell(std::optional<double> n) {
  if (!n || !std::isfinite(*n)) return std::string(kNone);
  return text::format_number(*n, 1) + " (" + text::format_number(in_lbf(Force(*n)), 1) + ")";
}

std::string outcome_of(const VisitLine &line) {
  if (line.session != nullptr) return line.session->outcome;
  return line.visit->session_id.empty() ? "not run" : "not indexed";
}

std::string date_of(const VisitLine &line) {
  return line.session != nullptr ? line.session->started_utc : line.visit->confirmed_utc;
}

std::optional<double> peak_of(const VisitLine &line) {
  if (line.session == nullptr || !line.session->peak_force_n) return std::nullopt;
  const double peak = *line.session->peak_force_n;
  return std::isfinite(peak) ? std::optional<double>(peak) : std::nullopt;
}

// The protocol's name as its sessions ran it (the plan keeps only its id).
std::string protocol_name(const CourseRecords &r) {
  for (const auto &[id, s] : r.sessions) {
    if (s.profile_id == r.course.plan.protocol_id && !s.profile_name.empty()) {
      return s.profile_name;
    }
  }
  return std::string(kNone);
}

std::string or_none(const std::string &text) { return text.empty() ? std::string(kNone) : text; }

void draw_plan(const Page &page, const CourseRecords &r, const std::vector<VisitLine> &lines,
               double y) {
  const CoursePlan &plan = r.course.plan;
  const double right_x = kMargin + kColumn + kColumnGap;
  draw_heading(page, kMargin, y, "Patient and protocol");
  draw_heading(page, right_x, y, "Plan");
  y += 13;
  const auto left = [&](int row, std::string_view label, const std::string &value,
                        Colour colour = kInk) {
    page.field(kMargin, y + row * kBodyLine, kLabel, kColumn, label, value, kBodyFont, colour);
  };
  const auto right = [&](int row, std::string_view label, const std::string &value) {
    page.field(right_x, y + row * kBodyLine, kLabel, kColumn, label, value, kBodyFont);
  };
  left(0, "Patient", plan.patient_id.empty() ? "none given" : plan.patient_id,
       plan.patient_id.empty() ? kAlert : kInk);
  left(1, "Region", or_none(plan.region));
  left(2, "Protocol", protocol_name(r));
  left(3, "Protocol id", or_none(plan.protocol_id));
  left(4, "Started",
       utc_text(r.course.created_utc) + (plan.created_by.empty() ? "" : " by " + plan.created_by));
  left(5, "Status", r.course.closed_utc ? "closed " + utc_text(*r.course.closed_utc) : "open");
  const auto run = std::count_if(lines.begin(), lines.end(),
                                 [](const VisitLine &l) { return l.session != nullptr; });
  right(0, "Visits",
        std::to_string(plan.visits_planned) + " visits planned; " + std::to_string(lines.size()) +
            " confirmed, " + std::to_string(run) + " run");
  right(1, "Start force", force_text(plan.rule.start_force_n));
  right(2, "Step", "+" + force_text(plan.rule.step_n) + " a visit that went well");
  right(3, "Ceiling", force_text(plan.rule.ceiling_n));
}

void draw_course_chart(const Page &page, const CourseRecords &r,
                       const std::vector<VisitLine> &lines, double y, double height) {
  int last = std::clamp(r.course.plan.visits_planned, 1, 500);
  double top = std::isfinite(r.course.plan.rule.ceiling_n) ? r.course.plan.rule.ceiling_n : 0;
  std::vector<double> numbers, peaks, confirmed, before, after;
  for (const auto &l : lines) {
    last = std::max(last, std::min(l.visit->number, 500));
    numbers.push_back(l.visit->number);
    peaks.push_back(peak_of(l).value_or(kNaN));
    confirmed.push_back(std::isfinite(l.visit->confirmed_force_n) ? l.visit->confirmed_force_n
                                                                  : kNaN);
    before.push_back(l.visit->pain_before ? *l.visit->pain_before : kNaN);
    after.push_back(l.visit->pain_after ? *l.visit->pain_after : kNaN);
    for (const double f : {peaks.back(), confirmed.back()}) {
      if (std::isfinite(f)) top = std::max(top, f);
    }
  }
  Ticks x;
  x.min = 0.5, x.max = last + 0.5;
  x.step = std::max(1.0, nice_step(last, 20));
  // Every visit up to 20, else every 2nd or 5th: labels a reader can tell apart.
  for (double v = x.step > 1 ? x.step : 1; v <= last; v += x.step)
    x.values.push_back(v);
  const Ticks left = nice_ticks(0, std::max(top, 10.0) * 1.08, 6);
  Chart chart(page, Rect{kMargin, y, kRight - kMargin, height}, x, "Visit", left, "Force (N)");
  Ticks pain{0, 10.5, 2, {0, 2, 4, 6, 8, 10}, 0};
  chart.right_axis(pain, "Pain (0\xE2\x80\x93"
                         "10)");
  chart.draw_axes();
  chart.bars(numbers, peaks, 0.6, kSkyBlue);
  const LineStyle ceiling{kMuted, 0.9, true, Marker::None};
  const LineStyle confirmed_style{kBlue, 1.2, false, Marker::Square};
  const LineStyle before_style{kVermillion, 1.1, true, Marker::Circle};
  const LineStyle after_style{kGreen, 1.3, false, Marker::Circle};
  if (r.course.plan.rule.ceiling_n > 0) {
    chart.line({x.min, x.max}, {r.course.plan.rule.ceiling_n, r.course.plan.rule.ceiling_n},
               ceiling);
  }
  chart.line(numbers, confirmed, confirmed_style);
  chart.line(numbers, before, before_style, Side::Right);
  chart.line(numbers, after, after_style, Side::Right);
  chart.legend({{"Peak force", LineStyle{kSkyBlue}, true},
                {"Confirmed force", confirmed_style, false},
                {"Ceiling", ceiling, false},
                {"Pain before", before_style, false},
                {"Pain after", after_style, false}});
  if (lines.empty()) chart.message("No visit yet");
}

const std::vector<Column> &visit_columns() {
  static const std::vector<Column> columns = {{"Visit", 26, Align::Right},
                                              {"Date (UTC)", 54, Align::Left},
                                              {"Confirmed", 58, Align::Right},
                                              {"Proposed", 58, Align::Right},
                                              {"Peak", 60, Align::Right},
                                              {"Outcome", 58, Align::Left},
                                              {"Guarding", 50, Align::Centre},
                                              {"Pain", 34, Align::Centre},
                                              {"Note", kRight - kMargin - 402, Align::Left}};
  return columns;
}

// A visit's muscle-guarding events as its session's journal counts them; nothing when the visit
// was not run, its journal is not indexed, or the journal is from before the detector (never a
// count it does not hold: records/report/guarding.hpp).
std::optional<GuardingRecord> visit_guarding(const VisitLine &l) {
  if (l.session == nullptr) return std::nullopt;
  GuardingRecord g = guarding_of(*l.session);
  if (!g.recorded) return std::nullopt;
  return g;
}

std::string guarding_cell(const VisitLine &l) {
  const auto g = visit_guarding(l);
  return g ? std::to_string(g->events) : std::string(kNone);
}

std::vector<std::string> visit_row(const VisitLine &l) {
  return {std::to_string(l.visit->number),
          utc_date_of(date_of(l)),
          force_cell(l.visit->confirmed_force_n),
          force_cell(l.visit->proposed_force_n),
          force_cell(peak_of(l)),
          outcome_of(l),
          guarding_cell(l),
          pain_change_text(l.visit->pain_before, l.visit->pain_after),
          l.visit->note};
}

void draw_visits(const Page &page, const std::vector<VisitLine> &lines, std::size_t from,
                 std::size_t count, double y, double row_height, bool continued) {
  draw_heading(page, kMargin, y - 5, continued ? "Visits (continued)" : "Visits");
  page.text(kRight, y - 5,
            "Forces in N (lbf); pain before \xE2\x86\x92 after, 0\xE2\x80\x93"
            "10",
            kSmallFont, Align::Right, kMuted);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = from; i < std::min(lines.size(), from + count); ++i) {
    rows.push_back(visit_row(lines[i]));
  }
  const TableStyle style{Font{row_height < 11 ? 7.2 : 7.8, false}, row_height};
  draw_table(page, kMargin, y, visit_columns(), rows, style, "No visit yet");
}

Document course_document(const CourseRecords &r, const ReportStamp &stamp) {
  const auto lines = lines_of(r);
  const Layout layout = layout_for(lines.size());
  Document d;
  d.pages = layout.pages;
  d.title = "Course report " + std::to_string(r.course.id);
  d.creator = "tractus " + stamp.version;
  d.created_utc = stamp.generated_utc;
  d.draw = [&r, lines, layout, stamp](cairo_t *cr, int page_index) {
    const Page page(cr);
    const CoursePlan &plan = r.course.plan;
    const std::string patient = plan.patient_id.empty() ? std::string(kNone) : plan.patient_id;
    const std::string subtitle = "Course " + std::to_string(r.course.id) + " \xC2\xB7 patient " +
                                 patient + " \xC2\xB7 " +
                                 (plan.region.empty() ? std::string(kNone) : plan.region);
    const auto indexed = std::count_if(lines.begin(), lines.end(),
                                       [](const VisitLine &l) { return l.session != nullptr; });
    const std::string record = "Records store: course " + std::to_string(r.course.id) + ", " +
                               std::to_string(lines.size()) + " visits, " +
                               std::to_string(indexed) + " with an indexed session";
    if (page_index == 0) {
      draw_title(page, "Course report", subtitle);
      draw_plan(page, r, lines, 93);
      draw_heading(page, kMargin, kChartHeadingY, "Peak force and pain by visit");
      draw_course_chart(page, r, lines, kChartHeadingY + 2, layout.chart_height);
      draw_visits(page, lines, 0, layout.first_page_rows,
                  kChartHeadingY + 2 + layout.chart_height + kTableHeadingGap, layout.row_height,
                  false);
    } else {
      draw_title(page, "Course report (continued)", subtitle);
      const std::size_t from = layout.first_page_rows +
                               static_cast<std::size_t>(page_index - 1) * layout.later_page_rows;
      draw_visits(page, lines, from, layout.later_page_rows, kContinuedTop, layout.row_height,
                  true);
    }
    draw_footer(page, record, stamp, page_index + 1, layout.pages);
  };
  return d;
}

} // namespace

std::string course_report_pdf(const CourseRecords &records, const ReportStamp &stamp) {
  return pdf_bytes(course_document(records, stamp));
}

std::string course_report_png(const CourseRecords &records, const ReportStamp &stamp,
                              double pixels_per_point) {
  return png_bytes(course_document(records, stamp), pixels_per_point);
}

std::string course_report_csv(const CourseRecords &records) {
  std::string csv = csv_row({"number", "date_utc", "session_id", "proposed_force_n",
                             "confirmed_force_n", "peak_force_n", "outcome", "guarding_events",
                             "guarding_largest_n", "pain_before", "pain_after", "note"});
  for (const auto &l : lines_of(records)) {
    const Visit &v = *l.visit;
    const auto pain = [](std::optional<int> p) { return p ? std::to_string(*p) : ""; };
    const auto g = visit_guarding(l);
    const bool any = g && g->events > 0;
    csv += csv_row({std::to_string(v.number), csv_text(date_of(l)), csv_text(v.session_id),
                    csv_number(v.proposed_force_n, 2), csv_number(v.confirmed_force_n, 2),
                    csv_number(peak_of(l), 2),
                    csv_text(l.session != nullptr ? l.session->outcome : ""),
                    g ? std::to_string(g->events) : "",
                    any && g->largest_n ? csv_number(*g->largest_n, 1) : "", pain(v.pain_before),
                    pain(v.pain_after), csv_text(v.note)});
  }
  return csv;
}

} // namespace tractus::records::report
