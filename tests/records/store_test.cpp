// Opening a store: migrations applied once, a newer schema refused, an unreachable or locked
// store reported as such and within seconds, a store that went away used again once back.
#include "records/migrations.hpp"
#include "records/patients.hpp"
#include "store_fixture.hpp"

#include <soci/soci.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

namespace tractus::testing {
namespace {

using records::Backend;
using records::StoreError;
using records::StoreFailure;

StoreFailure failure_of(const std::function<void()> &f) {
  try {
    f();
  } catch (const StoreError &e) {
    return e.failure();
  }
  ADD_FAILURE() << "no StoreError";
  return StoreFailure::Failed;
}

using Store = StoreTest;

TEST_P(Store, AFreshStoreIsMigratedToTheNewestSchemaOnce) {
  {
    auto store = open();
    EXPECT_EQ(store->schema_version(), records::newest_schema_version());
  }
  auto again = open(); // a second open applies nothing twice
  int rows = 0;
  again->sql() << "SELECT COUNT(*) FROM schema_migrations", soci::into(rows);
  EXPECT_EQ(rows, records::newest_schema_version());
}

TEST_P(Store, AStoreWithANewerSchemaIsRefusedNamingBothVersions) {
  {
    auto store = open();
    store->sql() << "INSERT INTO schema_migrations (version, applied_utc, software)"
                    " VALUES (99, '2030-01-01T00:00:00Z', 'future')";
  }
  try {
    const auto store = open();
    FAIL() << "a store of schema 99 was accepted";
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::Incompatible);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("schema version 99"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("update tractus"));
  }
}

TEST_P(Store, TwoTablesOpeningOneFreshStoreAtOnceMigrateItOnce) {
  std::vector<std::string> errors(4);
  std::vector<std::thread> tables;
  for (std::size_t i = 0; i < errors.size(); ++i) {
    tables.emplace_back([&, i] {
      try {
        auto store = open();
      } catch (const std::exception &e) {
        errors[i] = e.what();
      }
    });
  }
  for (auto &t : tables) {
    t.join();
  }
  for (const auto &e : errors) {
    EXPECT_EQ(e, "");
  }
  auto store = open();
  int rows = 0;
  store->sql() << "SELECT COUNT(*) FROM schema_migrations", soci::into(rows);
  EXPECT_EQ(rows, records::newest_schema_version());
}

TEST_P(Store, AnUnreachableServerOrFileIsRefusedWithinSecondsNamingIt) {
  records::StoreAddress address;
  if (GetParam() == Backend::Postgresql) {
    const auto uri = "postgresql://postgres@%2Fnonexistent-socket-dir:5432/tractus";
    address = {Backend::Postgresql, std::string(uri) + "?connect_timeout=5", uri};
  } else {
    const auto file = std::string("/proc/tractus-no-such/records.sqlite");
    address = {Backend::Sqlite, file, "sqlite:" + file};
  }
  const auto t0 = std::chrono::steady_clock::now();
  try {
    records::RecordsStore store(address, "test");
    FAIL() << "opened " << address.shown;
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::Unreachable);
    EXPECT_THAT(e.what(), ::testing::HasSubstr(address.shown));
  }
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
}

TEST_P(Store, OpenedToLookOnlyAStoreIsReadAndNeverMigrated) {
  using records::StoreOpening;
  if (GetParam() == Backend::Sqlite) {
    // A path that names no file is not made into an empty store by a reader (a typo, a share
    // not mounted): it is NotFound, and nothing is left behind.
    const std::filesystem::path file = address().connection;
    for (const StoreOpening opening : {StoreOpening::LookOnly, StoreOpening::MustExist}) {
      try {
        records::RecordsStore check(address(), "doctor", opening);
        ADD_FAILURE() << "opened " << address().shown << ", which is not there";
      } catch (const StoreError &e) {
        EXPECT_EQ(e.failure(), StoreFailure::NotFound);
        EXPECT_THAT(e.what(), ::testing::HasSubstr(address().shown + ": no such file"));
      }
      EXPECT_FALSE(std::filesystem::exists(file));
    }
    std::ofstream{file}; // an empty file: SQLite's new database, never opened by tractus
  }
  {
    records::RecordsStore check(address(), "doctor", StoreOpening::LookOnly);
    EXPECT_EQ(check.schema_version(), 0); // never opened by tractus: nothing made
  }
  {
    records::RecordsStore check(address(), "doctor", StoreOpening::LookOnly);
    EXPECT_EQ(check.schema_version(), 0);
  }
  auto store = open();
  records::RecordsStore check(address(), "doctor", StoreOpening::LookOnly);
  EXPECT_EQ(check.schema_version(), records::newest_schema_version());
}

