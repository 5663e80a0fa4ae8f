// The fixture of the `tractus` command-line tests (cli_test.cpp, config_cli_test.cpp,
// doctor_cli_test.cpp): the real binary run as a user runs it, in a scratch folder of the test's
// own.
#pragma once

#include "support/command_output.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace tractus::cli_test {

namespace fs = std::filesystem;

using Result = tractus::testing::CommandOutput;

inline Result run(const std::string &args) {
  return tractus::testing::run_command(std::string(TRACTUS_BIN) + " " + args);
}

class TractusCli : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tractus-cli-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  [[nodiscard]] std::string journal_dir() const { return (dir_ / "sessions").string(); }
  [[nodiscard]] fs::path only_journal() const {
    fs::path found;
    int n = 0;
    for (const auto &e : fs::directory_iterator(dir_ / "sessions")) {
      found = e.path();
      ++n;
    }
    EXPECT_EQ(n, 1);
    return found;
  }
  fs::path dir_;
};

inline void write(const fs::path &file, const std::string &text) { std::ofstream(file) << text; }

} // namespace tractus::cli_test
