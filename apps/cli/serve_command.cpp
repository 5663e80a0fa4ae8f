#include "cli/serve_command.hpp"

#include "bindings/table_bindings.hpp"
#include "cli/config_file.hpp"
#include "cli/run_command.hpp"
#include "cli/service_log.hpp"
#include "cli/service_notify.hpp"
#include "console/auth.hpp"
#include "console/http_policy.hpp"
#include "console/http_server.hpp"
#include "console/http_tls.hpp"
#include "console/table_service.hpp"
#include "records/store_address.hpp"
#include "text/host_port.hpp"

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <charconv>
#include <csignal>
#include <ctime>
#include <filesystem>
#include <ostream>
#include <pthread.h>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace tractus::cli {

namespace {

constexpr const char *kMe = "tractus serve: ";

// SIGINT, SIGTERM and SIGHUP are blocked in every thread (the mask is inherited by the threads the
// service and the server start) and taken by one watcher thread with sigtimedwait, which can
// call HttpServer::stop() — a signal handler could not.
class SignalWatcher {
public:
  SignalWatcher() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    sigaddset(&set_, SIGHUP); // the terminal closed: stop as for Ctrl-C, never die mid-pull
    pthread_sigmask(SIG_BLOCK, &set_, &previous_);
  }
  ~SignalWatcher() {
    finish();
    pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
  }
  // Ends the watcher before the server it would stop goes away.
  void finish() {
    done_ = true;
    if (thread_.joinable()) thread_.join();
  }
  SignalWatcher(const SignalWatcher &) = delete;
  SignalWatcher &operator=(const SignalWatcher &) = delete;

  void on_signal(console::HttpServer &server) {
    thread_ = std::thread([this, &server] {
      const timespec poll{0, 200'000'000}; // 200 ms: how soon the watcher notices the end
      while (!done_) {
        if (sigtimedwait(&set_, nullptr, &poll) > 0) {
          server.stop();
          return;
        }
      }
    });
  }

private:
  sigset_t set_{};
  sigset_t previous_{};
  std::atomic<bool> done_{false};
  std::thread thread_;
};

// "`tractus pin set operator` and `tractus pin set technician --data DIR`"
std::string roles_text(const std::vector<console::Role> &roles, const std::string &data_dir) {
  const std::string data =
      data_dir == console::kDefaultDataDir ? std::string() : " --data " + data_dir;
  std::string s;
  for (const auto r : roles)
    s += (s.empty() ? "" : " and ") + std::string("`tractus pin set ") + console::to_string(r) +
         data + "`";
  return s;
}

// 127.0.0.0/8 and ::1 (also as ::ffff:127.x): what only this machine can reach.
bool is_loopback(const std::string &host) {
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(host, ec);
  if (ec) return false;
  if (ip.is_v6() && ip.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, ip.to_v6()).is_loopback();
  return ip.is_loopback();
}

} // namespace

text::Outcome<ListenAddress> parse_listen(const std::string &text) {
  using Result = text::Outcome<ListenAddress>;
  const std::string error = "--listen " + text +
                            ": expected HOST:PORT with an IP address, e.g. 127.0.0.1:8080 or "
                            "[::1]:8080";
  const auto parsed = text::parse_host_port(text);
  if (!parsed) return Result::failure(error);
  boost::system::error_code bad;
  boost::asio::ip::make_address(parsed->host, bad);
  if (bad) return Result::failure(error);
  return {ListenAddress{parsed->host, parsed->port}, {}};
}

