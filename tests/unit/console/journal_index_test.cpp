// Past sessions from the journal folder: newest first, damaged journals listed with their
// problems, and no id that reaches outside the folder.
#include "console_support.hpp"

#include "console/journal_index.hpp"
#include "controller/journal.hpp"

#include <gmock/gmock.h>

#include <fstream>

namespace tractus::console {
namespace {

using ::testing::HasSubstr;

void write_journal(const std::filesystem::path &dir, const std::string &id, bool with_fault) {
  controller::Journal j(dir, id, {{"started_utc", id.substr(0, 16)}, {"patient", {{"id", "P-1"}}}});
  controller::JournalRecord sample;
  sample.t = 0.1;
  sample.setpoint = 20;
  sample.measured = 19.5;
  j.push_waiting(sample);
  if (with_fault) {
    controller::JournalRecord fault;
    fault.kind = controller::JournalRecord::Kind::Event;
    fault.t = 12.5;
    fault.event = {controller::EventKind::FaultLatched, controller::State::Fault,
                   controller::FaultCode::OverForce, "over-force"};
    j.push_waiting(fault);
  }
  j.finish({{"outcome", "fault"}, {"code", 301}});
}

class JournalIndexTest : public ::testing::Test {
protected:
  tractus::testing::TempDir dir{"console-journals"};
  JournalIndex index{dir.path()};
};

TEST_F(JournalIndexTest, ListsNewestFirstWithOutcome) {
  write_journal(dir.path(), "20250101T080000Z-lumbar-static-aaaa", false);
  write_journal(dir.path(), "20250102T080000Z-lumbar-static-bbbb", true);
  const ApiResult r = index.list();
  ASSERT_EQ(r.body["sessions"].size(), 2U);
  EXPECT_EQ(r.body["sessions"][0]["id"], "20250102T080000Z-lumbar-static-bbbb");
  EXPECT_EQ(r.body["sessions"][0]["outcome"], "fault");
  EXPECT_EQ(r.body["sessions"][0]["complete"], true);
  EXPECT_TRUE(r.body["sessions"][0]["problems"].empty());
}

TEST_F(JournalIndexTest, ADamagedJournalIsListedWithItsProblemsNeverTrusted) {
  write_journal(dir.path(), "20250101T080000Z-x-aaaa", false);
  const auto file = dir.path() / "20250101T080000Z-x-aaaa.jsonl";
  std::string text;
  {
    std::ifstream in(file);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  text[text.find("19.5")] = '7'; // an edited force: the line's checksum no longer matches
  std::ofstream(file) << text;
  std::ofstream(dir.path() / "20250103T080000Z-garbage-cccc.jsonl") << "not a journal\n";

  const ApiResult r = index.list();
  ASSERT_EQ(r.body["sessions"].size(), 2U);
  EXPECT_THAT(r.body["sessions"][0]["problems"][0].get<std::string>(),
              HasSubstr("checksum does not match"));
  EXPECT_THAT(r.body["sessions"][1]["problems"][0].get<std::string>(),
              HasSubstr("checksum does not match"));
  EXPECT_EQ(index.one("20250101T080000Z-x-aaaa").body["problems"].size(), 1U);
}

TEST_F(JournalIndexTest, IdsCannotLeaveTheFolder) {
  write_journal(dir.path(), "20250101T080000Z-x-aaaa", false);
  std::filesystem::create_directories(dir.path() / "sub");
  write_journal(dir.path() / "sub", "inner", false);
  std::ofstream(dir.path().parent_path() / "tractus-outside.jsonl") << "{}\n";
  for (const std::string id : {"../tractus-outside", "sub/inner", "/etc/passwd", "..", "",
                               "20250101T080000Z-x-aaaa.jsonl", "20250101T080000Z-x-aaaa/"}) {
    const ApiResult r = index.one(id);
    EXPECT_EQ(r.status, 404) << id;
    EXPECT_EQ(r.body["error"]["code"], "not-found") << id;
  }
  EXPECT_EQ(index.one("20250101T080000Z-x-aaaa").status, 200);
  std::filesystem::remove(dir.path().parent_path() / "tractus-outside.jsonl");
}

TEST_F(JournalIndexTest, FaultHistoryNamesSessionTimeCodeAndMeaning) {
  write_journal(dir.path(), "20250101T080000Z-x-aaaa", true);
  write_journal(dir.path(), "20250102T080000Z-x-bbbb", false);
  const ApiResult r = index.faults();
  ASSERT_EQ(r.body["faults"].size(), 1U);
  const auto &f = r.body["faults"][0];
  EXPECT_EQ(f["session"], "20250101T080000Z-x-aaaa");
  EXPECT_EQ(f["code"], 301);
  EXPECT_EQ(f["name"], "over-force");
  EXPECT_DOUBLE_EQ(f["t_s"].get<double>(), 12.5);
  EXPECT_FALSE(f["meaning"].get<std::string>().empty());
}

// A session cut short mid-pull: header, samples up to 212.4 N in treating, no summary (the
// process died before writing it). Its file last written `age` ago.
std::filesystem::path write_interrupted(const std::filesystem::path &dir, const std::string &id,
                                        std::chrono::seconds age) {
  {
    controller::Journal j(dir, id,
                          {{"started_utc", id.substr(0, 16)}, {"patient", {{"id", "P-2"}}}});
    for (int i = 1; i <= 30; ++i) {
      controller::JournalRecord s;
      s.t = i * 0.1;
      s.setpoint = 7.0 * i;
      s.measured = i == 30 ? 212.4 : 7.0 * i;
      s.state = controller::State::Treating;
      j.push_waiting(s);
    }
  } // destroyed without finish(): what a crash leaves
  const auto file = dir / (id + ".jsonl");
  std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now() - age);
  return file;
}

TEST_F(JournalIndexTest, AJournalWithoutASummaryIsListedAsInterruptedWithItsLastForceAndState) {
  write_journal(dir.path(), "20250101T080000Z-x-aaaa", false);
  write_interrupted(dir.path(), "20250102T080000Z-x-bbbb", std::chrono::minutes(1));
  const nlohmann::json s = index.list().body["sessions"][0];
  EXPECT_EQ(s["id"], "20250102T080000Z-x-bbbb");
  EXPECT_EQ(s["outcome"], "interrupted");
  EXPECT_EQ(s["complete"], false);
  EXPECT_EQ(s["last"]["state"], "treating");
  EXPECT_NEAR(s["last"]["force_N"].get<double>(), 212.4, 0.05);
  EXPECT_NEAR(s["last"]["t_s"].get<double>(), 3.0, 1e-9);
  ASSERT_FALSE(s["problems"].empty()) << s;
  EXPECT_THAT(s["problems"].back().get<std::string>(), HasSubstr("212.4 N"));
  const auto one = index.one("20250102T080000Z-x-bbbb").body;
  EXPECT_EQ(one["outcome"], "interrupted");
  EXPECT_EQ(one["last"]["state"], "treating");
}

TEST_F(JournalIndexTest, AnInterruptedSessionIsInTheFaultHistory) {
  write_journal(dir.path(), "20250101T080000Z-x-aaaa", true);
  write_interrupted(dir.path(), "20250102T080000Z-x-bbbb", std::chrono::minutes(1));
  const auto faults = index.faults().body["faults"];
  ASSERT_EQ(faults.size(), 2U) << faults;
  EXPECT_EQ(faults[0]["session"], "20250102T080000Z-x-bbbb");
  EXPECT_EQ(faults[0]["name"], "interrupted");
  EXPECT_TRUE(faults[0]["code"].is_null());
  EXPECT_NEAR(faults[0]["t_s"].get<double>(), 3.0, 1e-9);
  EXPECT_THAT(faults[0]["meaning"].get<std::string>(), HasSubstr("treating, 212.4 N"));
  EXPECT_EQ(faults[1]["code"], 301);
}

TEST_F(JournalIndexTest, TheLastSessionOnStartIsTheInterruptedOneHoweverRecent) {
  write_journal(dir.path(), "20250101T080000Z-x-aaaa", false);
  write_interrupted(dir.path(), "20250102T080000Z-x-bbbb", std::chrono::seconds(0));
  const auto last = index.newest_outcome();
  EXPECT_EQ(last["id"], "20250102T080000Z-x-bbbb");
  EXPECT_EQ(last["outcome"], "interrupted");
  EXPECT_NEAR(last["last"]["force_N"].get<double>(), 212.4, 0.05);
}

TEST_F(JournalIndexTest, AJournalStillBeingWrittenIsInProgressNotInterrupted) {
  write_interrupted(dir.path(), "20250102T080000Z-x-bbbb", std::chrono::seconds(0));
  write_interrupted(dir.path(), "20250101T080000Z-x-aaaa", std::chrono::minutes(5));
  EXPECT_EQ(index.list().body["sessions"][0]["outcome"], "in-progress");
  // The loaded session's journal, however long unwritten.
  EXPECT_EQ(index.list("20250101T080000Z-x-aaaa").body["sessions"][1]["outcome"], "in-progress");
  EXPECT_TRUE(index.faults("20250101T080000Z-x-aaaa").body["faults"].empty());
}

TEST_F(JournalIndexTest, AnEmptyOrUnreadableJournalIsListedAsUnreadableWithTheReason) {
  std::ofstream(dir.path() / "20250101T080000Z-x-aaaa.jsonl").flush(); // 0 bytes
  write_journal(dir.path(), "20250102T080000Z-x-bbbb", false);
  const auto locked = dir.path() / "20250102T080000Z-x-bbbb.jsonl";
  std::filesystem::permissions(locked, std::filesystem::perms::none);
  const bool root = std::ifstream(locked).good(); // root reads it anyway
  const auto sessions = index.list().body["sessions"];
  ASSERT_EQ(sessions.size(), 2U) << "none left out";
  EXPECT_EQ(sessions[1]["outcome"], "unreadable");
  EXPECT_THAT(sessions[1]["unreadable"].get<std::string>(), HasSubstr("empty (0 bytes)"));
  if (!root) {
    EXPECT_EQ(sessions[0]["outcome"], "unreadable");
    EXPECT_THAT(sessions[0]["unreadable"].get<std::string>(), HasSubstr("Permission denied"));
  }
  std::filesystem::permissions(locked, std::filesystem::perms::owner_all);
}

TEST_F(JournalIndexTest, ASessionUnloadedBeforeItsStartIsNotListedAsRunning) {
  {
    controller::Journal j(dir.path(), "20250101T080000Z-x-aaaa", {});
    j.finish({{"outcome", "running"}, {"ended_by", "unloaded before a start"}});
  }
  EXPECT_EQ(index.list().body["sessions"][0]["outcome"], "not started");
}

TEST_F(JournalIndexTest, AMissingFolderIsAnEmptyList) {
  JournalIndex none(dir.path() / "does-not-exist");
  EXPECT_TRUE(none.list().body["sessions"].empty());
}

TEST_F(JournalIndexTest, TheCurveIsDecimatedToTwoThousandPoints) {
  {
    controller::Journal j(dir.path(), "20250101T080000Z-long-aaaa", {});
    for (int i = 0; i < 5000; ++i) {
      controller::JournalRecord s;
      s.t = i * 0.1;
      j.push_waiting(s);
    }
    j.finish({});
  }
  const ApiResult r = index.one("20250101T080000Z-long-aaaa");
  EXPECT_LE(r.body["samples"].size(), 2000U);
  EXPECT_GE(r.body["samples"].size(), 1600U);
  EXPECT_EQ(r.body["samples_total"], 5000);
}

} // namespace
} // namespace tractus::console
