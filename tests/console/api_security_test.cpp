// The console's HTTP rules (docs/console.md, "Roles, PINs and tokens" and "Errors"), each
// checked against a real server over a real socket: the page and its headers, logins and
// lockout, tokens and roles, limits, content types, origins, and the stop that needs no token.
#include "console_under_test.hpp"

#include <gtest/gtest.h>

namespace tractus::testing {
namespace {

using namespace std::chrono_literals;

class ConsoleApi : public ::testing::Test {
protected:
  ConsoleApi()
      : console_(::testing::UnitTest::GetInstance()->current_test_info()->name()),
        client_(console_.client()) {}
  ConsoleUnderTest console_;
  HttpTestClient client_;
};

TEST_F(ConsoleApi, ThePageIsServedWithItsSecurityHeaders) {
  const auto page = client_.get("/");
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page.header("Cache-Control"), "no-cache");
  EXPECT_EQ(page.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(page.header("X-Frame-Options"), "DENY");
  const std::string csp = page.header("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self' ws://" + client_.host()), std::string::npos) << csp;
  EXPECT_NE(page.body.find("<html"), std::string::npos);

  const auto chart = client_.get("/vendor/uplot.js");
  ASSERT_EQ(chart.status, 200);
  EXPECT_EQ(chart.header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_GT(chart.body.size(), 10'000u);
  EXPECT_EQ(client_.get("/vendor/uplot.css").header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(client_.get("/package.json").status, 404);
}

TEST_F(ConsoleApi, InfoNeedsNoLogin) {
  const auto info = client_.get("/api/info");
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.header("Content-Type"), "application/json");
  EXPECT_EQ(info.json.value("simulated", false), true) << info.body;
}

TEST_F(ConsoleApi, LoginAnswersATokenForTheRightPin) {
  const auto reply = client_.post("/api/login", {{"role", "operator"}, {"pin", kOperatorPin}});
  ASSERT_EQ(reply.status, 200) << reply.body;
  EXPECT_EQ(reply.json["token"].get<std::string>().size(), 64u);
  EXPECT_EQ(reply.json["role"], "operator");
  EXPECT_EQ(reply.json["expires_in_s"], 12 * 3600);
  EXPECT_EQ(reply.header("Cache-Control"), "no-store");
}

TEST_F(ConsoleApi, AWrongPinAnswers401WithTheAttemptsLeftThenTheRoleLocks429) {
  for (int left = 4; left >= 1; --left) {
    const auto reply = client_.post("/api/login", {{"role", "operator"}, {"pin", "0000"}});
    ASSERT_EQ(reply.status, 401) << reply.body;
    EXPECT_EQ(reply.error_code(), "wrong-pin");
    EXPECT_EQ(reply.json["error"]["attempts_left"], left);
  }
  const auto locked = client_.post("/api/login", {{"role", "operator"}, {"pin", "0000"}});
  ASSERT_EQ(locked.status, 429) << locked.body;
  EXPECT_EQ(locked.error_code(), "locked");
  EXPECT_EQ(locked.json["error"]["retry_after_s"], 300);
  EXPECT_EQ(locked.header("Retry-After"), "300");
  const auto right = client_.post("/api/login", {{"role", "operator"}, {"pin", kOperatorPin}});
  EXPECT_EQ(right.status, 429) << "the lock holds for the right PIN too";
  console_.advance_clock(5min);
  EXPECT_EQ(client_.post("/api/login", {{"role", "operator"}, {"pin", kOperatorPin}}).status, 200);
}

TEST_F(ConsoleApi, ALoginWithMissingFieldsIs422NamingEach) {
  const auto reply = client_.post("/api/login", {{"role", "admin"}, {"pin", 2468}});
  ASSERT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.error_code(), "invalid");
  EXPECT_EQ(reply.json["error"]["problems"].size(), 2u) << reply.body;
}

TEST_F(ConsoleApi, OperatorRoutesNeedAToken) {
  const auto none = client_.get("/api/profiles");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.error_code(), "login-required");
  const auto bad = client_.get("/api/profiles", std::string(64, '0'));
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.error_code(), "login-required");
  const auto token = client_.login("operator", kOperatorPin);
  EXPECT_EQ(client_.get("/api/profiles", token).status, 200);
}

