// One loaded session on the console: the table lease, the supervisor, the journal and the
// control loop's thread, from POST /api/session until the operator has acknowledged its end
// (or DELETE /api/session unloads it before a start).
//
// The loop starts at once with the session in Ready, so the hand-switch press test, the E-stop
// and switch states and the telemetry are live before the operator presses start. It keeps
// running after Complete or Fault until the end is acknowledged (controller::LoopEnd::
// AfterAcknowledge); then the thread writes the journal's summary and the session is over.
#pragma once

#include "console/loop_bridge.hpp"
#include "console/session_request.hpp"
#include "console/table_binding.hpp"
#include "console/telemetry_channel.hpp"
#include "controller/journal.hpp"
#include "controller/loop_runner.hpp"
#include "controller/session.hpp"
#include "controller/session_stats.hpp"
#include "profiles/limits.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace tractus::console {

struct LiveSessionSpec {
  std::string session_id;
  std::filesystem::path journal_dir;
  std::optional<hal::Calibration> calibration; // none: the start is refused with 110
  std::string calibration_problem;             // why there is none
  bool simulated = false;
  Duration period = milliseconds(1);
  // The clinic's limits (ServiceOptions::limits): the session's hard cap, over-force monitor,
  // ramps and cord tension follow them, as its protocol was checked against them.
  profiles::Limits limits = profiles::kDefaultLimits;
  // A course visit's session: the visit, as the journal's header names it (docs/records.md).
  nlohmann::json visit;
  // Told once the journal is finished (the records' indexer looks then). On the loop's thread
  // after the loop has ended; must not throw.
  std::function<void()> on_finished;
};

class LiveSession {
public:
  // Opens the journal (throws std::runtime_error naming the file when it cannot) and starts the
  // loop thread. `mailbox.running` is set before the thread starts and cleared when it ends.
  LiveSession(std::unique_ptr<TableLease> lease, SessionRequest request,
              const LiveSessionSpec &spec, LoopMailbox &mailbox, TelemetryChannel &channel);
  // A session still running is stopped (controlled release), its loop awaited (30 s at most,
  // then the drive is disabled at once) and joined.
  ~LiveSession();
  LiveSession(const LiveSession &) = delete;
  LiveSession &operator=(const LiveSession &) = delete;

  [[nodiscard]] bool finished() const noexcept { return finished_.load(std::memory_order_acquire); }
  // Behaves as the operator's stop while the table is active; ends the loop in Ready, and after
  // Complete or Fault without waiting for the acknowledgement (shutdown, unload).
  void request_stop() noexcept {
    stop_requested_ = true;
    runner_->request_stop();
  }
  // True once the loop has ended (and the journal's summary is written) within `timeout`.
  bool wait_finished(std::chrono::milliseconds timeout) const;

  [[nodiscard]] const std::string &id() const noexcept { return spec_.session_id; }
  [[nodiscard]] std::filesystem::path journal_path() const { return journal_->path(); }
  [[nodiscard]] const controller::LoopRunner &runner() const noexcept { return *runner_; }
  [[nodiscard]] TableLease &lease() noexcept { return *lease_; }
  // The loaded session for GET /api/state: id, profile, patient, calibration, journal.
  [[nodiscard]] nlohmann::json description() const;
  // After finished(): how it ended, for the service's "last session".
  [[nodiscard]] nlohmann::json outcome() const;

private:
  nlohmann::ordered_json journal_header() const;
  void run() noexcept; // the loop thread

  std::unique_ptr<TableLease> lease_;
  SessionRequest request_;
  LiveSessionSpec spec_;
  LoopMailbox &mailbox_;
  controller::SessionSetup setup_;
  controller::Session session_;
  controller::SessionStats stats_;
  std::unique_ptr<controller::Journal> journal_;
  std::unique_ptr<controller::Clock> clock_;
  LoopBridge bridge_;
  std::unique_ptr<controller::LoopRunner> runner_;
  controller::LoopReport report_;           // written by the loop thread before finished_
  std::string scheduling_;                  // idem
  std::string journal_error_;               // idem: the summary could not be written
  std::atomic<bool> stop_requested_{false}; // unload or shutdown, not the operator's stop
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

} // namespace tractus::console
