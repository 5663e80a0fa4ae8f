// The clinic's own protocols and limits through the console's HTTP API (docs/records.md
// "Clinic protocols", "Clinic limits"): a technician saves a protocol and every table sees it;
// an edit the checks refuse names every problem and keeps the previous version; a session runs
// a clinic protocol and its journal names the version; the clinic's limits, once set, refuse
// what they must on every table, and keep doing so when the store cannot be read.
#include "console_under_test.hpp"
#include "controller/journal_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <thread>

namespace tractus::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;

json gentle(const std::string &max_force, const std::string &duration = "2 min") {
  return {{"format", "tractus.profile/1"},
          {"id", "clinic-cervical-gentle"},
          {"name", "Gentle cervical"},
          {"region", "cervical"},
          {"mode", "static"},
          {"max_force", max_force},
          {"ramp", "10 s"},
          {"duration", duration}};
}

class ClinicProtocolsApi : public ::testing::Test {
protected:
  void SetUp() override { open("table-a"); }

  void open(const std::string &table) {
    ConsoleSetup setup;
    const auto file = (dir_.path() / "records.sqlite").string();
    setup.records = records::StoreAddress{records::Backend::Sqlite, file, "sqlite:" + file};
    setup.table_name = table;
    setup.records_limits_copy = dir_.path() / table / "clinic-limits.json";
    setup.sim_speed = 1000.0;
    console_ = std::make_unique<ConsoleUnderTest>(
        ::testing::UnitTest::GetInstance()->current_test_info()->name() + table, setup);
    client_ = std::make_unique<HttpTestClient>(console_->port());
    operator_ = client_->login("operator", kOperatorPin);
    technician_ = client_->login("technician", kTechnicianPin);
  }

  HttpReply put(const std::string &target, const json &body, const std::string &token) const {
    HttpCall call;
    call.method = "PUT";
    call.target = target;
    call.body = body.dump();
    call.token = token;
    return client_->call(call);
  }

  json listed(const std::string &id) const {
    const auto r = client_->get("/api/profiles", operator_);
    EXPECT_EQ(r.status, 200) << r.body;
    for (const auto &p : r.json["profiles"])
      if (p["id"] == id) return p;
    return nullptr;
  }

  TempDir dir_{"clinic-protocols"};
  std::unique_ptr<ConsoleUnderTest> console_;
  std::unique_ptr<HttpTestClient> client_;
  std::string operator_, technician_;
};

TEST_F(ClinicProtocolsApi, ARefusedEditNamesEveryProblemAndThePreviousVersionStays) {
  const auto first = client_->post("/api/records/protocols",
                                   {{"author", "JD"}, {"profile", gentle("60 N")}}, technician_);
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json["version"], 1);
  EXPECT_EQ(first.json["created_by"], "JD (technician, table-a)");

  // An operator may read and preview, never save.
  EXPECT_EQ(client_
                ->post("/api/records/protocols", {{"author", "JD"}, {"profile", gentle("70 N")}},
                       operator_)
                .status,
            403);
  // Over the cervical hard cap (222 N) and over the longest session: both named, nothing saved.
  const auto refused =
      client_->post("/api/records/protocols",
                    {{"author", "JD"}, {"profile", gentle("300 N", "120 min")}}, technician_);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_THAT(refused.json["error"]["problems"],
              AllOf(Contains(AllOf(HasSubstr("/max_force"), HasSubstr("222"))),
                    Contains(HasSubstr("/duration"))));
  const auto kept = client_->get("/api/records/protocols/clinic-cervical-gentle", operator_);
  ASSERT_EQ(kept.status, 200) << kept.body;
  EXPECT_EQ(kept.json["version"], 1);
  EXPECT_EQ(kept.json["profile"]["max_force"], "60 N");
  EXPECT_EQ(kept.json["versions"].size(), 1U);

  // A good edit is version 2; version 1 is still there to read and export as it was.
  ASSERT_EQ(client_
                ->post("/api/records/protocols", {{"author", "AB"}, {"profile", gentle("70 N")}},
                       technician_)
                .status,
            201);
  const auto v1 =
      client_->get("/api/records/protocols/clinic-cervical-gentle/export?version=1", operator_);
  ASSERT_EQ(v1.status, 200);
  EXPECT_THAT(v1.header("Content-Disposition"), HasSubstr("clinic-cervical-gentle-v1.json"));
  EXPECT_EQ(json::parse(v1.body)["max_force"], "60 N");
  EXPECT_EQ(json::parse(v1.body)["format"], "tractus.profile/1");
  const json item = listed("clinic-cervical-gentle");
  ASSERT_FALSE(item.is_null());
  EXPECT_EQ(item["source"], "clinic");
  EXPECT_EQ(item["version"], 2);
  EXPECT_EQ(item["allowed"], true);
}

