#include "harness/modbus_session_under_test.hpp"

#include "controller/session_config.hpp"
#include "harness/process.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "profiles/limits.hpp"

namespace tractus::integration {

using controller::EventKind;
using controller::State;

// Starts the session once the patient has tested the hand switch, as `tractus run` does.
class ModbusSessionUnderTest::Operator final : public controller::OperatorSource {
public:
  controller::OperatorInput poll(Duration, const controller::CycleOutput &last) noexcept override {
    controller::OperatorInput op;
    for (std::uint8_t i = 0; i < last.event_count; ++i)
      if (last.events[i].kind == EventKind::PressTestPassed) passed_ = true;
    if (passed_ && !started_ && last.state == State::Ready) {
      op.start = true;
      started_ = true;
    }
    return op;
  }

private:
  bool passed_ = false, started_ = false;
};

ModbusSessionUnderTest::ModbusSessionUnderTest(const ModbusSessionOptions &o) {
  auto opened = hal::modbus::ModbusTable::open(o.address);
  if (!opened.table) {
    error_ = opened.error;
    return;
  }
  table_ = std::move(opened.table);
  const auto calibration = o.calibration ? o.calibration : table_->simulator_calibration();
  if (!calibration) {
    error_ = "no calibration for this table";
    return;
  }
  if (std::string e = table_->drive().configure_watchdog(milliseconds(100)); !e.empty()) {
    error_ = e;
    return;
  }
  const profiles::Limits limits;
  auto profile = profiles::find_profile((Tools::data_dir() / o.profile).string(),
                                        profiles::default_library_dir(), limits);
  if (!profile.ok()) {
    error_ = "bad test profile " + o.profile;
    return;
  }
  auto trajectory =
      profiles::compile(*profile.value, profiles::Patient{"it", kilograms(o.weight_kg)}, limits);
  if (!trajectory.ok()) {
    error_ = "test profile " + o.profile + " does not compile";
    return;
  }
  trajectory_ = std::make_unique<profiles::Trajectory>(*trajectory.value);
  controller::SessionInputs inputs;
  inputs.trajectory = trajectory_.get();
  inputs.region = profile.value->region;
  inputs.calibration = *calibration;
  inputs.screening_confirmed = true;
  const Duration period = o.period > Duration{} ? o.period : table_->loop_period();
  inputs.period = period;
  inputs.limits = limits;
  session_ = std::make_unique<controller::Session>(controller::session_setup(inputs));
  clock_ = std::make_unique<controller::MonotonicClock>();
  stats_ = std::make_unique<controller::SessionStats>();
  controller::LoopOptions loop = controller::loop_options_for(period);
  loop.linger = o.linger;
  runner_ =
      std::make_unique<controller::LoopRunner>(table_->table(), *session_, *clock_, *stats_, loop);
  operator_ = std::make_unique<Operator>();
  runner_->set_operator(operator_.get());
  runner_->set_output_observer([this](const controller::CycleOutput &out) {
    state_.store(out.state);
    if (out.state == State::Fault && fault_.load() == controller::FaultCode::None) {
      fault_at_ns_.store(std::chrono::steady_clock::now().time_since_epoch().count());
      fault_.store(out.fault);
    }
  });
}

ModbusSessionUnderTest::~ModbusSessionUnderTest() {
  if (thread_.joinable()) {
    runner_->request_stop();
    thread_.join();
  }
}

void ModbusSessionUnderTest::start() {
  thread_ = std::thread([this] {
    report_ = runner_->run();
    done_ = true;
  });
}

bool ModbusSessionUnderTest::wait_for_state(State s, std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (state_.load() != s) {
    if (done_.load() || std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

bool ModbusSessionUnderTest::join(std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done_.load()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(5ms);
  }
  thread_.join();
  return true;
}

std::optional<std::chrono::steady_clock::time_point> ModbusSessionUnderTest::fault_at() const {
  const std::int64_t ns = fault_at_ns_.load();
  if (ns == 0) return std::nullopt;
  return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(ns));
}

} // namespace tractus::integration
