// One tractus process on a table at a time. Two masters on an RTU line garble each other's
// frames, and two controllers on one drive fight over it; so `tractus serve`, `tractus run`,
// `tractus calibrate` and `tractus doctor` each hold an advisory lock (flock) on a file named
// after the table for as long as they use it, and a second one is refused, naming the first's
// process id. The file is in /run/lock (the service's unit may write there), else the
// temporary folder; it is left in place, as lock files are.
#pragma once

#include "text/outcome.hpp"

#include <memory>
#include <string>

namespace tractus::bindings {

class TableLock {
public:
  explicit TableLock(int fd) noexcept : fd_(fd) {}
  ~TableLock();
  TableLock(const TableLock &) = delete;
  TableLock &operator=(const TableLock &) = delete;

private:
  int fd_;
};

// `key`: what names the table ("127.0.0.1:1502", "/dev/ttyUSB0"). On failure, why: another
// process holds it (with its pid), or the lock file cannot be opened (naming it).
text::Outcome<std::shared_ptr<TableLock>> lock_table(const std::string &key);

} // namespace tractus::bindings
