// The clinic's records store: one SQLite file, or one PostgreSQL database that every table of
// the clinic shares (docs/records.md), through SOCI.
//
// Opening a store connects and brings its schema up to date (records/migrations.cpp), so every
// other part of records/ may assume the newest schema. Nothing here runs in the control cycle:
// it allocates, blocks on the database and throws StoreError. The journal stays the primary,
// checksummed record of what the table did; the store indexes journals and holds what the
// clinic adds (patients, courses, pain scores, notes, clinic protocols).
#pragma once

#include "records/store_address.hpp"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace soci {
class session;
}

namespace tractus::records {

// Why a store operation failed, so the console can answer with a code and the command line
// with an exit status (docs/records.md "Errors").
enum class StoreFailure {
  Unreachable,  // cannot connect, or the connection was lost
  Busy,         // locked by another writer for longer than the wait allows
  Incompatible, // the schema is newer than this tractus, or not a tractus store at all
  Invalid,      // what was asked is wrong (a malformed patient id, a pain score of 11)
  NotFound,     // no such patient, course, visit or session
  Conflict,     // already there (a patient id taken, a visit already confirmed)
  Failed,       // anything else the database refused
};
[[nodiscard]] const char *failure_name(StoreFailure failure);

class StoreError : public std::runtime_error {
public:
  StoreError(StoreFailure failure, const std::string &what)
      : std::runtime_error(what), failure_(failure) {}
  [[nodiscard]] StoreFailure failure() const { return failure_; }

private:
  StoreFailure failure_;
};

// How a store is opened. Only what adds records makes an SQLite file: anything else given a path
// that names no file (a typo, a share not mounted) says so, rather than reading a new, empty
// store and carrying on as if the clinic had no patients and no limits.
enum class StoreOpening {
  MakeIfMissing, // the console, `records import`, `patient add`, `protocol import`, `limits set`
  MustExist,     // every other records and report command: migrated if older
  LookOnly,      // must exist, never migrated: a session's limits (`run --records`), the doctor
};

class RecordsStore {
public:
  // Connects (SQLite: waits up to 2 s for a lock; a file it makes has mode 0600, in folders it
  // makes. PostgreSQL: up to connect_timeout) and applies every migration the store lacks, each
  // in its own transaction. Throws StoreError naming the address (password hidden); an SQLite
  // file that is not there and may not be made is NotFound.
  // LookOnly: connect and check only (a table must not change a store the clinic's other tables
  // share); schema_version() then says where the store is, 0 for one never opened by tractus.
  RecordsStore(const StoreAddress &address, const std::string &software_version,
               StoreOpening opening = StoreOpening::MakeIfMissing);
  ~RecordsStore();
  RecordsStore(const RecordsStore &) = delete;
  RecordsStore &operator=(const RecordsStore &) = delete;

  [[nodiscard]] const StoreAddress &address() const { return address_; }
  [[nodiscard]] int schema_version();
  [[nodiscard]] const std::string &software_version() const { return software_version_; }

  // For records/*.cpp: the connection, inside in_transaction().
  soci::session &sql() { return *sql_; }
  // For records/*.cpp: the connection for a read outside a transaction, connected again first
  // if the server went away and came back (SOCI does not reconnect by itself; inside a
  // transaction a lost connection must fail the transaction, never reconnect under it).
  soci::session &query();

  // Runs `body` in one transaction (SQLite: BEGIN IMMEDIATE, so two writers queue at the
  // start rather than fail at the commit); rolls back and rethrows as StoreError on failure.
  template <class Body> void in_transaction(Body &&body);

  // Turns what the database threw into a StoreError that says `doing` ("adding patient P-7").
  [[noreturn]] void rethrow(const std::string &doing);

private:
  void reconnect_if_lost();
  void configure_postgresql();
  void begin();
  void commit();
  void rollback() noexcept;

  StoreAddress address_;
  std::string software_version_;
  std::unique_ptr<soci::session> sql_;
  std::optional<int> unmigrated_version_; // opened without migrating: the version found
};

template <class Body> void RecordsStore::in_transaction(Body &&body) {
  begin();
  try {
    body();
    commit();
  } catch (const StoreError &) {
    rollback();
    throw;
  } catch (...) {
    rollback();
    rethrow("writing to the records store");
  }
}

} // namespace tractus::records
