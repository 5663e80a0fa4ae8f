#include "postgres_cluster.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <pwd.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <utility>
#include <vector>

namespace tractus::testing {

namespace {

// Any number works, as the socket lives in a private folder and TCP is off. Not the default 5432,
// so a connection string that lost its host= looks for /var/run/postgresql/.s.PGSQL.55432 and
// fails, instead of reaching a machine-wide server.
constexpr int kPort = 55432;

// postgres refuses a socket path of 108 bytes or more (sizeof sockaddr_un::sun_path, counting the
// NUL); the socket is FOLDER/.s.PGSQL.55432.
constexpr std::size_t kMaxSocketPath = 107;
const std::string kFolderPattern = "tractus-pg-XXXXXX";
const std::string kSocketName = "/.s.PGSQL." + std::to_string(kPort);

bool as_root() { return ::geteuid() == 0; }

// For /bin/sh: the paths come from mkdtemp and $TMPDIR, so single quotes are enough.
std::string quote(const std::string &s) {
  std::string out = "'";
  for (const char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The newest /usr/lib/postgresql/<major>/bin that has initdb: Debian keeps one folder per
// installed major version and puts none of them on PATH.
std::filesystem::path newest_bin_dir() {
  const std::filesystem::path root = "/usr/lib/postgresql";
  std::filesystem::path best;
  int best_major = -1;
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator(root, ec)) {
    const std::string name = entry.path().filename().string();
    const bool digits = std::all_of(name.begin(), name.end(), [](char c) {
      return std::isdigit(static_cast<unsigned char>(c));
    });
    if (name.empty() || !digits) continue;
    if (!std::filesystem::exists(entry.path() / "bin" / "initdb")) continue;
    if (const int major = std::stoi(name); major > best_major) {
      best_major = major;
      best = entry.path() / "bin";
    }
  }
  if (best.empty())
    throw std::runtime_error("PostgresCluster: no /usr/lib/postgresql/*/bin/initdb "
                             "(apt-get install postgresql)");
  return best;
}

// A fresh folder under $TMPDIR, or /tmp when $TMPDIR is unset or too long for the socket path.
// As root it is handed to `postgres`, which then needs to pass through $TMPDIR's parents.
std::filesystem::path make_dir() {
  std::string base = "/tmp";
  if (const char *tmp = std::getenv("TMPDIR"); tmp != nullptr && tmp[0] == '/') {
    const std::string candidate = tmp;
    if (candidate.size() + 1 + kFolderPattern.size() + kSocketName.size() <= kMaxSocketPath)
      base = candidate;
  }
  std::string pattern = base + "/" + kFolderPattern;
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("PostgresCluster: mkdtemp " + pattern + ": " + std::strerror(errno));
  if (as_root()) {
    const passwd *user = ::getpwnam("postgres");
    if (user == nullptr || ::chown(pattern.c_str(), user->pw_uid, user->pw_gid) != 0) {
      const std::string why = user == nullptr ? "no `postgres` user (postgresql-common makes it)"
                                              : std::strerror(errno);
      std::filesystem::remove(pattern);
      throw std::runtime_error("PostgresCluster: cannot hand " + pattern +
                               " to the postgres user: " + why);
    }
  }
  return pattern;
}

struct Ran {
  int exit_code = -1;
  std::string output; // standard output and error together
};

// Runs argv through /bin/sh, as `postgres` when we are root, killed after 60 s (and SIGKILLed 5 s
// later) so a hung tool fails the test instead of stalling it. From / so that `postgres` is not
// left in a folder it may not read.
Ran run(const std::vector<std::string> &argv) {
  std::string command = "cd / && exec ";
  if (as_root()) command += "runuser -u postgres -- ";
  command += "timeout -k 5 60";
  for (const std::string &arg : argv) {
    command += ' ';
    command += quote(arg);
  }
  command += " </dev/null 2>&1";
  FILE *pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return {-1, std::string("popen: ") + std::strerror(errno)};
  Ran ran;
  char buffer[4096];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;)
    ran.output.append(buffer, n);
  const int status = ::pclose(pipe);
  if (status != -1 && WIFEXITED(status)) ran.exit_code = WEXITSTATUS(status);
  if (ran.exit_code == 124) ran.output += "\n(timed out after 60 s)";
  return ran;
}

// The last `limit` bytes of `file`, or "" if it cannot be read.
std::string tail(const std::filesystem::path &file, std::size_t limit = 4000) {
  std::ifstream in(file, std::ios::binary);
  const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  return text.size() > limit ? "..." + text.substr(text.size() - limit) : text;
}

void run_or_throw(const std::string &step, const std::vector<std::string> &argv,
                  const std::filesystem::path &log = {}) {
  const Ran ran = run(argv);
  if (ran.exit_code == 0) return;
  std::string message = "PostgresCluster: " + step + " failed (exit " +
                        std::to_string(ran.exit_code) + "):\n" + ran.output;
  if (!log.empty()) message += "\nserver log:\n" + tail(log);
  throw std::runtime_error(message);
}

// The postmaster's pid from the first line of data/postmaster.pid, which exists while it runs;
// 0 if there is none.
pid_t postmaster_pid(const std::filesystem::path &dir) {
  std::ifstream in(dir / "data" / "postmaster.pid");
  long pid = 0;
  return in >> pid && pid > 0 ? static_cast<pid_t>(pid) : 0;
}

bool alive(pid_t pid) { return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM); }

// libpq keyword/value quoting: only when the value has a space, quote or backslash.
std::string conninfo_value(const std::string &v) {
  if (!v.empty() && v.find_first_of(" '\\") == std::string::npos) return v;
  std::string out = "'";
  for (const char c : v) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  return out + "'";
}

std::string percent_encode(const std::string &s) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : s) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += hex[byte >> 4];
      out += hex[byte & 0xF];
    }
  }
  return out;
}

