#include "harness/process.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace tractus::integration {

std::string Tools::tractus() { return TRACTUS_BIN; }
std::string Tools::tractus_sim() { return TRACTUS_SIM_BIN; }
std::string Tools::mbpoll() { return MBPOLL_BIN; }
std::string Tools::socat() { return SOCAT_BIN; }
std::string Tools::python3() { return PYTHON3_BIN; }
std::filesystem::path Tools::source_dir() { return INTEGRATION_SOURCE_DIR; }
std::filesystem::path Tools::data_dir() { return TRACTUS_TEST_DATA; }

namespace {
int decode_status(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}
} // namespace

Process::Process(const std::vector<std::string> &argv, const std::filesystem::path &out,
                 const std::filesystem::path &err) {
  std::vector<char *> args;
  for (const std::string &a : argv)
    args.push_back(const_cast<char *>(a.c_str()));
  args.push_back(nullptr);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    // Child: die with the test, whatever happens to it; then become the command.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    const int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (o >= 0) dup2(o, STDOUT_FILENO);
    if (e >= 0) dup2(e, STDERR_FILENO);
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    execv(args[0], args.data());
    _exit(127);
  }
  if (pid_ < 0) throw std::runtime_error("fork failed");
}

Process::~Process() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void Process::signal(int sig) noexcept {
  if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

bool Process::running() {
  if (status_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) status_ = decode_status(status);
  return !status_;
}

std::optional<int> Process::wait_for(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (running()) {
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(5ms);
  }
  return status_;
}

RunResult run_command(const std::vector<std::string> &argv, std::chrono::milliseconds timeout) {
  ScratchDir dir;
  RunResult r;
  {
    Process p(argv, dir / "out", dir / "err");
    const auto code = p.wait_for(timeout);
    r.exit_code = code ? *code : -1; // still running: killed by ~Process
  }
  r.out = read_file(dir / "out");
  r.err = read_file(dir / "err");
  return r;
}

std::string read_file(const std::filesystem::path &file) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool wait_for_file(const std::filesystem::path &file, std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  std::error_code ec;
  while (!std::filesystem::exists(file, ec) || std::filesystem::file_size(file, ec) == 0) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

} // namespace tractus::integration
