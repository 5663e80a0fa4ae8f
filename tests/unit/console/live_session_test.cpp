// A whole session through the service on the in-process simulator, paced by the wall clock as
// `tractus serve` runs it: load, the simulated patient's press test, start, the force rising in
// the telemetry, stop, the release, and the end held until the operator acknowledges it.
#include "console_support.hpp"

#include "bindings/table_bindings.hpp"

#include <gmock/gmock.h>

namespace tractus::console {
namespace {

using namespace std::chrono_literals;
using controller::State;
using tractus::testing::TelemetryWatcher;

class LiveSession : public ::testing::Test {
protected:
  void SetUp() override { tractus::testing::write_quick_library(dir.path() / "library"); }
  ServiceOptions options() const {
    ServiceOptions o;
    o.journal_dir = dir.path() / "sessions";
    o.calibration_store = dir.path() / "calibration";
    o.library_dir = dir.path() / "library";
    return o;
  }
  static nlohmann::json quick_request() {
    return tractus::testing::load_request(tractus::testing::kQuickProfile);
  }

  tractus::testing::TempDir dir{"console-live"};
};

bool is(const TelemetryFrame &f, State s) { return f.loop_running && f.state == s; }

TEST_F(LiveSession, RisesStopsWithinThreeSecondsAndEndsOnlyWhenAcknowledged) {
  // Paced by the wall clock: a machine pause may fault its loop (console_support.hpp).
  tractus::testing::riding_machine_pauses(dir.path() / "sessions", [&] {
    TableService service(bindings::make_table_binding("sim", 7).value.value(), options());
    TelemetryWatcher watch(service);
    const ApiResult loaded = service.load_session(quick_request());
    ASSERT_EQ(loaded.status, 201) << loaded.body.dump();
    const std::string id = loaded.body["session"]["id"];

    // The loop runs from the load: telemetry at 50 Hz while the patient tests the hand switch.
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return f.press_test_passed; }, 4s));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::size_t loop_frames = 0;
    for (std::size_t i = 0; i < watch.frames.size(); ++i) {
      if (watch.frames[i].loop_running) ++loop_frames;
      if (i > 0) {
        EXPECT_GT(watch.frames[i].seq, watch.frames[i - 1].seq);
      }
    }
    EXPECT_GE(static_cast<double>(loop_frames) / seconds, 20.0); // 50 Hz nominal
    EXPECT_TRUE(watch.frames.back().estop_chain_closed);
    EXPECT_TRUE(watch.frames.back().patient_switch_connected);
    EXPECT_EQ(service.state()["frame"]["state"], "ready");

    ASSERT_EQ(service.command(OperatorCommand::Start).status, 202);
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return f.force_n > 100.0; }, 10s))
        << "state " << controller::to_string(watch.frames.back().state);
    EXPECT_EQ(service.command(OperatorCommand::Start).status, 409); // already running
    EXPECT_EQ(service.unload_session().status, 409);                // running: stop first

    ASSERT_EQ(service.command(OperatorCommand::Stop).status, 202);
    ASSERT_TRUE(watch.until(
        [](const TelemetryFrame &f) { return f.state == State::Releasing && f.force_n < 15.0; },
        3s))
        << "force " << watch.frames.back().force_n;
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return is(f, State::Complete); }, 9s));
    EXPECT_EQ(watch.frames.back().outcome, controller::Outcome::OperatorStop);

    // Complete, but the loop keeps running until the operator acknowledges the end.
    watch.drain_for(500ms);
    EXPECT_TRUE(watch.frames.back().loop_running);
    EXPECT_EQ(service.unload_session().status, 409);
    ASSERT_EQ(service.command(OperatorCommand::Acknowledge).status, 202);
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return !f.loop_running; }, 5s));

    const nlohmann::json state = service.state();
    EXPECT_TRUE(state["session"].is_null());
    EXPECT_EQ(state["last_session"]["id"], id);
    EXPECT_EQ(state["last_session"]["outcome"], "stopped by operator");
    EXPECT_EQ(service.command(OperatorCommand::Start).status, 409); // no session any more

    const ApiResult listed = service.sessions();
    ASSERT_EQ(listed.body["sessions"].size(), 1U);
    EXPECT_EQ(listed.body["sessions"][0]["id"], id);
    EXPECT_EQ(listed.body["sessions"][0]["complete"], true);
    EXPECT_EQ(listed.body["sessions"][0]["source"], "console");
    const ApiResult one = service.session(id);
    ASSERT_EQ(one.status, 200);
    EXPECT_EQ(one.body["header"]["screening"]["source"], "console");
    EXPECT_EQ(one.body["header"]["screening"]["answers"]["pregnancy"], false);
    EXPECT_GT(one.body["samples"].size(), 50U);
    EXPECT_TRUE(one.body["problems"].empty());
  });
}

