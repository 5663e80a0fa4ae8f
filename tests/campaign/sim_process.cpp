#include "sim_process.hpp"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace tractus::campaign {

namespace {

using namespace std::chrono_literals;

std::string read_all(const std::filesystem::path &file) {
  std::ifstream in(file);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

SimProcess::SimProcess(const std::filesystem::path &binary, const std::filesystem::path &dir,
                       const std::string &name, const std::vector<std::string> &args)
    : port_file_(dir / (name + ".port")), log_file_(dir / (name + ".log")) {
  std::error_code ec;
  std::filesystem::remove(port_file_, ec);
  std::vector<std::string> argv{binary.string(), "--listen",          "127.0.0.1:0",
                                "--port-file",   port_file_.string(), "--realtime"};
  argv.insert(argv.end(), args.begin(), args.end());
  // Everything the child needs is made before fork: after it, only async-signal-safe calls.
  std::vector<char *> cargs;
  for (std::string &a : argv)
    cargs.push_back(a.data());
  cargs.push_back(nullptr);
  const std::string log = log_file_.string();
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
    }
    const int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, STDIN_FILENO);
    execv(cargs[0], cargs.data());
    _exit(127);
  }
  if (pid_ < 0) throw std::runtime_error("cannot start tractus-sim: fork failed");

  // tractus-sim writes the port file atomically once it listens.
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < until) {
    if (std::filesystem::exists(port_file_, ec)) {
      port_ = static_cast<std::uint16_t>(std::stoi(read_all(port_file_)));
      if (port_ != 0) return;
    }
    if (!running()) break;
    std::this_thread::sleep_for(5ms);
  }
  const std::string why = running() ? "no port within 10 s" : "it exited";
  stop();
  throw std::runtime_error("tractus-sim (" + binary.string() + ") did not come up: " + why +
                           "; its output: " + log_file_.string() + ": " + this->log());
}

SimProcess::~SimProcess() {
  stop();
  std::error_code ec;
  std::filesystem::remove(port_file_, ec);
  std::filesystem::remove(log_file_, ec);
}

bool SimProcess::running() {
  if (reaped_ || pid_ <= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

void SimProcess::stop() noexcept {
  if (pid_ <= 0 || reaped_) return;
  ::kill(pid_, SIGTERM); // tractus-sim stops cleanly on SIGTERM
  for (int i = 0; i < 100 && running(); ++i)
    std::this_thread::sleep_for(10ms);
  if (running()) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
  }
}

std::string SimProcess::log(std::size_t max_chars) const {
  std::string s = read_all(log_file_);
  if (s.size() > max_chars) s = "..." + s.substr(s.size() - max_chars);
  return s;
}

} // namespace tractus::campaign
