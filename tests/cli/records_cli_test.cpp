// `tractus records` as a technician runs it: a patient added, listed and shown with the
// sessions `tractus run` journaled for them; journals imported with a damaged one named and the
// exit status saying so; a store that cannot be used refused with exit 2, nothing changed.
#include "controller/journal_reader.hpp"
#include "support/command_output.hpp"
#include "support/postgres_cluster.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

namespace tractus::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

CommandOutput tractus(const std::string &args) {
  return run_command(std::string(TRACTUS_BIN) + " " + args);
}

class RecordsCli : public ::testing::Test {
protected:
  // `records --data DIR` with `args`, on the test's own SQLite file.
  CommandOutput records(const std::string &args) {
    return tractus("records --data " + dir_.path().string() + " " + args);
  }
  TempDir dir_{"records-cli"};
};

TEST_F(RecordsCli, APatientAddedListedAndShownWithTheSessionsRunForThem) {
  auto r = records("patient add P-0042 --weight 176lb --note 'L4-L5'");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("Patient P-0042 added (79.8 kg)"));

  const auto journals = dir_.path() / "journals";
  for (const auto *inject : {"", " --inject loadcell-freeze@120s"}) {
    r = tractus("run --profile lumbar-static --weight 80kg --patient P-0042 --journal " +
                journals.string() + inject);
    ASSERT_NE(r.exit_code, -1) << r.output;
  }
  r = records("import " + journals.string() + " --table-name table-a");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("Indexed 2 journals"));
  EXPECT_THAT(r.output, HasSubstr("as table table-a"));

  r = records("patient show P-0042");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("2 sessions"));
  EXPECT_THAT(r.output, HasSubstr("lumbar-static  completed"));
  EXPECT_THAT(r.output, HasSubstr("lumbar-static  fault (303)"));
  EXPECT_THAT(r.output, HasSubstr("table table-a (simulator)"));

  r = records("patient list 004");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.output, HasSubstr("P-0042  79.8 kg"));
  r = records("patient list Z");
  EXPECT_THAT(r.output, HasSubstr("No patient whose id contains Z"));
}

