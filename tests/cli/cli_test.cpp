// `tractus` as a user runs it: the documented exit codes (0 completed, 2 bad input and nothing
// started, 3 ended by a stop or a fault), what it says, and the journal it leaves.
#include "cli_fixture.hpp"
#include "controller/journal_reader.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace tractus::cli_test {
namespace {

TEST_F(TractusCli, StockSessionCompletesWithExit0AndAnIntactJournal) {
  const auto r = run("run --profile lumbar-intermittent --weight 80kg --patient P-0001 --journal " +
                     journal_dir());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Outcome   completed"), std::string::npos) << r.output;

  const auto j = tractus::controller::read_journal(only_journal());
  EXPECT_TRUE(j.problems.empty());
  EXPECT_FALSE(j.last_line_partial);
  EXPECT_EQ(j.header["format"], "tractus.journal/1");
  EXPECT_EQ(j.header["patient"]["id"], "P-0001");
  EXPECT_EQ(j.header["patient"]["body_mass_kg"], 80.0);
  EXPECT_EQ(j.header["calibration"]["id"], "sim-factory");
  EXPECT_EQ(j.header["profile"]["as_run"]["id"], "lumbar-intermittent");
  EXPECT_EQ(j.header["screening"]["source"], "simulator");
  EXPECT_EQ(j.header["controller"], "adaptive"); // tractus's own loop unless asked
  ASSERT_TRUE(j.summary.has_value());
  EXPECT_EQ((*j.summary)["outcome"], "completed");
  EXPECT_EQ((*j.summary)["exit_code"], 0);
  EXPECT_LE((*j.summary)["hold_rms_error_percent"].get<double>(), 2.0);
  // 20 minutes of decimated samples at 10 Hz, and the state changes of a whole session.
  EXPECT_GT(j.samples.size(), 12'000u);
  std::vector<std::string> states;
  for (const auto &e : j.events)
    if (e["event"] == "state") states.push_back(e["state"]);
  EXPECT_EQ(states, (std::vector<std::string>{"pretension", "treating", "releasing", "complete"}));
}

// A start the session refuses (the E-stop chain open before the start): exit 2, each condition
// named on stderr with its code, as the checks before the loop name theirs, and an outcome of
// "not started" on the screen and in the journal, never the controller's "running".
TEST_F(TractusCli, ARefusedStartNamesItsCodeAndIsNotStarted) {
  const auto r =
      run("run --profile lumbar-static --weight 80kg --inject estop@0s --journal " + journal_dir());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("tractus run: start refused: 113 estop-open: "), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("Outcome   not started"), std::string::npos) << r.output;
  const auto j = tractus::controller::read_journal(only_journal());
  EXPECT_TRUE(j.problems.empty());
  ASSERT_TRUE(j.summary.has_value());
  EXPECT_EQ((*j.summary)["outcome"], "not started");
  EXPECT_EQ((*j.summary)["exit_code"], 2);
}

// `--controller baseline` runs the textbook PID (docs/force-loop.md, "The baseline
// controller"), and the journal says so: its figures are never to be read as tractus's own.
// Exit 0 or 3: without spasm relief a random spasm may trip 301, which is the comparison's point.
TEST_F(TractusCli, TheBaselineControllerIsNamedInTheJournalHeader) {
  const auto r = run("run --profile cervical-static --weight 80kg --controller baseline"
                     " --journal " +
                     journal_dir());
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 3) << r.output;
  const auto j = tractus::controller::read_journal(only_journal());
  EXPECT_TRUE(j.problems.empty());
  EXPECT_EQ(j.header["controller"], "baseline");
  EXPECT_TRUE(j.summary.has_value());
}

TEST_F(TractusCli, PatientSwitchAt890NewtonsEndsWithExit3AndIsJournaled) {
  const auto r = run("run --profile " TRACTUS_TEST_DATA "/profiles/lumbar-static-200lbf.json"
                     " --weight 185kg --table sim:heavy --inject patient-switch@55s --journal " +
                     journal_dir());
  ASSERT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("stopped by patient switch"), std::string::npos) << r.output;
  const auto j = tractus::controller::read_journal(only_journal());
  EXPECT_TRUE(j.problems.empty());
  bool alarm = false;
  for (const auto &e : j.events)
    if (e["event"] == "alarm" && e["code"] == 150) alarm = true;
  EXPECT_TRUE(alarm);
  EXPECT_EQ((*j.summary)["outcome"], "stopped by patient switch");
  EXPECT_GE((*j.summary)["peak_force_n"].get<double>(), 880.0);
}

