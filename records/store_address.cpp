#include "records/store_address.hpp"

namespace tractus::records {
namespace {

bool starts_with(const std::string &s, const std::string &prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// "postgresql://user:secret@host/db" → "postgresql://user:***@host/db": the password stays
// out of logs, error messages and the console.
std::string without_password(const std::string &uri) {
  const auto scheme_end = uri.find("://");
  const auto authority = scheme_end + 3;
  const auto at = uri.find('@', authority);
  const auto slash = uri.find('/', authority);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) {
    return uri;
  }
  const auto colon = uri.find(':', authority);
  if (colon == std::string::npos || colon > at) {
    return uri;
  }
  return uri.substr(0, colon + 1) + "***" + uri.substr(at);
}

} // namespace

text::Outcome<StoreAddress> parse_store_address(const std::string &value,
                                                const std::filesystem::path &data_dir) {
  using Result = text::Outcome<StoreAddress>;
  if (value.empty()) {
    const auto file = (data_dir / "records.sqlite").string();
    return Result{StoreAddress{Backend::Sqlite, file, "sqlite:" + file}, {}};
  }
  if (starts_with(value, "sqlite:")) {
    const auto file = value.substr(7);
    if (file.empty()) {
      return Result::failure("--records " + value + ": no file after sqlite: (sqlite:PATH)");
    }
    return Result{StoreAddress{Backend::Sqlite, file, value}, {}};
  }
  if (starts_with(value, "postgresql://") || starts_with(value, "postgres://")) {
    std::string uri = value;
    if (uri.find("connect_timeout=") == std::string::npos) {
      uri += uri.find('?') == std::string::npos ? "?connect_timeout=5" : "&connect_timeout=5";
    }
    return Result{StoreAddress{Backend::Postgresql, uri, without_password(value)}, {}};
  }
  return Result::failure("--records " + without_password(value) +
                         ": not a records store (sqlite:PATH or postgresql://USER@HOST/DB)");
}

} // namespace tractus::records