TEST_F(RecordsCli, AReportFromTheStoreOrFromAJournalFileAloneAndWhatItRefuses) {
  const auto journals = dir_.path() / "journals";
  ASSERT_EQ(tractus("run --profile cervical-static --weight 80kg --patient P-0042 --journal " +
                    journals.string())
                .exit_code,
            0);
  const auto journal = std::filesystem::directory_iterator(journals)->path();
  const auto pdf = dir_.path() / "s.pdf";
  const auto csv = dir_.path() / "s.csv";
  // A journal file alone: no store needed.
  auto r =
      tractus("report " + journal.string() + " --pdf " + pdf.string() + " --csv " + csv.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("Wrote " + pdf.string()));
  const auto text = run_command("pdftotext -layout " + pdf.string() + " -").output;
  EXPECT_THAT(text, HasSubstr("P-0042"));
  EXPECT_THAT(text, HasSubstr("Cervical static"));
  EXPECT_THAT(text, HasSubstr("SIMULATOR"));
  std::ifstream lines(csv);
  std::string header;
  std::getline(lines, header);
  EXPECT_EQ(header.substr(0, 22), "t_s,setpoint_n,force_n");

  // The same session from the store, once indexed; and what is refused.
  ASSERT_EQ(records("import " + journals.string()).exit_code, 0);
  r = tractus("report --data " + dir_.path().string() + " " + journal.stem().string() + " --pdf " +
              pdf.string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = tractus("report --data " + dir_.path().string() + " no-such-session --pdf " + pdf.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("no session no-such-session"));
  r = tractus("report --data " + dir_.path().string() + " --patient P-0042 --pdf " + pdf.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("patient P-0042 has no course"));
  r = tractus("report " + journal.string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("say where the report goes"));

  // Files that are no session's journal are bad input (exit 2) named by their path, never an
  // internal error: garbage, an empty file, lines with no header, a journal that is not there.
  const auto bad = [&](const std::string &name, const std::string &contents) {
    const auto file = dir_.path() / name;
    std::ofstream(file) << contents;
    return file.string();
  };
  for (const auto &file :
       {bad("garbage.jsonl", "not json at all\n"), bad("empty.jsonl", ""),
        bad("headless.jsonl", "{\"type\":\"sample\",\"t\":0.1}\n{\"type\":\"summary\"}\n")}) {
    r = tractus("report " + file + " --pdf " + pdf.string());
    EXPECT_EQ(r.exit_code, 2) << file << ": " << r.output;
    EXPECT_THAT(r.output, HasSubstr(file));
    EXPECT_THAT(r.output, Not(HasSubstr("internal error")));
  }
  r = tractus("report " + (dir_.path() / "gone.jsonl").string() + " --pdf " + pdf.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("gone.jsonl: no such file"));
}

TEST_F(RecordsCli, ClinicProtocolsImportedExportedAndTheClinicsLimitsSetWithEveryProblemNamed) {
  const auto file = [&](const std::string &name, const std::string &text) {
    std::ofstream(dir_.path() / name) << text;
    return (dir_.path() / name).string();
  };
  const auto profile = [](const std::string &max_force) {
    return R"({"format": "tractus.profile/1", "id": "clinic-lumbar-x", "name": "Clinic lumbar",
               "region": "lumbar", "mode": "static", "max_force": ")" +
           max_force + R"(", "ramp": "30 s", "duration": "15 min"})";
  };
  // Over the lumbar clinical cap: named with the file, nothing saved, exit 2.
  auto r = records("protocol import " + file("over.json", profile("60 %bw")) + " --author JD");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output,
              HasSubstr("over.json: /max_force: 60 %bw is above the lumbar clinical cap"));
  EXPECT_THAT(records("protocol list").output, HasSubstr("No clinic protocol"));

  r = records("protocol import " + file("v1.json", profile("30 %bw")) + " " +
              file("v2.json", profile("35 %bw")) + " --author JD");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("clinic protocol clinic-lumbar-x v1 saved"));
  EXPECT_THAT(r.output, HasSubstr("clinic protocol clinic-lumbar-x v2 saved"));
  r = records("protocol list");
  EXPECT_THAT(r.output, HasSubstr("clinic-lumbar-x  v2  Clinic lumbar"));
  EXPECT_THAT(r.output, HasSubstr("JD (command line,"));

  // Version 1 exported as it was saved, and readable by `tractus profile validate`.
  const auto exported = (dir_.path() / "exported.json").string();
  r = records("protocol export clinic-lumbar-x --version 1 --out " + exported);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = tractus("profile validate " + exported);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  std::ifstream in(exported);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("\"max_force\": \"30 %bw\""));
  EXPECT_EQ(records("protocol export clinic-lumbar-x --version 3").exit_code, 2);

  // Limits: a looser one refused with every problem, the previous ones kept.
  r = records("limits set " + file("l1.json", R"({"lumbar_clinical_cap_percent_bw": "32 %bw"})") +
              " --author JD");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = records("limits set " +
              file("l2.json", R"({"lumbar_hard_cap": "1000 N", "max_rate": "80 N/s"})") +
              " --author AB");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("l2.json: /limits/lumbar_hard_cap: 1000 N"));
  EXPECT_THAT(r.output, HasSubstr("l2.json: /limits/max_rate: 80 N/s"));
  r = records("limits show");
  EXPECT_THAT(r.output, HasSubstr("lumbar_clinical_cap_percent_bw = 32 %bw  (the clinic's)"));
  // The clinic's 32 %bw now refuses a protocol at 35 %bw.
  r = records("protocol import " + file("v3.json", profile("35 %bw")) + " --author JD");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("at most 32 %bw"));
  // `tractus run --records`: the clinic's protocol by id, under the clinic's limits — its
  // version 2 (35 %bw) is refused with the reason, nothing runs; lumbar-static (33 %bw) too.
  const std::string store = " --records sqlite:" + (dir_.path() / "records.sqlite").string();
  const std::string journals = " --journal " + (dir_.path() / "journals").string();
  r = tractus("run --profile clinic-lumbar-x --weight 80kg" + store + journals);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("clinic protocol clinic-lumbar-x v2: /max_force: 35 %bw is "
                                  "above the lumbar clinical cap (at most 32 %bw)"));
  r = tractus("run --profile lumbar-static --weight 80kg" + store + journals);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "journals") &&
               !std::filesystem::is_empty(dir_.path() / "journals"));
  // Back to a 35 %bw cap: the clinic's protocol runs by id, and its journal names the version.
  file("l3.json", R"({"lumbar_clinical_cap_percent_bw": "35 %bw"})");
  ASSERT_EQ(records("limits set " + (dir_.path() / "l3.json").string() + " --author JD").exit_code,
            0);
  r = tractus("run --profile clinic-lumbar-x --weight 80kg" + store + journals);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("Outcome   completed"));
  int journals_read = 0;
  for (const auto &entry : std::filesystem::directory_iterator(dir_.path() / "journals")) {
    if (entry.path().extension() != ".jsonl") continue;
    ++journals_read;
    const auto journal = controller::read_journal(entry.path());
    EXPECT_EQ(journal.header.value("profile", nlohmann::json::object()).value("source", ""),
              "clinic protocol clinic-lumbar-x v2");
  }
  EXPECT_EQ(journals_read, 1); // the refused runs left none
}

