// Two tables of one clinic, two `tractus serve` processes on one PostgreSQL store (docs/
// records.md): a patient treated on table A appears on table B with that visit, and what the
// clinician records on B (the pain after) moves the proposal A makes for the next visit.
#include "console/http_test_client.hpp"
#include "harness/process.hpp"
#include "harness/serve_process.hpp"
#include "harness/tractus_run.hpp"
#include "support/postgres_cluster.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace tractus;
using namespace tractus::integration;
using nlohmann::json;
using tractus::testing::HttpTestClient;

namespace {

constexpr const char *kOperatorPin = "24682468";
constexpr const char *kTechnicianPin = "13571357";

// The average patient without muscle guarding: a spasm is a guarding alarm, which rightly holds
// the next visit's force, and this test reads the rule's answer to the pain after.
constexpr const char *kCalmTable = "sim:" TRACTUS_TEST_DATA "/patients/calm-average.json";

// `tractus serve` as table NAME on the shared store, its simulator 1000 times faster than life.
Process serve_table(const ScratchDir &dir, const std::string &name, const std::string &store) {
  return Process({Tools::tractus(), "serve", "--no-config", "--listen", "127.0.0.1:0", "--table",
                  kCalmTable, "--sim-speed", "1000", "--data", (dir / "data").string(), "--journal",
                  (dir / name).string(), "--log-dir", (dir / (name + "-log")).string(), "--records",
                  store, "--table-name", name},
                 dir / (name + ".out"), dir / (name + ".err"));
}

} // namespace

TEST(RecordsTwoTables, APatientTreatedOnTableAAppearsWithThatVisitOnTableB) {
  test_riding_machine_pauses([](const ScratchDir &dir) {
    tractus::testing::PostgresCluster cluster;
    set_pin(dir, "operator", kOperatorPin);
    set_pin(dir, "technician", kTechnicianPin);
    Process a = serve_table(dir, "table-a", cluster.uri());
    Process b = serve_table(dir, "table-b", cluster.uri());
    const std::uint16_t port_a = announced_port(dir / "table-a.out", 20s);
    const std::uint16_t port_b = announced_port(dir / "table-b.out", 20s);
    ASSERT_NE(port_a, 0) << read_file(dir / "table-a.err");
    ASSERT_NE(port_b, 0) << read_file(dir / "table-b.err");
    const HttpTestClient at_a(port_a), at_b(port_b);
    const std::string token_a = at_a.login("operator", kOperatorPin);
    const std::string token_b = at_b.login("operator", kOperatorPin);

    // Table A: the patient, the course, visit 1 confirmed, its session run and acknowledged.
    ASSERT_EQ(
        at_a.post("/api/records/patients", {{"id", "P-0042"}, {"weight", "80 kg"}}, token_a).status,
        201);
    const auto course = at_a.post("/api/records/patients/P-0042/courses",
                                  {{"protocol", "cervical-static"},
                                   {"visits", 12},
                                   {"start_force", "100 N"},
                                   {"step", "5 N"},
                                   {"ceiling", "150 N"}},
                                  token_a);
    ASSERT_EQ(course.status, 201) << course.body;
    const std::string course_path =
        "/api/records/courses/" + std::to_string(course.json["course"]["id"].get<long long>());
    const auto visit = at_a.post(course_path + "/visits", {{"force", "100 N"}}, token_a);
    ASSERT_EQ(visit.status, 201) << visit.body;
    const long long visit_id = visit.json["visit"]["id"];
    const std::string pain = "/api/records/visits/" + std::to_string(visit_id) + "/pain";
    ASSERT_EQ(at_a.post(pain, {{"when", "before"}, {"score", 6}}, token_a).status, 200);
    json request = at_a.cleared_session(token_a, "cervical-static", "80 kg");
    request["visit_id"] = visit_id;
    const auto loaded = at_a.post("/api/session", request, token_a);
    ASSERT_EQ(loaded.status, 201) << loaded.body;
    const std::string session = loaded.json["session"]["id"];
    ASSERT_TRUE(poll(10s, [&] {
      return at_a.get("/api/state", token_a).json["frame"].value("press_test", false);
    }));
    ASSERT_EQ(at_a.post_empty("/api/session/start", token_a).status, 202);
    ASSERT_TRUE(poll(60s, [&] {
      return !at_a.get("/api/state", token_a).json["frame"]["outcome"].is_null();
    })) << "the session did not end";
    ASSERT_EQ(at_a.post_empty("/api/session/acknowledge", token_a).status, 202);

    // Table B sees the patient, the course, and visit 1 run on table A.
    json seen;
    ASSERT_TRUE(poll(30s, [&] {
      const auto r = at_b.get("/api/records/patients/P-0042", token_b);
      if (r.status != 200 || r.json["courses"].empty()) return false;
      seen = r.json;
      return r.json["courses"][0]["visits"][0].contains("result");
    })) << seen.dump();
    const json &v1 = seen["courses"][0]["visits"][0];
    EXPECT_EQ(v1["session"], session);
    EXPECT_EQ(v1["result"]["table"], "table-a");
    EXPECT_EQ(v1["result"]["outcome"], "completed");
    EXPECT_NEAR(v1["result"]["peak_force_n"].get<double>(), 100.0, 5.0);
    EXPECT_EQ(v1["pain_before"], 6);
    EXPECT_EQ(seen["sessions"][0]["table"], "table-a");

    // The pain after, recorded on B, raises A's proposal for visit 2.
    EXPECT_THAT(at_a.get(course_path, token_a).json["course"]["next"]["why"].get<std::string>(),
                ::testing::HasSubstr("pain after was not recorded"));
    ASSERT_EQ(at_b.post(pain, {{"when", "after"}, {"score", 4}}, token_b).status, 200);
    const json next = at_a.get(course_path, token_a).json["course"]["next"];
    EXPECT_EQ(next["visit"], 2);
    EXPECT_DOUBLE_EQ(next["force_n"].get<double>(), 105.0);

    // B's own session report of A's session, from the shared store (B has no journal of it).
    const auto report =
        at_b.get("/api/records/sessions/" + session + "/report?format=pdf", token_b);
    EXPECT_EQ(report.status, 200);
    EXPECT_EQ(report.body.substr(0, 5), "%PDF-");
  });
}