TEST_F(LiveSession, PatientSwitchAlarmHoldsUntilAcknowledged) {
  // Paced by the wall clock: a machine pause may fault its loop (console_support.hpp).
  tractus::testing::riding_machine_pauses(dir.path() / "sessions", [&] {
    // The patient presses the hand switch 6 s after the load: during the treatment.
    TableService service(tractus::testing::sim_binding_with({"patient-switch@6s"}), options());
    TelemetryWatcher watch(service);
    ASSERT_EQ(service.load_session(quick_request()).status, 201);
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return f.press_test_passed; }, 4s));
    ASSERT_EQ(service.command(OperatorCommand::Start).status, 202);
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return f.alarm; }, 8s));
    EXPECT_EQ(watch.frames.back().outcome, controller::Outcome::PatientStop)
        << "fault " << controller::number(watch.frames.back().fault);

    const std::size_t from = watch.frames.size();
    watch.drain_for(1s);
    for (std::size_t i = from; i < watch.frames.size(); ++i)
      EXPECT_TRUE(watch.frames[i].alarm) << "frame " << watch.frames[i].seq;

    ASSERT_EQ(service.command(OperatorCommand::Acknowledge).status, 202);
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return !f.alarm; }, 1s));
    EXPECT_TRUE(watch.frames.back().loop_running);
    // The destructor stops the table safely: the release finishes and the loop is joined.
  });
}

TEST_F(LiveSession, AFaultStaysLatchedWhileItsCauseIsPresent) {
  // Paced by the wall clock: a machine pause may fault its loop (console_support.hpp).
  tractus::testing::riding_machine_pauses(dir.path() / "sessions", [&] {
    // The load cell freezes 6 s after the load: stale (303) during the treatment.
    TableService service(tractus::testing::sim_binding_with({"loadcell-freeze@6s"}), options());
    TelemetryWatcher watch(service);
    const ApiResult loaded = service.load_session(quick_request());
    ASSERT_EQ(loaded.status, 201);
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return f.press_test_passed; }, 4s));
    ASSERT_EQ(service.command(OperatorCommand::Start).status, 202);
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return is(f, State::Fault); }, 8s));
    EXPECT_EQ(watch.frames.back().fault, controller::FaultCode::LoadCellStale);
    EXPECT_TRUE(watch.frames.back().alarm);

    // The cause (a frozen transmitter) is still there: acknowledging does not clear it.
    ASSERT_EQ(service.command(OperatorCommand::Acknowledge).status, 202);
    watch.drain_for(500ms);
    EXPECT_TRUE(is(watch.frames.back(), State::Fault));
    EXPECT_EQ(service.unload_session().status, 409);
    EXPECT_EQ(service.calibration_begin({{"technician", "T"}, {"serial", "LC-1"}}).status, 409);

    const ApiResult faults = service.fault_history();
    ASSERT_FALSE(faults.body["faults"].empty());
    EXPECT_EQ(faults.body["faults"][0]["code"], 303);
    EXPECT_EQ(faults.body["faults"][0]["session"], loaded.body["session"]["id"]);
  });
}

TEST_F(LiveSession, OneSessionAtATimeAndAReadySessionUnloads) {
  TableService service(bindings::make_table_binding("sim", 1).value.value(), options());
  ASSERT_EQ(service.load_session(quick_request()).status, 201);
  const ApiResult second = service.load_session(quick_request());
  EXPECT_EQ(second.status, 409);
  EXPECT_EQ(second.body["error"]["code"], "busy");
  const ApiResult unloaded = service.unload_session();
  ASSERT_EQ(unloaded.status, 200) << unloaded.body.dump();
  EXPECT_EQ(service.unload_session().status, 409);
  EXPECT_EQ(service.load_session(quick_request()).status, 201); // free again
}

TEST_F(LiveSession, WithoutASessionStopIsAcceptedAndTheRestRefused) {
  TableService service(bindings::make_table_binding("sim", 1).value.value(), options());
  EXPECT_EQ(service.command(OperatorCommand::Stop).status, 202);
  for (auto c : {OperatorCommand::Start, OperatorCommand::Pause, OperatorCommand::Resume,
                 OperatorCommand::Acknowledge}) {
    const ApiResult r = service.command(c);
    EXPECT_EQ(r.status, 409);
    EXPECT_EQ(r.body["error"]["code"], "no-session");
  }
  // Idle frames at 5 Hz from the service itself.
  TelemetryWatcher watch(service);
  watch.drain_for(1100ms);
  EXPECT_GE(watch.frames.size(), 5U);
  EXPECT_LE(watch.frames.size(), 7U);
  for (const auto &f : watch.frames)
    EXPECT_FALSE(f.loop_running);
}

TEST_F(LiveSession, AScreeningYesIsRefusedWithItsOwnCode) {
  TableService service(bindings::make_table_binding("sim", 1).value.value(), options());
  auto request = quick_request();
  request["screening"]["answers"]["osteoporosis"] = true;
  const ApiResult r = service.load_session(request);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body["error"]["code"], "screening-failed");
  EXPECT_THAT(tractus::testing::problems_of(r),
              ::testing::ElementsAre(::testing::HasSubstr("/screening/answers/osteoporosis")));
  request = quick_request();
  request["screening"]["confirmed"] = false;
  EXPECT_EQ(service.load_session(request).body["error"]["code"], "invalid");
}

} // namespace
} // namespace tractus::console
