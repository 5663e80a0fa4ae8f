// `tractus calibrate run | verify | show` as functions (apps/cli/calibrate_command.hpp): what a
// technician sees, and that nothing refused or failed ever replaces the calibration in force.
#include "calibration_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace tractus::calibration_test {
namespace {

// The scripted technician's hands put `hung` on the hanger whenever `asked` is asked for.
class WrongWeightTable final : public console::CalibrationLease {
public:
  WrongWeightTable(console::CalibrationLease &table, Force asked, Force hung)
      : table_(table), asked_(asked), hung_(hung) {}
  hal::LoadCell &load_cell() noexcept override { return table_.load_cell(); }
  void wait_one_period() override { table_.wait_one_period(); }
  [[nodiscard]] Duration period() const override { return table_.period(); }
  [[nodiscard]] Force capacity() const override { return table_.capacity(); }
  [[nodiscard]] double nominal_counts_per_newton() const override {
    return table_.nominal_counts_per_newton();
  }
  bool hang_reference_load(Force load) override {
    return table_.hang_reference_load(load == asked_ ? hung_ : load);
  }
  void remove_reference_load() override { table_.remove_reference_load(); }
  [[nodiscard]] std::string description() const override { return table_.description(); }

private:
  console::CalibrationLease &table_;
  Force asked_, hung_;
};

// A store with a good calibration in force, and its current.json bytes.
struct StoreInForce {
  TempDir dir;
  std::string current_bytes;
  explicit StoreInForce(const std::string &name) : dir(name) {
    bindings::SimLease table(config_with({}), 1);
    const CommandResult r = run_calibration(run_options(dir.path()), table);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    current_bytes = bytes_of(dir.path() / "current.json");
  }
  [[nodiscard]] bool unchanged() const {
    return bytes_of(dir.path() / "current.json") == current_bytes;
  }
};

TEST(CalibrateCommand, ScriptedSimulatorRunIsAcceptedInstalledAndInForce) {
  TempDir dir("cal-cmd-ok");
  bindings::SimLease table(config_with({}), 1);
  const CommandResult r = run_calibration(run_options(dir.path()), table);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("Installed " + (dir.path() / "current.json").string()), std::string::npos);
  text::Outcome<hal::Calibration> in_force;
  in_force = calibration::calibration_in_force(dir.path(), kJan2026 + 60);
  const auto &calibration = in_force.value;
  ASSERT_TRUE(calibration) << in_force.error;
  EXPECT_EQ(calibration->id, "LC-1234-20260101T000000Z");
  EXPECT_NEAR(calibration->to_force(8000 + 100 * 500).si(), 500.0, 0.1);
}

TEST(CalibrateCommand, WrongReferenceLoadIsRefusedAndTheCalibrationInForceStays) {
  StoreInForce store("cal-cmd-wrong-load");
  bindings::SimLease sim(config_with({}), 2);
  WrongWeightTable table(sim, newtons(600), newtons(800)); // the 800 N weight instead of 600 N
  const CommandResult r = run_calibration(run_options(store.dir.path()), table, "", kJan2026 + 60);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "tractus calibrate run: refused: the reading (799.9 N) does not match the "
                   "reference load 600 N (expected 600 N ± 14 N from the readings so far): check "
                   "the weights on the hanger\n"
                   "tractus calibrate run: nothing was saved; the calibration in force is "
                   "unchanged\n");
  EXPECT_TRUE(store.unchanged());
  EXPECT_EQ(calibration::CalibrationStore(store.dir.path()).history().size(), 1U);
}

TEST(CalibrateCommand, UnstableReadingIsRefusedAndTheCalibrationInForceStays) {
  StoreInForce store("cal-cmd-unstable");
  const auto table = cli::open_calibration_table("sim", 3, {"loadcell-noise@0s"}); // σ 5 N
  ASSERT_TRUE(table.lease) << table.error;
  const CommandResult r =
      run_calibration(run_options(store.dir.path()), *table.lease, "", kJan2026 + 60);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "tractus calibrate run: refused: unstable reading at 0 N: the reading did not "
                   "settle within 20 s (spread 4.96 N, allowed 0.5 N; drift 0.9 N, allowed 0.25 "
                   "N)\n"
                   "tractus calibrate run: nothing was saved; the calibration in force is "
                   "unchanged\n");
  EXPECT_TRUE(store.unchanged());
}

TEST(CalibrateCommand, LoadOutsideTheRangeIsRefusedAndTheCalibrationInForceStays) {
  StoreInForce store("cal-cmd-range");
  bindings::SimLease table(config_with({}), 4);
  cli::CalibrateRunOptions o = run_options(store.dir.path());
  o.loads = "0,500,1000,1500,2500";
  const CommandResult r = run_calibration(o, table, "", kJan2026 + 60);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "tractus calibrate run: 2500 N is outside the range of the load cell (0 to "
                   "2000 N)\n");
  EXPECT_TRUE(store.unchanged());
}

