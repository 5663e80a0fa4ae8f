// A journal that fills mid-session (issue 11), in-process on the simulated table at 1 kHz on the
// virtual clock: the process's file-size limit plays the full disk (tests/support/file_size_limit.hpp). The
// process lives on, the session latches 204 and releases under control, the true tension (the
// simulator's, not the load cell's) is below 15 N within 3 s, and the journal holds whole lines
// only, with the fault in it wherever there was room for it.
#include "controller/journal_reader.hpp"
#include "controller/journal_room.hpp"
#include "support/file_size_limit.hpp"
#include "session_harness.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unistd.h>

namespace tractus {
namespace {

namespace fs = std::filesystem;
using controller::FaultCode;
using controller::State;

fs::path scratch(const char *name) {
  const fs::path dir = fs::path(::testing::TempDir()) /
                       ("tractus-journal-full-sim-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  return dir;
}

std::string read_text(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The force the simulated patient is under when the journal fails, the release and the state.
void expect_controlled_release(const testing::SessionRun &run, Force at_fault) {
  EXPECT_EQ(run.report.last.state, State::Fault);
  EXPECT_EQ(run.report.last.fault, FaultCode::JournalUnwritable);
  EXPECT_EQ(run.report.last.outcome, controller::Outcome::Faulted);
  EXPECT_GT(at_fault.si(), 100.0) << "the journal should fail mid-pull";
  ASSERT_TRUE(run.stop_at && run.below_15n_at);
  const double release_s = (*run.below_15n_at - *run.stop_at).si();
  EXPECT_LT(release_s, 3.0);
  ASSERT_TRUE(run.drive_disabled_at);
  // Stop category 1: torque stays on through the release (disabled only 5 s after 15 N).
  EXPECT_GT((*run.drive_disabled_at - *run.below_15n_at).si(), 4.0);
  std::printf(
      "journal failed at %.1f s under %.1f N; true tension below 15 N %.3f s later; drive off "
      "%.3f s after the fault\n",
      run.stop_at->si(), at_fault.si(), release_s, (*run.drive_disabled_at - *run.stop_at).si());
}

// 200 kB for the file with the 64 KiB reserve: the journal reports itself short of room 90 s
// into a 20 min protocol, in its hold, and the end of the session still fits.
TEST(JournalFullMidSession, ReleasesBelow15NewtonsWithin3SecondsAndJournalsTheFault) {
  const fs::path dir = scratch("reserve");
  testing::SessionSpec spec;
  spec.profile = "lumbar-static";
  spec.journal_dir = dir;
  Force at_fault{};
  spec.observer = [&](const controller::CycleOutput &out) {
    if (out.fault == FaultCode::JournalUnwritable && at_fault.si() == 0) at_fault = out.measured;
  };
  testing::SessionRun run;
  {
    testing::FileSizeLimit limit(200'000);
    run = testing::run_session(spec);
  }
  expect_controlled_release(run, at_fault);
  ASSERT_TRUE(run.journal);
  EXPECT_TRUE(run.journal_finished);
  const controller::JournalContents j = controller::read_journal(*run.journal);
  EXPECT_TRUE(j.problems.empty()) << j.problems.front();
  EXPECT_FALSE(j.last_line_partial);
  bool journaled = false;
  for (const auto &e : j.events)
    journaled = journaled || (e.value("event", "") == "fault" && e.value("code", 0) == 204);
  EXPECT_TRUE(journaled);
  ASSERT_TRUE(j.summary);
  EXPECT_NE(j.summary->value("journal_problem", "").find("short of room"), std::string::npos);
  EXPECT_LE(fs::file_size(*run.journal), 200'000U);
  fs::remove_all(dir);
}

// No reserve: the writes themselves hit the limit mid-line (EFBIG). The file is cut back to its
// last whole line; the fault and the summary find no room and are not written, which is the one
// loss a full disk may cause; the release is the same.
TEST(JournalFullMidSession, AWriteThatFailsMidLineLeavesWholeLinesAndTheSameRelease) {
  const fs::path dir = scratch("no-reserve");
  testing::SessionSpec spec;
  spec.profile = "lumbar-static";
  spec.journal_dir = dir;
  spec.journal_options.reserve_bytes = 0;
  Force at_fault{};
  spec.observer = [&](const controller::CycleOutput &out) {
    if (out.fault == FaultCode::JournalUnwritable && at_fault.si() == 0) at_fault = out.measured;
  };
  testing::SessionRun run;
  {
    testing::FileSizeLimit limit(150'000);
    run = testing::run_session(spec);
  }
  expect_controlled_release(run, at_fault);
  ASSERT_TRUE(run.journal);
  EXPECT_FALSE(run.journal_finished);
  const std::string text = read_text(*run.journal);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_LE(text.size(), 150'000U);
  const controller::JournalContents j = controller::read_journal(*run.journal);
  EXPECT_TRUE(j.problems.empty()) << j.problems.front();
  EXPECT_FALSE(j.last_line_partial);
  EXPECT_FALSE(j.summary);
  fs::remove_all(dir);
}

// No reserve, but room returns while the patient is being released (a disk cleaned up): the
// events kept by the writer are written in order, the fault among them, then the summary.
TEST(JournalFullMidSession, WhenRoomReturnsTheFaultAndTheRestAreJournaled) {
  const fs::path dir = scratch("room-returns");
  testing::SessionSpec spec;
  spec.profile = "lumbar-static";
  spec.journal_dir = dir;
  spec.journal_options.reserve_bytes = 0;
  testing::FileSizeLimit limit(150'000);
  spec.observer = [&](const controller::CycleOutput &out) {
    if (out.state == State::Fault) limit.lift();
  };
  const testing::SessionRun run = testing::run_session(spec);
  EXPECT_EQ(run.report.last.fault, FaultCode::JournalUnwritable);
  ASSERT_TRUE(run.journal);
  EXPECT_TRUE(run.journal_finished);
  const controller::JournalContents j = controller::read_journal(*run.journal);
  EXPECT_TRUE(j.problems.empty()) << j.problems.front();
  std::vector<std::string> kinds;
  for (const auto &e : j.events)
    if (e.value("code", 0) == 204) kinds.push_back(e.value("event", ""));
  EXPECT_EQ(kinds, (std::vector<std::string>{"fault", "alarm"}));
  ASSERT_TRUE(j.summary);
  EXPECT_NE(j.summary->value("journal_problem", "").find("File too large"), std::string::npos);
  fs::remove_all(dir);
}

// The room asked for before a start (118) covers a real session's journal twice over: the
// 20 min intermittent protocol, every kind of cycle, at 10 samples a second.
TEST(JournalRoomEstimate, CoversAWholeSessionsJournalAtLeastTwice) {
  const fs::path dir = scratch("estimate");
  testing::SessionSpec spec;
  spec.profile = "lumbar-intermittent";
  spec.journal_dir = dir;
  const testing::SessionRun run = testing::run_session(spec);
  ASSERT_EQ(run.report.last.outcome, controller::Outcome::Completed);
  ASSERT_TRUE(run.journal);
  const auto written = fs::file_size(*run.journal);
  const auto needed = controller::journal_bytes_needed(minutes(20), seconds(60),
                                                       controller::kJournalSamplesPerSecond,
                                                       controller::kJournalReserveBytes);
  EXPECT_GE(needed, 2 * written);
  std::printf("20 min session: journal %.2f MB, estimate %.2f MB\n",
              static_cast<double>(written) / 1e6, static_cast<double>(needed) / 1e6);
  fs::remove_all(dir);
}

} // namespace
} // namespace tractus