TEST_F(ConsoleApi, AnExpiredTokenIs401TokenExpired) {
  const auto token = client_.login("technician", kTechnicianPin);
  EXPECT_EQ(client_.get("/api/tech/faults", token).status, 200);
  console_.advance_clock(16min);
  const auto reply = client_.get("/api/tech/faults", token);
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.error_code(), "token-expired");
}

TEST_F(ConsoleApi, AnOperatorOnATechnicianRouteIs403) {
  const auto token = client_.login("operator", kOperatorPin);
  const auto reply = client_.get("/api/tech/diagnostics", token);
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(reply.error_code(), "technician-only");
  // A technician may do what an operator may.
  EXPECT_EQ(client_.get("/api/profiles", client_.login("technician", kTechnicianPin)).status, 200);
}

TEST_F(ConsoleApi, LogoutEndsTheToken) {
  const auto token = client_.login("operator", kOperatorPin);
  EXPECT_EQ(client_.post_empty("/api/logout", token).status, 200);
  EXPECT_EQ(client_.get("/api/profiles", token).status, 401);
}

TEST_F(ConsoleApi, MalformedJsonIs400WithWhereItWentWrong) {
  const auto token = client_.login("operator", kOperatorPin);
  const auto reply = client_.call(
      {"POST", "/api/session", "{\"profile\": \n  lumbar}", "application/json", token, {}});
  ASSERT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(reply.error_code(), "bad-json");
  const std::string message = reply.json["error"]["message"];
  EXPECT_NE(message.find("line 2, column 3"), std::string::npos) << message;
}

TEST_F(ConsoleApi, ABodyOver16KiBIs413) {
  const std::string big = "{\"pad\": \"" + std::string(17 * 1024, 'x') + "\"}";
  const auto reply = client_.call({"POST", "/api/login", big, "application/json", "", {}});
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.error_code(), "too-large");
}

TEST_F(ConsoleApi, HeadersOver8KiBAre413) {
  const auto reply =
      client_.call({"GET", "/api/info", "", "", "", {{"X-Pad", std::string(9000, 'x')}}});
  EXPECT_EQ(reply.status, 413);
  EXPECT_EQ(reply.error_code(), "too-large");
}

TEST_F(ConsoleApi, ABodyThatIsNotJsonIs415) {
  const auto reply = client_.call({"POST",
                                   "/api/login",
                                   "role=operator&pin=2468",
                                   "application/x-www-form-urlencoded",
                                   "",
                                   {}});
  EXPECT_EQ(reply.status, 415);
  EXPECT_EQ(reply.error_code(), "json-only");
}

TEST_F(ConsoleApi, AnUnknownPathIs404AndAWrongMethod405) {
  const auto unknown = client_.get("/api/nothing-here");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.error_code(), "not-found");
  EXPECT_EQ(client_.get("/no-such-file.js").status, 404);
  const auto wrong = client_.get("/api/login");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.error_code(), "method-not-allowed");
  EXPECT_EQ(wrong.header("Allow"), "POST");
  EXPECT_EQ(client_.call({"DELETE", "/", "", "", "", {}}).status, 405);
}

TEST_F(ConsoleApi, AnIdThatIsNotAPlainNameIsNotFound) {
  const auto token = client_.login("operator", kOperatorPin);
  EXPECT_EQ(client_.get("/api/sessions/..%2F..%2Fetc", token).status, 404);
  EXPECT_EQ(client_.get("/api/sessions/.hidden", token).status, 404);
}