TEST_F(RecordsCli, ANameForAnIdAnOutOfRangeWeightOrAnIdTakenIsBadInput) {
  auto r = records("patient add 'Jane Doe' --weight 70kg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("never a name"));
  r = records("patient add P-1 --weight 700kg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("--weight 700kg"));
  ASSERT_EQ(records("patient add P-1 --weight 70kg").exit_code, 0);
  r = records("patient add P-1 --weight 90kg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("already in the records (conflict)"));
  r = records("patient show P-2");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("no patient P-2"));
  EXPECT_THAT(records("patient list").output, HasSubstr("P-1  70 kg"));
}

TEST_F(RecordsCli, ADamagedJournalIsIndexedWithItsLineNamedAndTheImportSaysSoWithExit2) {
  const auto journals = dir_.path() / "journals";
  ASSERT_EQ(tractus("run --profile lumbar-static --weight 80kg --patient P-1 --journal " +
                    journals.string())
                .exit_code,
            0);
  std::ofstream(journals / "torn.jsonl") << "{\"type\":\"header\"";
  const auto r = records("import " + journals.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("Indexed 1 journal "));
  EXPECT_THAT(r.output, HasSubstr("not indexed: journal " + (journals / "torn.jsonl").string()));
}

TEST_F(RecordsCli, AStoreThatCannotBeUsedIsExit2NamingItAndWhy) {
  auto r = tractus("records --records mysql://db/tractus status");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("not a records store (sqlite:PATH or postgresql://"));
  r = tractus("records --records 'postgresql://clinic:s3cret@%2Fnonexistent:5432/x' status");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("postgresql://clinic:***@%2Fnonexistent:5432/x"));
  EXPECT_THAT(r.output, HasSubstr("(unreachable)"));
  EXPECT_THAT(r.output, ::testing::Not(HasSubstr("s3cret")));
  const auto garbage = dir_.path() / "garbage.sqlite";
  std::ofstream(garbage) << std::string(8192, 'x');
  r = tractus("records --records sqlite:" + garbage.string() + " status");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.output, HasSubstr("(incompatible)"));
}

// The session id is the key: a copy of a journal, or another session's journal saved under a
// session's name, is not indexed (it was indexed twice, or replaced the session); nor is a session
// indexed again as another table's.
TEST_F(RecordsCli, ACopiedOrRenamedJournalOrAnotherTablesSessionIsNotIndexed) {
  ASSERT_EQ(records("patient add P-0042 --weight 80kg").exit_code, 0);
  ASSERT_EQ(records("patient add P-0043 --weight 70kg").exit_code, 0);
  const auto journals = dir_.path() / "journals";
  const auto run = [&](const std::string &patient, const std::string &profile) {
    const auto r = tractus("run --profile " + profile + " --weight 80kg --patient " + patient +
                           " --journal " + journals.string());
    EXPECT_EQ(r.exit_code, 0) << r.output;
    std::filesystem::path made;
    for (const auto &e : std::filesystem::directory_iterator(journals))
      if (e.path().filename().string().find(profile) != std::string::npos) made = e.path();
    return made;
  };
  const auto lumbar = run("P-0042", "lumbar-static");
  auto r = records("import " + journals.string() + " --table-name table-a");
  ASSERT_EQ(r.exit_code, 0) << r.output;

  const auto copy = journals / (lumbar.stem().string() + " (copy).jsonl");
  std::filesystem::copy_file(lumbar, copy);
  r = records("import " + journals.string() + " --table-name table-a");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("not indexed: journal " + copy.string() +
                                  ": its header is session " + lumbar.stem().string() +
                                  ", but the file is named " + copy.stem().string() + ".jsonl"));
  std::filesystem::remove(copy);

  // P-0043's session saved under P-0042's session's name, in a folder of its own.
  const auto other = dir_.path() / "other";
  std::filesystem::create_directories(other);
  const auto cervical = run("P-0043", "cervical-static");
  std::filesystem::rename(cervical, other / lumbar.filename());
  r = records("import " + other.string() + " --table-name table-b");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("its header is session " + cervical.stem().string()));

  r = records("import " + journals.string() + " --table-name table-b");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("session " + lumbar.stem().string() +
                                  " is indexed already as table table-a's, not again as table "
                                  "table-b's"));

  r = records("patient show P-0042");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("1 session"));
  EXPECT_THAT(r.output, HasSubstr("lumbar-static  completed"));
  EXPECT_THAT(r.output, HasSubstr("table table-a"));
  EXPECT_THAT(r.output, Not(HasSubstr("table-b")));
  EXPECT_THAT(r.output, Not(HasSubstr("cervical")));
}

