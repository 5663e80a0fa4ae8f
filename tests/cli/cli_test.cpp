// `tractus` as a user runs it: the documented exit codes (0 completed, 2 bad input and nothing
// started, 3 ended by a stop or a fault), what it says, and the journal it leaves.
#include "controller/journal_reader.hpp"
#include "support/command_output.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace fs = std::filesystem;

namespace {

using Result = tractus::testing::CommandOutput;

Result run(const std::string &args) {
  return tractus::testing::run_command(std::string(TRACTUS_BIN) + " " + args);
}

class TractusCli : public ::testing::Test {
protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("tractus-cli-" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  [[nodiscard]] std::string journal_dir() const { return (dir_ / "sessions").string(); }
  [[nodiscard]] fs::path only_journal() const {
    fs::path found;
    int n = 0;
    for (const auto &e : fs::directory_iterator(dir_ / "sessions")) {
      found = e.path();
      ++n;
    }
    EXPECT_EQ(n, 1);
    return found;
  }
  fs::path dir_;
};

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
                 "truncated.json: not JSON"}));

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

// ---- the configuration file (docs/configuration.md) ----

void write(const fs::path &file, const std::string &text) { std::ofstream(file) << text; }

// What the file sets is in force unless a flag says otherwise, and `config show` says which.
TEST_F(TractusCli, ConfigShowSaysWhereEachSettingCameFromAndAFlagOverridesTheFile) {
  const fs::path file = dir_ / "tractus.json";
  write(file, R"({"format": "tractus.config/1", "table": "sim:heavy", "listen": "0.0.0.0:8090",
                  "journal_dir": "/var/lib/tractus/journals",
                  "allow_origins": ["http://table-1.clinic.example:8090"]})");
  const auto r = run("config show --config " + file.string() + " --listen 127.0.0.1:9000");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto has = [&](const std::string &line) {
    EXPECT_NE(r.output.find(line), std::string::npos) << "no \"" << line << "\" in\n" << r.output;
  };
  has("configuration file: " + file.string());
  has("sim:heavy  (" + file.string() + ")");
  has("127.0.0.1:9000  (--listen)"); // the flag, not the file's 0.0.0.0:8090
  has("/var/lib/tractus/journals  (" + file.string() + ")");
  has("http://table-1.clinic.example:8090  (" + file.string() + ")");
  has("calibration  (default)");
  EXPECT_EQ(r.output.find("0.0.0.0:8090"), std::string::npos) << r.output;
}

// Every problem at once, each naming the file and the pointer; serve starts nothing.
TEST_F(TractusCli, ABadConfigFileIsRefusedWithEveryProblemNamedAndServeStartsNothing) {
  const fs::path file = dir_ / "bad.json";
  write(file, R"({"format": "tractus.config/1", "tabel": "sim", "table": "modbus-tcp://",
                  "listen": "everywhere", "journal_dir": "sessions", "tls": {"cert": "/c.pem"},
                  "allow_origins": ["table-1"]})");
  for (const std::string command : {"config show", "serve"}) {
    const auto r = run(command + " --config " + file.string() + " --listen 127.0.0.1:0");
    EXPECT_EQ(r.exit_code, 2) << command << "\n" << r.output;
    for (const std::string pointer :
         {"/tabel: unknown key (allowed here: format, table, listen",
          "/table: ", "/journal_dir: \"sessions\" is relative",
          "/tls: needs both \"cert\" and \"key\"", "/allow_origins/0: "})
      EXPECT_NE(r.output.find(file.string() + ": " + pointer), std::string::npos)
          << command << ": no " << pointer << " in\n"
          << r.output;
    // A bad value is refused even where a flag overrides it: the file is wrong as a whole.
    EXPECT_NE(r.output.find(file.string() + ": /listen: \"everywhere\": expected HOST:PORT"),
              std::string::npos)
        << r.output;
    EXPECT_EQ(r.output.find("the console is at"), std::string::npos) << r.output;
  }
}

TEST_F(TractusCli, AConfigFileThatIsMissingOrNotJsonOrAnotherFormatIsRefused) {
  const auto missing = run("config show --config " + (dir_ / "absent.json").string());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("absent.json: cannot be read"), std::string::npos)
      << missing.output;
  write(dir_ / "broken.json", "{\"format\": ");
  const auto broken = run("config show --config " + (dir_ / "broken.json").string());
  EXPECT_EQ(broken.exit_code, 2);
  EXPECT_NE(broken.output.find("broken.json: not JSON"), std::string::npos) << broken.output;
  // A key twice would keep the last without a word (hazard H7): refused, naming the pointer.
  write(dir_ / "twice.json", R"({"format": "tractus.config/1", "table": "modbus-tcp://10.0.0.9:502",
                                 "table": "sim"})");
  const auto twice = run("config show --config " + (dir_ / "twice.json").string());
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.output.find("twice.json: /table: duplicate key"), std::string::npos)
      << twice.output;
  write(dir_ / "profile.json", R"({"format": "tractus.profile/1"})");
  const auto other = run("config show --config " + (dir_ / "profile.json").string());
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_NE(other.output.find("/format: must be \"tractus.config/1\""), std::string::npos)
      << other.output;
}

