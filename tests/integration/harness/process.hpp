// Child processes and scratch folders for the integration tests.
//
// Every process a test starts is a Process: it is killed (SIGKILL) and reaped when the object
// goes out of scope, including when an assertion fails, and the kernel kills it too if the
// test executable itself dies (PR_SET_PDEATHSIG), so no test leaves a server behind.
#pragma once

#include "support/scratch_dir.hpp"

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace tractus::integration {

using namespace std::chrono_literals;

// Paths the build passes in (tests/integration/CMakeLists.txt).
struct Tools {
  static std::string tractus();
  static std::string tractus_sim();
  static std::string mbpoll();
  static std::string socat();
  static std::string python3();
  static std::filesystem::path source_dir(); // tests/integration
  static std::filesystem::path data_dir();   // tests/data
};

class Process {
public:
  // Starts argv (argv[0] a path) with stdout and stderr to the given files.
  Process(const std::vector<std::string> &argv, const std::filesystem::path &out,
          const std::filesystem::path &err);
  ~Process();
  Process(const Process &) = delete;
  Process &operator=(const Process &) = delete;

  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  void signal(int sig) noexcept;
  // The exit code (128 + signal if killed), or empty if it is still running after `timeout`.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  [[nodiscard]] bool running();

private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// Runs a command to completion (at most `timeout`, then it is killed) and returns its exit code
// and standard output.
struct RunResult {
  int exit_code = -1;
  std::string out, err;
};
RunResult run_command(const std::vector<std::string> &argv, std::chrono::milliseconds timeout);

using testing::ScratchDir; // support/scratch_dir.hpp

std::string read_file(const std::filesystem::path &file);
// Waits until `file` exists and is not empty; false on timeout.
bool wait_for_file(const std::filesystem::path &file, std::chrono::milliseconds timeout);

} // namespace tractus::integration
