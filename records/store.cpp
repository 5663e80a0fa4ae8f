#include "records/store.hpp"

#include "records/migrations.hpp"
#include "records/utc_now.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

namespace tractus::records {
namespace {

// A lock number of tractus's own for PostgreSQL's advisory locks: two tables that start at once
// on one store take it before migrating, so only one of them creates the tables.
constexpr long long kMigrationLock = 0x7472616374; // "tract"

// The SQLite file holds patients' records: made 0600 (like the journals) before SQLite opens
// it, since SQLite would create it with the umask's 0644. SQLite gives its -wal and -shm files
// the database file's mode.
void create_private_file(const std::filesystem::path &file) {
  std::error_code ec;
  if (file.has_parent_path()) {
    std::filesystem::create_directories(file.parent_path(), ec);
    if (ec) {
      throw StoreError(StoreFailure::Unreachable,
                       "records store sqlite:" + file.string() +
                           ": cannot create its folder: " + ec.message());
    }
  }
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw StoreError(StoreFailure::Unreachable,
                     "records store sqlite:" + file.string() + ": " + std::strerror(errno));
  }
  ::close(fd);
}

// SOCI's sqlite3 connection string, the path quoted so a space in it is part of it.
std::string sqlite_parameters(const std::string &file) {
  std::string quoted = "\"";
  for (const char c : file) {
    if (c == '"' || c == '\\') {
      quoted += '\\';
    }
    quoted += c;
  }
  return "db=" + quoted + "\" timeout=2";
}

StoreFailure failure_of_sqlite(int result) {
  switch (result & 0xff) { // the primary result code, without the extended bits
  case SQLITE_BUSY:
  case SQLITE_LOCKED: return StoreFailure::Busy;
  case SQLITE_CONSTRAINT: return StoreFailure::Conflict;
  case SQLITE_CANTOPEN:
  case SQLITE_IOERR:
  case SQLITE_READONLY:
  case SQLITE_FULL:
  case SQLITE_PERM: return StoreFailure::Unreachable;
  case SQLITE_NOTADB:
  case SQLITE_CORRUPT: return StoreFailure::Incompatible;
  default: return StoreFailure::Failed;
  }
}

// SQLSTATE classes (PostgreSQL appendix A): 08 connection exception, 57P0x the server going
// away, 23 integrity constraint, 40 serialization/deadlock, 55P03 lock not available.
StoreFailure failure_of_sqlstate(const std::string &state, const std::string &message) {
  if (state.rfind("08", 0) == 0 || state.rfind("57P0", 0) == 0) {
    return StoreFailure::Unreachable;
  }
  if (state.rfind("23", 0) == 0) {
    return StoreFailure::Conflict;
  }
  if (state.rfind("40", 0) == 0 || state == "55P03") {
    return StoreFailure::Busy;
  }
  // A connection lost between statements carries no SQLSTATE, only libpq's words.
  if ((state.empty() || state == "     ") && (message.find("connection") != std::string::npos ||
                                              message.find("server closed") != std::string::npos)) {
    return StoreFailure::Unreachable;
  }
  return StoreFailure::Failed;
}

// What the database said, on one line, without the statement and its parameters that SOCI
// appends ("while executing "INSERT …" with :id="P-0042""): they may hold a patient's data and
// belong in no error message. libpq's reason for a failed connection is on the lines after
// SOCI's first, so every line is kept, joined.
std::string one_line(const std::string &message) {
  std::string text =
      message.substr(0, std::min(message.find("while executing"), message.find("while preparing")));
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find_first_of("\r\n", start);
    if (end == std::string::npos) end = text.size();
    auto line = text.substr(start, end - start);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t'))
      line.pop_back();
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t'))
      line.erase(0, 1);
    // PostgreSQL's DETAIL repeats the values ("Key (clinic_id)=(P-0042) already exists").
    if (!line.empty() && line.rfind("DETAIL:", 0) != 0) out += (out.empty() ? "" : "; ") + line;
    start = end + 1;
  }
  return out;
}

} // namespace

const char *failure_name(StoreFailure failure) {
  switch (failure) {
  case StoreFailure::Unreachable: return "unreachable";
  case StoreFailure::Busy: return "busy";
  case StoreFailure::Incompatible: return "incompatible";
  case StoreFailure::Invalid: return "invalid";
  case StoreFailure::NotFound: return "not-found";
  case StoreFailure::Conflict: return "conflict";
  case StoreFailure::Failed: return "failed";
  }
  return "failed";
}