// The line of `config show` for `key`: "KEY   VALUE  (SOURCE)", or "" when there is none.
std::string shown_line(const std::string &output, const std::string &key) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(key + " ", 0) == 0) return line;
  return "";
}

// The clinic's settings and the log's: each applied and shown with where it came from.
TEST_F(TractusCli, ConfigShowAppliesTheClinicsSettingsAndTheLogsWithTheirSources) {
  const fs::path file = dir_ / "tractus.json";
  write(file, R"({"format": "tractus.config/1",
                  "clinic_limits": {"lumbar_hard_cap": "600 N", "max_rate": "30 N/s",
                                    "max_duration": "30 min", "max_steps": 4},
                  "daily_verification": {"valid_for_hours": 8},
                  "display_units": {"force": "lbf", "weight": "lb"}, "language": "en",
                  "log_level": "debug", "log_dir": "/var/log/tractus"})");
  const auto r = run("config show --config " + file.string() + " --log-level warn");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string from_file = "  (" + file.string() + ")";
  const auto shows = [&](const std::string &key, const std::string &value_and_source) {
    const std::string line = shown_line(r.output, key);
    EXPECT_NE(line.find(" " + value_and_source), std::string::npos)
        << key << ": no \"" << value_and_source << "\" in\n"
        << r.output;
  };
  shows("clinic_limits.lumbar_hard_cap", "600 N = 134.9 lbf" + from_file);
  shows("clinic_limits.max_rate", "30 N/s" + from_file);
  shows("clinic_limits.max_duration", "30 min" + from_file);
  shows("clinic_limits.max_steps", "4" + from_file);
  shows("clinic_limits.cervical_hard_cap", "222 N = 49.9 lbf  (default)");
  shows("daily_verification", "a pass on the same calendar day, at most 8 h old" + from_file);
  shows("display_units.force", "lbf" + from_file);
  shows("display_units.weight", "lb" + from_file);
  shows("language", "en" + from_file);
  shows("log_level", "warn  (--log-level)"); // the flag over the file's debug
  shows("log_dir", "/var/log/tractus" + from_file);

  const auto defaults = run("config show --no-config --data /srv/tractus");
  ASSERT_EQ(defaults.exit_code, 0) << defaults.output;
  for (const auto &[key, value] :
       {std::pair<std::string, std::string>{"log_level", "info"},
        {"log_dir", "(none: /srv/tractus/log; under systemd the journal)"},
        {"daily_verification", "a pass on the same calendar day"},
        {"display_units.force", "N"},
        {"language", "en"}})
    EXPECT_NE(shown_line(defaults.output, key).find(" " + value + "  (default)"), std::string::npos)
        << key << "\n"
        << defaults.output;
}

// A looser limit, a value out of its set, a relative log folder: each refused with the file,
// the pointer and what is allowed; exit 2.
TEST_F(TractusCli, ABadClinicSettingIsRefusedNamingThePointerAndWhatIsAllowed) {
  const fs::path file = dir_ / "bad.json";
  write(file, R"({"format": "tractus.config/1",
                  "clinic_limits": {"lumbar_hard_cap": "1000 N", "max_rate": "30 N",
                                    "max_duration": "2 h", "hard_cap": "600 N",
                                    "min_cord_tension": 20},
                  "daily_verification": {"valid_for_hours": 30},
                  "display_units": {"force": "lb", "weight": "lb"}, "language": "de",
                  "log_level": "verbose", "log_dir": "log"})");
  const auto r = run("config show --config " + file.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  const std::string me = "tractus config show: " + file.string() + ": ";
  for (const std::string line :
       {"/clinic_limits/lumbar_hard_cap: 1000 N is outside what a clinic may set (15 N to "
        "890 N)",
        "/clinic_limits/max_rate: \"30 N\" is not per second (a force per second such as "
        "\"30 N/s\"; the machine's value 50 N/s)",
        // A minimum is raised, not lowered: its machine value is not called a most.
        "/clinic_limits/min_cord_tension: must be a string (a force such as \"600 N\" or "
        "\"135 lbf\"; the machine's value 15 N",
        "/clinic_limits/max_duration: ",
        "/clinic_limits/hard_cap: unknown key (allowed here: lumbar_hard_cap, "
        "cervical_hard_cap, lumbar_clinical_cap_percent_bw",
        "/daily_verification/valid_for_hours: 30 is not allowed (a whole number of hours, 1 "
        "to 24; leave daily_verification out to accept a pass all its calendar day)",
        "/display_units/force: \"lb\" is not allowed (allowed: N, lbf, kgf)",
        "/language: \"de\" is not allowed (allowed: en)",
        "/log_level: \"verbose\" is not allowed (allowed: trace, debug, info, warn, error, "
        "off)",
        "/log_dir: \"log\" is relative: must be an absolute path"})
    EXPECT_NE(r.output.find(me + line), std::string::npos) << "no " << line << " in\n" << r.output;
  EXPECT_EQ(r.output.find("/display_units/weight"), std::string::npos) << r.output;
  const auto flag = run("config show --no-config --log-level verbose");
  EXPECT_EQ(flag.exit_code, 2) << flag.output;
  EXPECT_NE(flag.output.find("--log-level"), std::string::npos) << flag.output;
}

