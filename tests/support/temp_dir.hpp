// A fresh directory under the system's temporary folder, removed when the test ends. Shared by
// every test that writes files (calibration stores, journals).
#pragma once

#include <filesystem>
#include <string>
#include <unistd.h>

namespace tractus::testing {

class TempDir {
public:
  explicit TempDir(const std::string &name)
      : path_(std::filesystem::temp_directory_path() /
              ("tractus-" + name + "-" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  [[nodiscard]] const std::filesystem::path &path() const { return path_; }

private:
  std::filesystem::path path_;
};

} // namespace tractus::testing
