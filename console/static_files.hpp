// The console page's files, embedded in the binary at build time (console/web_assets.cmake
// generates embedded_web_files() from console/web and the pinned charting library).
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace tractus::console {

struct EmbeddedFile {
  const char *path; // URL path: "/index.html", "/vendor/uplot.js"
  const unsigned char *data;
  std::size_t size;
};

// Generated at build time (web_assets.cpp).
std::span<const EmbeddedFile> embedded_web_files();

struct StaticFile {
  std::string_view body;
  std::string_view content_type;
};

// The file served at `path` (the request target without its query): "/" is "/index.html".
std::optional<StaticFile> find_static_file(std::string_view path);

// "text/html; charset=utf-8" and so on, from the file name's extension;
// "application/octet-stream" when unknown (with nosniff, a browser will not run it).
std::string_view content_type_for(std::string_view path);

} // namespace tractus::console
