// A journal on a full disk (issue 11), without a mount: the process's file-size limit
// (RLIMIT_FSIZE, with SIGXFSZ ignored by the journal) makes write(2) stop short and then fail
// with EFBIG exactly as a full file system stops short and fails with ENOSPC. The file must end
// on a whole line, the failure must be raised for the loop, events must be written once room
// returns, and no empty journal may be left behind.
#include "controller/journal.hpp"
#include "controller/journal_reader.hpp"
#include "controller/journal_room.hpp"
#include "support/file_size_limit.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace tractus::controller {
namespace {

// No reserve: the writes themselves meet the limit.
JournalOptions no_reserve() {
  JournalOptions o;
  o.reserve_bytes = 0;
  return o;
}

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using testing::FileSizeLimit;

class JournalFull : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("tractus-journal-full-" + std::to_string(::getpid()) + "-" + test->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static JournalRecord sample(double t) {
    JournalRecord r;
    r.kind = JournalRecord::Kind::Sample;
    r.t = t;
    r.setpoint = 313.78;
    r.measured = 312.5;
    r.command = 0.001234;
    r.protocol_time = t;
    r.state = State::Treating;
    return r;
  }
  static JournalRecord fault_event(double t) {
    JournalRecord r;
    r.kind = JournalRecord::Kind::Event;
    r.t = t;
    r.event = Event{EventKind::FaultLatched, State::Releasing, FaultCode::JournalUnwritable,
                    "journal-unwritable"};
    return r;
  }
  // Samples until the journal reports itself failed (5 s at most).
  static void fill_until_failed(Journal &j) {
    const auto give_up = std::chrono::steady_clock::now() + 5s;
    for (int i = 0; !j.failed() && std::chrono::steady_clock::now() < give_up; ++i) {
      j.push_waiting(sample(i * 0.1));
      if (i % 100 == 0) std::this_thread::sleep_for(1ms);
    }
  }
  static std::string read_text(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  fs::path dir_;
};

TEST_F(JournalFull, IsCreatedReadableAndWritableByItsOwnerOnly) {
  Journal j(dir_, "s-mode", {});
  struct stat st {};
  ASSERT_EQ(::stat(j.path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600U);
  j.finish({});
}

// No reserve: the writes themselves run into the limit mid-line (a short write, then EFBIG).
TEST_F(JournalFull, AWriteStoppedByTheLimitIsCutBackToTheLastWholeLine) {
  constexpr std::uint64_t kLimit = 20'000;
  FileSizeLimit limit(kLimit);
  Journal j(dir_, "s-cut", {}, no_reserve());
  fill_until_failed(j);
  ASSERT_TRUE(j.failed());
  EXPECT_NE(j.failure().find("File too large"), std::string::npos) << j.failure();
  for (int i = 0; i < 50; ++i) // more lines that find no room: none may leave a fragment
    j.push_waiting(sample(1000 + i));
  j.push_waiting(fault_event(1100));
  EXPECT_FALSE(j.finish({{"outcome", "fault"}})); // no room for the summary either
  const std::string text = read_text(j.path());
  EXPECT_LE(text.size(), kLimit);
  EXPECT_GT(text.size(), kLimit - 200); // within one line of the limit
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const JournalContents c = read_journal(j.path());
  EXPECT_TRUE(c.problems.empty()) << c.problems.front();
  EXPECT_FALSE(c.last_line_partial);
  EXPECT_GT(c.samples.size(), 50U);
  EXPECT_GT(j.dropped(), 0U);
}

// The fault event found no room; once room returns (the limit lifted, a disk cleaned) it is
// written, in order, before anything newer, and the summary says what happened.
TEST_F(JournalFull, AnEventThatFoundNoRoomIsWrittenOnceRoomReturns) {
  FileSizeLimit limit(20'000);
  Journal j(dir_, "s-return", {}, no_reserve());
  fill_until_failed(j);
  ASSERT_TRUE(j.failed());
  j.push_waiting(fault_event(50));
  std::this_thread::sleep_for(50ms); // the writer tried and kept it
  limit.lift();
  EXPECT_TRUE(j.finish({{"outcome", "fault"}}));
  const JournalContents c = read_journal(j.path());
  EXPECT_TRUE(c.problems.empty()) << c.problems.front();
  ASSERT_EQ(c.events.size(), 1U);
  EXPECT_EQ(c.events[0].value("code", 0), 204);
  ASSERT_TRUE(c.summary);
  EXPECT_NE(c.summary->value("journal_problem", "").find("File too large"), std::string::npos);
}

// With the default 64 KiB reserve the journal reports itself short of room while the end of
// the session still fits: the fault event and the summary are written under the same limit.
TEST_F(JournalFull, ShortOfRoomItFailsWhileTheReserveStillHoldsTheFaultAndTheSummary) {
  constexpr std::uint64_t kLimit = 200'000;
  FileSizeLimit limit(kLimit);
  Journal j(dir_, "s-reserve", {});
  fill_until_failed(j);
  ASSERT_TRUE(j.failed());
  EXPECT_NE(j.failure().find("short of room"), std::string::npos) << j.failure();
  for (int i = 0; i < 400; ++i) // 56 KB more samples than the reserve would take
    j.push_waiting(sample(1000 + i * 0.1));
  j.push_waiting(fault_event(99));
  EXPECT_TRUE(j.finish({{"outcome", "fault"}}));
  const JournalContents c = read_journal(j.path());
  EXPECT_TRUE(c.problems.empty()) << c.problems.front();
  ASSERT_EQ(c.events.size(), 1U);
  EXPECT_EQ(c.events[0].value("fault", ""), "journal-unwritable");
  ASSERT_TRUE(c.summary);
  // Samples stopped at half the reserve (checked every 4 KiB written).
  EXPECT_LE(fs::file_size(j.path()), kLimit - 32 * 1024 + 4096 + 1024);
}

TEST_F(JournalFull, AHeaderThatDoesNotFitThrowsAndLeavesNoFile) {
  FileSizeLimit limit(100);
  EXPECT_THROW(Journal(dir_, "s-none", nlohmann::ordered_json{{"profile", std::string(500, 'x')}}),
               std::runtime_error);
  limit.lift();
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(JournalFull, TheRoomCheckRefusesAFolderWithLessRoomThanTheEstimateAndNamesIt) {
  FileSizeLimit limit(1'000'000); // 1 MB a file; a 20 min session may write about 5 MB
  const JournalRoom room = check_room_for_session(dir_, minutes(20), seconds(60));
  EXPECT_FALSE(room.ok());
  EXPECT_EQ(room.available, 1'000'000U);
  EXPECT_GT(room.needed, 4'000'000U);
  EXPECT_NE(room.problem.find(dir_.string()), std::string::npos) << room.problem;
  EXPECT_TRUE(fs::is_empty(dir_)); // the check writes nothing
  limit.lift();
  EXPECT_TRUE(check_room_for_session(dir_, minutes(20), seconds(60)).ok());
}

} // namespace
} // namespace tractus::controller
