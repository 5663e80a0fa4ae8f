// A session never starts on a calibration it cannot trust: with calibration_valid false the
// start is refused with fault 110 (CalibrationInvalid) and only that, and a tampered or
// expired record in the store is what makes it false, with the reason in words.
#include "calibration_support.hpp"

#include "controller/session.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "sim/sim_table.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tractus::calibration_test {
namespace {

using controller::EventKind;
using controller::FaultCode;
using controller::State;

struct StartAttempt {
  std::vector<FaultCode> refusals;
  State state = State::Idle;
};

// Everything else a start needs is in place on the simulator: the patient tests the hand switch
// (pressed at 0.1 s for 2 s), the drive's watchdog is armed, screening is confirmed. The
// operator presses start at 3 s.
StartAttempt try_to_start(const hal::Calibration &calibration, bool calibration_valid) {
  const auto profile = profiles::find_profile("lumbar-static");
  EXPECT_TRUE(profile.ok());
  const auto trajectory =
      profiles::compile(*profile.value, profiles::Patient{"p-1", kilograms(80)});
  EXPECT_TRUE(trajectory.ok());
  sim::InjectionSchedule events;
  events.add(*sim::parse_injection("patient-switch@100ms").injection);
  sim::SimTable sim(sim::kAveragePatient, 1, std::move(events));
  EXPECT_EQ(sim.drive().configure_watchdog(milliseconds(100)), "");

  controller::SessionSetup setup;
  setup.trajectory = &*trajectory.value;
  setup.calibration = calibration;
  setup.calibration_valid = calibration_valid;
  setup.screening_confirmed = true;
  controller::Session session(setup);
  StartAttempt attempt;
  hal::DriveStatus drive = sim.drive().exchange(hal::DriveCommand::disabled());
  for (int ms = 0; ms <= 3100; ++ms) {
    controller::Readings r{sim.load_cell().read(), sim.safety().read(), drive};
    controller::OperatorInput op;
    op.start = ms == 3000;
    const controller::CycleOutput out = session.step(milliseconds(ms), r, op);
    for (std::uint8_t i = 0; i < out.event_count; ++i)
      if (out.events[i].kind == EventKind::StartRefused)
        attempt.refusals.push_back(out.events[i].code);
    drive = sim.drive().exchange(out.command);
    sim.advance(milliseconds(1));
  }
  attempt.state = session.state();
  return attempt;
}

hal::Calibration sim_factory() { return sim::SimTable().factory_calibration(); }

TEST(SessionStart, InvalidCalibrationRefusesTheStartWithFault110AndNothingElse) {
  const StartAttempt refused = try_to_start(sim_factory(), false);
  ASSERT_EQ(refused.refusals.size(), 1U);
  EXPECT_EQ(refused.refusals[0], FaultCode::CalibrationInvalid);
  EXPECT_EQ(controller::number(refused.refusals[0]), 110);
  EXPECT_EQ(refused.state, State::Ready);
  // The same table with a valid calibration starts: the refusal above was the calibration's.
  const StartAttempt started = try_to_start(sim_factory(), true);
  EXPECT_TRUE(started.refusals.empty());
  EXPECT_EQ(started.state, State::Pretension);
}

// What a real table's start-up does: ask the store, and start only on what it vouches for.
StartAttempt start_from_store(const std::filesystem::path &store, std::int64_t now,
                              std::string &why) {
  const auto calibration = calibration::calibration_in_force(store, now);
  why = calibration.error;
  return try_to_start(calibration.value.value_or(hal::Calibration{}), calibration.ok());
}

TEST(SessionStart, TamperedRecordInTheStoreKeepsTheSessionFromStartingAndSaysWhy) {
  TempDir dir("cal-session-tampered");
  bindings::SimLease table(config_with({}), 1);
  ASSERT_EQ(run_calibration(run_options(dir.path()), table).exit_code, 0);
  std::string why;
  EXPECT_EQ(start_from_store(dir.path(), kJan2026 + 60, why).state, State::Pretension) << why;

  std::string text = bytes_of(dir.path() / "current.json");
  text.replace(text.find("\"c0\": -"), 7, "\"c0\": ");
  std::ofstream(dir.path() / "current.json", std::ios::binary) << text;
  const StartAttempt attempt = start_from_store(dir.path(), kJan2026 + 60, why);
  EXPECT_EQ(attempt.refusals, std::vector<FaultCode>{FaultCode::CalibrationInvalid});
  EXPECT_EQ(attempt.state, State::Ready);
  EXPECT_EQ(why.rfind((dir.path() / "current.json").string() + ": checksum mismatch", 0), 0U)
      << why;
}

TEST(SessionStart, ExpiredRecordKeepsTheSessionFromStartingAndNamesTheDate) {
  TempDir dir("cal-session-expired");
  bindings::SimLease table(config_with({}), 1);
  ASSERT_EQ(run_calibration(run_options(dir.path()), table).exit_code, 0);
  std::string why;
  const StartAttempt attempt = start_from_store(dir.path(), kJan2026 + 366 * 86400, why);
  EXPECT_EQ(attempt.refusals, std::vector<FaultCode>{FaultCode::CalibrationInvalid});
  EXPECT_EQ(why, (dir.path() / "current.json").string() +
                     ": calibration LC-1234-20260101T000000Z expired on 2027-01-01; the load "
                     "cell must be recalibrated (tractus calibrate run)");
}

TEST(SessionStart, TruncatedRecordKeepsTheSessionFromStarting) {
  TempDir dir("cal-session-truncated");
  bindings::SimLease table(config_with({}), 1);
  ASSERT_EQ(run_calibration(run_options(dir.path()), table).exit_code, 0);
  const std::string text = bytes_of(dir.path() / "current.json");
  std::ofstream(dir.path() / "current.json", std::ios::binary) << text.substr(0, 700);
  std::string why;
  const StartAttempt attempt = start_from_store(dir.path(), kJan2026 + 60, why);
  EXPECT_EQ(attempt.refusals, std::vector<FaultCode>{FaultCode::CalibrationInvalid});
  EXPECT_NE(why.find("(the file ends early: truncated)"), std::string::npos) << why;
}

} // namespace
} // namespace tractus::calibration_test
