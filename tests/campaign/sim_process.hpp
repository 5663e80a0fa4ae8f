// tractus-sim as a child process of the Modbus campaign, on a free loopback port.
//
// Killed and reaped when the object goes (SIGTERM, then SIGKILL after 1 s), whatever path the
// session took, and killed by the kernel if the campaign itself dies (PR_SET_PDEATHSIG: create
// it from a thread that outlives it, e.g. the main thread — the signal follows the thread).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace tractus::campaign {

class SimProcess {
public:
  // Runs `binary --listen 127.0.0.1:0 --port-file DIR/NAME.port --realtime ARGS...` with its
  // output in DIR/NAME.log, and waits (at most 10 s) for the port it bound. Throws
  // std::runtime_error with the log if it does not come up.
  SimProcess(const std::filesystem::path &binary, const std::filesystem::path &dir,
             const std::string &name, const std::vector<std::string> &args);
  ~SimProcess();
  SimProcess(const SimProcess &) = delete;
  SimProcess &operator=(const SimProcess &) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::string address() const {
    return "modbus-tcp://127.0.0.1:" + std::to_string(port_);
  }
  // Still running (not exited or killed)?
  [[nodiscard]] bool running();
  // Its stdout and stderr so far (the last `max_chars`).
  [[nodiscard]] std::string log(std::size_t max_chars = 2000) const;

private:
  void stop() noexcept;
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::uint16_t port_ = 0;
  std::filesystem::path port_file_, log_file_;
};

} // namespace tractus::campaign
