// Text and tables on a report page: one line cut short with "…" when it would not fit, wrapped
// paragraphs, labelled fields and ruled tables, all in DejaVu Sans (fonts-dejavu-core), the
// font cairo finds through fontconfig on every table's PC and embeds in the PDF, so pdftotext
// and a screen reader get the text back. Every string is made drawable first (drawable_text).
#pragma once

#include <cairo.h>

#include <string>
#include <string_view>
#include <vector>

namespace tractus::records::report {

struct Colour {
  double r = 0, g = 0, b = 0;
};
// Okabe and Ito's palette (2008), told apart with every common colour-vision deficiency.
inline constexpr Colour kInk{0.10, 0.10, 0.12};
inline constexpr Colour kMuted{0.38, 0.40, 0.44};
inline constexpr Colour kRule{0.78, 0.80, 0.83};
inline constexpr Colour kBand{0.95, 0.96, 0.97};
inline constexpr Colour kAlert{0.80, 0.10, 0.05};
inline constexpr Colour kBlue{0.00, 0.45, 0.70};
inline constexpr Colour kSkyBlue{0.34, 0.71, 0.91};
inline constexpr Colour kOrange{0.90, 0.62, 0.00};
inline constexpr Colour kVermillion{0.84, 0.37, 0.00};
inline constexpr Colour kGreen{0.00, 0.62, 0.45};
// Okabe and Ito's reddish purple, and a light tint of it for a shaded span (muscle guarding).
inline constexpr Colour kPurple{0.80, 0.47, 0.65};
inline constexpr Colour kPurpleTint{0.93, 0.82, 0.89};

enum class Align { Left, Centre, Right };

struct Font {
  double size = 9; // points
  bool bold = false;
};

class Page {
public:
  explicit Page(cairo_t *cr) : cr_(cr) {}
  [[nodiscard]] cairo_t *cairo() const { return cr_; }

  [[nodiscard]] double width_of(std::string_view text, Font font) const;
  // `text` made drawable and, when wider than `max_width`, cut short with "…".
  [[nodiscard]] std::string fitted(std::string_view text, Font font, double max_width) const;
  // `text` in lines at most `width` wide, broken at spaces (a word too long is cut), at most
  // `max_lines` of them, the last ending in "…" when text was left out.
  [[nodiscard]] std::vector<std::string> wrapped(std::string_view text, Font font, double width,
                                                 int max_lines) const;

  // One line, its baseline at y, aligned on x, cut to `max_width` when it is above 0.
  // Returns its width.
  double text(double x, double y, std::string_view text, Font font, Align align = Align::Left,
              Colour colour = kInk, double max_width = 0) const;
  // Lines `line_height` apart from baseline y; returns how many were drawn.
  int paragraph(double x, double y, double width, double line_height, std::string_view text,
                Font font, int max_lines, Colour colour = kInk) const;
  // "label  value": the label muted in a column `label_width` wide, the value after it.
  void field(double x, double y, double label_width, double width, std::string_view label,
             std::string_view value, Font font, Colour value_colour = kInk) const;

  void line(double x0, double y0, double x1, double y1, double line_width, Colour colour) const;
  void rectangle(double x, double y, double width, double height, Colour fill) const;

private:
  void use(Font font, Colour colour) const;
  cairo_t *cr_;
};

struct Column {
  std::string heading;
  double width = 0;
  Align align = Align::Left;
};

struct TableStyle {
  Font font{7.5, false};
  double row_height = 11;
};

// A table from y_top: a bold heading row over a rule, then the rows, every other one banded,
// each cell cut to its column; with no row, one line across the table saying `when_empty`.
// Returns the y below the last row.
double draw_table(const Page &page, double x, double y_top, const std::vector<Column> &columns,
                  const std::vector<std::vector<std::string>> &rows, const TableStyle &style,
                  std::string_view when_empty = "");

} // namespace tractus::records::report
