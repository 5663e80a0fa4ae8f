// The controller in the test process against a table on Modbus: the same Session and LoopRunner
// as `tractus run`, on the monotonic clock, so a test can act at a known moment (trigger a fault
// through tractus-sim's unit 247) and time what the controller does about it.
#pragma once

#include "controller/loop_runner.hpp"
#include "controller/session.hpp"
#include "hal/modbus/modbus_table.hpp"
#include "profiles/trajectory.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace tractus::integration {

struct ModbusSessionOptions {
  std::string address;                      // modbus-tcp://…
  std::string profile = "modbus-2min.json"; // in tests/data
  double weight_kg = 80;
  Duration period{}; // zero: the table's own (ModbusTable::loop_period)
  Duration linger = milliseconds(300);
  // When the table is not the simulator: the calibration to use (tests only).
  std::optional<hal::Calibration> calibration;
};

class ModbusSessionUnderTest {
public:
  explicit ModbusSessionUnderTest(const ModbusSessionOptions &options);
  ~ModbusSessionUnderTest();
  // Empty if the table opened, its watchdog is armed and the profile compiled.
  [[nodiscard]] const std::string &error() const { return error_; }

  void start();
  bool wait_for_state(controller::State s, std::chrono::milliseconds timeout) const;
  void request_stop() { runner_->request_stop(); }
  // Waits for the loop to end; false on timeout.
  bool join(std::chrono::milliseconds timeout);

  [[nodiscard]] controller::State state() const { return state_.load(); }
  [[nodiscard]] controller::FaultCode fault() const { return fault_.load(); }
  // When the first fault latched (steady clock), if one did.
  [[nodiscard]] std::optional<std::chrono::steady_clock::time_point> fault_at() const;
  [[nodiscard]] const controller::LoopReport &report() const { return report_; }
  hal::modbus::ModbusTable &table() { return *table_; }

private:
  class Operator;
  std::unique_ptr<hal::modbus::ModbusTable> table_;
  std::unique_ptr<profiles::Trajectory> trajectory_;
  std::unique_ptr<controller::Session> session_;
  std::unique_ptr<controller::MonotonicClock> clock_;
  std::unique_ptr<controller::SessionStats> stats_;
  std::unique_ptr<controller::LoopRunner> runner_;
  std::unique_ptr<Operator> operator_;
  std::thread thread_;
  std::atomic<bool> done_{false};
  std::atomic<controller::State> state_{controller::State::Idle};
  std::atomic<controller::FaultCode> fault_{controller::FaultCode::None};
  std::atomic<std::int64_t> fault_at_ns_{0};
  controller::LoopReport report_;
  std::string error_;
};

} // namespace tractus::integration