// The folder's owner: the test process that made it, so a later test can tell a cluster left by
// a process that was killed (a ctest timeout, SIGKILL) from one still in use.
constexpr const char *kOwnerFile = "owner.pid";

// Stops and removes every cluster in `base` whose owning process is gone. pg_ctl runs the
// postmaster in a session of its own, so killing a test leaves its server running; without
// this, each killed test would leave one behind until the machine restarts.
void sweep_abandoned(const std::filesystem::path &base, const std::filesystem::path &bin) {
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator(base, ec)) {
    if (entry.path().filename().string().rfind("tractus-pg-", 0) != 0) continue;
    std::ifstream in(entry.path() / kOwnerFile);
    long owner = 0;
    if (!(in >> owner) || owner <= 0 || alive(static_cast<pid_t>(owner))) continue;
    if (alive(postmaster_pid(entry.path())))
      run({(bin / "pg_ctl").string(), "stop", "-m", "immediate", "-w", "-t", "10", "-D",
           (entry.path() / "data").string()});
    std::filesystem::remove_all(entry.path(), ec);
  }
}

} // namespace

PostgresCluster::PostgresCluster(std::string database)
    : database_(std::move(database)), bin_(newest_bin_dir()) {
  // A plain identifier keeps connection() and uri() free of quoting, and is all a test needs;
  // 63 bytes is NAMEDATALEN - 1, beyond which postgres silently truncates the name.
  const bool plain = std::all_of(database_.begin(), database_.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (database_.empty() || database_.size() > 63 || !plain)
    throw std::invalid_argument("PostgresCluster: database name \"" + database_ +
                                "\" is not letters, digits and '_' (1 to 63 of them)");
  dir_ = make_dir();
  sweep_abandoned(dir_.parent_path(), bin_);
  std::ofstream(dir_ / kOwnerFile) << ::getpid() << "\n";
  try {
    // trust: the socket folder is private to this user, so no password is needed; --no-sync
    // and fsync=off because a test's data does not have to survive a power cut.
    run_or_throw("initdb",
                 {(bin_ / "initdb").string(), "-D", (dir_ / "data").string(), "--auth=trust", "-U",
                  "postgres", "--no-sync", "-E", "UTF8", "--locale=C"});
    start();
    run_or_throw("createdb", {(bin_ / "createdb").string(), "-h", dir_.string(), "-p",
                              std::to_string(kPort), "-U", "postgres", database_});
  } catch (...) {
    remove();
    throw;
  }
}

PostgresCluster::~PostgresCluster() { remove(); }

std::string PostgresCluster::connection() const {
  return "host=" + conninfo_value(dir_.string()) + " port=" + std::to_string(kPort) +
         " dbname=" + database_ + " user=postgres";
}

std::string PostgresCluster::create_database(const std::string &name) {
  const bool plain = std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  if (name.empty() || name.size() > 63 || !plain)
    throw std::invalid_argument("PostgresCluster: database name \"" + name +
                                "\" is not letters, digits and '_' (1 to 63 of them)");
  run_or_throw("createdb", {(bin_ / "createdb").string(), "-h", dir_.string(), "-p",
                            std::to_string(kPort), "-U", "postgres", name});
  return "postgresql://postgres@" + percent_encode(dir_.string()) + ":" + std::to_string(kPort) +
         "/" + name;
}

std::string PostgresCluster::uri() const {
  return "postgresql://postgres@" + percent_encode(dir_.string()) + ":" + std::to_string(kPort) +
         "/" + database_;
}

void PostgresCluster::start() {
  // -o goes through pg_ctl's own /bin/sh, hence the inner quoting. listen_addresses='' turns
  // TCP off; -k puts the socket in our folder.
  const std::string options = "-k " + quote(dir_.string()) + " -c listen_addresses='' -p " +
                              std::to_string(kPort) + " -c fsync=off";
  // -l: without a log file the server would keep our pipe open and run() would never return.
  run_or_throw("pg_ctl start",
               {(bin_ / "pg_ctl").string(), "start", "-w", "-t", "30", "-D",
                (dir_ / "data").string(), "-l", (dir_ / "server.log").string(), "-o", options},
               dir_ / "server.log");
}

void PostgresCluster::stop() {
  run_or_throw("pg_ctl stop",
               {(bin_ / "pg_ctl").string(), "stop", "-m", "fast", "-w", "-t", "30", "-D",
                (dir_ / "data").string()},
               dir_ / "server.log");
}

bool PostgresCluster::running() const { return alive(postmaster_pid(dir_)); }

void PostgresCluster::remove() noexcept {
  try {
    if (running()) {
      run({(bin_ / "pg_ctl").string(), "stop", "-m", "immediate", "-w", "-t", "10", "-D",
           (dir_ / "data").string()});
      // Last resort: the backends notice their postmaster is gone and exit; only its small
      // System V shared memory segment stays behind until the next reboot.
      if (const pid_t pid = postmaster_pid(dir_); alive(pid)) {
        ::kill(pid, SIGKILL);
        for (int i = 0; i < 50 && alive(pid); ++i)
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  } catch (...) {
    // Removing the folder below is still worth trying.
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

} // namespace tractus::testing
