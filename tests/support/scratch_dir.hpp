// A fresh folder under the system's temporary folder, removed at the end of the test unless the
// test failed (then its path is printed, to look at the logs and journals). For the tests paced
// by the wall clock (the integration tests, the console's), whose failures are read afterwards.
#pragma once

#include <filesystem>
#include <string>

namespace tractus::testing {

class ScratchDir {
public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir &) = delete;
  ScratchDir &operator=(const ScratchDir &) = delete;
  [[nodiscard]] const std::filesystem::path &path() const noexcept { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::string &name) const {
    return path_ / name;
  }

private:
  std::filesystem::path path_;
};

} // namespace tractus::testing