RecordsStore::RecordsStore(const StoreAddress &address, const std::string &software_version,
                           StoreOpening opening)
    : address_(address), software_version_(software_version) {
  const bool migrate = opening != StoreOpening::LookOnly;
  try {
    if (address_.backend == Backend::Sqlite) {
      std::error_code ec;
      if (opening != StoreOpening::MakeIfMissing &&
          !std::filesystem::exists(address_.connection, ec)) {
        throw StoreError(StoreFailure::NotFound,
                         "records store " + address_.shown +
                             ": no such file (the console makes its store at its first start, "
                             "and `tractus records import` or `records patient add` make one)");
      }
      create_private_file(address_.connection);
      sql_ = std::make_unique<soci::session>(soci::sqlite3, sqlite_parameters(address_.connection));
      // Foreign keys are off by default in SQLite; WAL lets a reader (a report) run beside the
      // writer; FULL makes a committed visit survive a power cut, not only a crash.
      *sql_ << "PRAGMA foreign_keys = ON";
      std::string mode;
      *sql_ << "PRAGMA journal_mode = WAL", soci::into(mode);
      *sql_ << "PRAGMA synchronous = FULL";
    } else {
      sql_ = std::make_unique<soci::session>(soci::postgresql, address_.connection);
      configure_postgresql();
    }
  } catch (const StoreError &) {
    throw;
  } catch (const std::exception &e) {
    const auto *lite = dynamic_cast<const soci::sqlite3_soci_error *>(&e);
    const auto failure =
        lite != nullptr ? failure_of_sqlite(lite->result()) : StoreFailure::Unreachable;
    throw StoreError(failure,
                     "records store " + address_.shown + ": cannot open it: " + one_line(e.what()));
  }

  if (!migrate) {
    // A store tractus never opened has no schema_migrations: version 0, nothing wrong.
    unmigrated_version_ = 0;
    try {
      soci::indicator ind = soci::i_ok;
      int version = 0;
      *sql_ << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
      unmigrated_version_ = ind == soci::i_null ? 0 : version;
    } catch (...) {
      if (address_.backend == Backend::Postgresql && !sql_->is_connected())
        rethrow("reading its schema version");
    }
    if (*unmigrated_version_ > newest_schema_version())
      throw StoreError(StoreFailure::Incompatible,
                       "records store " + address_.shown + " has schema version " +
                           std::to_string(*unmigrated_version_) +
                           ", newer than this tractus knows (" +
                           std::to_string(newest_schema_version()) + ")");
    return;
  }
  // Bring the schema up to date, one migration per transaction.
  in_transaction([&] {
    if (address_.backend == Backend::Postgresql) {
      *sql_ << "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")";
    }
    *sql_ << "CREATE TABLE IF NOT EXISTS schema_migrations ("
             " version INTEGER PRIMARY KEY, applied_utc TEXT NOT NULL, software TEXT NOT NULL)";
  });
  const int have = schema_version();
  if (have > newest_schema_version()) {
    throw StoreError(StoreFailure::Incompatible,
                     "records store " + address_.shown + " has schema version " +
                         std::to_string(have) + ", newer than this tractus knows (" +
                         std::to_string(newest_schema_version()) +
                         "): update tractus on this table before using the store");
  }
  for (const auto &migration : migrations(address_.backend)) {
    in_transaction([&] {
      if (address_.backend == Backend::Postgresql) {
        *sql_ << "SELECT pg_advisory_xact_lock(" + std::to_string(kMigrationLock) + ")";
      }
      int applied = 0;
      *sql_ << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v",
          soci::use(migration.version), soci::into(applied);
      if (applied != 0) {
        return; // another table applied it while this one waited for the lock
      }
      for (const auto &statement : migration.statements) {
        *sql_ << statement;
      }
      const std::string now = utc_now();
      *sql_ << "INSERT INTO schema_migrations (version, applied_utc, software)"
               " VALUES (:v, :t, :s)",
          soci::use(migration.version), soci::use(now), soci::use(software_version_);
    });
  }
}

RecordsStore::~RecordsStore() = default;

int RecordsStore::schema_version() {
  if (unmigrated_version_) return *unmigrated_version_;
  try {
    soci::indicator ind = soci::i_ok;
    int version = 0;
    query() << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
    return ind == soci::i_null ? 0 : version;
  } catch (...) {
    rethrow("reading its schema version");
  }
}

void RecordsStore::reconnect_if_lost() {
  if (address_.backend == Backend::Postgresql && !sql_->is_connected()) {
    sql_->reconnect();
    configure_postgresql();
  }
}

void RecordsStore::configure_postgresql() {
  // libpq prints NOTICEs (e.g. "relation … already exists, skipping") on stderr, which is the
  // command line's and the service log's: only warnings and errors are wanted there.
  *sql_ << "SET client_min_messages = warning";
  // No statement of the store's takes a second; one that waits 10 s on a lock is stuck.
  *sql_ << "SET statement_timeout = '10s'";
}

soci::session &RecordsStore::query() {
  try {
    reconnect_if_lost();
  } catch (...) {
    rethrow("connecting again");
  }
  return *sql_;
}

void RecordsStore::begin() {
  try {
    reconnect_if_lost();
    if (address_.backend == Backend::Sqlite) {
      *sql_ << "BEGIN IMMEDIATE";
    } else {
      *sql_ << "BEGIN";
    }
  } catch (...) {
    rethrow("starting a transaction");
  }
}

void RecordsStore::commit() { *sql_ << "COMMIT"; }

void RecordsStore::rollback() noexcept {
  try {
    *sql_ << "ROLLBACK";
  } catch (...) { // NOLINT(bugprone-empty-catch): the failure being reported matters more
  }
}

void RecordsStore::rethrow(const std::string &doing) {
  try {
    throw;
  } catch (const StoreError &) {
    throw;
  } catch (const soci::sqlite3_soci_error &e) {
    throw StoreError(failure_of_sqlite(e.result()),
                     "records store " + address_.shown + ": " + doing + ": " + one_line(e.what()));
  } catch (const soci::postgresql_soci_error &e) {
    throw StoreError(failure_of_sqlstate(e.sqlstate(), e.what()),
                     "records store " + address_.shown + ": " + doing + ": " + one_line(e.what()));
  } catch (const std::exception &e) {
    const bool lost = address_.backend == Backend::Postgresql && !sql_->is_connected();
    throw StoreError(lost ? StoreFailure::Unreachable : failure_of_sqlstate({}, e.what()),
                     "records store " + address_.shown + ": " + doing + ": " + one_line(e.what()));
  }
}

} // namespace tractus::records