// ---- tractus doctor (docs/installing.md) ----

// A line of the doctor's report: "VERDICT  check  detail", as printed.
bool has_line(const std::string &output, const std::string &verdict, const std::string &check,
              const std::string &detail) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(verdict, 0) == 0 && line.find(check) != std::string::npos &&
        line.find(detail) != std::string::npos)
      return true;
  return false;
}

// Everything a session needs on the simulator: exit 0, the table, watchdog and calibration OK.
TEST_F(TractusCli, DoctorOnAReadySimulatorPassesEveryCheckThatMatters) {
  const std::string data = (dir_ / "data").string();
  fs::create_directories(dir_ / "sessions");
  write(dir_ / "pin", "2468\n");
  for (const std::string role : {"operator", "technician"})
    ASSERT_EQ(
        run("pin set " + role + " --data " + data + " < " + (dir_ / "pin").string()).exit_code, 0);
  const auto r = run("doctor --no-config --table sim --data " + data + " --journal " +
                     journal_dir() + " --store " + (dir_ / "cal").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(has_line(r.output, "OK", "PINs", "operator and technician PINs set")) << r.output;
  EXPECT_TRUE(has_line(r.output, "OK", "journal folder", "room for the longest session (99 min"))
      << r.output;
  EXPECT_TRUE(has_line(r.output, "OK", "table", "sim: simulated")) << r.output;
  EXPECT_TRUE(has_line(r.output, "OK", "calibration", "the simulator's factory calibration"))
      << r.output;
  EXPECT_TRUE(has_line(r.output, "WARN", "configuration", "none read")) << r.output;
  EXPECT_NE(r.output.find(" 0 FAIL"), std::string::npos) << r.output;
}

// Each thing missing is a FAIL naming it and its fix, and the doctor exits 3.
TEST_F(TractusCli, DoctorNamesWhatIsMissingWithItsFixAndExits3) {
  const std::string data = (dir_ / "data").string();
  const auto r = run("doctor --no-config --data " + data + " --journal " +
                     (dir_ / "absent").string() + " --table modbus-tcp://127.0.0.1:1");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(
      has_line(r.output, "FAIL", "journal folder", (dir_ / "absent").string() + " does not exist"))
      << r.output;
  EXPECT_TRUE(has_line(r.output, "FAIL", "PINs", "no PIN for the operator and technician"))
      << r.output;
  EXPECT_NE(r.output.find("fix: tractus pin set operator --data " + data), std::string::npos)
      << r.output;
  EXPECT_TRUE(has_line(r.output, "FAIL", "table", "127.0.0.1:1: Connection refused")) << r.output;
  // On a real table the loop's permissions are required, not only advised.
  EXPECT_EQ(r.output.find("WARN  real-time"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" FAIL: not ready for a patient"), std::string::npos) << r.output;
}

// PIN files the console could not use are not "PINs set": a lockout file it cannot read (it
// would lock both roles at its start) is named with its fix.
TEST_F(TractusCli, DoctorNamesALockoutFileTheConsoleCouldNotRead) {
  const std::string data = (dir_ / "data").string();
  write(dir_ / "pin", "2468\n");
  for (const std::string role : {"operator", "technician"})
    ASSERT_EQ(
        run("pin set " + role + " --data " + data + " < " + (dir_ / "pin").string()).exit_code, 0);
  const fs::path lockout = dir_ / "data" / "console" / "lockout.json";
  write(lockout, "{\"format\": ");
  const auto r = run("doctor --no-config --table sim --data " + data + " --journal " +
                     (dir_ / "data").string());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has_line(r.output, "FAIL", "PINs", "would lock both roles")) << r.output;
  EXPECT_NE(r.output.find("fix: remove " + lockout.string()), std::string::npos) << r.output;
}

// A bad configuration file is a FAIL naming the file and the pointer; the rest is still checked.
TEST_F(TractusCli, DoctorReportsABadConfigFileAndChecksTheRestOnTheDefaults) {
  const fs::path file = dir_ / "bad.json";
  write(file, R"({"format": "tractus.config/1", "tabel": "sim"})");
  const auto r = run("doctor --config " + file.string() + " --journal " + journal_dir());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has_line(r.output, "FAIL", "configuration", file.string() + ": /tabel: unknown key"))
      << r.output;
  EXPECT_TRUE(has_line(r.output, "OK", "table", "sim: simulated")) << r.output;
}

} // namespace
