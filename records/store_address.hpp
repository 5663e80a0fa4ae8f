// Where the clinic's records are: `--records` (or `records` in the configuration file).
//
//   (nothing)                      DATA/records.sqlite, the embedded default: nothing to set up
//   sqlite:PATH                    an SQLite file of the clinic's choosing
//   postgresql://USER@HOST/DB?…    a PostgreSQL database that several tables share
//   postgres://…                   the same (libpq accepts both schemes)
//
// A PostgreSQL address is handed to libpq as written (any libpq URI parameter works), with a
// connect timeout, TCP keepalives and a TCP user timeout added when it sets none of its own: a
// store that is down or cut off must refuse a session's start within seconds, never hang the
// console (docs/records.md). The parameter matters for a
// second reason: SOCI 4.0's PostgreSQL back end reads its connection string as KEY=VALUE words
// and turns a bare word into "WORD=", so a URI with no "=" in it would reach libpq damaged.
#pragma once

#include "text/outcome.hpp"

#include <filesystem>
#include <string>

namespace tractus::records {

enum class Backend { Sqlite, Postgresql };

struct StoreAddress {
  Backend backend = Backend::Sqlite;
  std::string connection; // SQLite: the file's path; PostgreSQL: the libpq URI
  // What to show a person and write to a log: a PostgreSQL password (user:PASSWORD@ or
  // password=) is replaced by "***".
  std::string shown;
};

// The address a --records value names, or why it names none (a message naming the value).
// `data_dir` is where the embedded default lives when `value` is empty.
[[nodiscard]] text::Outcome<StoreAddress>
parse_store_address(const std::string &value, const std::filesystem::path &data_dir);

} // namespace tractus::records