int serve(const ServeOptions &o, std::ostream &out, std::ostream &err,
          const std::vector<SettingShown> *settings) {
  // A closed stdout or stderr (`tractus serve | tee log`, then Ctrl-C) must fail the write, not
  // kill the process before the session's controlled release.
  std::signal(SIGPIPE, SIG_IGN);
  // Blocked before the first thread starts (the log's own are next), so every thread inherits
  // the mask: a SIGINT taken by a thread that does not block it would end the process mid-pull.
  SignalWatcher signals;
  // Next, so that every refusal below reaches the log a technician reads as well as stderr.
  const std::string data_dir = o.data_dir.empty() ? console::kDefaultDataDir : o.data_dir;
  auto log =
      ServiceLog::start(o.log_level, o.log_dir.empty() ? std::filesystem::path(data_dir) / "log"
                                                       : std::filesystem::path(o.log_dir));
  if (!log) {
    err << kMe << log.error << "\n";
    return kExitBadInput;
  }
  const auto refuse = [&err](const std::string &why) {
    err << kMe << why << "\n";
    spdlog::error("not started: {}", why);
    return kExitBadInput;
  };
  spdlog::info("tractus {} serve starting (pid {}); log level {}", TRACTUS_VERSION, ::getpid(),
               o.log_level);
  if (settings != nullptr)
    for (const SettingShown &s : *settings)
      spdlog::info("configuration: {} = {} ({})", s.key, s.value, s.from);
  const auto listen = parse_listen(o.listen);
  if (!listen) return refuse(listen.error);
  std::vector<std::string> origins;
  for (const auto &text : o.allow_origins) {
    auto origin = console::normalize_origin(text, !o.tls_cert.empty());
    if (!origin) return refuse(origin.error);
    origins.push_back(std::move(*origin.value));
  }
  if (o.tls_cert.empty() != o.tls_key.empty())
    return refuse(std::string(o.tls_cert.empty() ? "--tls-key needs --tls-cert"
                                                 : "--tls-cert needs --tls-key") +
                  " (the certificate and its private key, both PEM files)");
  std::shared_ptr<boost::asio::ssl::context> tls;
  if (!o.tls_cert.empty()) {
    try {
      tls = console::load_tls_context(o.tls_cert, o.tls_key);
    } catch (const console::TlsFileError &e) {
      return refuse(e.what());
    }
  } else if (!is_loopback(listen.value->host)) {
    const std::string warning =
        "WARNING: listening on " + o.listen +
        " without TLS: the PINs, tokens and patient ids sent to this console cross the "
        "network in clear, readable by anyone on it. Give --tls-cert FILE --tls-key FILE "
        "(docs/console.md, \"TLS\"), or listen on 127.0.0.1.";
    err << kMe << warning << "\n";
    spdlog::warn("{}", warning);
  }
  std::unique_ptr<console::Auth> auth;
  try {
    auth = std::make_unique<console::Auth>(data_dir);
  } catch (const console::PinFileError &e) {
    return refuse(e.what());
  }
  if (const auto missing = auth->roles_without_pin(); !missing.empty())
    return refuse("the console needs both PINs (operator and technician) before it starts; run " +
                  roles_text(missing, data_dir) + " first");

  const auto records_address = records::parse_store_address(o.records, data_dir);
  if (!records_address) return refuse(records_address.error);
  if (o.sim_speed != 1.0 && !bindings::is_simulator_address(o.table))
    return refuse("--sim-speed is for the simulator only; " + o.table + " is a real table");
  if (!o.inject.empty() && !bindings::is_simulator_address(o.table))
    return refuse("--inject is for the simulator only; " + o.table + " is a real table");
  bindings::SimulatorOptions simulator;
  simulator.speed = o.sim_speed;
  if (const auto bad = bindings::add_simulator_events(o.inject, simulator); !bad.empty()) {
    std::string all;
    for (const auto &e : bad)
      all += (all.empty() ? "--inject " : "; --inject ") + e;
    return refuse(all);
  }
  // A console that injects faults must never pass for a plain one: the log says so at start,
  // and every session's journal lists them (its table's "injections").
  if (!o.inject.empty()) {
    std::string all;
    for (const auto &e : o.inject)
      all += (all.empty() ? "" : ", ") + e;
    spdlog::warn("simulated events in every session (--inject): {}", all);
  }
  bindings::BindingMade made = bindings::make_table_binding(o.table, o.seed, simulator);
  if (!made) return refuse(made.error);
  console::TableBinding binding = std::move(*made.value);
  console::ServiceOptions service_options;
  service_options.journal_dir = o.journal_dir;
  service_options.calibration_store = o.store;
  service_options.seed = o.seed;
  service_options.limits = o.clinic_limits;
  service_options.daily_verification = o.daily_verification;
  service_options.force_unit = o.force_unit;
  service_options.weight_unit = o.weight_unit;
  service_options.language = o.language;
  service_options.records = *records_address.value;
  service_options.records_limits_copy =
      std::filesystem::path(data_dir) / "console" / "clinic-limits.json";
  service_options.table_name = o.table_name.empty() ? text::this_host_name() : o.table_name;
  spdlog::info("records: {} as table {}", records_address.value->shown, service_options.table_name);
  const bool simulated = binding.simulated;
  auto service = std::make_unique<console::TableService>(std::move(binding), service_options);

  std::unique_ptr<console::HttpServer> server;
  try {
    console::HttpServerOptions server_options;
    server_options.address = listen.value->host;
    server_options.port = listen.value->port;
    server_options.tls = tls;
    server_options.allowed_origins = origins;
    server = std::make_unique<console::HttpServer>(*service, *auth, server_options);
  } catch (const std::runtime_error &e) {
    return refuse("--listen " + o.listen + ": " + e.what());
  }
  out << "tractus serve: the console is at " << server->url() << " (table " << o.table
      << (simulated ? ", simulated" : "") << "); Ctrl-C stops it" << std::endl;
  spdlog::info("the console is at {} (table {}{}); log: {}", server->url(), o.table,
               simulated ? ", simulated" : "", (*log.value)->where());
  // Under systemd (Type=notify): ready now, and the watchdog fed from the loop's health.
  // Declared after the server and the service: it ends its thread before they go.
  ServiceNotifier systemd;
  systemd.ready("the console is at " + server->url());
  systemd.start_watchdog(
      [&service, &server] {
        const console::TableService::LoopHeartbeat loop = service->loop_heartbeat();
        return ServiceHeartbeats{loop.running, loop.last_cycle_ns, server->last_tick_ns(), 0};
      },
      [&err](const std::string &message) {
        err << kMe << message << std::endl;
        spdlog::error("{}", message);
      });
  signals.on_signal(*server);
  try {
    server->run();
  } catch (...) {
    signals.finish();
    throw;
  }
  signals.finish();
  systemd.stopping();
  server.reset();
  // A running session is stopped with a controlled release and its loop awaited (~10 s from
  // full force); an unacknowledged end is written to the journal as it stands.
  out << "tractus serve: stopping; a running session is released first" << std::endl;
  spdlog::info("stopping on a signal; a running session is released first");
  service.reset();
  out << "tractus serve: stopped" << std::endl;
  spdlog::info("stopped");
  return 0;
}

