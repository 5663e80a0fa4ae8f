// A console opened by the table's DNS name (--allow-origin) and a console served over TLS
// (--tls-cert/--tls-key, docs/console.md "Allowed origins" and "TLS"): the page, the API, a
// STOP and the telemetry socket over HTTPS/WSS with a throwaway self-signed certificate made
// by the openssl tool, and `tractus serve` refusing a bad certificate or key before it starts.
#include "console_under_test.hpp"

#include "cli/serve_command.hpp"
#include "console/http_policy.hpp"
#include "console/http_tls.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tractus::testing {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;

const std::string kClinicOrigin = "http://tractus.clinic.example:8080";

// ---- Allowed origins

TEST(AllowedOrigin, AConsoleOpenedByAnAllowedNameMayStop) {
  console::HttpServerOptions options;
  options.allowed_origins = {kClinicOrigin};
  ConsoleUnderTest console("allowed-origin", options);
  const auto client = console.client();
  const auto by_name =
      client.call({"POST",
                   "/api/session/stop",
                   "",
                   "",
                   "",
                   {{"Host", "tractus.clinic.example:8080"}, {"Origin", kClinicOrigin}}});
  EXPECT_EQ(by_name.status, 202) << by_name.body;
  EXPECT_NE(by_name.header("Content-Security-Policy")
                .find("connect-src 'self' ws://tractus.clinic.example:8080"),
            std::string::npos)
      << by_name.header("Content-Security-Policy");
  // Any other name is still refused: a DNS-rebinding page cannot borrow the allowed one.
  const auto other =
      client.call({"POST",
                   "/api/session/stop",
                   "",
                   "",
                   "",
                   {{"Host", "evil.example:8080"}, {"Origin", "http://evil.example:8080"}}});
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(other.error_code(), "forbidden-origin");
}

TEST(AllowedOrigin, TheTelemetrySocketAcceptsAnAllowedOrigin) {
  console::HttpServerOptions options;
  options.allowed_origins = {kClinicOrigin};
  ConsoleUnderTest console("allowed-origin-ws", options);
  const auto token = console.client().login("operator", kOperatorPin);
  TelemetryTestSocket socket(console.port(), token, kClinicOrigin);
  const auto frame = socket.next(2s);
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ((*frame)["type"], "telemetry");
}

TEST(AllowedOrigin, WithoutItAConsoleOpenedByNameIsRefused) {
  ConsoleUnderTest console("no-allowed-origin");
  const auto reply =
      console.client().call({"POST",
                             "/api/session/stop",
                             "",
                             "",
                             "",
                             {{"Host", "tractus.clinic.example:8080"}, {"Origin", kClinicOrigin}}});
  EXPECT_EQ(reply.status, 403);
}

TEST(AllowedOrigin, AnOriginIsNormalisedAsBrowsersSendIt) {
  EXPECT_EQ(console::normalize_origin("HTTP://Tractus.Local:80/", false).value,
            "http://tractus.local");
  EXPECT_EQ(console::normalize_origin("https://tractus.local:8443", true).value,
            "https://tractus.local:8443");
  for (const char *bad : {"tractus.local:8080", "http://tractus.local/console", "*", "null",
                          "http://user@tractus.local", "http://tractus.local:80a", "ftp://x"}) {
    const auto origin = console::normalize_origin(bad, false);
    EXPECT_FALSE(origin.ok()) << bad;
    EXPECT_NE(origin.error.find(bad), std::string::npos) << origin.error;
  }
  const auto wrong_scheme = console::normalize_origin("http://tractus.local", true);
  EXPECT_FALSE(wrong_scheme.ok());
  EXPECT_NE(wrong_scheme.error.find("https://"), std::string::npos) << wrong_scheme.error;
}

// ---- TLS

