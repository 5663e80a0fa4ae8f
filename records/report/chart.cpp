#include "records/report/chart.hpp"

#include "text/number_text.hpp"

#include <cmath>
#include <numbers>
#include <utility>

namespace tractus::records::report {
namespace {

constexpr Font kTickFont{7, false};
constexpr Font kTitleFont{7.5, false};
constexpr double kLegendHeight = 16;
constexpr double kLeftMargin = 44, kRightMargin = 44, kBottomMargin = 28;

void marker(cairo_t *cr, double x, double y, const LineStyle &style) {
  const Colour &c = style.colour;
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
  if (style.marker == Marker::Circle) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x, y, 2.6, 0, 2 * std::numbers::pi);
  } else if (style.marker == Marker::Square) {
    cairo_rectangle(cr, x - 2.4, y - 2.4, 4.8, 4.8);
  }
  cairo_fill(cr);
}

void use_line(cairo_t *cr, const LineStyle &style) {
  const Colour &c = style.colour;
  cairo_set_source_rgb(cr, c.r, c.g, c.b);
  cairo_set_line_width(cr, style.width);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  const double dash[] = {4.0, 2.5};
  cairo_set_dash(cr, dash, style.dashed ? 2 : 0, 0);
}

} // namespace

Chart::Chart(const Page &page, Rect area, Ticks x, std::string x_title, Ticks left,
             std::string left_title)
    : page_(page), area_(area), x_(std::move(x)), left_(std::move(left)),
      x_title_(std::move(x_title)), left_title_(std::move(left_title)) {
  plot_ = {area.x + kLeftMargin, area.y + kLegendHeight, area.width - kLeftMargin - 8,
           area.height - kLegendHeight - kBottomMargin};
}

void Chart::right_axis(Ticks right, std::string title) {
  right_ = std::move(right);
  right_title_ = std::move(title);
  has_right_ = true;
  plot_.width = area_.width - kLeftMargin - kRightMargin;
}

double Chart::px(double x) const {
  return plot_.x + (x - x_.min) / (x_.max - x_.min) * plot_.width;
}

double Chart::py(double y, Side side) const {
  const Ticks &t = side == Side::Left ? left_ : right_;
  return plot_.y + plot_.height - (y - t.min) / (t.max - t.min) * plot_.height;
}

void Chart::clip() const {
  cairo_rectangle(page_.cairo(), plot_.x, plot_.y, plot_.width, plot_.height);
  cairo_clip(page_.cairo());
}

void Chart::draw_axes() const {
  const double bottom = plot_.y + plot_.height, right = plot_.x + plot_.width;
  for (const double v : left_.values) {
    const double y = py(v, Side::Left);
    page_.line(plot_.x, y, right, y, 0.4, kRule);
    page_.text(plot_.x - 4, y + 2.5, text::format_number(v, left_.decimals), kTickFont,
               Align::Right, kMuted);
  }
  if (has_right_) {
    for (const double v : right_.values) {
      const double y = py(v, Side::Right);
      page_.line(right, y, right + 3, y, 0.6, kMuted);
      page_.text(right + 5, y + 2.5, text::format_number(v, right_.decimals), kTickFont,
                 Align::Left, kMuted);
    }
  }
  for (const double v : x_.values) {
    const double x = px(v);
    page_.line(x, bottom, x, bottom + 3, 0.6, kMuted);
    page_.text(x, bottom + 11, text::format_number(v, x_.decimals), kTickFont, Align::Centre,
               kMuted);
  }
  page_.line(plot_.x, plot_.y, plot_.x, bottom, 0.7, kMuted);
  page_.line(plot_.x, bottom, right, bottom, 0.7, kMuted);
  if (has_right_) page_.line(right, plot_.y, right, bottom, 0.7, kMuted);
  page_.text(plot_.x + plot_.width / 2, bottom + 23, x_title_, kTitleFont, Align::Centre, kInk);
  // Axis titles read bottom to top on the left, top to bottom on the right.
  cairo_t *cr = page_.cairo();
  const double middle = plot_.y + plot_.height / 2;
  cairo_save(cr);
  cairo_translate(cr, area_.x + 9, middle);
  cairo_rotate(cr, -std::numbers::pi / 2);
  page_.text(0, 0, left_title_, kTitleFont, Align::Centre, kInk, plot_.height);
  cairo_restore(cr);
  if (has_right_) {
    cairo_save(cr);
    cairo_translate(cr, area_.x + area_.width - 9, middle);
    cairo_rotate(cr, std::numbers::pi / 2);
    page_.text(0, 0, right_title_, kTitleFont, Align::Centre, kInk, plot_.height);
    cairo_restore(cr);
  }
}

