#include "console/live_session.hpp"

#include "calibration/text.hpp"
#include "console/heartbeat.hpp"
#include "console/service_log.hpp"
#include "controller/journal_text.hpp"
#include "controller/realtime.hpp"
#include "controller/session_config.hpp"
#include "profiles/limits.hpp"
#include "profiles/quantity_text.hpp"
#include "text/utc_text.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>

#include <spdlog/spdlog.h>

namespace tractus::console {

namespace {

// The exit code `tractus run` gives the same ending (DESIGN §8), so journals compare: 0
// completed, 3 stopped or faulted, 2 nothing started (unloaded in Ready).
int exit_code_for(controller::Outcome o) {
  if (o == controller::Outcome::Completed) return 0;
  if (o == controller::Outcome::None) return 2;
  return 3;
}

controller::SessionSetup setup_for(const SessionRequest &r, const LiveSessionSpec &spec) {
  controller::SessionInputs in;
  in.trajectory = &r.trajectory;
  in.region = r.profile.region;
  in.calibration = spec.calibration;
  in.screening_confirmed = true; // check_session_request refused every other answer
  in.period = spec.period;
  in.limits = spec.limits;
  return controller::session_setup(in);
}

controller::LoopOptions loop_options(Duration period) {
  controller::LoopOptions o = controller::loop_options_for(period);
  o.end = controller::LoopEnd::AfterAcknowledge;
  // A loaded session waits at most 30 min in Ready (the patient on the table, the press test
  // fresh); then it is dropped and must be loaded again. The supervisor's session time limit
  // (203) bounds the treatment; the 24 h limit only ends a loop nobody came back to.
  o.ready_timeout = minutes(30);
  o.give_up_after = minutes(24 * 60);
  return o;
}

} // namespace

LiveSession::LiveSession(std::unique_ptr<TableLease> lease, SessionRequest request,
                         const LiveSessionSpec &spec, LoopMailbox &mailbox,
                         TelemetryChannel &channel)
    : lease_(std::move(lease)), request_(std::move(request)), spec_(spec), mailbox_(mailbox),
      setup_(setup_for(request_, spec_)), session_(setup_),
      journal_(std::make_unique<controller::Journal>(spec_.journal_dir, spec_.session_id,
                                                     journal_header(),
                                                     journal_options_logging(spec_.session_id))),
      clock_(lease_->make_clock()),
      bridge_(mailbox_, channel, session_, spec_.period, spec_.simulated) {
  runner_ = std::make_unique<controller::LoopRunner>(lease_->table(), session_, *clock_, stats_,
                                                     loop_options(spec_.period));
  runner_->set_journal(journal_.get());
  runner_->set_operator(&bridge_);
  runner_->set_cycle_observer(&bridge_);
  mailbox_.open_session(session_key_of(spec_.session_id)); // nothing posted before counts
  mailbox_.state.store(static_cast<std::uint8_t>(session_.state()));
  // The heartbeat starts now, not at the last session's final cycle.
  mailbox_.last_cycle_ns.store(heartbeat_now_ns(), std::memory_order_relaxed);
  mailbox_.running.store(true, std::memory_order_release);
  // The patient's id stays in the journal: the service log names the session, not the person.
  spdlog::info("session {}: loaded {} ({} kg, peak {:.0f} N){}; journal {}", spec_.session_id,
               request_.profile.id, request_.body_mass.si(), request_.trajectory.peak_force().si(),
               setup_.calibration_valid ? "" : "; calibration NOT in force",
               journal_->path().string());
  thread_ = std::thread([this] { run(); });
}

LiveSession::~LiveSession() {
  if (!thread_.joinable()) return;
  request_stop();
  // A stop from full force: 2.2 s of release, 5 s until the drive is disabled, 3 s of linger.
  if (!wait_finished(std::chrono::seconds(30))) runner_->request_abort();
  thread_.join();
}

bool LiveSession::wait_finished(std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!finished()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

nlohmann::ordered_json LiveSession::journal_header() const {
  const SessionRequest &r = request_;
  nlohmann::ordered_json h = controller::session_journal_header(
      r.profile, r.trajectory, r.patient_id, r.body_mass, setup_.calibration);
  h["calibration"]["in_force"] = setup_.calibration_valid;
  if (!setup_.calibration_valid) h["calibration"]["why_not"] = spec_.calibration_problem;
  h["limits"] = controller::journal_limits(setup_);
  h["table"] = lease_->journal_table();
  h["screening"] = {{"source", "console"},
                    {"confirmed", true},
                    {"confirmed_by", "operator"},
                    {"answers", r.answers}};
  h["operator"] = {{"role", "operator"}, {"via", "console"}};
  if (!spec_.visit.is_null()) h["visit"] = spec_.visit;
  h["started_utc"] = text::utc_timestamp(static_cast<std::int64_t>(std::time(nullptr)));
  return h;
}

void LiveSession::run() noexcept {
  // SCHED_FIFO and locked memory where permitted, as `tractus run` on a real or paced table.
  try {
    scheduling_ = controller::enable_realtime(80);
  } catch (...) {
    scheduling_ = "unknown";
  }
  lease_->before_first_cycle();
  report_ = runner_->run();
  try {
    nlohmann::ordered_json summary =
        controller::session_journal_summary(report_, stats_, exit_code_for(report_.last.outcome));
    summary["scheduling"] = scheduling_;
    const char *ended_by = "the operator's acknowledgement at the console";
    if (stop_requested_) ended_by = "the console shutting down (end not acknowledged)";
    if (report_.last.outcome == controller::Outcome::None) {
      ended_by = "unloaded before a start";
    }
    summary["ended_by"] = ended_by;
    if (!journal_->finish(summary)) journal_error_ = journal_->failure();
    // The loop has ended: logging on its thread costs no cycle now.
    // A fault or the patient's switch is what a technician looks for: a warning.
    const bool clean = report_.last.outcome != controller::Outcome::Faulted &&
                       report_.last.outcome != controller::Outcome::PatientStop;
    spdlog::log(clean && journal_error_.empty() ? spdlog::level::info : spdlog::level::warn,
                "session {}: ended: {} ({}); journal {}{}", spec_.session_id,
                summary.value("outcome", std::string()), ended_by, journal_->path().string(),
                journal_error_.empty() ? "" : " NOT complete: " + journal_error_);
  } catch (const std::exception &e) {
    journal_error_ = e.what();
  }
  // Before finished_: once that is set, the service may destroy this object.
  if (spec_.on_finished) spec_.on_finished();
  mailbox_.running.store(false, std::memory_order_release);
  mailbox_.close_session();
  finished_.store(true, std::memory_order_release);
}

nlohmann::json LiveSession::description() const {
  const SessionRequest &r = request_;
  nlohmann::json calibration = {{"id", setup_.calibration.id},
                                {"in_force", setup_.calibration_valid}};
  if (!setup_.calibration_valid) calibration["why_not"] = spec_.calibration_problem;
  return {{"id", spec_.session_id},
          {"profile",
           {{"id", r.profile.id},
            {"name", r.profile.name},
            {"region", std::string(profiles::to_string(r.profile.region))},
            {"mode", std::string(profiles::to_string(r.profile.mode))}}},
          {"patient",
           {{"id", r.patient_id},
            {"weight", r.weight_text},
            {"body_mass_kg", controller::journal_number(r.body_mass.si(), 2)}}},
          {"peak_N", controller::journal_number(r.trajectory.peak_force().si(), 2)},
          {"duration_s", controller::journal_number(r.trajectory.total_duration().si(), 3)},
          {"calibration", calibration},
          // A course visit's session says so, so a page opened mid-session offers its way back.
          {"visit", spec_.visit},
          {"journal", journal_->path().string()},
          // Fault 204 reaches the page through the telemetry's fault; this says why.
          {"journal_problem",
           journal_->failed() ? nlohmann::json(journal_->failure()) : nlohmann::json()}};
}

nlohmann::json LiveSession::outcome() const {
  nlohmann::json o = {{"id", spec_.session_id},
                      {"outcome", controller::outcome_text(report_.last)},
                      {"journal", journal_->path().string()}};
  if (report_.last.fault != controller::FaultCode::None)
    o["code"] = controller::number(report_.last.fault);
  // Muscle guarding, as the journal's summary has it: {"events","largest_n","seconds"}.
  if (report_.last.outcome != controller::Outcome::None)
    o["guarding"] = stats_.to_json().value("guarding", nlohmann::json());
  if (!journal_error_.empty()) o["journal_error"] = journal_error_;
  if (journal_->failed()) o["journal_problem"] = journal_->failure();
  return o;
}

} // namespace tractus::console
