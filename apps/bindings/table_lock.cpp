#include "bindings/table_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>

namespace tractus::bindings {

namespace {

std::filesystem::path lock_file(const std::string &key) {
  std::string name = "tractus-table-";
  for (const char c : key)
    name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  const std::filesystem::path run_lock = "/run/lock";
  const bool shared = access(run_lock.c_str(), W_OK) == 0;
  return (shared ? run_lock : std::filesystem::temp_directory_path()) / (name + ".lock");
}

} // namespace

TableLock::~TableLock() { close(fd_); } // closing releases the lock

text::Outcome<std::shared_ptr<TableLock>> lock_table(const std::string &key) {
  using Result = text::Outcome<std::shared_ptr<TableLock>>;
  const std::filesystem::path file = lock_file(key);
  const int fd = open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0)
    return Result::failure("cannot open the table's lock file " + file.string() + ": " +
                           std::strerror(errno));
  fchmod(fd, 0666); // whoever runs the next tractus (the service's user, a technician) may lock
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {};
    const ssize_t n = pread(fd, pid, sizeof pid - 1, 0);
    close(fd);
    std::string holder = n > 0 ? std::string(pid, static_cast<std::size_t>(n)) : "?";
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == ' '))
      holder.pop_back();
    return Result::failure("the table is in use by another tractus process (pid " + holder +
                           ", lock " + file.string() +
                           "): one controller at a time; stop it first (the service: "
                           "systemctl stop tractus)");
  }
  const std::string mine = std::to_string(getpid()) + "\n";
  if (ftruncate(fd, 0) == 0 && pwrite(fd, mine.data(), mine.size(), 0) < 0) {
    // the pid is only for the message of the one refused; the lock holds without it
  }
  return {std::make_shared<TableLock>(fd), {}};
}

} // namespace tractus::bindings