// A self-signed certificate for 127.0.0.1 (EC P-256: quick to make), in a folder of its own.
class Certificate {
public:
  explicit Certificate(const std::string &name) : dir_("tls-" + name) {
    const std::string command =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        key().string() + "' -out '" + cert().string() + "' 2>/dev/null";
    if (std::system(command.c_str()) != 0)
      throw std::runtime_error(
          "openssl could not make a certificate (scripts/setup.sh installs it)");
  }
  [[nodiscard]] std::filesystem::path cert() const { return dir_.path() / "cert.pem"; }
  [[nodiscard]] std::filesystem::path key() const { return dir_.path() / "key.pem"; }
  [[nodiscard]] const std::filesystem::path &dir() const { return dir_.path(); }

private:
  TempDir dir_;
};

// A client that trusts exactly this certificate, and checks it names 127.0.0.1.
class TlsClient {
public:
  TlsClient(std::uint16_t port, const Certificate &certificate) : port_(port) {
    context_.load_verify_file(certificate.cert().string());
    context_.set_verify_mode(ssl::verify_peer);
  }
  [[nodiscard]] std::string origin() const { return "https://127.0.0.1:" + std::to_string(port_); }

  HttpReply call(http::verb method, const std::string &target, const std::string &token = {},
                 const std::string &body = {}) {
    asio::io_context io;
    beast::ssl_stream<asio::ip::tcp::socket> stream(io, context_);
    connect(stream);
    http::request<http::string_body> request{method, target, 11};
    request.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
    request.set(http::field::origin, origin());
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    if (!body.empty()) {
      request.set(http::field::content_type, "application/json");
      request.body() = body;
    }
    request.prepare_payload();
    request.keep_alive(false);
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    HttpReply reply;
    reply.status = static_cast<int>(response.result_int());
    reply.body = response.body();
    reply.headers = response.base();
    reply.json = nlohmann::json::parse(reply.body, nullptr, false);
    return reply;
  }

  // The first telemetry frame over WSS.
  nlohmann::json first_frame(const std::string &token) {
    asio::io_context io;
    beast::websocket::stream<beast::ssl_stream<asio::ip::tcp::socket>> ws(io, context_);
    connect(ws.next_layer());
    ws.set_option(beast::websocket::stream_base::decorator(
        [origin = origin()](beast::websocket::request_type &r) {
          r.set(http::field::origin, origin);
        }));
    ws.handshake("127.0.0.1:" + std::to_string(port_), "/api/telemetry?token=" + token);
    beast::flat_buffer buffer;
    ws.read(buffer);
    return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
  }

private:
  void connect(beast::ssl_stream<asio::ip::tcp::socket> &stream) {
    stream.next_layer().connect({asio::ip::make_address("127.0.0.1"), port_});
    const timeval timeout{10, 0}; // an answer that never comes fails the test, never hangs it
    ::setsockopt(stream.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout,
                 sizeof timeout);
    stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    stream.handshake(ssl::stream_base::client);
  }

  std::uint16_t port_;
  ssl::context context_{ssl::context::tls_client};
};

class TlsConsole : public ::testing::Test {
protected:
  TlsConsole()
      : certificate_(::testing::UnitTest::GetInstance()->current_test_info()->name()),
        console_(::testing::UnitTest::GetInstance()->current_test_info()->name(), options()),
        client_(console_.port(), certificate_) {}
  console::HttpServerOptions options() const {
    console::HttpServerOptions o;
    o.tls = console::load_tls_context(certificate_.cert(), certificate_.key());
    return o;
  }
  Certificate certificate_;
  ConsoleUnderTest console_;
  TlsClient client_;
};

TEST_F(TlsConsole, ThePageIsServedOverHttpsWithAWssPolicy) {
  const auto page = client_.call(http::verb::get, "/");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<html"), std::string::npos);
  const std::string csp = page.header("Content-Security-Policy");
  EXPECT_NE(csp.find("connect-src 'self' wss://127.0.0.1:" + std::to_string(console_.port())),
            std::string::npos)
      << csp;
}

