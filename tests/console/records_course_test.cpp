// A course of twelve visits run end to end through the console's HTTP API, as a clinic runs
// it: the patient added, the course planned, and at each visit the proposed force read,
// confirmed, the pain before recorded, the session loaded for the visit, run and acknowledged,
// the pain after recorded. The simulator runs 1000 times faster than life (a 10-minute
// protocol in about 0.6 s), on the same loop, supervisor and journal as a real session.
//
// Then the same through a records store that goes away: a visit's session is refused with 120
// while it is down, a session that ended meanwhile is indexed and tied to its visit when it
// returns, and a session without a visit is never held back.
#include "console_under_test.hpp"
#include "reports/pdf_tools.hpp"
#include "support/postgres_cluster.hpp"
#include "text/number_text.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace tractus::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using ::testing::HasSubstr;

constexpr double kSimSpeed = 1000.0;

class RecordsCourse : public ::testing::Test {
protected:
  void open(std::optional<records::StoreAddress> store) {
    ConsoleSetup setup;
    if (!store) {
      const auto file = (dir_.path() / "records.sqlite").string();
      store = records::StoreAddress{records::Backend::Sqlite, file, "sqlite:" + file};
    }
    setup.records = store;
    setup.sim_speed = kSimSpeed;
    // A calm patient: a spasm is a guarding alarm, which holds the next visit's force (the
    // rule's own tests, tests/records/courses_test.cpp, hold that); the forces below are the
    // rule's answers to the pain and the stop alone.
    setup.table = "sim:" TRACTUS_TEST_DATA "/patients/calm-average.json";
    console_ = std::make_unique<ConsoleUnderTest>(
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), setup);
    client_ = std::make_unique<HttpTestClient>(console_->port());
    token_ = client_->login("operator", kOperatorPin);
  }

  // Patient P-0042 (80 kg) and a course of 12 cervical-static visits from 100 N, +5 N a visit
  // up to 150 N; its id, or 0 with a failure.
  long long start_course() const {
    const auto added =
        client_->post("/api/records/patients", {{"id", "P-0042"}, {"weight", "80 kg"}}, token_);
    EXPECT_EQ(added.status, 201) << added.body;
    const auto started = client_->post("/api/records/patients/P-0042/courses",
                                       {{"protocol", "cervical-static"},
                                        {"visits", 12},
                                        {"start_force", "100 N"},
                                        {"step", "5 N"},
                                        {"ceiling", "150 N"}},
                                       token_);
    EXPECT_EQ(started.status, 201) << started.body;
    return started.status == 201 ? started.json["course"]["id"].get<long long>() : 0;
  }

  json course(long long id) const {
    const auto r = client_->get("/api/records/courses/" + std::to_string(id), token_);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json["course"];
  }

  // Polls GET /api/state until `done` holds for its frame, at most `limit`.
  template <typename Done> json state_until(std::chrono::seconds limit, Done done) const {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < end) {
      const auto r = client_->get("/api/state", token_);
      if (r.status == 200 && done(r.json)) return r.json;
      std::this_thread::sleep_for(50ms);
    }
    return nullptr;
  }

  // Loads a session of cervical-static for P-0042 (for `visit_id` if given), runs it, stops it
  // once treating if `stop`, acknowledges its end; returns how it ended (the last frame).
  json run_session(std::optional<long long> visit_id, bool stop = false) {
    json request = client_->cleared_session(token_, "cervical-static", "80 kg");
    if (visit_id) request["visit_id"] = *visit_id;
    const auto loaded = client_->post("/api/session", request, token_);
    EXPECT_EQ(loaded.status, 201) << loaded.body;
    if (loaded.status != 201) return nullptr;
    EXPECT_FALSE(
        state_until(10s, [](const json &s) { return s["frame"].value("press_test", false); })
            .is_null())
        << "the press test never passed";
    EXPECT_EQ(client_->post_empty("/api/session/start", token_).status, 202);
    if (stop) {
      EXPECT_FALSE(state_until(30s, [](const json &s) {
                     return s["frame"].value("state", "") == "treating";
                   }).is_null());
      EXPECT_EQ(client_->post_empty("/api/session/stop").status, 202);
    }
    const json ended =
        state_until(60s, [](const json &s) { return !s["frame"]["outcome"].is_null(); });
    EXPECT_FALSE(ended.is_null()) << "the session did not end within 60 s";
    EXPECT_EQ(client_->post_empty("/api/session/acknowledge", token_).status, 202);
    EXPECT_FALSE(state_until(10s, [](const json &s) { return s["session"].is_null(); }).is_null())
        << "the session was not over after its acknowledgement";
    return ended;
  }

  // Waits until visit `number` of the course has its session tied (the indexer looks when a
  // session ends); the course as then.
  json course_with_session(long long id, int number, std::chrono::seconds limit = 20s) const {
    const auto end = std::chrono::steady_clock::now() + limit;
    json c;
    while (std::chrono::steady_clock::now() < end) {
      c = course(id);
      for (const auto &v : c["visits"])
        if (v["number"] == number && v.contains("result")) return c;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "visit " << number << " was never tied to its session: " << c.dump();
    return c;
  }

  TempDir dir_{"records-course"};
  std::unique_ptr<ConsoleUnderTest> console_;
  std::unique_ptr<HttpTestClient> client_;
  std::string token_;
};

