// A fresh records store for each test, on each back end: an SQLite file in a temporary folder,
// or a database of its own on a PostgreSQL server the test program starts once
// (support/postgres_cluster.hpp): records_store runs as one ctest test, so the server's start
// (initdb, about 1.5 s) is paid once, not by each of its tests.
#pragma once

#include "records/store.hpp"
#include "support/postgres_cluster.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

namespace tractus::testing {

class StoreTest : public ::testing::TestWithParam<records::Backend> {
protected:
  void SetUp() override {
    if (GetParam() == records::Backend::Postgresql) {
      static int databases = 0;
      uri_ = shared_cluster().create_database("test_" + std::to_string(++databases));
    }
  }

  // The program's one server, stopped and removed when the program ends.
  static PostgresCluster &shared_cluster() {
    static PostgresCluster cluster("tractus");
    return cluster;
  }

  // The address of this test's store (the same each call: a second connection to one store).
  [[nodiscard]] records::StoreAddress address() const {
    if (GetParam() == records::Backend::Postgresql) {
      return records::StoreAddress{records::Backend::Postgresql, uri_ + "?connect_timeout=5", uri_};
    }
    const auto file = (dir_.path() / "records.sqlite").string();
    return records::StoreAddress{records::Backend::Sqlite, file, "sqlite:" + file};
  }

  [[nodiscard]] std::unique_ptr<records::RecordsStore> open() const {
    return std::make_unique<records::RecordsStore>(address(), "test");
  }

  TempDir dir_{"records"};
  std::string uri_; // PostgreSQL: this test's database
};

inline std::string backend_name(const ::testing::TestParamInfo<records::Backend> &info) {
  return info.param == records::Backend::Sqlite ? "Sqlite" : "Postgresql";
}

} // namespace tractus::testing
