// The console and a journal with no room (issue 11), through the service on the in-process
// simulator paced by the wall clock as `tractus serve` runs it: a load is refused with 118 when
// the journal folder lacks room for the whole session, and a journal that runs short of room
// mid-pull reaches the console as fault 204 with its alarm while the patient is released under
// control. The process's file-size limit plays the full disk (tests/support/file_size_limit.hpp).
#include "console_support.hpp"

#include "bindings/table_bindings.hpp"
#include "controller/journal_reader.hpp"
#include "support/file_size_limit.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>

namespace tractus::console {
namespace {

using namespace std::chrono_literals;
using controller::FaultCode;
using controller::State;
using tractus::testing::TelemetryWatcher;
namespace fs = std::filesystem;

bool is_fault(const TelemetryFrame &f) { return f.loop_running && f.state == State::Fault; }

class ConsoleJournal : public ::testing::Test {
protected:
  void SetUp() override { tractus::testing::write_quick_library(dir.path() / "library"); }
  ServiceOptions options() const {
    ServiceOptions o;
    o.journal_dir = dir.path() / "sessions";
    o.calibration_store = dir.path() / "calibration";
    o.library_dir = dir.path() / "library";
    return o;
  }
  tractus::testing::TempDir dir{"console-journal"};
};

TEST_F(ConsoleJournal, ALoadWithoutRoomForTheWholeSessionIsRefusedWith118AndLeavesNoFile) {
  TableService service(bindings::make_table_binding("sim", 7).value.value(), options());
  ApiResult loaded;
  {
    tractus::testing::FileSizeLimit limit(1'000'000); // 1 MB; the session may write ~7 MB
    loaded = service.load_session(tractus::testing::load_request(tractus::testing::kQuickProfile));
  }
  EXPECT_EQ(loaded.status, 507) << loaded.body.dump();
  EXPECT_EQ(loaded.body["error"]["code"], "journal-no-room");
  EXPECT_EQ(loaded.body["error"]["fault_code"], 118);
  EXPECT_NE(loaded.body["error"]["message"].get<std::string>().find("sessions"), std::string::npos);
  EXPECT_TRUE(service.state()["session"].is_null());
  const fs::path sessions = dir.path() / "sessions";
  EXPECT_TRUE(!fs::exists(sessions) || fs::is_empty(sessions));
  EXPECT_TRUE(service.sessions().body["sessions"].empty());
}

TEST_F(ConsoleJournal, AJournalShortOfRoomMidPullShows204AndReleasesBelow15NewtonsIn3Seconds) {
  // Paced by the wall clock: a machine pause may fault its loop (console_support.hpp).
  tractus::testing::riding_machine_pauses(dir.path() / "sessions", [&] {
    TableService service(bindings::make_table_binding("sim", 7).value.value(), options());
    TelemetryWatcher watch(service);
    const ApiResult loaded =
        service.load_session(tractus::testing::load_request(tractus::testing::kQuickProfile));
    ASSERT_EQ(loaded.status, 201) << loaded.body.dump();
    const fs::path journal = loaded.body["session"]["journal"].get<std::string>();
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return f.press_test_passed; }, 4s));
    ASSERT_EQ(service.command(OperatorCommand::Start).status, 202);
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return f.force_n > 100.0; }, 10s))
        << "state " << controller::to_string(watch.frames.back().state) << ", fault "
        << controller::number(watch.frames.back().fault);

    // The disk fills: 16 KiB more for this file, under the journal's 64 KiB reserve.
    std::optional<tractus::testing::FileSizeLimit> limit;
    limit.emplace(fs::file_size(journal) + 16 * 1024);
    ASSERT_TRUE(watch.until(
        [](const TelemetryFrame &f) { return f.fault == FaultCode::JournalUnwritable; }, 2s))
        << service.state().dump() << " size " << fs::file_size(journal);
    const auto fault_at = std::chrono::steady_clock::now();
    const TelemetryFrame at_fault = watch.frames.back();
    EXPECT_TRUE(at_fault.alarm);
    EXPECT_EQ(at_fault.state, State::Releasing);
    // Mid-pull: the last frame before the fault pulled above 100 N. (The fault's own frame may
    // already be a few newtons into the 400 N/s release.)
    ASSERT_GE(watch.frames.size(), 2u);
    const TelemetryFrame &before_fault = watch.frames[watch.frames.size() - 2];
    EXPECT_EQ(before_fault.fault, FaultCode::None);
    EXPECT_GT(before_fault.force_n, 100.0);
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return f.force_n < 15.0; }, 3s))
        << "force " << watch.frames.back().force_n;
    const double release_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - fault_at).count();
    const nlohmann::json state = service.state();
    EXPECT_EQ(state["frame"]["fault"]["code"], 204);
    EXPECT_EQ(state["frame"]["fault"]["name"], "journal-unwritable");
    EXPECT_TRUE(state["frame"]["alarm"].get<bool>());
    EXPECT_NE(state["session"]["journal_problem"].get<std::string>().find("short of room"),
              std::string::npos);
    std::printf("console: 204 shown at %.1f N; below 15 N %.2f s later\n", at_fault.force_n,
                release_s);

    // The release ends in Fault with the drive off; the acknowledgement clears it and ends the
    // session, whose journal holds the fault and only whole lines.
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return is_fault(f); }, 8s));
    ASSERT_EQ(service.command(OperatorCommand::Acknowledge).status, 202);
    ASSERT_TRUE(watch.until([](const TelemetryFrame &f) { return !f.loop_running; }, 8s));
    limit.reset();
    const nlohmann::json last = service.state()["last_session"];
    EXPECT_EQ(last["code"], 204);
    EXPECT_FALSE(last.contains("journal_error")) << last.dump(); // the reserve held the end
    const controller::JournalContents j = controller::read_journal(journal);
    EXPECT_TRUE(j.problems.empty()) << j.problems.front();
    EXPECT_FALSE(j.last_line_partial);
    bool journaled = false;
    for (const auto &e : j.events)
      journaled = journaled || e.value("code", 0) == 204;
    EXPECT_TRUE(journaled);
    EXPECT_TRUE(j.summary.has_value());
  });
}

} // namespace
} // namespace tractus::console
