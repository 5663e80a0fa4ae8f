#include "records/clinic_identity.hpp"

#include "records/row_values.hpp"
#include "records/utc_now.hpp"

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include <array>
#include <cstdio>
#include <optional>
#include <random>

namespace tractus::records {
namespace {

constexpr const char *kSetting = "clinic_uuid";

std::optional<std::string> stored_uuid(RecordsStore &store) {
  soci::rowset<soci::row> rows =
      (store.query().prepare << "SELECT value_json FROM clinic_settings WHERE name = :n",
       soci::use(std::string(kSetting)));
  for (const auto &row : rows) {
    const auto value = nlohmann::json::parse(text_at(row, "value_json"), nullptr, false);
    if (value.is_string()) return value.get<std::string>();
  }
  return std::nullopt;
}

// 122 random bits from the system's entropy (std::random_device is /dev/urandom here).
std::string random_uuid() {
  std::random_device entropy;
  std::array<unsigned char, 16> b{};
  for (auto &byte : b)
    byte = static_cast<unsigned char>(entropy() & 0xFFU);
  b[6] = static_cast<unsigned char>((b[6] & 0x0FU) | 0x40U); // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3FU) | 0x80U); // the RFC variant
  std::string text;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text += '-';
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", b[i]);
    text += hex;
  }
  return text;
}

} // namespace

std::string clinic_uuid(RecordsStore &store) {
  try {
    if (auto found = stored_uuid(store)) return *found;
  } catch (...) {
    store.rethrow("reading the clinic's identity");
  }
  const std::string made = random_uuid();
  const std::string value = nlohmann::json(made).dump();
  const std::string now = utc_now();
  try {
    store.in_transaction([&] {
      store.sql() << "INSERT INTO clinic_settings (name, value_json, set_utc, set_by) "
                     "VALUES (:n, :v, :t, 'tractus')",
          soci::use(std::string(kSetting)), soci::use(value), soci::use(now);
    });
  } catch (const StoreError &e) {
    // Another table made it first: theirs is the clinic's.
    if (e.failure() != StoreFailure::Conflict) throw;
  }
  try {
    if (auto found = stored_uuid(store)) return *found;
  } catch (...) {
    store.rethrow("reading the clinic's identity");
  }
  throw StoreError(StoreFailure::Failed, "the clinic's identity was not kept in the store");
}

} // namespace tractus::records
