// No heap allocation inside a control cycle (DESIGN §5), proven with a counting allocator: in
// the steady state of treatment, and in every kind of cycle from the start to the loop's end.
//
// Global operator new is replaced by one that counts the allocations made on a thread while
// that thread has counting switched on. The loop runner's observer switches it on for the loop
// thread once the session is treating (steady state) and off when it completes, so everything
// every cycle does in between — the three device transactions on the simulated table, the
// session step, the statistics, the journal push — is counted, while the journal's writer
// thread (which formats JSON and may allocate freely) is not.
//
// The service log runs at debug throughout, as `tractus serve --log-level debug` runs it, with
// the console's logging of every session event (console/service_log.hpp): spdlog adds nothing
// to the cycle, and no line of the log comes from the loop's thread.
#include "session_harness.hpp"

#include "console/service_log.hpp"
#include "counting_allocator.hpp"
#include "debug_service_log.hpp"
#include "support/file_size_limit.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tractus {
namespace {

using testing::allocations;
using testing::counting;

TEST(ControlCycle, AllocatesNothingInSteadyState) {
  const auto dir = std::filesystem::temp_directory_path() / "tractus-alloc-test";
  std::filesystem::remove_all(dir);
  testing::SessionSpec spec;
  spec.profile = "lumbar-intermittent"; // ramps, holds, rests, steps: every kind of cycle
  spec.journal_dir = dir;               // with the journal on, as in a real session
  // And the service log at debug, every session event logged, as the console logs them.
  testing::DebugServiceLog log(dir / "log");
  spec.journal_options = console::journal_options_logging("steady");
  long cycles_counted = 0;
  spec.observer = [&](const controller::CycleOutput &out) {
    const bool steady = out.state == controller::State::Treating;
    if (steady) ++cycles_counted;
    log.note_loop_thread();
    counting = steady;
  };
  const auto run = testing::run_session(spec);
  counting = false;
  ASSERT_EQ(run.report.last.outcome, controller::Outcome::Completed);
  EXPECT_GT(cycles_counted, 1'000'000); // the whole 20-minute treatment at 1 kHz
  EXPECT_EQ(allocations.load(), 0);
  const auto lines = log.finish();
  EXPECT_GE(lines.count, 6U); // the start, pretension, treating, release, complete, reminders
  EXPECT_EQ(lines.from_loop, 0U) << "the loop's thread logged";
  std::filesystem::remove_all(dir);
}

// Both controllers, with the cable's identification and the guarding detector running and an
// injected spasm taking the detector through an onset and an end (issue 14).
TEST(ControlCycle, BothControllersTheIdentificationAndTheGuardingDetectorAllocateNothing) {
  for (const auto kind :
       {controller::ControllerKind::Adaptive, controller::ControllerKind::Baseline}) {
    testing::SessionSpec spec;
    spec.profile = "lumbar-intermittent";
    spec.calm = true; // the injected spasm only, so the test knows what it saw
    spec.inject = {"muscle-guarding@100s"}; // a hold (at 300 s the setpoint falls: blind)
    spec.adjust_setup = [kind](controller::SessionSetup &s) { s.controller = kind; };
    int onsets = 0, ends = 0, identified = 0;
    spec.observer = [&](const controller::CycleOutput &out) {
      counting = false; // the test's own counting below must not count
      for (std::uint8_t i = 0; i < out.event_count; ++i) {
        onsets += out.events[i].kind == controller::EventKind::GuardingOnset;
        ends += out.events[i].kind == controller::EventKind::GuardingEnd;
      }
      identified += out.identification.trusted;
      counting = out.state == controller::State::Treating;
    };
    allocations = 0;
    const auto run = testing::run_session(spec);
    counting = false;
    EXPECT_EQ(allocations.load(), 0) << controller::to_string(kind);
    EXPECT_GE(onsets, 1) << controller::to_string(kind);
    EXPECT_GE(ends, 1) << controller::to_string(kind);
    EXPECT_GT(identified, 1000) << controller::to_string(kind); // the RLS's paths ran too
    EXPECT_NE(run.report.last.outcome, controller::Outcome::None);
  }
}

// Every cycle after the start, not only the treating ones: pretension, the end-of-treatment
// release, Complete and its reminder, a stop's release, a latched fault and a journal fault's
// controlled release (issue 11). Counting is on from the first cycle after the start to the
// last cycle of the loop (the linger after the end included).
struct Ending {
  const char *name;
  std::vector<std::string> inject;
  bool operator_stop = false;
  bool journal_fills = false;
  controller::State last_state;
};

class ControlCycleTo : public ::testing::TestWithParam<Ending> {};

TEST_P(ControlCycleTo, AllocatesNothingFromTheStartToTheLoopsEnd) {
  const Ending &e = GetParam();
  const auto dir =
      std::filesystem::temp_directory_path() / (std::string("tractus-alloc-test-") + e.name);
  std::filesystem::remove_all(dir);
  testing::SessionSpec spec;
  spec.profile = "lumbar-intermittent";
  spec.journal_dir = dir;
  testing::DebugServiceLog log(dir / "log");
  spec.journal_options = console::journal_options_logging(e.name);
  spec.inject = e.inject;
  if (e.operator_stop)
    spec.operator_script = [](Duration now, const controller::CycleOutput &last) {
      controller::OperatorInput op;
      op.stop = last.state == controller::State::Treating && now > seconds(120);
      return op;
    };
  long cycles_counted = 0;
  long states_seen = 0; // a bit per state counted
  spec.observer = [&](const controller::CycleOutput &out) {
    const bool started =
        out.state != controller::State::Ready && out.state != controller::State::Idle;
    if (started) {
      ++cycles_counted;
      states_seen |= 1L << static_cast<int>(out.state);
    }
    log.note_loop_thread();
    counting = started;
  };
  spec.after_loop = [] { counting = false; }; // the loop's last exchange counted, not the harness
  allocations = 0;
  std::optional<testing::FileSizeLimit> limit;
  if (e.journal_fills) limit.emplace(200'000);
  const auto run = testing::run_session(spec);
  limit.reset();
  EXPECT_EQ(run.report.last.state, e.last_state);
  if (e.journal_fills) {
    EXPECT_EQ(run.report.last.fault, controller::FaultCode::JournalUnwritable);
  }
  EXPECT_GT(cycles_counted, 60'000);
  const controller::State through = e.last_state == controller::State::Fault && !e.journal_fills
                                        ? controller::State::Fault
                                        : controller::State::Releasing;
  EXPECT_TRUE(states_seen & (1L << static_cast<int>(through)));
  EXPECT_TRUE(states_seen & (1L << static_cast<int>(controller::State::Pretension)));
  EXPECT_EQ(allocations.load(), 0);
  const auto lines = log.finish();
  EXPECT_GE(lines.count, 4U);
  EXPECT_EQ(lines.from_loop, 0U) << "the loop's thread logged";
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(
    Endings, ControlCycleTo,
    ::testing::Values(
        Ending{"EndOfTreatment", {}, false, false, controller::State::Complete},
        Ending{"OperatorStop", {}, true, false, controller::State::Complete},
        // The patient switch at 3 min: a stop, then the loop lingers in Complete.
        Ending{"PatientSwitch", {"patient-switch@180s"}, false, false, controller::State::Complete},
        // A frozen load cell at 3 min: 303 latched, the drive off, Fault cycles.
        Ending{"LatchedFault", {"loadcell-freeze@180s"}, false, false, controller::State::Fault},
        // The journal fills mid-session: 204 and its controlled release.
        Ending{"JournalFault", {}, false, true, controller::State::Fault}),
    [](const ::testing::TestParamInfo<Ending> &p) { return std::string(p.param.name); });

// The counter itself works: an allocation made while counting is seen.
TEST(ControlCycle, CountingAllocatorSeesAnAllocation) {
  allocations = 0;
  counting = true;
  std::vector<int> *volatile p = new std::vector<int>(16); // volatile: not elided
  counting = false;
  delete p;
  EXPECT_EQ(allocations.load(), 2); // the vector and its buffer
}

} // namespace
} // namespace tractus
