#include "records/store_address.hpp"

#include <utility>

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

// "…?sslmode=require&password=secret" → "…?sslmode=require&password=***".
std::string without_password_parameter(std::string uri) {
  const auto query = uri.find('?');
  if (query == std::string::npos) return uri;
  for (auto at = uri.find("password=", query); at != std::string::npos;
       at = uri.find("password=", at + 1)) {
    const char before = uri[at - 1];
    if (before != '?' && before != '&') continue;
    const auto value = at + 9;
    const auto end = uri.find('&', value);
    uri.replace(value, (end == std::string::npos ? uri.size() : end) - value, "***");
  }
  return uri;
}

// What a PostgreSQL address gets unless it says otherwise: a store that is down or cut off
// answers within seconds, never holds the console's worker thread for the kernel's minutes.
//   connect_timeout   5 s to connect;
//   keepalives…       a silent peer found within about 11 s (5 s idle, then 3 probes 2 s apart);
//   tcp_user_timeout  data unacknowledged for 10 s ends the connection.
constexpr std::pair<const char *, const char *> kDefaultParameters[] = {
    {"connect_timeout", "5"},     {"keepalives", "1"},       {"keepalives_idle", "5"},
    {"keepalives_interval", "2"}, {"keepalives_count", "3"}, {"tcp_user_timeout", "10000"}};

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
    for (const auto &[name, setting] : kDefaultParameters) {
      if (uri.find(std::string(name) + "=") != std::string::npos) continue;
      uri += (uri.find('?') == std::string::npos ? "?" : "&") + std::string(name) + "=" + setting;
    }
    return Result{
        StoreAddress{Backend::Postgresql, uri, without_password_parameter(without_password(value))},
        {}};
  }
  return Result::failure("--records " + without_password_parameter(without_password(value)) +
                         ": not a records store (sqlite:PATH or postgresql://USER@HOST/DB)");
}

} // namespace tractus::records