TEST_F(ConsoleApi, ARequestFromAnotherOriginIs403) {
  const auto foreign =
      client_.call({"POST", "/api/session/stop", "", "", "", {{"Origin", "http://evil.example"}}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(foreign.error_code(), "forbidden-origin");
  // A DNS-rebinding page: Host and Origin agree, but name no address of this console.
  const auto rebound =
      client_.call({"POST",
                    "/api/session/stop",
                    "",
                    "",
                    "",
                    {{"Host", "evil.example:8080"}, {"Origin", "http://evil.example:8080"}}});
  EXPECT_EQ(rebound.status, 403);
  const auto own =
      client_.call({"POST", "/api/session/stop", "", "", "", {{"Origin", client_.origin()}}});
  EXPECT_EQ(own.status, 202) << own.body;
}

TEST_F(ConsoleApi, StopNeedsNoToken) {
  const auto reply = client_.post_empty("/api/session/stop");
  EXPECT_EQ(reply.status, 202) << reply.body;
}

TEST_F(ConsoleApi, TheTelemetrySocketNeedsThisConsolesOriginAndAToken) {
  const auto token = client_.login("operator", kOperatorPin);
  const auto foreign = client_.telemetry_upgrade(token, "http://evil.example");
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(foreign.error_code(), "forbidden-origin");
  EXPECT_EQ(client_.telemetry_upgrade(token, "").status, 403) << "no Origin";
  const auto no_token = client_.telemetry_upgrade("", client_.origin());
  EXPECT_EQ(no_token.status, 401);
  EXPECT_EQ(no_token.error_code(), "login-required");
  EXPECT_EQ(client_.get("/api/telemetry", token).status, 426);

  TelemetryTestSocket socket(console_.port(), token, client_.origin());
  const auto frame = socket.next(2s);
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ((*frame)["type"], "telemetry");
}

TEST_F(ConsoleApi, TheTelemetrySocketClosesWhenItsTokenEnds) {
  const auto token = client_.login("operator", kOperatorPin);
  TelemetryTestSocket socket(console_.port(), token, client_.origin());
  ASSERT_TRUE(socket.next(2s).has_value());
  ASSERT_EQ(client_.post_empty("/api/logout", token).status, 200);
  const auto end = std::chrono::steady_clock::now() + 3s;
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() < end)
    closed = !socket.next(2s);
  EXPECT_TRUE(closed) << "frames still arrive after the logout";
}

TEST_F(ConsoleApi, ASlowClientIsDisconnectedNotWaitedFor) {
  // Half a request line, then nothing: the next client is served at once all the same.
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket idle(io);
  idle.connect({boost::asio::ip::make_address("127.0.0.1"), console_.port()});
  boost::asio::write(idle, boost::asio::buffer(std::string("GET /api/in")));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(client_.get("/api/info").status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
}

TEST(ConsoleTimeouts, ARequestNotCompleteWithinTheTimeoutIsCutOff) {
  ConsoleUnderTest console("request-timeout", 1s);
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket slow(io);
  slow.connect({boost::asio::ip::make_address("127.0.0.1"), console.port()});
  boost::asio::write(slow, boost::asio::buffer(std::string("GET /api/info HTTP/1.1\r\nHo")));
  const timeval limit{5, 0};
  ::setsockopt(slow.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
  const auto start = std::chrono::steady_clock::now();
  std::array<char, 64> buffer{};
  boost::system::error_code ec;
  const auto n = slow.read_some(boost::asio::buffer(buffer), ec);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(n, 0u);
  EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset)
      << ec.message();
  EXPECT_GT(waited, 500ms);
  EXPECT_LT(waited, 3s);
}

TEST_F(ConsoleApi, KeepAliveServesSeveralRequestsOnOneConnection) {
  namespace http = boost::beast::http;
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket socket(io);
  socket.connect({boost::asio::ip::make_address("127.0.0.1"), console_.port()});
  boost::beast::flat_buffer buffer;
  for (int i = 0; i < 3; ++i) {
    http::request<http::empty_body> request{http::verb::get, "/api/info", 11};
    request.set(http::field::host, client_.host());
    http::write(socket, request);
    http::response<http::string_body> response;
    http::read(socket, buffer, response);
    EXPECT_EQ(response.result_int(), 200u);
    EXPECT_TRUE(response.keep_alive());
  }
}

} // namespace
} // namespace tractus::testing
