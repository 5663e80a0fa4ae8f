// Reading a column of a soci::row whatever integer width the back end reports: SQLite says
// INTEGER for a key PostgreSQL stores as BIGINT, and soci::row::get<T> throws std::bad_cast
// unless T is exactly the back end's type. NULL reads as nullopt. For records/*.cpp only.
#pragma once

#include <soci/soci.h>

#include <optional>
#include <string>

namespace tractus::records {

inline bool is_null(const soci::row &row, const std::string &name) {
  return row.get_indicator(name) == soci::i_null;
}

inline std::optional<long long> integer_at(const soci::row &row, const std::string &name) {
  if (is_null(row, name)) {
    return std::nullopt;
  }
  switch (row.get_properties(name).get_data_type()) {
  case soci::dt_integer: return row.get<int>(name);
  case soci::dt_long_long: return row.get<long long>(name);
  case soci::dt_unsigned_long_long:
    return static_cast<long long>(row.get<unsigned long long>(name));
  case soci::dt_double: return static_cast<long long>(row.get<double>(name));
  default: return std::stoll(row.get<std::string>(name));
  }
}

inline std::optional<double> real_at(const soci::row &row, const std::string &name) {
  if (is_null(row, name)) {
    return std::nullopt;
  }
  switch (row.get_properties(name).get_data_type()) {
  case soci::dt_double: return row.get<double>(name);
  case soci::dt_integer: return row.get<int>(name);
  case soci::dt_long_long: return static_cast<double>(row.get<long long>(name));
  default: return std::stod(row.get<std::string>(name));
  }
}

inline std::string text_at(const soci::row &row, const std::string &name) {
  return is_null(row, name) ? std::string() : row.get<std::string>(name);
}

} // namespace tractus::records