TEST_F(TractusCli, FaultEndsWithExit3AndTheFaultCode) {
  const auto r = run("run --profile lumbar-static --weight 80kg --inject loadcell-freeze@120s"
                     " --journal " +
                     journal_dir());
  ASSERT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("303 loadcell-stale"), std::string::npos) << r.output;
  const auto j = tractus::controller::read_journal(only_journal());
  EXPECT_EQ((*j.summary)["code"], 303);
}

// A patient file (docs/simulator.md, "Patient files") is a simulated patient like a preset: the
// session runs on it, and the journal keeps the file's name and every figure it simulated.
TEST_F(TractusCli, APatientFileRunsASessionAndTheJournalKeepsItsFigures) {
  const std::string file = TRACTUS_TEST_DATA "/patients/stiff-lumbar.json";
  const auto r = run("run --profile lumbar-static --weight 110kg --table sim:" + file +
                     " --journal " + journal_dir());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = tractus::controller::read_journal(only_journal());
  EXPECT_TRUE(j.problems.empty());
  const auto &table = j.header["table"];
  EXPECT_EQ(table["address"], "sim:" + file);
  EXPECT_EQ(table["preset"], "stiff-lumbar");
  EXPECT_EQ(table["patient_file"], file);
  EXPECT_EQ(table["patient"]["format"], "tractus.patient/1");
  EXPECT_EQ(table["patient"]["tissue"]["k3_n_per_m3"], 16e6);
  EXPECT_EQ((*j.summary)["outcome"], "completed");
}

// A refused patient file names every problem, each by its JSON pointer, and starts nothing: not
// `tractus run`, not `tractus-sim`.
TEST_F(TractusCli, ARefusedPatientFileNamesEveryProblemAndStartsNothing) {
  const std::string file = TRACTUS_TEST_DATA "/patients/bad-envelope.json";
  const std::vector<std::string> problems{
      file + ": /harness/slack_mm: 80 mm is above the envelope (0 to 60 mm)",
      file + ": /section/breakaway: is a number, must be a string (a force such as \"13 N\" or "
             "\"3 lbf\", 0 to 70 N)",
      file + ": /tissue/k1: unknown key (known keys: k1_n_per_m, k3_n_per_m3, "
             "creep_stiffness_n_per_m, creep_time)",
      file + ": /tissue/k1_n_per_m: missing (required)"};
  const auto r = run("run --profile lumbar-static --weight 80kg --table sim:" + file +
                     " --journal " + journal_dir());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("tractus run: --table sim:" + file + ": the patient file is refused"),
            std::string::npos)
      << r.output;
  for (const std::string &problem : problems)
    EXPECT_NE(r.output.find(problem), std::string::npos) << problem << "\n" << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "sessions")) << "a journal was started";

  const auto sim = tractus::testing::run_command(std::string(TRACTUS_SIM_BIN) +
                                                 " --listen 127.0.0.1:0 --patient " + file);
  EXPECT_EQ(sim.exit_code, 2) << sim.output;
  for (const std::string &problem : problems)
    EXPECT_NE(sim.output.find(problem), std::string::npos) << problem << "\n" << sim.output;
}

struct BadInput {
  const char *args;
  const char *says;
};

class TractusCliBadInput : public TractusCli, public ::testing::WithParamInterface<BadInput> {};

TEST_P(TractusCliBadInput, Exits2SaysWhyAndStartsNothing) {
  const auto r = run(std::string(GetParam().args) + " --journal " + journal_dir());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find(GetParam().says), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "sessions")) << "a journal was started";
}

