// A report as pages drawn on any cairo context, so one drawing becomes both the PDF the clinic
// files and the PNG the console shows. Drawing happens in PostScript points (1/72 in), the
// unit of cairo's PDF surface, on a white page.
#pragma once

#include <cairo.h>

#include <functional>
#include <string>

namespace tractus::records::report {

// ISO 216 A4, 210 × 297 mm, in points.
inline constexpr double kA4WidthPt = 595.276;
inline constexpr double kA4HeightPt = 841.89;

struct Document {
  double width_pt = kA4WidthPt, height_pt = kA4HeightPt;
  int pages = 1;
  std::function<void(cairo_t *, int page)> draw; // page 0 first
  // The PDF's information dictionary.
  std::string title, creator;
  std::string created_utc; // "2026-12-06T09:30:00Z"; not written when it is not in that form
};

// The PDF's bytes. Throws std::runtime_error naming cairo's error if the drawing failed.
[[nodiscard]] std::string pdf_bytes(const Document &document);

// A PNG of every page, one under the other, `pixels_per_point` pixels a point (1 is 72 dpi,
// 2 a sharp screen's). Throws std::runtime_error as pdf_bytes does.
[[nodiscard]] std::string png_bytes(const Document &document, double pixels_per_point);

} // namespace tractus::records::report
