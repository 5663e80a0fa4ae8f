// The session journal (DESIGN §5): per-line checksums, writing a journal and reading it back,
// and what the reader says about a crash-cut last line and a damaged line.
#include "controller/crc32.hpp"
#include "controller/journal.hpp"
#include "controller/journal_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <unistd.h>

namespace tractus::controller {
namespace {

namespace fs = std::filesystem;

// A directory of this test's own, removed afterwards.
class JournalFile : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *test = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(::testing::TempDir()) /
           ("tractus-journal-" + std::to_string(::getpid()) + "-" + test->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  // A journal of three records and a summary, as the loop runner writes one.
  fs::path write_journal() {
    nlohmann::ordered_json header;
    header["profile"] = "lumbar-static";
    header["patient"] = "p-0042";
    header["body_mass_kg"] = 80.0;
    header["calibration"] = "sim-factory";
    header["software"] = "0.1.0";
    Journal journal(dir_, "s-1", header);

    JournalRecord sample;
    sample.kind = JournalRecord::Kind::Sample;
    sample.t = 1.5;
    sample.setpoint = 120.0;
    sample.measured = 119.25;
    sample.command = 0.0021;
    sample.protocol_time = 1.0;
    sample.state = State::Treating;
    journal.push_waiting(sample);

    JournalRecord fault;
    fault.kind = JournalRecord::Kind::Event;
    fault.t = 1.6;
    fault.protocol_time = 1.1;
    fault.event = Event{EventKind::FaultLatched, State::Fault, FaultCode::OverForce, "over-force"};
    journal.push_waiting(fault);

    JournalRecord ack;
    ack.kind = JournalRecord::Kind::Event;
    ack.t = 4.0;
    ack.protocol_time = 1.1;
    ack.event = Event{EventKind::Acknowledged, State::Fault, FaultCode::None, "acknowledge"};
    journal.push_waiting(ack);

    journal.finish(nlohmann::ordered_json{{"outcome", "faulted"}});
    return journal.path();
  }

  static std::string read_text(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  static void write_text(const fs::path &file, const std::string &text) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
  }

  fs::path dir_;
};

// ---- checksums ---------------------------------------------------------------------------

TEST(Crc32, OfTheStandardCheckStringIsCBF43926) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u); // CRC-32/ISO-HDLC check value, as zlib's
}

TEST(JournalLine, ASealedLineEndsWithTheCrc32OfItsTextAndIsIntact) {
  const std::string line = seal_line(R"({"type":"sample","t":1.5})");
  EXPECT_EQ(line, R"({"type":"sample","t":1.5,"crc32":"8d166452"})"
                  "\n");
  EXPECT_TRUE(line_intact(line));
}

TEST(JournalLine, AnyOneCharacterChangedInTheTextOrItsChecksumIsDetected) {
  const std::string line = seal_line(R"({"type":"event","event":"fault","code":301})");
  const std::size_t checksum_end = line.rfind('"'); // just past the 8 hex digits
  for (std::size_t i = 0; i < checksum_end; ++i) {
    std::string damaged = line;
    damaged[i] = damaged[i] == 'x' ? 'y' : 'x';
    EXPECT_FALSE(line_intact(damaged)) << "character " << i << " changed: " << damaged;
  }
}

// ---- writing and reading back ------------------------------------------------------------

TEST_F(JournalFile, ReadsBackItsHeaderWithTheFormatAndSession) {
  const JournalContents c = read_journal(write_journal());
  EXPECT_EQ(c.header.value("type", ""), "header");
  EXPECT_EQ(c.header.value("format", ""), "tractus.journal/1");
  EXPECT_EQ(c.header.value("session", ""), "s-1");
  EXPECT_EQ(c.header.value("profile", ""), "lumbar-static");
  EXPECT_EQ(c.header.value("patient", ""), "p-0042");
  EXPECT_EQ(c.header.value("body_mass_kg", 0.0), 80.0);
  EXPECT_EQ(c.header.value("calibration", ""), "sim-factory");
}

