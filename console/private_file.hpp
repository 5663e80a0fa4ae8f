// Files of the console's own that must never be torn or read by others: the PINs, the clinic's
// limits as last read (console/records_service.hpp).
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace tractus::console {

class PrivateFileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Writes `text` to `file` atomically: a temporary file in the same folder (mode 0600), fsync,
// rename over the old one, fsync of the folder, so a power cut leaves the old text or the new
// one, never a torn file. Creates the folder (0700). Throws PrivateFileError naming the file.
void write_private_file(const std::filesystem::path &file, const std::string &text);

} // namespace tractus::console
