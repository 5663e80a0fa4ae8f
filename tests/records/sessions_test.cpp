// The session index: what the store keeps of a journal, found again whole; journals imported
// from a folder with every damaged, unreadable or vanished one named, none dropped.
#include "console/journal_records.hpp"
#include "controller/journal.hpp"
#include "records/sessions.hpp"
#include "store_fixture.hpp"

#include <gmock/gmock.h>

#include <fstream>

namespace tractus::testing {
namespace {

using ::testing::HasSubstr;

nlohmann::ordered_json header(const std::string &session, const std::string &patient,
                              const std::string &started) {
  return {
      {"type", "header"},
      {"format", "tractus.journal/1"},
      {"session", session},
      {"software_version", "0.1.0"},
      {"profile",
       {{"source", "lumbar-static.json"},
        {"as_run", {{"id", "lumbar-static"}, {"name", "Lumbar static"}, {"region", "lumbar"}}}}},
      {"patient", {{"id", patient}, {"body_mass_kg", 80.0}}},
      {"table", {{"address", "sim"}, {"simulated", true}}},
      {"started_utc", started}};
}

// A journal of `seconds` at 10 samples a second: the force follows a 100 N setpoint, with one
// sample of 180 N at t = 5.35 s (a spasm) that the store's one-a-second curve must keep.
void write_journal(const std::filesystem::path &file, const std::string &patient,
                   const std::string &started, int seconds, bool finished) {
  std::ofstream out(file);
  const auto session = file.stem().string();
  out << controller::seal_line(header(session, patient, started).dump());
  for (int i = 0; i <= seconds * 10; ++i) {
    const double t = i / 10.0 + 0.05;
    const double force = i == 53 ? 180.0 : 100.0 + (i % 3);
    nlohmann::ordered_json s{{"type", "sample"}, {"t", t},         {"setpoint", 100.0},
                             {"force", force},   {"command", 0.0}, {"state", "treating"}};
    out << controller::seal_line(s.dump());
  }
  nlohmann::ordered_json fault{{"type", "event"},
                               {"t", 2.0},
                               {"event", "operator"},
                               {"state", "treating"},
                               {"detail", "start"}};
  out << controller::seal_line(fault.dump());
  if (finished) {
    nlohmann::ordered_json summary{{"type", "summary"},
                                   {"outcome", "completed"},
                                   {"exit_code", 0},
                                   {"peak_force_n", 180.0},
                                   {"hold_rms_error_percent", 0.4}};
    out << controller::seal_line(summary.dump());
  }
}

using Sessions = StoreTest;

TEST_P(Sessions, AJournalIndexedIsFoundWholeWithItsPeakOnTheCurve) {
  auto store = open();
  const auto file = dir_.path() / "20261206T090000Z-lumbar-static-0001.jsonl";
  write_journal(file, "P-0042", "2026-12-06T09:00:00Z", 20, true);
  const auto entry = records::session_entry(console::journal_view(file), "table-a");
  records::index_session(*store, entry);

  const auto found = records::find_session(*store, "20261206T090000Z-lumbar-static-0001");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->patient_id, "P-0042");
  EXPECT_EQ(found->table_name, "table-a");
  EXPECT_EQ(found->profile_id, "lumbar-static");
  EXPECT_EQ(found->region, "lumbar");
  EXPECT_EQ(found->outcome, "completed");
  EXPECT_EQ(found->exit_code, 0);
  EXPECT_FALSE(found->fault_code);
  EXPECT_DOUBLE_EQ(*found->peak_force_n, 180.0);
  EXPECT_DOUBLE_EQ(*found->body_mass_kg, 80.0);
  EXPECT_TRUE(found->simulated);
  EXPECT_NEAR(*found->duration_s, 20.05, 0.06);
  EXPECT_EQ(found->events.size(), 1U);
  EXPECT_FALSE(found->header.contains("crc32"));
  ASSERT_TRUE(found->summary);
  EXPECT_EQ(found->summary->value("outcome", ""), "completed");
  // One point a second (21 seconds begun), and the spasm's 180 N among them.
  ASSERT_EQ(found->curve.size(), 21U);
  double highest = 0;
  for (const auto &point : found->curve) {
    highest = std::max(highest, point[2].get<double>());
  }
  EXPECT_DOUBLE_EQ(highest, 180.0);
}

TEST_P(Sessions, AnUnfinishedJournalIsInterruptedAndItsSummaryReplacesThatWhenIndexedAgain) {
  auto store = open();
  const auto file = dir_.path() / "s1.jsonl";
  write_journal(file, "P-1", "2026-12-06T09:00:00Z", 5, false);
  records::index_session(*store, records::session_entry(console::journal_view(file), "a"));
  EXPECT_EQ(records::find_session(*store, "s1")->outcome, "interrupted");
  write_journal(file, "P-1", "2026-12-06T09:00:00Z", 5, true);
  records::index_session(*store, records::session_entry(console::journal_view(file), "a"));
  EXPECT_EQ(records::find_session(*store, "s1")->outcome, "completed");
  EXPECT_EQ(records::sessions_of_patient(*store, "P-1").size(), 1U);
}

TEST_P(Sessions, APatientsSessionsAreListedOldestFirstAcrossTables) {
  auto table_a = open();
  auto table_b = open();
  write_journal(dir_.path() / "late.jsonl", "P-1", "2026-12-08T09:00:00Z", 2, true);
  write_journal(dir_.path() / "early.jsonl", "P-1", "2026-12-01T09:00:00Z", 2, true);
  write_journal(dir_.path() / "other.jsonl", "P-2", "2026-12-02T09:00:00Z", 2, true);
  records::index_session(
      *table_a, records::session_entry(console::journal_view(dir_.path() / "late.jsonl"), "a"));
  records::index_session(
      *table_b, records::session_entry(console::journal_view(dir_.path() / "early.jsonl"), "b"));
  records::index_session(
      *table_b, records::session_entry(console::journal_view(dir_.path() / "other.jsonl"), "b"));
  const auto seen_at_a = records::sessions_of_patient(*table_a, "P-1");
  ASSERT_EQ(seen_at_a.size(), 2U);
  EXPECT_EQ(seen_at_a[0].session_id, "early");
  EXPECT_EQ(seen_at_a[0].table_name, "b");
  EXPECT_EQ(seen_at_a[1].session_id, "late");
  // A listing carries each summary (a course report counts guarding from it), not the rest.
  ASSERT_TRUE(seen_at_a[1].summary);
  EXPECT_EQ(seen_at_a[1].summary->value("outcome", ""), "completed");
  EXPECT_TRUE(seen_at_a[1].curve.empty());
}

TEST_P(Sessions, ImportNamesEveryDamagedUnreadableAndVanishedJournalAndIndexesTheRest) {
  auto store = open();
  const auto folder = dir_.path() / "journals";
  std::filesystem::create_directories(folder);
  write_journal(folder / "good.jsonl", "P-1", "2026-12-01T09:00:00Z", 3, true);
  write_journal(folder / "edited.jsonl", "P-1", "2026-12-02T09:00:00Z", 3, true);
  write_journal(folder / "gone.jsonl", "P-1", "2026-12-03T09:00:00Z", 3, true);
  { // line 4 of edited.jsonl: a force changed by hand, its checksum left
    std::ifstream in(folder / "edited.jsonl");
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);) {
      lines.push_back(l);
    }
    ASSERT_GT(lines.size(), 3U) << folder;
    lines[3].replace(lines[3].find("\"force\":10"), 10, "\"force\":20");
    std::ofstream out(folder / "edited.jsonl");
    for (const auto &l : lines) {
      out << l << "\n";
    }
  }
  std::ofstream(folder / "empty.jsonl").flush();
  std::ofstream(folder / "notes.txt") << "not a journal, not looked at";

  auto report = console::import_journals(*store, folder, "table-a");
  EXPECT_EQ(report.indexed, 3);
  ASSERT_EQ(report.damaged.size(), 1U);
  EXPECT_THAT(report.damaged[0], HasSubstr("edited.jsonl:4: checksum does not match"));
  ASSERT_EQ(report.unreadable.size(), 1U);
  EXPECT_THAT(report.unreadable[0], HasSubstr("empty.jsonl"));
  EXPECT_TRUE(report.missing.empty());

  std::filesystem::remove(folder / "gone.jsonl");
  report = console::import_journals(*store, folder, "table-a");
  EXPECT_EQ(report.indexed, 2);
  ASSERT_EQ(report.missing.size(), 1U);
  EXPECT_THAT(report.missing[0], HasSubstr("gone: indexed from"));
  EXPECT_TRUE(records::find_session(*store, "gone")); // the store keeps what it had
  EXPECT_EQ(records::find_session(*store, "edited")->problems.size(), 1U);
}

INSTANTIATE_TEST_SUITE_P(Backends, Sessions,
                         ::testing::Values(records::Backend::Sqlite, records::Backend::Postgresql),
                         backend_name);

} // namespace
} // namespace tractus::testing