TEST_F(ClinicProtocolsApi, TheEditorsPreviewCompilesTheDraftForThePatientsWeight) {
  const auto ok = client_->post("/api/records/protocols/preview",
                                {{"profile", gentle("15 %bw")}, {"weight", "80 kg"}}, operator_);
  ASSERT_EQ(ok.status, 200) << ok.body;
  // 15 %bw of 80 kg is 117.7 N.
  EXPECT_NEAR(ok.json["peak_N"].get<double>(), 117.7, 0.1);
  EXPECT_GT(ok.json["points"].size(), 100U);
  // A logarithmic ramp is drawn as one (docs/profiles.md "Ramp shapes"): 60 N in a 10 s ramp
  // from 15 N is 15 + 45 log10(1 + 9 x) at x of the ramp, 48.3 N at 5 s (37.5 N if linear).
  json log = gentle("60 N");
  log["ramp_shape"] = "logarithmic";
  const auto shaped = client_->post("/api/records/protocols/preview",
                                    {{"profile", log}, {"weight", "80 kg"}}, operator_);
  ASSERT_EQ(shaped.status, 200) << shaped.body;
  double at_5s = 0, nearest = 1e9;
  for (const auto &point : shaped.json["points"])
    if (std::abs(point[0].get<double>() - 5.0) < nearest) {
      nearest = std::abs(point[0].get<double>() - 5.0);
      at_5s = point[1].get<double>();
    }
  ASSERT_LT(nearest, 0.11);
  EXPECT_NEAR(at_5s, 15.0 + 45.0 * std::log10(1.0 + 9.0 * 0.5), 1.5);
  // Over the cervical clinical cap (20 %bw): named, with the pointer.
  const auto over = client_->post("/api/records/protocols/preview",
                                  {{"profile", gentle("30 %bw")}, {"weight", "80 kg"}}, operator_);
  EXPECT_EQ(over.status, 422);
  EXPECT_THAT(over.json["error"]["problems"], Contains(HasSubstr("/profile/max_force")));
}

TEST_F(ClinicProtocolsApi, ASessionRunsAClinicProtocolAndItsJournalNamesTheVersion) {
  ASSERT_EQ(client_
                ->post("/api/records/protocols", {{"author", "JD"}, {"profile", gentle("60 N")}},
                       technician_)
                .status,
            201);
  const auto loaded = client_->post(
      "/api/session", client_->cleared_session(operator_, "clinic-cervical-gentle", "80 kg"),
      operator_);
  ASSERT_EQ(loaded.status, 201) << loaded.body;
  const auto journal = loaded.json["session"]["journal"].get<std::string>();
  EXPECT_LT(client_->call({"DELETE", "/api/session", "", "", operator_, {}}).status, 300);
  const auto read = controller::read_journal(journal);
  ASSERT_TRUE(read.header.is_object()) << journal;
  EXPECT_EQ(read.header["profile"]["source"], "clinic protocol clinic-cervical-gentle v1");
  EXPECT_EQ(read.header["profile"]["as_run"]["max_force"], "60 N");
}

TEST_F(ClinicProtocolsApi, ACourseVisitIsNeverRunUnderAnotherRegionThanItsCourseWasPlannedFor) {
  ASSERT_EQ(client_
                ->post("/api/records/protocols", {{"author", "JD"}, {"profile", gentle("60 N")}},
                       technician_)
                .status,
            201);
  ASSERT_EQ(
      client_->post("/api/records/patients", {{"id", "P-0042"}, {"weight", "80 kg"}}, operator_)
          .status,
      201);
  const auto course = client_->post("/api/records/patients/P-0042/courses",
                                    {{"protocol", "clinic-cervical-gentle"},
                                     {"visits", 6},
                                     {"start_force", "60 N"},
                                     {"step", "5 N"},
                                     {"ceiling", "90 N"}},
                                    operator_);
  ASSERT_EQ(course.status, 201) << course.body;
  EXPECT_EQ(course.json["course"]["region"], "cervical");
  // The next visit's bounds, so the page bounds its input as the store will.
  EXPECT_EQ(course.json["course"]["next"]["above_n"], 15.0);
  EXPECT_EQ(course.json["course"]["next"]["at_most_n"], 90.0);
  const auto visit =
      client_->post("/api/records/courses/" +
                        std::to_string(course.json["course"]["id"].get<long long>()) + "/visits",
                    {{"force", "60 N"}}, operator_);
  ASSERT_EQ(visit.status, 201) << visit.body;

  // Version 2 of the protocol is lumbar: the cervical course's visit is refused, named.
  json lumbar = gentle("60 N");
  lumbar["region"] = "lumbar";
  ASSERT_EQ(
      client_->post("/api/records/protocols", {{"author", "AB"}, {"profile", lumbar}}, technician_)
          .status,
      201);
  json request = client_->cleared_session(operator_, "clinic-cervical-gentle", "80 kg");
  request["visit_id"] = visit.json["visit"]["id"];
  const auto refused = client_->post("/api/session", request, operator_);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_THAT(refused.json["error"]["problems"],
              Contains(HasSubstr("is now a lumbar protocol, and course")));
}

