#include "console/private_file.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tractus::console {
namespace {

std::string system_error(const std::filesystem::path &file, const std::string &doing) {
  return file.string() + ": " + doing + ": " + std::strerror(errno);
}

// Writes all of `text` to `fd`, retrying short writes and interrupted calls.
bool write_all(int fd, const std::string &text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

void fsync_folder(const std::filesystem::path &folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw PrivateFileError(system_error(folder, "cannot open the folder to sync it"));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw PrivateFileError(system_error(folder, "cannot sync the folder"));
}

} // namespace

void write_private_file(const std::filesystem::path &file, const std::string &text) {
  const auto folder = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  std::error_code ec;
  if (std::filesystem::create_directories(folder, ec))
    // Only this user needs the folder; the file itself is 0600 as well.
    std::filesystem::permissions(folder, std::filesystem::perms::owner_all, ec);
  if (ec) throw PrivateFileError(folder.string() + ": cannot create the folder: " + ec.message());

  // A name of mkstemp's making, created new (O_EXCL, mode 0600): never a file or a link that
  // someone else planted in a shared folder such as /tmp.
  std::string name = (folder / (file.filename().string() + ".tmp-XXXXXX")).string();
  const int fd = ::mkostemp(name.data(), O_CLOEXEC);
  const std::filesystem::path temp = name;
  if (fd < 0) throw PrivateFileError(system_error(temp, "cannot be created"));
  // fchmod: O_CREAT's mode is filtered by the umask and an old temp file keeps its own mode.
  const bool written =
      ::fchmod(fd, S_IRUSR | S_IWUSR) == 0 && write_all(fd, text) && ::fsync(fd) == 0;
  const std::string write_error = written ? "" : system_error(temp, "cannot be written");
  ::close(fd);
  if (!written || ::rename(temp.c_str(), file.c_str()) != 0) {
    const std::string message = written ? system_error(file, "cannot be replaced") : write_error;
    ::unlink(temp.c_str());
    throw PrivateFileError(message);
  }
  fsync_folder(folder);
}

} // namespace tractus::console
