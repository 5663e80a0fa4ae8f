// Every field of every API request at an absurd value (docs/console.md, "Request fields"):
// refused by its check with the field's JSON pointer and the allowed range, and over a real
// socket answered 422 without the table being touched (the calibration wizard still free).
#include "console_under_test.hpp"

#include "console/request_fields.hpp"

#include <gtest/gtest.h>

namespace tractus::testing {
namespace {

using console::Problems;
using nlohmann::json;

struct AbsurdField {
  const char *route; // POST path
  const char *name;  // for the test's message
  json body;
  std::string pointer; // the field the answer must name
  std::string allowed; // a piece of the allowed range the answer must state
};

// A valid body for each route, with one field replaced by `value` (null: removed).
json begin_with(const std::string &key, json value) {
  json body = {{"technician", "J. Doe"}, {"serial", "LC-1"}, {"cycles", 2}};
  body[key] = std::move(value);
  return body;
}
json verification_with(const std::string &key, json value) {
  json body = {{"technician", "J. Doe"}, {"load_N", 500}};
  body[key] = std::move(value);
  return body;
}

const std::string kLong(10'000, 'x');
const std::string kDigits(10'000, '7');

std::vector<AbsurdField> absurd_fields() {
  return {
      {"/api/login",
       "pin of 10000 digits",
       {{"role", "operator"}, {"pin", kDigits}},
       "/pin",
       "4 to 12 ASCII digits"},
      {"/api/login",
       "pin of Arabic-Indic digits",
       {{"role", "operator"}, {"pin", "١٢٣٤"}},
       "/pin",
       "4 to 12 ASCII digits"},
      {"/api/login",
       "pin as a number",
       {{"role", "operator"}, {"pin", 2468}},
       "/pin",
       "4 to 12 ASCII digits"},
      {"/api/login",
       "role of 10000 characters",
       {{"role", kLong}, {"pin", "2468"}},
       "/role",
       "\"operator\" or \"technician\""},
      {"/api/login",
       "unknown member",
       {{"role", "operator"}, {"pin", "2468"}, {kLong, 1}},
       "/a text of 10000 bytes",
       "allowed: role, pin"},
      {"/api/tech/calibration/begin", "cycles 1e9", begin_with("cycles", 1'000'000'000), "/cycles",
       "2 to 10"},
      {"/api/tech/calibration/begin", "cycles 2^64-1",
       begin_with("cycles", std::numeric_limits<std::uint64_t>::max()), "/cycles", "2 to 10"},
      {"/api/tech/calibration/begin", "cycles 2.5", begin_with("cycles", 2.5), "/cycles",
       "a whole number from 2 to 10"},
      {"/api/tech/calibration/begin", "cycles -1", begin_with("cycles", -1), "/cycles", "2 to 10"},
      {"/api/tech/calibration/begin", "valid_months 1e9", begin_with("valid_months", 1e9),
       "/valid_months", "1 to 12"},
      {"/api/tech/calibration/begin", "min_span_N 1e308", begin_with("min_span_N", 1e308),
       "/min_span_N", "0 to 5000 N"},
      {"/api/tech/calibration/begin", "min_span_N -1", begin_with("min_span_N", -1), "/min_span_N",
       "0 to 5000 N"},
      {"/api/tech/calibration/begin", "5000 loads",
       begin_with("loads_N", json(std::vector<int>(5'000, 0))), "/loads_N", "5 to 25 loads"},
      {"/api/tech/calibration/begin", "a load of 1e12 N",
       begin_with("loads_N", {0, 200, 400, 1e12, 1000}), "/loads_N/3", "0 to 5000 N"},
      {"/api/tech/calibration/begin", "a load that is a string",
       begin_with("loads_N", {0, 200, "400", 800, 1000}), "/loads_N/2", "0 to 5000 N"},
      {"/api/tech/calibration/begin", "technician of 10000 characters",
       begin_with("technician", kLong), "/technician", "1 to 64"},
      {"/api/tech/calibration/begin", "technician with a control character",
       begin_with("technician", "J.\nDoe"), "/technician", "1 to 64"},
      {"/api/tech/calibration/begin", "serial of 10000 characters", begin_with("serial", kLong),
       "/serial", "1 to 32"},
      {"/api/tech/calibration/begin", "serial with a slash", begin_with("serial", "../x"),
       "/serial", "1 to 32"},
      {"/api/tech/calibration/reading", "load 1e9 N", {{"load_N", 1e9}}, "/load_N", "0 to 5000 N"},
      {"/api/tech/calibration/reading",
       "load -1e9 N",
       {{"load_N", -1e9}},
       "/load_N",
       "0 to 5000 N"},
      {"/api/tech/verification", "load 1e300 N", verification_with("load_N", 1e300), "/load_N",
       "0 to 5000 N"},
      {"/api/tech/verification", "technician of 10000 characters",
       verification_with("technician", kLong), "/technician", "1 to 64"},
  };
}

std::string joined(const json &problems) {
  std::string all;
  for (const auto &p : problems)
    all += p.get<std::string>() + "\n";
  return all;
}

bool names(const std::string &problems, const AbsurdField &f) {
  return problems.find(f.pointer + ": ") != std::string::npos &&
         problems.find(f.allowed) != std::string::npos;
}

TEST(RequestFields, EveryFieldAtAnAbsurdValueIsAProblemNamingItsPointerAndItsRange) {
  const std::map<std::string, Problems (*)(const json &)> checks = {
      {"/api/login", console::login_request_problems},
      {"/api/tech/calibration/begin", console::calibration_begin_problems},
      {"/api/tech/calibration/reading", console::calibration_reading_problems},
      {"/api/tech/verification", console::verification_problems}};
  for (const AbsurdField &f : absurd_fields()) {
    const Problems problems = checks.at(f.route)(f.body);
    const std::string text = joined(json(problems));
    EXPECT_TRUE(names(text, f)) << f.name << ":\n" << text;
    EXPECT_LT(text.size(), 2000u) << f.name << ": the answer grows with the value";
    EXPECT_EQ(text.find(kDigits.substr(0, 12)), std::string::npos) << "a PIN echoed";
  }
}

TEST(RequestFields, ValidBodiesHaveNoProblems) {
  EXPECT_TRUE(console::login_request_problems({{"role", "technician"}, {"pin", "0123"}}).empty());
  EXPECT_TRUE(console::calibration_begin_problems({{"technician", "Jörg Müller"},
                                                   {"serial", "LC-2024.7_a"},
                                                   {"loads_N", {0, 200, 400, 600, 800, 1000}},
                                                   {"cycles", 10},
                                                   {"min_span_N", 222},
                                                   {"valid_months", 12}})
                  .empty());
  EXPECT_TRUE(console::calibration_reading_problems({{"load_N", 0}}).empty());
  EXPECT_TRUE(console::verification_problems({{"load_N", 5000}}).empty());
}

TEST(RequestFields, ASessionsFieldsOutOfBoundsAreNamedWithoutEchoingThem) {
  const json body = {{"profile", kLong},
                     {"patient", {{"id", kLong}, {"weight", kLong}}},
                     {"screening", {{"answers", {{"pregnancy", "no"}}}, {"confirmed", 1}}}};
  const std::string text = joined(json(console::session_request_problems(body)));
  for (const char *expected :
       {"/profile: 10000 characters, too long (1 to 64", "/patient/id: 10000 characters",
        "/patient/weight: 10000 characters, too long (1 to 32",
        "/screening/answers/pregnancy: a string, expected true or false",
        "/screening/confirmed: 1, expected true or false"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << " in\n" << text;
  EXPECT_EQ(text.find(kLong.substr(0, 50)), std::string::npos) << text;
}

TEST(RequestFields, ProblemsBeyondTwentyAreCountedNotListed) {
  json body = {{"role", "operator"}, {"pin", "2468"}};
  for (int i = 0; i < 500; ++i)
    body["k" + std::to_string(i)] = i;
  const Problems problems = console::login_request_problems(body);
  ASSERT_EQ(problems.size(), 21u);
  EXPECT_EQ(problems.back(), "… and 480 more problems");
}

// Over a real socket, as the page or a script would send them.
class RequestFieldsOverHttp : public ::testing::Test {
protected:
  RequestFieldsOverHttp()
      : console_(::testing::UnitTest::GetInstance()->current_test_info()->name()),
        client_(console_.client()) {}
  ConsoleUnderTest console_;
  HttpTestClient client_;
};

TEST_F(RequestFieldsOverHttp, EachAbsurdFieldIsAnswered422NamingItAndTheTableStaysFree) {
  const std::string technician = client_.login("technician", kTechnicianPin);
  for (const AbsurdField &f : absurd_fields()) {
    const auto reply = client_.post(f.route, f.body, technician);
    ASSERT_EQ(reply.status, 422) << f.name << ": " << reply.body;
    EXPECT_EQ(reply.error_code(), "invalid") << f.name;
    EXPECT_TRUE(names(joined(reply.json["error"]["problems"]), f)) << f.name << ": " << reply.body;
  }
  // Nothing began: the wizard is free and the table can be calibrated.
  const auto status = client_.get("/api/tech/calibration", technician);
  ASSERT_EQ(status.status, 200) << status.body;
  EXPECT_TRUE(status.json["wizard"].is_null()) << status.body;
  // A wrong PIN format cost no attempt: five wrong PINs still lock at the fifth, not before.
  for (int left = 4; left >= 1; --left) {
    const auto wrong = client_.post("/api/login", {{"role", "operator"}, {"pin", "0000"}});
    ASSERT_EQ(wrong.status, 401) << wrong.body;
    EXPECT_EQ(wrong.json["error"]["attempts_left"], left) << wrong.body;
  }
}

TEST_F(RequestFieldsOverHttp, AnIdOrAWeightTooLongIsRefusedBeforeItIsLookedUp) {
  const std::string token = client_.login("operator", kOperatorPin);
  EXPECT_EQ(client_.get("/api/sessions/" + std::string(65, 'a'), token).status, 404);
  const auto preview =
      client_.get("/api/profiles/lumbar-static/preview?weight=" + std::string(33, '8'), token);
  ASSERT_EQ(preview.status, 422) << preview.body;
  EXPECT_NE(preview.body.find("?weight: 33 characters, too long (1 to 32"), std::string::npos)
      << preview.body;
}

TEST_F(RequestFieldsOverHttp, ADuplicateKeyIsRefusedNamingItsPointer) {
  const std::string token = client_.login("operator", kOperatorPin);
  HttpCall call;
  call.method = "POST";
  call.target = "/api/session";
  call.token = token;
  call.body = R"({"profile":"lumbar-static","patient":{"id":"P-1","weight":"80 kg",)"
              R"("weight":"150 kg"},"screening":{"answers":{},"confirmed":true}})";
  const auto reply = client_.call(call);
  ASSERT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.error_code(), "duplicate-key");
  EXPECT_EQ(reply.json["error"]["problems"][0],
            "/patient/weight: duplicate key (each key at most once)");
  // Even on a route that takes no body, and for a login.
  call.target = "/api/login";
  call.token.clear();
  call.body = R"({"role":"operator","pin":"0000","pin":"2468"})";
  const auto login = client_.call(call);
  ASSERT_EQ(login.status, 422) << login.body;
  EXPECT_EQ(login.json["error"]["problems"][0], "/pin: duplicate key (each key at most once)");
}

TEST_F(RequestFieldsOverHttp, ANumberNoDoubleCanHoldIs400NotACrash) {
  const std::string technician = client_.login("technician", kTechnicianPin);
  HttpCall call;
  call.method = "POST";
  call.target = "/api/tech/calibration/begin";
  call.token = technician;
  call.body = R"({"technician":"J","serial":"LC-1","cycles":1e999})";
  const auto reply = client_.call(call);
  ASSERT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(reply.error_code(), "bad-json");
  EXPECT_EQ(client_.get("/api/info").status, 200) << "the server is still up";
}

} // namespace
} // namespace tractus::testing
