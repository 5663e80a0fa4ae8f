#include "records/report/page.hpp"

#include "records/report/drawable_text.hpp"

#include <algorithm>

namespace tractus::records::report {
namespace {

constexpr const char *kFontFamily = "DejaVu Sans";
constexpr std::string_view kEllipsis = "\xE2\x80\xA6"; // U+2026

} // namespace

void Page::use(Font font, Colour colour) const {
  cairo_select_font_face(cr_, kFontFamily, CAIRO_FONT_SLANT_NORMAL,
                         font.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr_, font.size);
  cairo_set_source_rgb(cr_, colour.r, colour.g, colour.b);
}

double Page::width_of(std::string_view text, Font font) const {
  use(font, kInk);
  const std::string drawable = drawable_text(text);
  cairo_text_extents_t extents{};
  cairo_text_extents(cr_, drawable.c_str(), &extents);
  return extents.x_advance;
}

std::string Page::fitted(std::string_view text, Font font, double max_width) const {
  std::string drawable = drawable_text(text);
  if (max_width <= 0 || width_of(drawable, font) <= max_width) return drawable;
  // Cut by halves first, at a character's start: a note of thousands of characters must not be
  // measured thousands of times.
  while (drawable.size() > 64) {
    std::size_t cut = drawable.size() / 2;
    while (cut > 0 && (static_cast<unsigned char>(drawable[cut]) & 0xC0U) == 0x80U)
      --cut;
    if (width_of(drawable.substr(0, cut), font) <= max_width) break;
    drawable.resize(cut);
  }
  while (!drawable.empty() && width_of(drawable + std::string(kEllipsis), font) > max_width) {
    drawable = without_last_character(drawable);
  }
  return drawable + std::string(kEllipsis);
}

std::vector<std::string> Page::wrapped(std::string_view text, Font font, double width,
                                       int max_lines) const {
  const std::string drawable = drawable_text(text);
  std::vector<std::string> words;
  for (std::size_t i = 0; i < drawable.size();) {
    const std::size_t end = std::min(drawable.find(' ', i), drawable.size());
    if (end > i) words.push_back(drawable.substr(i, end - i));
    i = end + 1;
  }
  std::vector<std::string> lines;
  std::string current;
  std::size_t next = 0;
  for (; next < words.size(); ++next) {
    const std::string candidate = current.empty() ? words[next] : current + " " + words[next];
    if (current.empty() || width_of(candidate, font) <= width) {
      current = candidate;
      continue;
    }
    lines.push_back(current);
    current = words[next];
    if (static_cast<int>(lines.size()) == max_lines) break;
  }
  const bool left_out = next < words.size();
  if (!left_out && !current.empty()) lines.push_back(current);
  for (auto &line : lines)
    line = fitted(line, font, width);
  if (left_out && !lines.empty()) {
    lines.back() = fitted(lines.back() + " " + std::string(kEllipsis), font, width);
  }
  return lines;
}

double Page::text(double x, double y, std::string_view text, Font font, Align align, Colour colour,
                  double max_width) const {
  const std::string shown = fitted(text, font, max_width);
  const double width = width_of(shown, font);
  const double left = align == Align::Left ? x : align == Align::Right ? x - width : x - width / 2;
  use(font, colour);
  cairo_move_to(cr_, left, y);
  cairo_show_text(cr_, shown.c_str());
  cairo_new_path(cr_);
  return width;
}

int Page::paragraph(double x, double y, double width, double line_height, std::string_view text,
                    Font font, int max_lines, Colour colour) const {
  const auto lines = wrapped(text, font, width, max_lines);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    this->text(x, y + static_cast<double>(i) * line_height, lines[i], font, Align::Left, colour);
  }
  return static_cast<int>(lines.size());
}

void Page::field(double x, double y, double label_width, double width, std::string_view label,
                 std::string_view value, Font font, Colour value_colour) const {
  text(x, y, label, font, Align::Left, kMuted, label_width - 4);
  text(x + label_width, y, value, font, Align::Left, value_colour, width - label_width);
}

void Page::line(double x0, double y0, double x1, double y1, double line_width,
                Colour colour) const {
  cairo_set_source_rgb(cr_, colour.r, colour.g, colour.b);
  cairo_set_line_width(cr_, line_width);
  cairo_move_to(cr_, x0, y0);
  cairo_line_to(cr_, x1, y1);
  cairo_stroke(cr_);
}

void Page::rectangle(double x, double y, double width, double height, Colour fill) const {
  cairo_set_source_rgb(cr_, fill.r, fill.g, fill.b);
  cairo_rectangle(cr_, x, y, width, height);
  cairo_fill(cr_);
}

double draw_table(const Page &page, double x, double y_top, const std::vector<Column> &columns,
                  const std::vector<std::vector<std::string>> &rows, const TableStyle &style,
                  std::string_view when_empty) {
  constexpr double kPad = 3;
  double total = 0;
  for (const auto &c : columns)
    total += c.width;
  // Text sits a third of the way up from a row's bottom: centred to the eye for these sizes.
  const double baseline = style.row_height * 0.5 + style.font.size * 0.35;
  const auto draw_row = [&](double top, const std::vector<std::string> &cells, Font font,
                            Colour colour) {
    double left = x;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const Column &c = columns[i];
      const std::string_view cell = i < cells.size() ? std::string_view(cells[i]) : "";
      const double anchor = c.align == Align::Left    ? left + kPad
                            : c.align == Align::Right ? left + c.width - kPad
                                                      : left + c.width / 2;
      page.text(anchor, top + baseline, cell, font, c.align, colour, c.width - 2 * kPad);
      left += c.width;
    }
  };
  std::vector<std::string> headings;
  for (const auto &c : columns)
    headings.push_back(c.heading);
  draw_row(y_top, headings, Font{style.font.size, true}, kMuted);
  double y = y_top + style.row_height;
  page.line(x, y, x + total, y, 0.6, kRule);
  for (std::size_t r = 0; r < rows.size(); ++r) {
    if (r % 2 == 1) page.rectangle(x, y, total, style.row_height, kBand);
    draw_row(y, rows[r], style.font, kInk);
    y += style.row_height;
  }
  if (rows.empty() && !when_empty.empty()) {
    page.text(x + kPad, y + baseline, when_empty, style.font, Align::Left, kMuted, total - kPad);
    y += style.row_height;
  }
  page.line(x, y, x + total, y, 0.6, kRule);
  return y;
}

} // namespace tractus::records::report
