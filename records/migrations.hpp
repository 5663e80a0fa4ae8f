// The store's schema, as numbered migrations applied in order (docs/records.md "Schema").
//
// A migration is never edited once released: a change is a new migration. Each runs in its own
// transaction with the version it brings recorded in schema_migrations, so a store is always at
// one version, and a table that finds a store newer than it knows refuses it instead of
// guessing (StoreFailure::Incompatible). Two tables starting at once on one PostgreSQL take an
// advisory lock first; on SQLite, BEGIN IMMEDIATE serialises them.
#pragma once

#include "records/store_address.hpp"

#include <string>
#include <vector>

namespace tractus::records {

struct Migration {
  int version;
  std::string what;                    // one line, for the log and docs/records.md
  std::vector<std::string> statements; // in the dialect of the store's back end
};

// Every migration for `backend`, oldest first; versions are 1, 2, 3 … without gaps.
[[nodiscard]] std::vector<Migration> migrations(Backend backend);
// The newest version this tractus knows.
[[nodiscard]] int newest_schema_version();

} // namespace tractus::records