TEST_F(TlsConsole, ALoginAndAStopWorkOverHttps) {
  const auto login =
      client_.call(http::verb::post, "/api/login", {},
                   nlohmann::json{{"role", "operator"}, {"pin", kOperatorPin}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string token = login.json["token"];
  const auto stop = client_.call(http::verb::post, "/api/session/stop", token);
  EXPECT_EQ(stop.status, 202) << stop.body;
}

TEST_F(TlsConsole, TelemetryFlowsOverWss) {
  const auto login =
      client_.call(http::verb::post, "/api/login", {},
                   nlohmann::json{{"role", "operator"}, {"pin", kOperatorPin}}.dump());
  ASSERT_EQ(login.status, 200) << login.body;
  const auto frame = client_.first_frame(login.json["token"]);
  EXPECT_EQ(frame["type"], "telemetry");
}

TEST_F(TlsConsole, PlainHttpGetsNoAnswer) {
  EXPECT_THROW(console_.client().get("/api/info"), boost::system::system_error);
  // …and the server serves TLS clients all the same afterwards.
  EXPECT_EQ(client_.call(http::verb::get, "/api/info").status, 200);
}

// ---- tractus serve's flags

struct ServeRun {
  int code;
  std::string out;
  std::string err;
};

ServeRun serve(cli::ServeOptions options) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = cli::serve(options, out, err);
  return {code, out.str(), err.str()};
}

TEST(ServeTls, ACertificateThatIsNotOneIsExit2NamingTheFile) {
  const Certificate certificate("bad-cert");
  const auto bad = certificate.dir() / "not-a-cert.pem";
  std::ofstream(bad) << "-----BEGIN CERTIFICATE-----\nnonsense\n-----END CERTIFICATE-----\n";
  cli::ServeOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = certificate.dir().string(); // no PINs: had TLS passed, exit 2 for them
  options.tls_cert = bad.string();
  options.tls_key = certificate.key().string();
  const auto run = serve(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--tls-cert " + bad.string()), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("pin set"), std::string::npos) << "went on past the certificate";
  EXPECT_EQ(run.out, "") << "nothing started";
}

TEST(ServeTls, AMissingKeyFileOrAKeyOfAnotherCertificateIsExit2NamingIt) {
  const Certificate certificate("bad-key");
  const Certificate other("other-key");
  cli::ServeOptions options;
  options.listen = "127.0.0.1:0";
  options.data_dir = certificate.dir().string();
  options.tls_cert = certificate.cert().string();
  options.tls_key = (certificate.dir() / "missing.pem").string();
  auto run = serve(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--tls-key " + options.tls_key), std::string::npos) << run.err;
  options.tls_key = other.key().string();
  run = serve(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--tls-key " + options.tls_key + ": does not match"), std::string::npos)
      << run.err;
  options.tls_key.clear();
  run = serve(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--tls-cert needs --tls-key"), std::string::npos) << run.err;
}

TEST(ServeTls, ListeningBeyondLoopbackWithoutTlsWarnsThatPinsCrossInClear) {
  const TempDir empty("serve-warning"); // no PINs: serve stops (exit 2) right after its checks
  cli::ServeOptions options;
  options.data_dir = empty.path().string();
  options.listen = "0.0.0.0:0";
  auto run = serve(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("WARNING: listening on 0.0.0.0:0 without TLS"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("PINs, tokens"), std::string::npos) << run.err;
  options.listen = "127.0.0.1:0";
  run = serve(options);
  EXPECT_EQ(run.err.find("WARNING"), std::string::npos) << run.err;
}

TEST(ServeTls, AnAllowedOriginThatIsNotAnOriginIsExit2NamingIt) {
  const TempDir empty("serve-origin");
  cli::ServeOptions options;
  options.data_dir = empty.path().string();
  options.listen = "127.0.0.1:0";
  options.allow_origins = {"tractus.local:8080"};
  const auto run = serve(options);
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--allow-origin tractus.local:8080"), std::string::npos) << run.err;
}

} // namespace
} // namespace tractus::testing
