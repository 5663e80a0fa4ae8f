// Patient files (`tractus.patient/1`): the four presets as files, and the strict reader that
// names every problem by its JSON pointer.
#include "sim/patient_envelope.hpp"
#include "sim/patient_file.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tractus::sim {
namespace {

using Json = nlohmann::ordered_json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::filesystem::path kPatients = TRACTUS_PATIENTS_DIR;

// The problems of a patient file's text, as printed.
std::vector<std::string> problems_of(const std::string &text) {
  return profiles::to_strings(parse_patient(text, "p.json").problems);
}
// The problems of the average patient's document with the figure at `pointer` changed.
std::vector<std::string> problems_with(const char *pointer, const Json &value) {
  Json document = patient_document(kAveragePatient);
  document[Json::json_pointer(pointer)] = value;
  return problems_of(document.dump());
}

TEST(PatientFile, EachPresetFileHoldsExactlyTheCompiledInPreset) {
  for (const PatientPreset &preset : patient_presets()) {
    const std::filesystem::path file = kPatients / (std::string(preset.name) + ".json");
    const PatientRead read = load_patient_file(file);
    ASSERT_TRUE(read) << profiles::to_strings(read.problems).front();
    EXPECT_EQ(read.value->preset(), preset) << file; // every figure, name and description
    EXPECT_EQ(read.value->file(), file.string());
  }
}

TEST(PatientFile, EveryPresetHasAFileAndEveryFileIsAPreset) {
  std::set<std::string> files, presets;
  for (const auto &entry : std::filesystem::directory_iterator(kPatients))
    files.insert(entry.path().filename().string());
  for (const PatientPreset &preset : patient_presets())
    presets.insert(std::string(preset.name) + ".json");
  EXPECT_EQ(files, presets);
}

TEST(PatientFile, TheDocumentOfAPatientReadsBackToTheSameFigures) {
  for (const PatientPreset &preset : patient_presets()) {
    const PatientRead read = parse_patient(patient_document(preset).dump(), "doc");
    ASSERT_TRUE(read) << profiles::to_strings(read.problems).front();
    EXPECT_EQ(read.value->preset(), preset) << preset.name;
  }
}

// Figures given in other units (lb, lbf, kgf, min) or with more digits than six decimals read
// back exactly from the document the journal records: a run from that record is the run that
// was (docs/simulator.md, "Reproducing a run"). A figure that six decimals hold stays short.
TEST(PatientFile, FiguresInOtherUnitsReadBackExactlyFromTheDocument) {
  Json document = patient_document(kAveragePatient);
  document["body_mass"] = "176 lb";
  document["section"]["coulomb"] = "3 lbf";
  document["section"]["breakaway"] = "1.5 kgf";
  document["tissue"]["creep_time"] = "1.3 min";
  document["harness"]["damping_ns_per_m"] = 1234.56789012345;
  const PatientRead first = parse_patient(document.dump(), "given.json");
  ASSERT_TRUE(first) << profiles::to_strings(first.problems).front();
  const Json recorded = patient_document(first.value->preset());
  const PatientRead again = parse_patient(recorded.dump(), "recorded.json");
  ASSERT_TRUE(again) << profiles::to_strings(again.problems).front();
  EXPECT_EQ(again.value->preset(), first.value->preset()) << recorded.dump();
  EXPECT_EQ(recorded["harness"]["slack_mm"], 30); // 30 mm, not 30.000000000000004
  EXPECT_EQ(recorded["harness"]["damping_ns_per_m"], 1234.56789012345);
}

TEST(PatientFile, APatientOwnsItsTextsWhenCopied) {
  std::optional<SimulatedPatient> copy;
  {
    const SimulatedPatient read = *parse_patient(patient_document(kHeavyPatient).dump(), "f").value;
    copy = read;
  }
  EXPECT_EQ(copy->preset().name, "heavy");
  EXPECT_EQ(copy->preset().description, kHeavyPatient.description);
  EXPECT_EQ(copy->preset().name.data(), copy->name().data());
}

TEST(PatientFile, AFileIsNamedByASlashOrAJsonEnding) {
  EXPECT_TRUE(names_patient_file("patients/stiff"));
  EXPECT_TRUE(names_patient_file("stiff.json"));
  EXPECT_FALSE(names_patient_file("heavy"));
  EXPECT_FALSE(names_patient_file("json"));
}

TEST(PatientFile, FindsAPresetByNameAndNamesTheKnownOnesForAnUnknownName) {
  const auto heavy = find_simulated_patient("heavy");
  ASSERT_TRUE(heavy);
  EXPECT_EQ(heavy.value->preset(), kHeavyPatient);
  EXPECT_TRUE(heavy.value->file().empty());
  EXPECT_EQ(find_simulated_patient("giant").error,
            "unknown simulated patient \"giant\" (known: light, average, heavy, cervical; or a "
            "patient file, FILE.json)");
}

TEST(PatientFile, ARefusedFileGivesEachProblemOnALineOfItsOwn) {
  const auto missing = find_simulated_patient("/nonexistent/patient.json");
  EXPECT_EQ(missing.error, "the patient file is refused (docs/simulator.md, \"Patient files\"):\n"
                           "/nonexistent/patient.json: /: does not exist (a tractus.patient/1 "
                           "file)");
}

// A directory or a pipe given as the file is refused at once: a FIFO would block the read until
// something wrote to it.
TEST(PatientFile, ADirectoryOrAPipeIsRefusedNotRead) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("patient-file-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::filesystem::path fifo = dir / "patient.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_THAT(profiles::to_strings(load_patient_file(fifo).problems),
              ElementsAre(fifo.string() + ": /: is not a regular file (a tractus.patient/1 file)"));
  EXPECT_THAT(profiles::to_strings(load_patient_file(dir).problems),
              ElementsAre(dir.string() + ": /: is a directory (a tractus.patient/1 file)"));
  std::filesystem::remove_all(dir);
}

TEST(PatientFile, UnknownAndMissingKeysAreNamedWithTheKnownOnes) {
  Json document = patient_document(kAveragePatient);
  document["harness"].erase("slack_mm");
  document["harness"]["slak_mm"] = 30;
  document["colour"] = "blue";
  EXPECT_THAT(problems_of(document.dump()),
              ElementsAre("p.json: /harness/slak_mm: unknown key (known keys: slack_mm, "
                          "stiffness_n_per_m, damping_ns_per_m)",
                          "p.json: /harness/slack_mm: missing (required)",
                          "p.json: /colour: unknown key (known keys: format, name, description, "
                          "region, body_mass, harness, section, tissue, guarding)"));
}

TEST(PatientFile, ADuplicateKeyIsAProblemNotASilentLastValue) {
  std::string text = patient_document(kAveragePatient).dump();
  const std::string key = "\"k1_n_per_m\":";
  text.insert(text.find(key), key + "9000,");
  EXPECT_THAT(problems_of(text),
              ElementsAre("p.json: /tissue/k1_n_per_m: duplicate key (each key at most once)"));
}

TEST(PatientFile, AWrongJsonTypeSaysWhatTheFigureMustLookLike) {
  EXPECT_THAT(problems_with("/harness/slack_mm", "30 mm"),
              ElementsAre("p.json: /harness/slack_mm: is a string, must be a number (0 to 60 mm)"));
  EXPECT_THAT(problems_with("/section/coulomb", 13),
              ElementsAre("p.json: /section/coulomb: is a number, must be a string (a force such "
                          "as \"13 N\" or \"3 lbf\", 0 to 60 N)"));
  EXPECT_THAT(problems_with("/tissue", 5000),
              ElementsAre("p.json: /tissue: is a number, must be an object (k1_n_per_m, "
                          "k3_n_per_m3, creep_stiffness_n_per_m, creep_time)"));
  EXPECT_THAT(problems_with("/name", nullptr),
              ElementsAre("p.json: /name: is null, must be a string (1 to 64 characters from "
                          "a-z, 0-9 and -)"));
}

TEST(PatientFile, AQuantityIsReadAsEverywhereElseInTractus) {
  EXPECT_THAT(problems_with("/tissue/creep_time", "60"),
              ElementsAre("p.json: /tissue/creep_time: \"60\" has no unit (a duration such as "
                          "\"60 s\" or \"5 min\", 10 s to 10 min)"));
  // The same patient in pounds and pounds-force.
  Json document = patient_document(kAveragePatient);
  document["body_mass"] = "176.37 lb";
  document["section"]["coulomb"] = "2.9 lbf";
  const PatientRead read = parse_patient(document.dump(), "p.json");
  ASSERT_TRUE(read);
  EXPECT_NEAR(read.value->preset().body_mass.si(), 80.0, 0.01);
  EXPECT_NEAR(read.value->preset().section.coulomb.si(), 12.9, 0.01);
}

TEST(PatientFile, AFigureOutsideTheEnvelopeIsRefusedWithTheEnvelope) {
  EXPECT_THAT(problems_with("/harness/slack_mm", 80),
              ElementsAre("p.json: /harness/slack_mm: 80 mm is above the envelope (0 to 60 mm)"));
  EXPECT_THAT(problems_with("/body_mass", "250 kg"),
              ElementsAre("p.json: /body_mass: 250 kg is above the envelope (40 to 200 kg)"));
  EXPECT_THAT(problems_with("/guarding/peak_max", 2.5),
              ElementsAre("p.json: /guarding/peak_max: 2.5 is above the envelope (1.1 to 2)"));
  EXPECT_THAT(problems_with("/guarding/mean_interval", "30 s"),
              ElementsAre("p.json: /guarding/mean_interval: 30 s is below the envelope (0 (none) "
                          "or 1 min to 120 min)"));
  EXPECT_THAT(problems_with("/tissue/k1_n_per_m", -5000),
              ElementsAre("p.json: /tissue/k1_n_per_m: -5000 N/m is below the envelope (1000 to "
                          "20000 N/m)"));
  // Just past a bound, the value is said with the digits that show it past the bound.
  EXPECT_THAT(problems_with("/guarding/onset_min", "0.49 s"),
              ElementsAre("p.json: /guarding/onset_min: 0.49 s is below the envelope (0.5 s to "
                          "5 s)"));
  EXPECT_THAT(problems_with("/guarding/peak_max", 2.0000001),
              ElementsAre("p.json: /guarding/peak_max: 2.0000001 is above the envelope (1.1 to "
                          "2)"));
}

TEST(PatientFile, NoGuardingIsACalmPatient) {
  Json document = patient_document(kAveragePatient);
  document["guarding"]["mean_interval"] = "0 s";
  const PatientRead read = parse_patient(document.dump(), "calm.json");
  ASSERT_TRUE(read) << profiles::to_strings(read.problems).front();
  EXPECT_EQ(read.value->preset().guarding.mean_interval, Duration{});
}

TEST(PatientFile, TheTextsAreCheckedToo) {
  EXPECT_THAT(problems_with("/format", "tractus.patient/2"),
              ElementsAre("p.json: /format: \"tractus.patient/2\" is not this format (must be "
                          "\"tractus.patient/1\")"));
  EXPECT_THAT(problems_with("/name", "Average Joe"),
              ElementsAre("p.json: /name: \"Average Joe\" is not a name (1 to 64 characters "
                          "from a-z, 0-9 and -)"));
  EXPECT_THAT(problems_with("/region", "thoracic"),
              ElementsAre("p.json: /region: \"thoracic\" is not a region (lumbar or cervical)"));
  EXPECT_THAT(problems_with("/description", "two\nlines"),
              ElementsAre(HasSubstr("is not a description (one line of 1 to 120 printable "
                                    "characters)")));
}

TEST(PatientFile, EveryProblemOfAFileIsReportedAtOnce) {
  Json document = patient_document(kAveragePatient);
  document["harness"]["slack_mm"] = 80;
  document["section"]["coulomb"] = 13;
  document["guarding"]["hold_max"] = "2 h";
  EXPECT_EQ(problems_of(document.dump()).size(), 3U);
}

TEST(PatientFile, NotJsonOrNotAnObjectIsOneProblemForTheWholeFile) {
  EXPECT_THAT(problems_of("{\"format\": "),
              ElementsAre(HasSubstr("p.json: /: not valid JSON: parse error at line 1")));
  EXPECT_THAT(problems_of("[1, 2]"),
              ElementsAre("p.json: /: is an array, must be an object (a tractus.patient/1 "
                          "document)"));
}

TEST(PatientFile, FiguresThatDisagreeAreRefusedOnceEachIsInRange) {
  EXPECT_THAT(problems_with("/section/breakaway", "10 N"),
              ElementsAre("p.json: /section/breakaway: 10 N is below the coulomb friction of "
                          "13 N (static friction is at least the sliding friction)"));
  EXPECT_THAT(problems_with("/guarding/hold_max", "1.5 s"),
              ElementsAre("p.json: /guarding/hold_max: 1.5 s is below hold_min 2 s (at least "
                          "hold_min)"));
}

} // namespace
} // namespace tractus::sim