TEST_F(JournalFile, ReadsBackASampleWithTimeSetpointForceCommandAndState) {
  const JournalContents c = read_journal(write_journal());
  ASSERT_EQ(c.samples.size(), 1u);
  const auto &s = c.samples.front();
  EXPECT_DOUBLE_EQ(s.value("t", 0.0), 1.5);
  EXPECT_DOUBLE_EQ(s.value("setpoint", 0.0), 120.0);
  EXPECT_DOUBLE_EQ(s.value("force", 0.0), 119.25);
  EXPECT_DOUBLE_EQ(s.value("command", 0.0), 0.0021);
  EXPECT_DOUBLE_EQ(s.value("protocol_time", 0.0), 1.0);
  EXPECT_EQ(s.value("state", ""), "treating");
}

TEST_F(JournalFile, ReadsBackAFaultEventWithItsCodeAndName) {
  const JournalContents c = read_journal(write_journal());
  ASSERT_EQ(c.events.size(), 2u);
  const auto &fault = c.events[0];
  EXPECT_EQ(fault.value("event", ""), "fault");
  EXPECT_EQ(fault.value("state", ""), "fault");
  EXPECT_EQ(fault.value("code", 0), 301);
  EXPECT_EQ(fault.value("fault", ""), "over-force");
  EXPECT_DOUBLE_EQ(fault.value("t", 0.0), 1.6);
  const auto &ack = c.events[1]; // no fault: no code
  EXPECT_EQ(ack.value("event", ""), "acknowledged");
  EXPECT_FALSE(ack.contains("code"));
}

TEST_F(JournalFile, ReadsBackTheSummaryWithNoProblems) {
  const JournalContents c = read_journal(write_journal());
  ASSERT_TRUE(c.summary.has_value());
  EXPECT_EQ(c.summary->value("outcome", ""), "faulted");
  EXPECT_EQ(c.summary->value("journal_records_dropped", -1), 0);
  EXPECT_TRUE(c.problems.empty()) << c.problems.front();
  EXPECT_FALSE(c.last_line_partial);
}

TEST_F(JournalFile, ALastLineCutShortByACrashIsPartialAndNoProblem) {
  const fs::path file = write_journal();
  std::string text = read_text(file);
  text.resize(text.size() - 12); // the summary loses its end, newline included
  write_text(file, text);
  const JournalContents c = read_journal(file);
  EXPECT_TRUE(c.last_line_partial);
  EXPECT_TRUE(c.problems.empty()) << c.problems.front();
  EXPECT_FALSE(c.summary.has_value());
  EXPECT_EQ(c.events.size(), 2u); // everything before it is intact
}

TEST_F(JournalFile, ADamagedMiddleLineIsReportedWithItsFileAndLineNumber) {
  const fs::path file = write_journal();
  std::string text = read_text(file);
  const std::size_t at = text.find("119.25"); // line 2, the sample
  ASSERT_NE(at, std::string::npos);
  text[at] = '9'; // 919.25 N: an edited force
  write_text(file, text);
  const JournalContents c = read_journal(file);
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems.front(),
            file.string() + ":2: checksum does not match (damaged or edited line)");
  EXPECT_TRUE(c.samples.empty()); // the damaged line is not read as data
  EXPECT_EQ(c.events.size(), 2u);
  EXPECT_FALSE(c.last_line_partial);
}

TEST_F(JournalFile, ASealedLineGivingAKeyTwiceIsAProblemNotData) {
  const fs::path file = write_journal();
  std::string text = read_text(file);
  const std::size_t line2 = text.find('\n') + 1;
  const std::size_t line3 = text.find('\n', line2) + 1;
  // Sealed with a correct checksum, yet which force is the table's cannot be told.
  text.replace(line2, line3 - line2,
               seal_line(R"({"type":"sample","t":1.5,"force":119.25,"force":919.25})"));
  write_text(file, text);
  const JournalContents c = read_journal(file);
  ASSERT_EQ(c.problems.size(), 1u);
  EXPECT_EQ(c.problems.front(),
            file.string() + ":2: /force: duplicate key (not written by tractus)");
  EXPECT_TRUE(c.samples.empty());
  EXPECT_EQ(c.events.size(), 2u);
}

TEST(JournalLine, AChangedClosingQuoteAfterTheChecksumIsDetected) {
  std::string line = seal_line(R"({"type":"event","code":301})");
  line[line.rfind('"')] = 'x';
  EXPECT_FALSE(line_intact(line)) << line;
}

} // namespace
} // namespace tractus::controller
