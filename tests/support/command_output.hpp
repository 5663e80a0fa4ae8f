// A command run through /bin/sh as a user would type it, its standard output and error read
// together and its exit status kept: how the command-line tests run the real binaries.
#pragma once

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace tractus::testing {

struct CommandOutput {
  int exit_code = -1; // -1: it did not exit (a signal) or could not be started
  std::string output; // stdout and stderr together
};

inline CommandOutput run_command(const std::string &command_line) {
  CommandOutput r;
  FILE *pipe = ::popen((command_line + " 2>&1").c_str(), "r");
  if (pipe == nullptr) {
    return r;
  }
  std::array<char, 4096> buf{};
  while (std::fgets(buf.data(), static_cast<int>(buf.size()), pipe) != nullptr) {
    r.output += buf.data();
  }
  const int status = ::pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

} // namespace tractus::testing
