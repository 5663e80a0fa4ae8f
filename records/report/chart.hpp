// A line and bar chart on a report page: a left axis, an optional right one (a second scale of
// the same quantity, lbf beside N, or another quantity, pain beside force), a time or visit axis
// below, light grid lines at the left axis's ticks and a legend above the plot. Lines break at
// a value that is not finite rather than join across a gap; everything is clipped to the plot.
#pragma once

#include "records/report/page.hpp"
#include "records/report/ticks.hpp"

#include <string>
#include <vector>

namespace tractus::records::report {

struct Rect {
  double x = 0, y = 0, width = 0, height = 0;
};

enum class Side { Left, Right };
enum class Marker { None, Circle, Square };

struct LineStyle {
  Colour colour = kInk;
  double width = 1.2;
  bool dashed = false;
  Marker marker = Marker::None;
};

struct LegendEntry {
  std::string label;
  LineStyle style;
  bool bar = false; // a filled swatch instead of a line
};

class Chart {
public:
  // `area` holds everything: legend, tick labels and axis titles around the plot.
  Chart(const Page &page, Rect area, Ticks x, std::string x_title, Ticks left,
        std::string left_title);
  // A right axis spanning the plot's height with its own range.
  void right_axis(Ticks right, std::string title);

  void draw_axes() const; // grid, frame, ticks, tick labels, axis titles
  void line(const std::vector<double> &xs, const std::vector<double> &ys, const LineStyle &style,
            Side side = Side::Left) const;
  // Bars centred on xs, `width` in x units wide, from 0 (or the axis's minimum) up to ys.
  void bars(const std::vector<double> &xs, const std::vector<double> &ys, double width,
            Colour fill) const;
  // A shaded band across the plot's height from x0 to x1 (at least `min_width` points wide, so
  // a short span still shows), clipped to the plot. Drawn before the lines, it lies under them.
  void span(double x0, double x1, Colour fill, double min_width = 1.5) const;
  // A thin vertical line across the plot at x (a span's start).
  void rule(double x, Colour colour, double width = 0.8) const;
  void legend(const std::vector<LegendEntry> &entries) const;
  // A sentence in the middle of the plot: why there is nothing in it.
  void message(std::string_view text) const;

  [[nodiscard]] const Rect &plot() const { return plot_; }

private:
  [[nodiscard]] double px(double x) const;
  [[nodiscard]] double py(double y, Side side) const;
  void clip() const;

  const Page &page_;
  Rect area_, plot_;
  Ticks x_, left_, right_;
  std::string x_title_, left_title_, right_title_;
  bool has_right_ = false;
};

} // namespace tractus::records::report