ServeFlags::ServeFlags(CLI::App &command, ServeOptions &o, std::string me)
    : command_(command), me_(std::move(me)) {
  auto *config = command.add_option("--config", config_,
                                    std::string("Configuration file (default ") +
                                        kSystemConfigFile + " when it exists; flags override it)");
  command
      .add_flag("--no-config", no_config_,
                std::string("Read no configuration file, not even ") + kSystemConfigFile)
      ->excludes(config);
  command.add_option("--listen", o.listen, "HOST:PORT to serve on")->capture_default_str();
  command
      .add_option("--table", o.table,
                  "sim (default), sim:PRESET or sim:FILE.json (a simulated patient), "
                  "modbus-tcp://HOST:PORT, modbus-rtu:///dev/ttyX")
      ->capture_default_str();
  o.data_dir = console::kDefaultDataDir;
  command.add_option("--data", o.data_dir, "Data folder (PINs in DATA/console/pins.json)")
      ->capture_default_str();
  command.add_option("--journal", o.journal_dir, "Folder of the session journals")
      ->capture_default_str();
  command.add_option("--store", o.store, "Calibration store folder")->capture_default_str();
  command.add_option("--tls-cert", o.tls_cert,
                     "PEM certificate (chain): serve HTTPS and WSS (with --tls-key)");
  command.add_option("--tls-key", o.tls_key, "PEM private key of --tls-cert (unencrypted)");
  command
      .add_option("--allow-origin", o.allow_origins,
                  "Also accept the page opened at ORIGIN, e.g. http://tractus.local:8080 "
                  "(repeatable)")
      ->take_all();
  command
      .add_option("--log-level", o.log_level,
                  "Service log level: trace, debug, info, warn, error or off")
      ->check(CLI::IsMember(std::vector<std::string>(std::begin(kLogLevels), std::end(kLogLevels))))
      ->capture_default_str();
  command.add_option("--records", o.records,
                     "Records store: sqlite:PATH or postgresql://USER@HOST/DB (default "
                     "DATA/records.sqlite)");
  command.add_option("--table-name", o.table_name,
                     "This table's name in the clinic's records (default: this computer's name)");
  command
      .add_option("--sim-speed", o.sim_speed,
                  "The simulator only: run simulated time this many times faster than the wall "
                  "clock (a demonstration; 1 to 1000)")
      ->check(CLI::Range(1.0, 1000.0))
      ->capture_default_str();
  command.add_option(
      "--inject", o.inject,
      "The simulator only: a simulated event KIND@TIME in every session, TIME "
      "after it is loaded, e.g. muscle-guarding@60s (repeatable; docs/simulator.md)");
  command.add_option("--log-dir", o.log_dir,
                     "Folder of the service log tractus.log (default DATA/log; unused under "
                     "systemd, whose journal keeps the log)");
}