INSTANTIATE_TEST_SUITE_P(
    Run, TractusCliBadInput,
    ::testing::Values(
        BadInput{"run --profile lumbar-intermittent --weight 800kg", "--weight 800kg"},
        BadInput{"run --profile lumbar-intermittent --weight eighty", "--weight eighty"},
        BadInput{"run --profile no-such-protocol --weight 80kg", "no-such-protocol"},
        BadInput{"run --profile lumbar-intermittent --weight 80kg --inject estop",
                 "bad injection \"estop\""},
        BadInput{"run --profile lumbar-intermittent --weight 80kg --table sim:giant",
                 "unknown simulated patient \"giant\""},
        BadInput{"run --profile lumbar-intermittent --weight 80kg --patient \"John Smith\"",
                 "not a pseudonymous id"},
        // A name with no space is still a name: an id has a digit, as in the records store.
        BadInput{"run --profile lumbar-intermittent --weight 80kg --patient Smith",
                 "tractus run: --patient \"Smith\": not a pseudonymous id (1 to 32 letters, "
                 "digits, '-' or '_', with at least one digit"},
        BadInput{"run --profile " TRACTUS_TEST_DATA "/profiles/lumbar-static-200lbf.json"
                 " --weight 80kg",
                 "/max_force"},
        BadInput{"run --weight 80kg", "--profile is required"},
        BadInput{"run --profile lumbar-static --weight 80kg --controller bogus",
                 "tractus run: --controller bogus: unknown controller (allowed: adaptive, "
                 "baseline)"},
        // --screening on the simulator is optional, but a file given is checked like a profile:
        // every problem named by its file and JSON pointer (docs/screening.md).
        BadInput{"run --profile lumbar-static --weight 80kg --screening /nonexistent.json",
                 "/nonexistent.json: cannot be read"},
        BadInput{"run --profile lumbar-static --weight 80kg --screening " TRACTUS_TEST_DATA
                 "/screening/unknown-key.json",
                 "unknown-key.json: /answers/headache: unknown item"},
        BadInput{"run --profile lumbar-static --weight 80kg --screening " TRACTUS_TEST_DATA
                 "/screening/unknown-key.json",
                 "unknown-key.json: /signed: unknown member (allowed: answers, confirmed, format)"},
        BadInput{"run --profile lumbar-static --weight 80kg --screening " TRACTUS_TEST_DATA
                 "/screening/missing-answer.json",
                 "missing-answer.json: /answers/fever: not answered"},
        BadInput{"run --profile lumbar-static --weight 80kg --screening " TRACTUS_TEST_DATA
                 "/screening/red-flag-yes.json",
                 "red-flag-yes.json: /answers/saddle-numbness: answered yes — Numbness in the "
                 "groin, buttocks or inner thighs (saddle area) is a red flag (no session: refer "
                 "the patient)"},
        // A red flag answered yes, then no: never read as the last answer.
        BadInput{"run --profile lumbar-static --weight 80kg --screening " TRACTUS_TEST_DATA
                 "/screening/duplicate-answer.json",
                 "duplicate-answer.json: /answers/saddle-numbness: duplicate key (each answer at "
                 "most once)"},
        BadInput{"run --profile lumbar-static --weight 80kg --screening " TRACTUS_TEST_DATA
                 "/screening/not-confirmed.json",
                 "not-confirmed.json: /confirmed: must be true"},
        BadInput{"run --profile lumbar-static --weight 80kg --screening " TRACTUS_TEST_DATA
                 "/screening/no-format.json",
                 "no-format.json: /format: missing (expected \"tractus.screening/1\")"},
        BadInput{"run --profile lumbar-static --weight 80kg --screening " TRACTUS_TEST_DATA
                 "/screening/truncated.json",
                 "truncated.json: not JSON"},
        // An empty value (a variable never set) is refused by name: an empty --records used to
        // run the session with no records store at all.
        BadInput{"run --profile lumbar-static --weight 80kg --records \"\"",
                 "tractus run: --records is empty: give it a value, or leave it out"},
        BadInput{"run --profile \"\" --weight 80kg",
                 "tractus run: --profile is empty: give it a value, or leave it out"},
        // A mistyped command is named, with the commands there are ("A subcommand is required").
        BadInput{"bogus", "tractus: unknown command \"bogus\"; the commands are: run, profile, "},
        BadInput{"records lst", "tractus records: unknown command \"lst\"; the commands are: "
                                "status, import, patient, protocol, limits"}));

TEST_F(TractusCli, ACompletedScreeningFileOnTheSimulatorIsRecordedInTheJournal) {
  const auto r = run("run --profile lumbar-static --weight 80kg --screening " TRACTUS_DOCS
                     "/examples/screening.json --journal " +
                     journal_dir());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = tractus::controller::read_journal(only_journal());
  EXPECT_EQ(j.header["screening"]["source"], "file");
  EXPECT_EQ(j.header["screening"]["confirmed"], true);
  EXPECT_EQ(j.header["screening"]["answers"].size(), 16U);
  EXPECT_EQ(j.header["screening"]["answers"]["pregnancy"], false);
}

TEST_F(TractusCli, ProfileValidateExits2OnEveryBadProfile) {
  int files = 0;
  for (const auto &e : fs::directory_iterator(TRACTUS_TEST_DATA "/profiles/bad")) {
    const auto r = run("profile validate " + e.path().string());
    EXPECT_EQ(r.exit_code, 2) << e.path() << "\n" << r.output;
    EXPECT_NE(r.output.find(e.path().string() + ": /"), std::string::npos) << r.output;
    ++files;
  }
  EXPECT_GE(files, 25);
}

TEST_F(TractusCli, ProfileValidateExits0OnEveryStockProfile) {
  const auto r = run("profile list");
  ASSERT_EQ(r.exit_code, 0);
  for (const char *id : {"lumbar-static", "lumbar-intermittent", "lumbar-cyclic",
                         "lumbar-progressive", "cervical-static", "cervical-intermittent"}) {
    EXPECT_NE(r.output.find(id), std::string::npos) << id;
  }
}

} // namespace
} // namespace tractus::cli_test
