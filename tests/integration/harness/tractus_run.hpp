// `tractus run` as a child process, and its journal read back (controller/journal_reader.hpp).
#pragma once

#include "controller/journal_reader.hpp"
#include "harness/process.hpp"
#include "support/machine_pauses.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tractus::integration {

// argv for `tractus run --profile tests/data/PROFILE --weight W --table T --journal DIR/journal`.
std::vector<std::string> tractus_run_argv(const ScratchDir &dir, const std::string &table,
                                          const std::string &profile, const std::string &weight,
                                          const std::vector<std::string> &extra = {});

// `tractus run` with `argv`, stopped by the operator (SIGINT, a controlled release) `after` its
// start unless it ended before; its output in DIR/run.out and DIR/run.err.
RunResult run_then_stop(const std::vector<std::string> &argv, const ScratchDir &dir,
                        std::chrono::milliseconds after);

// The one journal `tractus run` wrote into DIR/journal, if there is one.
std::optional<std::filesystem::path> journal_file(const ScratchDir &dir);

// The machine-pause rule (support/machine_pauses.hpp), shared with the console's tests.
using testing::kMachinePause;
using testing::pause_behind;
using testing::pause_that_explains;
using testing::PauseSentinel;
using testing::rerun_after_machine_pauses;
using testing::session_end;
using testing::SessionEnd;

// One attempt at a session: its own scratch folder (kept if the test fails), what `tractus run`
// printed and returned, and the journal it wrote.
struct SessionAttempt {
  std::unique_ptr<ScratchDir> dir = std::make_unique<ScratchDir>();
  RunResult run;
  std::optional<controller::JournalContents> journal;
};

// Runs `attempt` (which starts the table and `tractus run` in a.dir and fills a.run) until it
// ends without a fault a machine pause explains (machine_pauses.hpp); returns the last attempt
// with its journal read.
SessionAttempt session_riding_machine_pauses(const std::function<void(SessionAttempt &)> &attempt);

// The same for a test that drives a session through its own steps (a console's API, a stop, a
// kill, a full disk) and judges it as it goes: `body` runs in a fresh scratch folder, its
// session journalled in DIR/journal. An attempt that failed while that journal's first fault is
// one a machine pause explains is set aside (its first failure printed) and the body runs
// again, at most three attempts; the failures of the last attempt are the test's.
void test_riding_machine_pauses(const std::function<void(const ScratchDir &)> &body);

} // namespace tractus::integration
