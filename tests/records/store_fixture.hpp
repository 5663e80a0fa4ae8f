// A fresh records store for each test, on each back end: an SQLite file in a temporary folder,
// or a database on a PostgreSQL server started for the test (support/postgres_cluster.hpp).
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
      cluster_.emplace();
    }
  }

  // The address of this test's store (the same each call: a second connection to one store).
  [[nodiscard]] records::StoreAddress address() const {
    if (GetParam() == records::Backend::Postgresql) {
      return records::StoreAddress{records::Backend::Postgresql,
                                   cluster_->uri() + "?connect_timeout=5", cluster_->uri()};
    }
    const auto file = (dir_.path() / "records.sqlite").string();
    return records::StoreAddress{records::Backend::Sqlite, file, "sqlite:" + file};
  }

  [[nodiscard]] std::unique_ptr<records::RecordsStore> open() const {
    return std::make_unique<records::RecordsStore>(address(), "test");
  }

  TempDir dir_{"records"};
  std::optional<PostgresCluster> cluster_;
};

inline std::string backend_name(const ::testing::TestParamInfo<records::Backend> &info) {
  return info.param == records::Backend::Sqlite ? "Sqlite" : "Postgresql";
}

} // namespace tractus::testing
