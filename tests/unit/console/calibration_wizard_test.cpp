// The calibration wizard on the simulator: each stated load is hung by the simulator's hands,
// a wrong load is refused and nothing kept, and the accepted record is installed in the store.
#include "console_support.hpp"

#include "bindings/table_bindings.hpp"

#include <gmock/gmock.h>

namespace tractus::console {
namespace {

using ::testing::HasSubstr;

class CalibrationWizardTest : public ::testing::Test {
protected:
  ServiceOptions options() const {
    ServiceOptions o;
    o.journal_dir = dir.path() / "sessions";
    o.calibration_store = dir.path() / "calibration";
    return o;
  }
  tractus::testing::TempDir dir{"console-calibration"};
  TableService service{bindings::make_table_binding("sim", 3).value.value(), options()};
};

TEST_F(CalibrationWizardTest, WalksThroughInstallsAndVerifies) {
  EXPECT_EQ(service.calibration_status().body["in_force"], false);
  const ApiResult begun = service.calibration_begin({{"technician", "A. Tech"},
                                                     {"serial", "LC-1234"},
                                                     {"loads_N", {0, 250, 500, 750, 1000}},
                                                     {"cycles", 2}});
  ASSERT_EQ(begun.status, 200) << begun.body.dump();
  EXPECT_EQ(begun.body["simulated"], true);
  EXPECT_EQ(service.calibration_begin({{"technician", "B"}, {"serial", "LC-2"}}).status, 409);
  EXPECT_EQ(service.verification({{"load_N", 500}}).status, 409);

  // A load that is not the plan's next one is refused; nothing is kept.
  const ApiResult wrong = service.calibration_reading({{"load_N", 500}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_THAT(wrong.body["error"]["message"].get<std::string>(), HasSubstr("step 1/"));

  nlohmann::json next = begun.body["next"];
  int steps = 0;
  while (!next.is_null()) {
    const ApiResult r = service.calibration_reading({{"load_N", next["load_N"]}});
    ASSERT_EQ(r.status, 200) << r.body.dump();
    next = r.body["next"];
    ++steps;
  }
  EXPECT_EQ(steps, 17); // 5 up, 4 down; then 4 up, 4 down
  const ApiResult finished = service.calibration_finish();
  ASSERT_EQ(finished.status, 200);
  ASSERT_EQ(finished.body["accepted"], true) << finished.body.dump();
  const ApiResult installed = service.calibration_install();
  ASSERT_EQ(installed.status, 200) << installed.body.dump();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "calibration" / "current.json"));

  const ApiResult status = service.calibration_status();
  EXPECT_EQ(status.body["in_force"], true);
  EXPECT_EQ(status.body["record"]["load_cell_serial"], "LC-1234");

  const ApiResult verified = service.verification({{"load_N", 500}, {"technician", "A. Tech"}});
  ASSERT_EQ(verified.status, 200) << verified.body.dump();
  EXPECT_EQ(verified.body["passed"], true);
  EXPECT_EQ(service.calibration_status().body["latest_verification"]["passed"], true);
}

TEST_F(CalibrationWizardTest, ABadPlanNamesEveryProblemAndHoldsNothing) {
  const ApiResult r = service.calibration_begin(
      {{"technician", ""}, {"serial", "bad serial!"}, {"loads_N", {0, "x"}}, {"speed", 1}});
  EXPECT_EQ(r.status, 422);
  const auto problems = tractus::testing::problems_of(r);
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("/speed: unknown member")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("/technician: ")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("/serial: ")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("/loads_N: 2 loads (5 to 25 loads")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("/loads_N/1: a string, expected a number")));
  EXPECT_EQ(service.calibration_reading({{"load_N", 0}}).status, 409); // nothing under way
  EXPECT_EQ(service.calibration_cancel().body["cancelled"], false);
}

TEST_F(CalibrationWizardTest, CancelKeepsTheRecordInForce) {
  ASSERT_EQ(service.calibration_begin({{"technician", "T"}, {"serial", "LC-9"}}).status, 200);
  ASSERT_EQ(service.calibration_reading({{"load_N", 0}}).status, 200);
  const ApiResult c = service.calibration_cancel();
  EXPECT_EQ(c.body["cancelled"], true);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "calibration" / "current.json"));
  EXPECT_EQ(service.calibration_finish().status, 409);
}

TEST_F(CalibrationWizardTest, DiagnosticsReadTheDevicesWhenNoLoopRuns) {
  const ApiResult d = service.diagnostics();
  ASSERT_EQ(d.status, 200);
  EXPECT_EQ(d.body["devices"]["load_cell"]["io"], "ok");
  EXPECT_EQ(d.body["devices"]["safety"]["estop_chain_closed"], true);
  EXPECT_TRUE(d.body["modbus"].is_null());
  EXPECT_EQ(d.body["table"]["simulated"], true);
}

} // namespace
} // namespace tractus::console
