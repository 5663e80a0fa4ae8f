// `tractus serve`'s service log (apps/cli/service_log.hpp, console/service_log.hpp): the file
// it writes outside systemd, the level that filters it, the refusals of a bad level or folder,
// the journal chosen under systemd, and the line a session's fault becomes.
#include "cli/service_log.hpp"
#include "console/service_log.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

using namespace tractus;
namespace fs = std::filesystem;

namespace {

std::string read(const fs::path &file) {
  std::ifstream in(file);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

controller::JournalRecord event(controller::EventKind kind, controller::FaultCode code,
                                controller::State state, const char *detail, double t) {
  controller::JournalRecord r;
  r.kind = controller::JournalRecord::Kind::Event;
  r.t = t;
  r.event = {kind, state, code, detail};
  return r;
}

} // namespace

TEST(ServiceLog, WritesARotatingFileAtItsLevelInAFolderOnlyTheServiceReads) {
  tractus::testing::TempDir dir("service-log-file");
  {
    auto log = cli::ServiceLog::start("info", dir.path() / "log");
    ASSERT_TRUE(log) << log.error;
    EXPECT_EQ((*log.value)->where(), (dir.path() / "log" / "tractus.log").string());
    spdlog::debug("a debug line");
    spdlog::info("an info line");
    spdlog::warn("a warning line");
  } // the queue is written out when the log ends
  const std::string text = read(dir.path() / "log" / "tractus.log");
  EXPECT_FALSE(has(text, "a debug line")) << text;
  EXPECT_TRUE(has(text, " info  an info line")) << text;
  EXPECT_TRUE(has(text, " warning a warning line")) << text;
  // Peers and technicians' names: the group may read, others not.
  const auto perms = fs::status(dir.path() / "log").permissions();
  EXPECT_EQ(perms & fs::perms::others_all, fs::perms::none);
  // Ended: the process's default logger logs nowhere again.
  spdlog::info("after the end");
  EXPECT_FALSE(has(read(dir.path() / "log" / "tractus.log"), "after the end"));
}

// --log-dir /tmp, or "log_dir": "/var/log": a folder that exists is the administrator's.
TEST(ServiceLog, AFolderThatExistsKeepsItsMode) {
  tractus::testing::TempDir dir("service-log-shared");
  const fs::path shared = dir.path() / "shared";
  fs::create_directory(shared);
  fs::permissions(shared, fs::perms::all | fs::perms::sticky_bit);
  {
    auto log = cli::ServiceLog::start("info", shared);
    ASSERT_TRUE(log) << log.error;
    spdlog::info("in a shared folder");
  }
  EXPECT_EQ(fs::status(shared).permissions(), fs::perms::all | fs::perms::sticky_bit);
  EXPECT_TRUE(has(read(shared / "tractus.log"), "in a shared folder"));
}

TEST(ServiceLog, DebugLevelKeepsTheReadsAndTheRepeatingReminder) {
  tractus::testing::TempDir dir("service-log-debug");
  {
    auto log = cli::ServiceLog::start("debug", dir.path());
    ASSERT_TRUE(log) << log.error;
    console::log_session_event("S-7",
                               event(controller::EventKind::Reminder, controller::FaultCode::None,
                                     controller::State::Complete, "acknowledge", 1200.0));
  }
  const std::string text = read(dir.path() / "tractus.log");
  EXPECT_TRUE(has(text, "debug session S-7: reminder: acknowledge -> complete at t=1200.000 s"))
      << text;
}

TEST(ServiceLog, ASessionsFaultIsAWarningNamingCodeAndFault) {
  tractus::testing::TempDir dir("service-log-fault");
  {
    auto log = cli::ServiceLog::start("info", dir.path());
    ASSERT_TRUE(log) << log.error;
    console::log_session_event("S-1", event(controller::EventKind::FaultLatched,
                                            controller::FaultCode::LoadCellStale,
                                            controller::State::Releasing, "", 12.3456));
    console::log_session_event("S-1",
                               event(controller::EventKind::Reminder, controller::FaultCode::None,
                                     controller::State::Complete, "", 13.0));
  }
  const std::string text = read(dir.path() / "tractus.log");
  EXPECT_TRUE(has(text, "warning session S-1: fault 303 loadcell-stale -> releasing at "
                        "t=12.346 s"))
      << text;
  EXPECT_FALSE(has(text, "reminder")) << "a debug line at level info\n" << text;
}

TEST(ServiceLog, AnUnknownLevelOrAFolderThatCannotBeMadeIsRefusedNamingIt) {
  tractus::testing::TempDir dir("service-log-bad");
  const auto loud = cli::ServiceLog::start("loud", dir.path());
  ASSERT_FALSE(loud);
  EXPECT_EQ(loud.error, "log level \"loud\" is not a log level (allowed: trace, debug, info, "
                        "warn, error, off)");
  std::ofstream(dir.path() / "not-a-folder") << "x";
  const auto blocked = cli::ServiceLog::start("info", dir.path() / "not-a-folder" / "log");
  ASSERT_FALSE(blocked);
  EXPECT_TRUE(has(blocked.error, "log folder " + (dir.path() / "not-a-folder" / "log").string()))
      << blocked.error;
}

TEST(ServiceLog, UnderSystemdTheJournalKeepsTheLogAndNoFileIsWritten) {
  tractus::testing::TempDir dir("service-log-journal");
  ::setenv("INVOCATION_ID", "0123456789abcdef0123456789abcdef", 1);
  ::setenv("JOURNAL_STREAM", "8:12345", 1);
  {
    auto log = cli::ServiceLog::start("info", dir.path() / "log");
    ASSERT_TRUE(log) << log.error;
    EXPECT_EQ((*log.value)->where(), "the systemd journal");
    spdlog::info("to the journal"); // where no journald listens, sd_journal_send just fails
  }
  ::unsetenv("INVOCATION_ID");
  ::unsetenv("JOURNAL_STREAM");
  EXPECT_FALSE(fs::exists(dir.path() / "log"));
  EXPECT_FALSE(cli::under_systemd_journal());
}
