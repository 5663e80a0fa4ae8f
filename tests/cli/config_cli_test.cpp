// `tractus` and its configuration file (docs/configuration.md): what the file sets, what a flag
// overrides, what `config show` says, and every way a file is refused.
#include "cli_fixture.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace tractus::cli_test {
namespace {

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

} // namespace
} // namespace tractus::cli_test
