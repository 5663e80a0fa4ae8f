// The process's soft file-size limit (RLIMIT_FSIZE) for the scope of a test: a journal on a
// "full disk" without a mount. A write that crosses it stops short and the next fails with EFBIG
// (the journal ignores SIGXFSZ), as a full file system stops short and fails with ENOSPC.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <sys/resource.h>

namespace tractus::testing {

class FileSizeLimit {
public:
  explicit FileSizeLimit(std::uint64_t bytes) {
    if (::getrlimit(RLIMIT_FSIZE, &saved_) != 0) throw std::runtime_error("getrlimit");
    set(bytes);
  }
  ~FileSizeLimit() { lift(); }
  FileSizeLimit(const FileSizeLimit &) = delete;
  FileSizeLimit &operator=(const FileSizeLimit &) = delete;

  void set(std::uint64_t bytes) {
    rlimit l = saved_;
    l.rlim_cur = static_cast<rlim_t>(bytes);
    if (::setrlimit(RLIMIT_FSIZE, &l) != 0) throw std::runtime_error("setrlimit");
  }
  // Room returns: the limit the process had before.
  void lift() noexcept { ::setrlimit(RLIMIT_FSIZE, &saved_); }

private:
  rlimit saved_{};
};

} // namespace tractus::testing
