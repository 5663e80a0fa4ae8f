// A journal that fills mid-pull over Modbus (issue 11): `tractus run` against tractus-sim holds
// 441 N when its file-size limit is lowered under it (prlimit(2) on the running process, the
// "disk" then full for its journal, no mount needed). It must live on, latch 204, release under
// control (not by the drive's watchdog) below 15 N within 3 s of the moment the room vanished,
// exit 3, and leave a journal of whole lines holding the fault. Before a start, a folder
// without room for the whole session is refused with 118 and no file is left behind.
#include "controller/journal_reader.hpp"
#include "harness/sim_harness.hpp"
#include "harness/tractus_run.hpp"
#include "support/file_size_limit.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sys/resource.h>
#include <thread>

using namespace tractus;
using namespace tractus::integration;
using Clock = std::chrono::steady_clock;

TEST(JournalFullOverModbus, TractusRunReleasesBelow15NewtonsWithin3SecondsAndJournalsTheFault) {
  test_riding_machine_pauses([](const ScratchDir &dir) {
    SimServer sim(dir, {"--calm"});
    ASSERT_TRUE(sim.ready()) << sim.log();
    SimProbe probe(sim.port());
    ASSERT_TRUE(probe.connected());
    // 45 %bw of 100 kg: a 441 N hold.
    Process run(tractus_run_argv(dir, sim.tcp_address(), "modbus-hold.json", "100kg"),
                dir / "run.out", dir / "run.err");

    std::optional<Truth> t = probe.wait_for_tension(400.0, run, 60s);
    ASSERT_TRUE(t && t->tension_n >= 400.0)
        << "the session never reached 400 N:\n"
        << read_file(dir / "run.out") << read_file(dir / "run.err");
    const auto file = journal_file(dir);
    ASSERT_TRUE(file);

    // The disk fills: 16 KiB more for the journal, under its 64 KiB reserve.
    rlimit full{};
    ASSERT_EQ(::prlimit(run.pid(), RLIMIT_FSIZE, nullptr, &full), 0);
    full.rlim_cur = static_cast<rlim_t>(std::filesystem::file_size(*file) + 16 * 1024);
    ASSERT_EQ(::prlimit(run.pid(), RLIMIT_FSIZE, &full, nullptr), 0);
    const auto filled = Clock::now();

    std::optional<double> below_15n_after;
    Truth last;
    while (Clock::now() - filled < 5s) {
      const auto now = probe.truth();
      ASSERT_TRUE(now);
      last = *now;
      if (now->tension_n < 15.0) {
        below_15n_after = std::chrono::duration<double>(Clock::now() - filled).count();
        break;
      }
      std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(below_15n_after) << "tension still " << last.tension_n << " N 5 s later";
    EXPECT_LT(*below_15n_after, 3.0);
    // Released by the controller with torque on, not by a torque-off or the drive's watchdog.
    EXPECT_TRUE(last.enabled);
    EXPECT_FALSE(last.watchdog_tripped);
    EXPECT_TRUE(run.running()); // alive (it used to abort with 134)

    const auto code = run.wait_for(30s);
    ASSERT_TRUE(code) << "tractus run did not end";
    EXPECT_EQ(*code, 3) << read_file(dir / "run.err");
    EXPECT_NE(read_file(dir / "run.err").find("204 journal-unwritable"), std::string::npos)
        << read_file(dir / "run.err");
    const controller::JournalContents j = controller::read_journal(*file);
    EXPECT_TRUE(j.problems.empty()) << j.problems.front();
    EXPECT_FALSE(j.last_line_partial);
    // The first fault is the journal's (a loaded machine may add a later one, e.g. a stall that
    // trips the drive's watchdog once the tension is already down).
    int first_fault = 0;
    for (const auto &e : j.events)
      if (first_fault == 0 && e.value("event", "") == "fault") first_fault = e.value("code", 0);
    EXPECT_EQ(first_fault, 204);
    ASSERT_TRUE(j.summary);
    EXPECT_EQ(j.summary->value("exit_code", 0), 3);
    EXPECT_NE(j.summary->value("journal_problem", "").find("short of room"), std::string::npos);
    EXPECT_LE(std::filesystem::file_size(*file), full.rlim_cur);
    std::printf("journal full at %.0f N: true tension below 15 N %.2f s later; exit %d\n",
                t->tension_n, *below_15n_after, *code);
  });
}

TEST(JournalFullOverModbus, TractusRunWithoutRoomForTheSessionRefusesWith118AndLeavesNoFile) {
  ScratchDir dir;
  SimServer sim(dir, {"--calm"});
  ASSERT_TRUE(sim.ready()) << sim.log();
  std::optional<int> code;
  {
    // 1 MB a file: the 1 min session may write about 3.5 MB. The child inherits the limit.
    tractus::testing::FileSizeLimit limit(1'000'000);
    Process run(tractus_run_argv(dir, sim.tcp_address(), "modbus-hold.json", "100kg"),
                dir / "run.out", dir / "run.err");
    code = run.wait_for(30s);
  }
  ASSERT_TRUE(code);
  EXPECT_EQ(*code, 2);
  const std::string err = read_file(dir / "run.err");
  EXPECT_NE(err.find("118 journal-no-room"), std::string::npos) << err;
  EXPECT_NE(err.find((dir / "journal").string()), std::string::npos) << err;
  EXPECT_FALSE(journal_file(dir));
  const auto truth = SimProbe(sim.port()).truth();
  ASSERT_TRUE(truth);
  EXPECT_FALSE(truth->enabled);
  EXPECT_LT(truth->tension_n, 1.0);
  // Refused before the session's lease: nothing was written to the drive, its watchdog unarmed.
  EXPECT_FALSE(truth->watchdog_armed) << "the watchdog was armed for a session that never ran";
}