TEST(StoreAddress, APasswordNeverAppearsInWhatIsShown) {
  const auto parsed =
      records::parse_store_address("postgresql://clinic:s3cret@db.local/tractus", "data");
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed.value->shown, "postgresql://clinic:***@db.local/tractus");
  EXPECT_EQ(parsed.value->connection,
            "postgresql://clinic:s3cret@db.local/tractus?connect_timeout=5&keepalives=1&"
            "keepalives_idle=5&keepalives_interval=2&keepalives_count=3&tcp_user_timeout=10000");
  const auto in_query = records::parse_store_address(
      "postgresql://db.local/tractus?password=s3cret&sslmode=require&connect_timeout=2", "data");
  EXPECT_EQ(in_query.value->shown, "postgresql://db.local/tractus?password=***&sslmode=require&"
                                   "connect_timeout=2");
  EXPECT_THAT(in_query.value->connection, ::testing::HasSubstr("connect_timeout=2&keepalives=1"));
  EXPECT_FALSE(records::parse_store_address("mysql://x", "data"));
  EXPECT_EQ(records::parse_store_address("", "/var/lib/tractus").value->connection,
            "/var/lib/tractus/records.sqlite");
}

INSTANTIATE_TEST_SUITE_P(Backends, Store, ::testing::Values(Backend::Sqlite, Backend::Postgresql),
                         backend_name);

// PostgreSQL only (an SQLite file does not go away from under an open connection): a server
// that stops mid-use, then returns.
TEST(PostgresqlStore, AServerThatWentAwayIsUnreachableAndUsedAgainWhenBack) {
  PostgresCluster cluster;
  const records::StoreAddress address{Backend::Postgresql, cluster.uri() + "?connect_timeout=5",
                                      cluster.uri()};
  records::RecordsStore store(address, "test");
  records::add_patient(store, {"P-0001", 70.0, "", "", "test"});
  cluster.stop();
  const auto t0 = std::chrono::steady_clock::now();
  const auto failure = failure_of([&] {
    records::add_patient(store, {"P-0002", 70.0, "", "", "test"});
  });
  EXPECT_EQ(failure, StoreFailure::Unreachable);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  EXPECT_EQ(failure_of([&] { (void)records::find_patient(store, "P-0001"); }),
            StoreFailure::Unreachable);
  cluster.start();
  records::add_patient(store, {"P-0003", 70.0, "", "", "test"}); // reconnects by itself
  EXPECT_TRUE(records::find_patient(store, "P-0001"));
  EXPECT_TRUE(records::find_patient(store, "P-0003"));
  EXPECT_FALSE(records::find_patient(store, "P-0002"));
}

// SQLite only: a file that is no SQLite database, and a writer that holds the lock.
TEST(SqliteStore, AFileThatIsNoDatabaseIsRefusedAndLeftAsItWas) {
  TempDir dir("records-notadb");
  const auto file = dir.path() / "records.sqlite";
  const std::string garbage(4096, 'x');
  std::ofstream(file) << garbage;
  try {
    records::RecordsStore store({Backend::Sqlite, file.string(), "sqlite:" + file.string()},
                                "test");
    FAIL() << "opened a file of x";
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::Incompatible);
    EXPECT_THAT(e.what(), ::testing::HasSubstr(file.string()));
  }
  EXPECT_EQ(std::filesystem::file_size(file), garbage.size());
}

TEST(SqliteStore, AWriterHoldingTheLockMakesAnotherBusyAfterAboutTwoSeconds) {
  TempDir dir("records-busy");
  const auto file = (dir.path() / "records.sqlite").string();
  const records::StoreAddress address{Backend::Sqlite, file, "sqlite:" + file};
  records::RecordsStore holder(address, "test");
  records::RecordsStore other(address, "test");
  holder.sql() << "BEGIN IMMEDIATE";
  const auto t0 = std::chrono::steady_clock::now();
  const auto failure = failure_of([&] {
    records::add_patient(other, {"P-0001", 70.0, "", "", "test"});
  });
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(failure, StoreFailure::Busy);
  EXPECT_GE(waited, std::chrono::milliseconds(1500));
  EXPECT_LT(waited, std::chrono::seconds(10));
  holder.sql() << "ROLLBACK";
  records::add_patient(other, {"P-0001", 70.0, "", "", "test"});
  EXPECT_TRUE(records::find_patient(holder, "P-0001"));
}

TEST(SqliteStore, TheFileIsReadableByItsOwnerOnly) {
  TempDir dir("records-mode");
  const auto file = dir.path() / "sub" / "records.sqlite";
  records::RecordsStore store({Backend::Sqlite, file.string(), "sqlite:" + file.string()}, "test");
  const auto perms = std::filesystem::status(file).permissions();
  EXPECT_EQ(perms & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

} // namespace
} // namespace tractus::testing
