#include "records/report/document.hpp"

#include <cairo-pdf.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>

namespace tractus::records::report {
namespace {

cairo_status_t append_to_string(void *closure, const unsigned char *data, unsigned int length) {
  static_cast<std::string *>(closure)->append(reinterpret_cast<const char *>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// cairo takes ISO 8601 for the creation date; anything else is left out rather than passed on.
bool is_utc_timestamp(const std::string &t) {
  const std::string_view pattern = "dddd-dd-ddTdd:dd:ddZ";
  if (t.size() != pattern.size()) return false;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const bool digit = std::isdigit(static_cast<unsigned char>(t[i])) != 0;
    if (pattern[i] == 'd' ? !digit : t[i] != pattern[i]) return false;
  }
  return true;
}

void check(cairo_status_t status, const char *what) {
  if (status != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(std::string("report: ") + what + ": " +
                             cairo_status_to_string(status));
  }
}

int page_count(const Document &d) { return std::clamp(d.pages, 1, 1000); }

} // namespace

std::string pdf_bytes(const Document &document) {
  std::string bytes;
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(
      append_to_string, &bytes, document.width_pt, document.height_pt);
  if (!document.title.empty()) {
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, document.title.c_str());
  }
  if (!document.creator.empty()) {
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, document.creator.c_str());
  }
  if (is_utc_timestamp(document.created_utc)) {
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE,
                                   document.created_utc.c_str());
  }
  cairo_t *cr = cairo_create(surface);
  for (int page = 0; page < page_count(document); ++page) {
    cairo_save(cr);
    if (document.draw) document.draw(cr, page);
    cairo_restore(cr);
    cairo_show_page(cr);
  }
  const cairo_status_t drawn = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(surface);
  const cairo_status_t written = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  check(drawn, "drawing the PDF");
  check(written, "writing the PDF");
  return bytes;
}

std::string png_bytes(const Document &document, double pixels_per_point) {
  const double scale = std::clamp(pixels_per_point, 0.1, 8.0);
  const int pages = page_count(document);
  const int width = static_cast<int>(std::ceil(document.width_pt * scale));
  const int page_height = static_cast<int>(std::ceil(document.height_pt * scale));
  const int gap = pages > 1 ? static_cast<int>(std::ceil(12 * scale)) : 0;
  cairo_surface_t *surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width,
                                                        pages * page_height + (pages - 1) * gap);
  cairo_t *cr = cairo_create(surface);
  // Text measured as on the PDF (unhinted advances), so what fits there fits here too.
  cairo_font_options_t *options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);
  cairo_set_source_rgb(cr, 0.8, 0.8, 0.8); // the gap between pages
  cairo_paint(cr);
  for (int page = 0; page < pages; ++page) {
    cairo_save(cr);
    cairo_translate(cr, 0, page * (page_height + gap));
    cairo_rectangle(cr, 0, 0, width, page_height);
    cairo_clip(cr);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    if (document.draw) document.draw(cr, page);
    cairo_restore(cr);
  }
  const cairo_status_t drawn = cairo_status(cr);
  cairo_destroy(cr);
  std::string bytes;
  const cairo_status_t written =
      drawn == CAIRO_STATUS_SUCCESS
          ? cairo_surface_write_to_png_stream(surface, append_to_string, &bytes)
          : drawn;
  cairo_surface_destroy(surface);
  check(drawn, "drawing the PNG");
  check(written, "writing the PNG");
  return bytes;
}

} // namespace tractus::records::report