bool ServeFlags::configure(ServeOptions &o, std::ostream &err, std::string *file_used,
                           std::vector<SettingShown> *shown) const {
  const auto given = [&](const char *flag) { return command_.count(flag) > 0; };
  std::string path = config_;
  std::error_code unreadable;
  if (path.empty() && !no_config_ &&
      (std::filesystem::exists(kSystemConfigFile, unreadable) || unreadable))
    path = kSystemConfigFile; // read below, which says what is wrong with a folder we cannot see
  std::optional<ConfigFile> file;
  if (!path.empty()) {
    text::Outcome<ConfigFile> read = read_config_file(path);
    if (!read) {
      // One line per problem, each with the command's name, as the service's log shows them.
      std::istringstream lines(read.error);
      for (std::string line; std::getline(lines, line);)
        err << me_ << line << "\n";
      return false;
    }
    file = std::move(*read.value);
  }
  if (file_used != nullptr) *file_used = path;
  FlagsGiven flags;
  flags.table = given("--table");
  flags.listen = given("--listen");
  flags.data_dir = given("--data");
  flags.journal_dir = given("--journal");
  flags.calibration_dir = given("--store");
  flags.tls_cert = given("--tls-cert");
  flags.tls_key = given("--tls-key");
  flags.allow_origins = given("--allow-origin");
  flags.log_level = given("--log-level");
  flags.log_dir = given("--log-dir");
  flags.records = given("--records");
  flags.table_name = given("--table-name");
  std::vector<SettingShown> settings = apply_config(file ? &*file : nullptr, flags, o);
  if (shown != nullptr) *shown = std::move(settings);
  return true;
}

ServeCommandLine::ServeCommandLine(CLI::App &app) {
  serve_ = app.add_subcommand("serve", "Run the table console (web page and API)");
  flags_ = std::make_unique<ServeFlags>(*serve_, options_, kMe);
  serve_->add_option("--seed", options_.seed, "Seed of the first simulated session")
      ->capture_default_str();
}

bool ServeCommandLine::invoked() const { return serve_->parsed(); }

int ServeCommandLine::run(std::ostream &out, std::ostream &err) {
  ServeOptions options = options_;
  std::vector<SettingShown> settings;
  if (!flags_->configure(options, err, nullptr, &settings)) return kExitBadInput;
  return serve(options, out, err, &settings);
}

std::unique_ptr<ServeCommandLine> add_serve_command(CLI::App &app) {
  return std::make_unique<ServeCommandLine>(app);
}

} // namespace tractus::cli
