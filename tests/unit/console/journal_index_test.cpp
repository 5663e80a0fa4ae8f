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
