// A report read back as a reader would: written to a file, then through poppler-utils
// (pdftotext -layout for its text, pdfinfo for its pages and whether it is a PDF at all,
// pdftoppm for a picture of the page).
#pragma once

#include "support/command_output.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

namespace tractus::records::report::fixtures {

inline std::filesystem::path write_file(const std::filesystem::path &path,
                                        const std::string &bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

inline std::string quoted(const std::filesystem::path &path) { return "'" + path.string() + "'"; }

// The text pdftotext reads, in the page's layout.
inline std::string pdf_text(const std::filesystem::path &pdf) {
  return tractus::testing::run_command("pdftotext -layout " + quoted(pdf) + " -").output;
}

struct PdfInfo {
  int exit_code = -1; // pdfinfo's: 0 for a PDF it could read
  int pages = -1;
  std::string page_size; // "595.276 x 841.89 pts (A4)"
};

inline PdfInfo pdf_info(const std::filesystem::path &pdf) {
  const auto out = tractus::testing::run_command("pdfinfo " + quoted(pdf));
  PdfInfo info;
  info.exit_code = out.exit_code;
  std::smatch m;
  if (std::regex_search(out.output, m, std::regex(R"(Pages:\s+(\d+))"))) {
    info.pages = std::stoi(m[1]);
  }
  if (std::regex_search(out.output, m, std::regex(R"(Page size:\s+([^\n]+))"))) {
    info.page_size = m[1];
  }
  return info;
}

// Where a test keeps what a person should look at: TRACTUS_TEST_ARTIFACTS when set (CI), else
// the test's build folder.
inline std::filesystem::path artifact_dir() {
  const char *env = std::getenv("TRACTUS_TEST_ARTIFACTS");
  std::filesystem::path dir = env != nullptr && *env != '\0' ? env : TRACTUS_ARTIFACT_DIR;
  std::filesystem::create_directories(dir);
  return dir;
}

// The PNG's width and height from its IHDR chunk (PNG spec 11.2.2), {0, 0} if it is none.
inline std::pair<unsigned, unsigned> png_size(const std::string &png) {
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0) return {0, 0};
  const auto be32 = [&](std::size_t at) {
    unsigned v = 0;
    for (std::size_t i = 0; i < 4; ++i)
      v = (v << 8U) | static_cast<unsigned char>(png[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

} // namespace tractus::records::report::fixtures