void Chart::line(const std::vector<double> &xs, const std::vector<double> &ys,
                 const LineStyle &style, Side side) const {
  cairo_t *cr = page_.cairo();
  cairo_save(cr);
  clip();
  use_line(cr, style);
  bool drawing = false;
  const std::size_t n = std::min(xs.size(), ys.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      drawing = false;
      continue;
    }
    if (drawing) {
      cairo_line_to(cr, px(xs[i]), py(ys[i], side));
    } else {
      cairo_move_to(cr, px(xs[i]), py(ys[i], side));
      drawing = true;
    }
  }
  cairo_stroke(cr);
  cairo_restore(cr);
  // Markers are not clipped, so a score of 0 or 10 on the plot's edge shows whole.
  const Ticks &y = side == Side::Left ? left_ : right_;
  for (std::size_t i = 0; style.marker != Marker::None && i < n; ++i) {
    const bool inside = xs[i] >= x_.min && xs[i] <= x_.max && ys[i] >= y.min && ys[i] <= y.max;
    if (inside) marker(cr, px(xs[i]), py(ys[i], side), style); // NaN is never inside
  }
}

void Chart::bars(const std::vector<double> &xs, const std::vector<double> &ys, double width,
                 Colour fill) const {
  cairo_t *cr = page_.cairo();
  cairo_save(cr);
  clip();
  const double base = py(std::max(0.0, left_.min), Side::Left);
  const double half = width / 2 * plot_.width / (x_.max - x_.min);
  for (std::size_t i = 0; i < std::min(xs.size(), ys.size()); ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
    const double top = py(ys[i], Side::Left);
    page_.rectangle(px(xs[i]) - half, std::min(top, base), 2 * half, std::abs(base - top), fill);
  }
  cairo_restore(cr);
}

void Chart::span(double x0, double x1, Colour fill, double min_width) const {
  if (!std::isfinite(x0) || !std::isfinite(x1)) return;
  cairo_t *cr = page_.cairo();
  cairo_save(cr);
  clip();
  double left = px(std::min(x0, x1)), right = px(std::max(x0, x1));
  if (right - left < min_width) {
    const double middle = (left + right) / 2;
    left = middle - min_width / 2;
    right = middle + min_width / 2;
  }
  page_.rectangle(left, plot_.y, right - left, plot_.height, fill);
  cairo_restore(cr);
}

void Chart::rule(double x, Colour colour, double width) const {
  if (!std::isfinite(x)) return;
  cairo_t *cr = page_.cairo();
  cairo_save(cr);
  clip();
  page_.line(px(x), plot_.y, px(x), plot_.y + plot_.height, width, colour);
  cairo_restore(cr);
}

void Chart::legend(const std::vector<LegendEntry> &entries) const {
  constexpr double kSwatch = 16, kGap = 12;
  double width = 0;
  for (const auto &e : entries)
    width += kSwatch + 4 + page_.width_of(e.label, kTitleFont) + kGap;
  double x = plot_.x + plot_.width - width + kGap;
  const double y = area_.y + 7;
  cairo_t *cr = page_.cairo();
  for (const auto &e : entries) {
    if (e.bar) {
      page_.rectangle(x + 3, y - 4, kSwatch - 6, 8, e.style.colour);
    } else {
      cairo_save(cr);
      use_line(cr, e.style);
      cairo_move_to(cr, x, y);
      cairo_line_to(cr, x + kSwatch, y);
      cairo_stroke(cr);
      cairo_restore(cr);
      if (e.style.marker != Marker::None) marker(cr, x + kSwatch / 2, y, e.style);
    }
    x += kSwatch + 4;
    x += page_.text(x, y + 2.6, e.label, kTitleFont, Align::Left, kInk) + kGap;
  }
}

void Chart::message(std::string_view text) const {
  page_.text(plot_.x + plot_.width / 2, plot_.y + plot_.height / 2, text, Font{9, false},
             Align::Centre, kMuted, plot_.width - 20);
}

} // namespace tractus::records::report