TEST_F(RecordsCourse, TwelveVisitsFollowTheRuleWithTheForcesConfirmedAndDelivered) {
  open(std::nullopt);
  const long long id = start_course();
  ASSERT_GT(id, 0);

  // The rule: +5 N a visit that went well; visit 5's pain rises (4 → 6) and visit 8 is stopped
  // by the operator, so visits 6 and 9 are held at the force before.
  const double expected[] = {100, 105, 110, 115, 120, 120, 125, 130, 130, 135, 140, 145};
  for (int n = 1; n <= 12; ++n) {
    const json next = course(id)["next"];
    ASSERT_EQ(next["visit"], n) << next.dump();
    ASSERT_NEAR(next["force_n"].get<double>(), expected[n - 1], 1e-9) << next.dump();
    if (n == 6) {
      EXPECT_THAT(next["why"].get<std::string>(), HasSubstr("pain rose from 4 to 6"));
    }
    if (n == 9) {
      EXPECT_THAT(next["why"].get<std::string>(), HasSubstr("stopped by operator"));
    }
    const auto confirmed =
        client_->post("/api/records/courses/" + std::to_string(id) + "/visits",
                      {{"force", json(next["force_n"].get<double>()).dump() + " N"}}, token_);
    ASSERT_EQ(confirmed.status, 201) << confirmed.body;
    const long long visit = confirmed.json["visit"]["id"];
    const std::string pain = "/api/records/visits/" + std::to_string(visit) + "/pain";
    const int before = n == 5 ? 4 : 7 - n / 2;
    ASSERT_EQ(client_->post(pain, {{"when", "before"}, {"score", before}}, token_).status, 200);

    const json ended = run_session(visit, n == 8);
    ASSERT_FALSE(ended.is_null());
    EXPECT_EQ(ended["frame"]["outcome"], n == 8 ? "operator-stop" : "completed");
    ASSERT_EQ(
        client_->post(pain, {{"when", "after"}, {"score", n == 5 ? 6 : before - 1}}, token_).status,
        200);
    const json c = course_with_session(id, n);
    const json &v = c["visits"][static_cast<std::size_t>(n - 1)];
    EXPECT_EQ(v["result"]["table"], "table-a");
    if (n != 8) {
      // The force the clinician confirmed is the force the patient got: the peak within 5 N.
      EXPECT_NEAR(v["result"]["peak_force_n"].get<double>(), expected[n - 1], 5.0) << "visit " << n;
    }
  }
  const json done = course(id);
  EXPECT_THAT(done["next"]["none"].get<std::string>(), HasSubstr("all 12 planned visits have run"));
  const auto patient = client_->get("/api/records/patients/P-0042", token_);
  EXPECT_EQ(patient.json["sessions"].size(), 12U);

  // The course report as the console hands it out, read back with pdftotext: the patient, the
  // twelve visits and each visit's peak force; its page kept as a PNG for a person to look at.
  const std::string report = "/api/records/courses/" + std::to_string(id) + "/report";
  const auto pdf = client_->get(report + "?format=pdf", token_);
  ASSERT_EQ(pdf.status, 200) << pdf.body.substr(0, 300);
  EXPECT_EQ(pdf.header("Content-Type"), "application/pdf");
  EXPECT_THAT(pdf.header("Content-Disposition"), HasSubstr("course-" + std::to_string(id)));
  const auto file = records::report::fixtures::write_file(
      records::report::fixtures::artifact_dir() / "course-12-visits.pdf", pdf.body);
  EXPECT_EQ(records::report::fixtures::pdf_info(file).pages, 1);
  const std::string text = records::report::fixtures::pdf_text(file);
  EXPECT_THAT(text, HasSubstr("patient P-0042"));
  EXPECT_THAT(text, HasSubstr("12 visits planned; 12 confirmed, 12 run"));
  for (const auto &v : done["visits"]) {
    const double peak = v["result"]["peak_force_n"].get<double>();
    EXPECT_THAT(text, HasSubstr(text::format_number(peak, 1) + " (")) << "visit " << v["number"];
  }
  const auto png = file.parent_path() / "course-12-visits";
  ASSERT_EQ(
      run_command("pdftoppm -png -r 60 -singlefile '" + file.string() + "' '" + png.string() + "'")
          .exit_code,
      0);
  EXPECT_GT(std::filesystem::file_size(png.string() + ".png"), 10'000U);

  const auto csv = client_->get(report + "?format=csv", token_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 13); // the header and 12 visits

  // Visit 5's session as a FHIR R4 bundle (its validation against the R4 definitions is
  // tests/fhir's): the pain before and after it, 4 and 6, under LOINC 72514-3, and its peak.
  const json &visit5 = done["visits"][4];
  const auto fhir = client_->get(
      "/api/records/sessions/" + visit5["result"]["id"].get<std::string>() + "/report?format=fhir",
      token_);
  ASSERT_EQ(fhir.status, 200) << fhir.body.substr(0, 300);
  EXPECT_EQ(fhir.header("Content-Type"), "application/fhir+json");
  const json bundle = json::parse(fhir.body);
  EXPECT_EQ(bundle["resourceType"], "Bundle");
  std::vector<int> pain;
  double peak = 0;
  for (const auto &e : bundle["entry"]) {
    const json &r = e["resource"];
    if (r["resourceType"] == "Patient") {
      EXPECT_EQ(r["identifier"][0]["value"], "P-0042");
    }
    if (r["resourceType"] != "Observation") continue;
    if (r["code"].contains("coding") && r["code"]["coding"][0]["code"] == "72514-3")
      pain.push_back(r["valueInteger"].get<int>());
    else if (r.contains("valueQuantity") && r["valueQuantity"]["unit"] == "N")
      peak = r["valueQuantity"]["value"].get<double>();
  }
  EXPECT_THAT(pain, ::testing::UnorderedElementsAre(4, 6));
  EXPECT_NEAR(peak, visit5["result"]["peak_force_n"].get<double>(), 0.1);
  EXPECT_EQ(client_->get(report + "?format=fhir", token_).status, 422); // a session's only
}

TEST_F(RecordsCourse, AStoreThatGoesAwayRefusesAVisitWith120LosesNothingAndHoldsNoOtherSession) {
  PostgresCluster cluster;
  open(records::StoreAddress{records::Backend::Postgresql, cluster.uri() + "?connect_timeout=5",
                             cluster.uri()});
  const long long id = start_course();
  ASSERT_GT(id, 0);
  const auto v1 = client_->post("/api/records/courses/" + std::to_string(id) + "/visits",
                                {{"force", "100 N"}}, token_);
  ASSERT_EQ(v1.status, 201);

  // Loaded while the store is up; the store goes away before the session ends.
  json request = client_->cleared_session(token_, "cervical-static", "80 kg");
  request["visit_id"] = v1.json["visit"]["id"];
  ASSERT_EQ(client_->post("/api/session", request, token_).status, 201);
  cluster.stop();
  ASSERT_FALSE(state_until(10s, [](const json &s) {
                 return s["frame"].value("press_test", false);
               }).is_null());
  ASSERT_EQ(client_->post_empty("/api/session/start", token_).status, 202);
  const json ended =
      state_until(60s, [](const json &s) { return !s["frame"]["outcome"].is_null(); });
  ASSERT_FALSE(ended.is_null());
  EXPECT_EQ(ended["frame"]["outcome"], "completed"); // the store's absence touched nothing
  ASSERT_EQ(client_->post_empty("/api/session/acknowledge", token_).status, 202);
  ASSERT_FALSE(state_until(10s, [](const json &s) { return s["session"].is_null(); }).is_null());

  // A visit's session is refused while the store is down, within seconds, with 120 ...
  request["visit_id"] = 999;
  const auto t0 = std::chrono::steady_clock::now();
  const auto refused = client_->post("/api/session", request, token_);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 10s);
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.error_code(), "records-unavailable");
  EXPECT_EQ(refused.json["error"]["fault_code"], 120);
  // ... and a session without a visit is not held back by it.
  const json plain = run_session(std::nullopt);
  ASSERT_FALSE(plain.is_null());
  EXPECT_EQ(plain["frame"]["outcome"], "completed");

  // Back: the visit's session, which ended while the store was down, is indexed and tied.
  cluster.start();
  const json c = course_with_session(id, 1, 30s);
  EXPECT_EQ(c["visits"][0]["result"]["outcome"], "completed");
  // Both sessions, nothing lost (the indexer takes them one after the other).
  const auto end = std::chrono::steady_clock::now() + 20s;
  std::size_t sessions = 0;
  while (sessions < 2 && std::chrono::steady_clock::now() < end) {
    sessions = client_->get("/api/records/patients/P-0042", token_).json["sessions"].size();
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(sessions, 2U);
}

} // namespace
} // namespace tractus::testing