TEST_F(ClinicProtocolsApi, TheClinicsLimitsBindEveryTableAndOutliveAStoreThatCannotBeRead) {
  // Lowered to 8 %bw cervical (cervical-static pulls 10 %bw): cervical-static (stock) stays listed
  // but is refused.
  const auto set = put(
      "/api/records/limits",
      {{"author", "JD"}, {"limits", {{"cervical_clinical_cap_percent_bw", "8 %bw"}}}}, technician_);
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(set.json["effective"]["cervical_clinical_cap_percent_bw"], "8 %bw");
  // Looser than the machine's: refused, named, the 8 %bw kept.
  const auto looser =
      put("/api/records/limits", {{"author", "JD"}, {"limits", {{"cervical_hard_cap", "300 N"}}}},
          technician_);
  EXPECT_EQ(looser.status, 422);
  EXPECT_THAT(looser.json["error"]["problems"], Contains(HasSubstr("/limits/cervical_hard_cap")));
  EXPECT_EQ(
      put("/api/records/limits", {{"author", "JD"}, {"limits", json::object()}}, operator_).status,
      403);

  // Table B on the same store: the same limits, without any file of its own.
  console_.reset();
  open("table-b");
  const json stock = listed("cervical-static");
  ASSERT_FALSE(stock.is_null());
  EXPECT_EQ(stock["allowed"], false) << stock.dump();
  const auto refused = client_->post(
      "/api/session", client_->cleared_session(operator_, "cervical-static", "80 kg"), operator_);
  EXPECT_EQ(refused.status, 422);
  EXPECT_THAT(
      refused.json["error"]["problems"],
      Contains(AllOf(HasSubstr("not allowed by this clinic's limits"), HasSubstr("8 %bw"))));

  // The store replaced by a file that is no database: the limits last read still hold, and the
  // clinic protocols are said to be unavailable, never silently gone.
  console_.reset();
  const auto file = dir_.path() / "records.sqlite";
  std::filesystem::rename(file, dir_.path() / "records.sqlite.away");
  std::filesystem::remove(dir_.path() / "records.sqlite-wal");
  std::filesystem::remove(dir_.path() / "records.sqlite-shm");
  std::ofstream(file) << "not a database, a page of notes\n";
  open("table-b");
  const json still = listed("cervical-static");
  ASSERT_FALSE(still.is_null());
  EXPECT_EQ(still["allowed"], false) << still.dump();
  const auto profiles = client_->get("/api/profiles", operator_);
  EXPECT_TRUE(profiles.json.contains("clinic_unavailable")) << profiles.body;

  // A table that never read the clinic's limits and has no copy cannot know them: nothing is
  // checked against a guess, every protocol is listed as not allowed and a session is refused
  // with 120 — never run under the machine's looser limits.
  console_.reset();
  open("table-c");
  const json unknown = listed("cervical-static");
  ASSERT_FALSE(unknown.is_null());
  EXPECT_EQ(unknown["allowed"], false);
  const auto no_session = client_->post(
      "/api/session", client_->cleared_session(operator_, "lumbar-static", "80 kg"), operator_);
  EXPECT_EQ(no_session.status, 503) << no_session.body;
  EXPECT_EQ(no_session.json["error"]["fault_code"], 120);
  EXPECT_THAT(no_session.json["error"]["message"].get<std::string>(),
              HasSubstr("the clinic's limits have never been read"));
}

} // namespace
} // namespace tractus::testing
