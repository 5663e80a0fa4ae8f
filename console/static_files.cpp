#include "console/static_files.hpp"

#include <array>
#include <utility>

namespace tractus::console {

std::string_view content_type_for(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> types{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".md", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
      {".wav", "audio/wav"},
      {".mp3", "audio/mpeg"},
  }};
  for (const auto &[extension, type] : types)
    if (path.ends_with(extension)) return type;
  return "application/octet-stream";
}

std::optional<StaticFile> find_static_file(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const EmbeddedFile &file : embedded_web_files()) {
    if (path != file.path) continue;
    // The generated arrays hold bytes; the HTTP body wants chars of the same bytes.
    const std::string_view body(reinterpret_cast<const char *>(file.data), file.size);
    return StaticFile{body, content_type_for(path)};
  }
  return std::nullopt;
}

} // namespace tractus::console