// A path that names no store (a typo, a share not mounted) is said to be missing by every command
// that only reads, and by a session's --records: none of them makes an empty store (or its
// folder) and carries on as if the clinic had no patients and no limits. Adding records makes it.
TEST_F(RecordsCli, AStoreThatIsNotThereIsNamedAndOnlyACommandThatAddsRecordsMakesIt) {
  const auto folder = dir_.path() / "typo";
  const std::string store = "sqlite:" + (folder / "records.sqlite").string();
  for (const std::string &args :
       {"records --records " + store + " status", "records --records " + store + " patient list",
        "records --records " + store + " limits show",
        "report --records " + store + " 20261207T000000Z-lumbar-static-0000 --csv " +
            (dir_.path() / "r.csv").string(),
        "run --profile lumbar-static --weight 80kg --records " + store + " --journal " +
            (dir_.path() / "journals").string()}) {
    const auto r = tractus(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_THAT(r.output, HasSubstr(store + ": no such file")) << args;
    EXPECT_FALSE(std::filesystem::exists(folder)) << args << " made " << folder;
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "journals")) << "a session ran";
  const auto r = tractus("records --records " + store + " patient add P-0001 --weight 80kg");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(folder / "records.sqlite"));
}

// The doctor's line for the store: a file to be made is OK, a file that is no database a WARN
// (sessions run without records; a course visit's would be refused with 120), and the doctor
// never creates the file (it may run as another user than the service, whose file it is).
TEST_F(RecordsCli, TheDoctorSaysWhetherTheStoreCanBeUsedAndMakesNothing) {
  const auto line = [](const std::string &out) {
    const auto at = out.find("records store");
    return at == std::string::npos ? std::string()
                                   : out.substr(at - 6, out.find('\n', at) - at + 6);
  };
  const std::string doctor = "doctor --no-config --table sim --data " + dir_.path().string() +
                             " --journal " + dir_.path().string();
  auto r = tractus(doctor);
  EXPECT_EQ(line(r.output).substr(0, 2), "OK") << r.output;
  EXPECT_THAT(line(r.output), HasSubstr("made at the console's first start"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "records.sqlite"));
  std::ofstream(dir_.path() / "records.sqlite") << std::string(100, 'x');
  r = tractus(doctor);
  EXPECT_EQ(line(r.output).substr(0, 4), "WARN") << r.output;
  EXPECT_THAT(line(r.output), HasSubstr("is not an SQLite database"));
}

// --sim-speed only ever speeds up the simulator: with a real table's address the console does
// not start (a throttled virtual clock on a real table would run the loop on false time).
TEST_F(RecordsCli, SimSpeedWithARealTableIsRefusedAndNothingStarts) {
  const auto data = dir_.path().string();
  ASSERT_EQ(
      run_command("echo 2468 | " + std::string(TRACTUS_BIN) + " pin set operator --data " + data)
          .exit_code,
      0);
  ASSERT_EQ(run_command("echo 13579135 | " + std::string(TRACTUS_BIN) +
                        " pin set technician --data " + data)
                .exit_code,
            0);
  const auto r = tractus("serve --no-config --listen 127.0.0.1:0 --data " + data +
                         " --table modbus-tcp://127.0.0.1:9 --sim-speed 10");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_THAT(r.output, HasSubstr("--sim-speed is for the simulator only"));
}

TEST(RecordsCliPostgresql, StatusAndAPatientOnAPostgresqlStore) {
  PostgresCluster cluster;
  const auto store = "--records '" + cluster.uri() + "'";
  auto r = tractus("records " + store + " status");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_THAT(r.output, HasSubstr("schema version 1"));
  ASSERT_EQ(tractus("records " + store + " patient add P-9 --weight 60kg").exit_code, 0);
  EXPECT_THAT(tractus("records " + store + " patient list").output, HasSubstr("P-9  60 kg"));
}

} // namespace
} // namespace tractus::testing