TEST(CalibrateCommand, InteractiveLoadOutOfOrderOrOutOfRangeIsRefusedAndTakenAgain) {
  StoreInForce store("cal-cmd-order");
  bindings::SimLease table(config_with({}), 5);
  cli::CalibrateRunOptions o = run_options(store.dir.path());
  o.interactive = true;
  // 0, 200, 400 accepted; then 200 typed again (out of order), 2500 (out of range), then quit.
  const CommandResult r = run_calibration(o, table, "\n200 N\n400\n200\n2500\nq\n", kJan2026 + 60);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "tractus calibrate run: refused: 200 N entered after 400 N while loading; "
                   "loads go up to 1000 N, then back down to 0 N (next: 600 N)\n"
                   "tractus calibrate run: refused: 2500 N is outside the range of the load cell "
                   "(0 to 2000 N)\n"
                   "tractus calibrate run: calibration abandoned at step 4/21 (cycle 1, "
                   "loading); nothing was saved; the calibration in force is unchanged\n");
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '?'), 0);
  EXPECT_NE(r.out.find("step 4/21 (cycle 1, loading): place 600 N, then type the load on the "
                       "cell [600 N]: "),
            std::string::npos);
  EXPECT_TRUE(store.unchanged());
}

TEST(CalibrateCommand, InteractiveRunAcceptsEnterForEachPlannedLoad) {
  TempDir dir("cal-cmd-interactive");
  bindings::SimLease table(config_with({}), 6);
  cli::CalibrateRunOptions o = run_options(dir.path());
  o.interactive = true;
  const CommandResult r = run_calibration(o, table, std::string(21, '\n'));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(calibration::CalibrationStore(dir.path()).current(kJan2026));
}

TEST(CalibrateCommand, FailedAcceptanceIsKeptAsRejectedAndTheCalibrationInForceStays) {
  StoreInForce store("cal-cmd-rejected");
  sim::LoadCellParams worn;
  // 1.9 N wide at 400 N of a 1000 N loop (0.19 % FS); the weights' bounce closes it a little.
  worn.hysteresis = newtons(8.0);
  bindings::SimLease table(config_with(worn), 8);
  const CommandResult r = run_calibration(run_options(store.dir.path()), table, "", kJan2026 + 60);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.out.find("FAILED: hysteresis 0.183 % of FS is above the limit of 0.1 %"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.err,
            "tractus calibrate run: calibration failed acceptance (kept as " +
                (store.dir.path() / "history" / "20260101T000100Z-LC-1234-rejected.json").string() +
                "); the calibration in force is unchanged\n");
  EXPECT_TRUE(store.unchanged());
}

TEST(CalibrateCommand, DailyVerificationPassesOnTheCalibratedCellAndIsLogged) {
  StoreInForce store("cal-cmd-verify");
  bindings::SimLease table(config_with({}), 9);
  cli::CalibrateVerifyOptions o;
  o.store = store.dir.path().string();
  std::istringstream in;
  std::ostringstream out, err;
  EXPECT_EQ(cli::calibrate_verify(o, table, kJan2026 + 3600, in, out, err), 0) << err.str();
  EXPECT_EQ(out.str().rfind("Verification of calibration LC-1234-20260101T000000Z: passed: ", 0),
            0U);
  const auto latest =
      calibration::CalibrationStore(store.dir.path())
          .latest_verification(
              calibration::CalibrationStore(store.dir.path()).current(kJan2026).record->checksum);
  ASSERT_TRUE(latest.verification);
  EXPECT_TRUE(latest.verification->passed);
  EXPECT_TRUE(store.unchanged()); // logged beside the record, never in it
}

TEST(CalibrateCommand, VerificationAfterTheZeroShiftedFailsAndTakesTheCalibrationOutOfForce) {
  StoreInForce store("cal-cmd-verify-fail");
  bindings::SimLease table(config_with({}), 10);
  table.sim().plant().shift_load_cell_offset(newtons(5)); // a knock on the cell since
  cli::CalibrateVerifyOptions o;
  o.store = store.dir.path().string();
  std::istringstream in;
  std::ostringstream out, err;
  EXPECT_EQ(cli::calibrate_verify(o, table, kJan2026 + 3600, in, out, err), 3);
  EXPECT_NE(out.str().find(": FAILED: 504.93 N measured at 500 N (error +4.93 N, allowed ±2.5 N)"),
            std::string::npos)
      << out.str();
  text::Outcome<hal::Calibration> in_force;
  in_force = calibration::calibration_in_force(store.dir.path(), kJan2026 + 7200);
  EXPECT_FALSE(in_force.ok());
  EXPECT_NE(in_force.error.find("failed (FAILED: 504.93 N measured"), std::string::npos)
      << in_force.error;
}

TEST(CalibrateCommand, ShowSaysWhyTheCalibrationIsNotInForce) {
  StoreInForce store("cal-cmd-show");
  std::ostringstream out, err;
  EXPECT_EQ(cli::calibrate_show(store.dir.path().string(), kJan2026 + 60, out, err), 0)
      << err.str();
  EXPECT_NE(out.str().find("In force."), std::string::npos);
  std::ostringstream out2, err2;
  const std::int64_t in_2027 = kJan2026 + 400 * 86400;
  EXPECT_EQ(cli::calibrate_show(store.dir.path().string(), in_2027, out2, err2), 2);
  EXPECT_EQ(err2.str(), "tractus calibrate show: NOT IN FORCE: " +
                            (store.dir.path() / "current.json").string() +
                            ": calibration LC-1234-20260101T000000Z expired on 2027-01-01; the "
                            "load cell must be recalibrated (tractus calibrate run)\n");
}

} // namespace
} // namespace tractus::calibration_test
