#include "console_under_test.hpp"

#include "bindings/table_bindings.hpp"
#include "console/auth_pins.hpp"
#include "support/machine_pauses.hpp"
#include "support/scratch_dir.hpp"

#include <memory>
#include <stdexcept>

namespace tractus::testing {
namespace {

// Argon2id is slow by design: hash the test PINs once for the whole test program.
const console::PinHashes &test_pins() {
  static const console::PinHashes pins{console::hash_pin(kOperatorPin),
                                       console::hash_pin(kTechnicianPin)};
  return pins;
}

} // namespace

void console_test_riding_machine_pauses(
    const std::function<void(const std::filesystem::path &journals)> &body) {
  judge_in_scratch_riding_machine_pauses([&](const ScratchDir &dir) { body(dir.path()); }, {});
}

ConsoleUnderTest::ConsoleUnderTest(const std::string &name, std::chrono::seconds request_timeout)
    : ConsoleUnderTest(name, [request_timeout] {
        console::HttpServerOptions options;
        options.request_timeout = request_timeout;
        return options;
      }()) {}

ConsoleUnderTest::ConsoleUnderTest(const std::string &name,
                                   console::HttpServerOptions server_options)
    : ConsoleUnderTest(
          name, ConsoleSetup{std::move(server_options), {}, "table-a", 1.0, {}, {}, "sim", {}}) {}

ConsoleUnderTest::ConsoleUnderTest(const std::string &name, ConsoleSetup setup)
    : dir_("console-" + name) {
  console::HttpServerOptions server_options = std::move(setup.server);
  server_options.address = "127.0.0.1";
  server_options.port = 0;
  console::save_pins(console::pins_file(dir_.path()), test_pins());
  auth_ = std::make_unique<console::Auth>(dir_.path(), [this] { return clock_.now(); });

  bindings::SimulatorOptions simulator;
  simulator.speed = setup.sim_speed;
  if (const auto bad = bindings::add_simulator_events(setup.inject, simulator); !bad.empty())
    throw std::runtime_error("--inject: " + bad.front());
  bindings::BindingMade made = bindings::make_table_binding(setup.table, 1, simulator);
  if (!made) throw std::runtime_error("sim binding: " + made.error);
  console::TableBinding binding = std::move(*made.value);
  console::ServiceOptions options;
  options.journal_dir = setup.journal_dir.empty() ? dir_.path() / "sessions" : setup.journal_dir;
  options.calibration_store = dir_.path() / "calibration";
  options.records = setup.records;
  options.table_name = setup.table_name;
  options.records_limits_copy = setup.records_limits_copy.empty()
                                    ? dir_.path() / "console" / "clinic-limits.json"
                                    : setup.records_limits_copy;
  service_ = std::make_unique<console::TableService>(std::move(binding), options);

  server_ = std::make_unique<console::HttpServer>(*service_, *auth_, std::move(server_options));
  thread_ = std::thread([this] { server_->run(); });
}

ConsoleUnderTest::~ConsoleUnderTest() {
  server_->stop();
  thread_.join();
  server_.reset();
  service_.reset(); // stops a session still running (controlled release) and joins its loop
}

} // namespace tractus::testing
