#include "cli/run_command.hpp"
#include "cli/records_protocol_command.hpp"
#include "cli/scripted_operator.hpp"
#include "cli/session_text.hpp"

#include "bindings/table_bindings.hpp"

#include "calibration/text.hpp"
#include "console/screening.hpp"
#include "controller/fault_codes.hpp"
#include "controller/journal.hpp"
#include "controller/journal_room.hpp"
#include "controller/journal_text.hpp"
#include "controller/loop_runner.hpp"
#include "controller/realtime.hpp"
#include "controller/session_config.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "profiles/quantity_text.hpp"
#include "text/utc_text.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unistd.h>

namespace tractus::cli {

namespace {

// What a refused start is named on a real table (docs/fault-codes.md): the same codes the
// supervisor refuses a start with, given before anything is written to the table.
constexpr controller::FaultCode kCalibrationRefusal = controller::FaultCode::CalibrationInvalid;
constexpr controller::FaultCode kScreeningRefusal = controller::FaultCode::ScreeningNotConfirmed;

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted = true; }

// The loop thread's end, told to the watcher at once: on the virtual clock a whole session takes
// a fraction of a second, and a watcher that only polled would add up to a poll's 20 ms to it.
class LoopEnded {
public:
  void set() {
    {
      const std::lock_guard lock(mutex_);
      ended_ = true;
    }
    ended_cv_.notify_all();
  }
  // Waits at most `timeout` for the end.
  void wait_for(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    ended_cv_.wait_for(lock, timeout, [this] { return ended_; });
  }

private:
  std::mutex mutex_;
  std::condition_variable ended_cv_;
  bool ended_ = false;
};

// Shows progress on a terminal while the loop runs on its own thread; quiet in pipes.
void watch(const controller::LoopRunner &runner, Duration total, std::ostream &out,
           LoopEnded &ended) {
  const bool tty = isatty(STDOUT_FILENO) != 0;
  auto last = std::chrono::steady_clock::now();
  while (!runner.progress().finished.load()) {
    ended.wait_for(std::chrono::milliseconds(20));
    if (g_interrupted.exchange(false)) const_cast<controller::LoopRunner &>(runner).request_stop();
    if (!tty || std::chrono::steady_clock::now() - last < std::chrono::milliseconds(200)) continue;
    last = std::chrono::steady_clock::now();
    out << "\r" << progress_line(runner.progress(), total) << std::flush;
  }
  if (tty) out << "\r" << std::string(78, ' ') << "\r";
}

// What the command line asks for, read and checked before the table is touched: every problem
// is reported, and nothing starts if there is one.
struct SessionRequest {
  std::string patient_id;
  Mass mass{};
  profiles::Limits limits;
  profiles::Profile profile;
  profiles::Trajectory trajectory;
  bindings::SimulatorOptions simulator;
  std::optional<console::ScreeningCheck> screening; // given with --screening, and passed
  controller::ControllerKind controller = controller::ControllerKind::Adaptive;
};

std::optional<SessionRequest> read_request(const RunOptions &o, std::ostream &err) {
  SessionRequest r;
  // Checked here rather than by the option parser, so the message names every allowed value in
  // tractus run's own words.
  const auto kind = controller::parse_controller_kind(o.controller);
  if (!kind) {
    err << "tractus run: --controller " << o.controller
        << ": unknown controller (allowed: " << controller::kControllerKindNames << ")\n";
    return std::nullopt;
  }
  r.controller = *kind;
  const auto mass = profiles::parse_body_mass(o.weight);
  if (!mass) {
    err << "tractus run: --weight " << o.weight << ": " << mass.error << "\n";
    return std::nullopt;
  }
  r.mass = *mass.value;
  r.patient_id = o.patient.empty() ? controller::anonymous_patient_id() : o.patient;
  if (!controller::valid_patient_id(r.patient_id)) {
    err << "tractus run: --patient \"" << o.patient
        << "\": not a pseudonymous id (1 to 32 letters, digits, '-' or '_', with at least one "
           "digit, e.g. P-0042; never a name)\n";
    return std::nullopt;
  }
  // With --records, the clinic's limits bind this session too, and its protocols run by id.
  std::optional<profiles::Profile> clinic_protocol;
  if (!o.records.empty()) {
    ClinicForRun clinic = clinic_for_run(o.records, o.profile);
    for (const auto &p : clinic.problems)
      err << "tractus run: " << p << "\n";
    if (!clinic.problems.empty()) return std::nullopt;
    r.limits = clinic.limits;
    clinic_protocol = std::move(clinic.protocol);
  }
  auto profile = clinic_protocol
                     ? profiles::Result<profiles::Profile>{std::move(clinic_protocol), {}}
                     : profiles::find_profile(o.profile, profiles::default_library_dir(), r.limits);
  if (!profile.ok()) {
    for (const auto &p : profile.problems)
      err << profiles::to_string(p) << "\n";
    return std::nullopt;
  }
  r.profile = std::move(*profile.value);
  auto trajectory = profiles::compile(r.profile, profiles::Patient{r.patient_id, r.mass}, r.limits);
  if (!trajectory.ok()) {
    for (const auto &p : trajectory.problems)
      err << profiles::to_string(p) << "\n";
    return std::nullopt;
  }
  r.trajectory = std::move(*trajectory.value);
  r.simulator.virtual_time = bindings::is_simulator_address(o.table) && !o.realtime;
  if (const auto bad = bindings::add_simulator_events(o.inject, r.simulator); !bad.empty()) {
    for (const auto &e : bad)
      err << "tractus run: --inject " << e << "\n";
    return std::nullopt;
  }
  // The completed checklist, checked like a profile: on the simulator optional, when given
  // checked; on a real table required (treatment_calibration, once the table says what it is).
  if (!o.screening.empty()) {
    r.screening = console::read_screening_file(o.screening);
    if (!r.screening->passed()) {
      for (const auto &p : r.screening->problems)
        err << p << "\n";
      for (const auto &p : r.screening->screening_yes)
        err << p << "\n";
      err << "tractus run: start refused: "
          << (r.screening->problems.empty() ? "the screening found a contraindication or a red "
                                              "flag; no session: refer the patient"
                                            : "the screening file is not a completed checklist "
                                              "(docs/screening.md)")
          << "\n";
      return std::nullopt;
    }
  }
  return r;
}

// The table looked at, not yet written to: a real table needs the screening file and a
// calibration in force for its load cell, verified today; the simulator brings its own.
std::optional<hal::Calibration> treatment_calibration(const RunOptions &o,
                                                      const console::TableBinding &binding,
                                                      bool screened, Force highest,
                                                      std::ostream &err) {
  if (!binding.simulated && !screened) {
    err << "tractus run: start refused: " << controller::number(kScreeningRefusal) << " "
        << controller::info(kScreeningRefusal).name << ": the table at " << o.table
        << " is not the simulator; give the completed screening checklist with --screening "
           "FILE (docs/screening.md)\n";
    return std::nullopt;
  }
  calibration::TreatmentCalibration calibration;
  {
    console::LeaseOpen look = binding.open(console::LeasePurpose::Diagnostics, o.seed);
    if (!look.lease) {
      err << "tractus run: --table " << o.table << ": " << look.error << "\n";
      return std::nullopt;
    }
    // The clinic's stricter policy is the console's (configuration file); run keeps the day.
    calibration =
        look.lease->calibration(o.store, static_cast<std::int64_t>(std::time(nullptr)), {});
  }
  calibration::require_coverage(calibration, highest, o.store);
  if (!calibration.calibration)
    err << "tractus run: start refused: " << controller::number(kCalibrationRefusal) << " "
        << controller::info(kCalibrationRefusal).name << ": " << calibration.error << "\n"
        << "  the way out: " << calibration.way_out << "\n";
  return calibration.calibration;
}

nlohmann::ordered_json session_header(const RunOptions &o, const SessionRequest &r,
                                      const controller::SessionSetup &setup,
                                      const console::TableLease &table) {
  nlohmann::ordered_json header =
      journal_header(r.profile, r.trajectory, r.patient_id, r.mass, setup.calibration);
  header["limits"] = controller::journal_limits(setup);
  // Which loop ran: a baseline session's figures must never be read as tractus's own.
  header["controller"] = controller::to_string(setup.controller);
  header["table"] = table.journal_table();
  if (r.screening)
    header["screening"] = {{"source", "file"},
                           {"file", o.screening},
                           {"answers", r.screening->answers},
                           {"confirmed", true}};
  else
    header["screening"] = {{"source", "simulator"},
                           {"confirmed", true},
                           {"note", "the simulated patient counts as screened"}};
  header["started_utc"] = text::utc_timestamp(std::time(nullptr));
  return header;
}

// What the loop did, and how the scripted operator fared.
struct LoopResult {
  controller::LoopReport report;
  controller::SessionStats stats;
  std::string scheduling = "virtual clock";
  bool start_refused = false;
  std::vector<controller::Event> refusals; // one per condition the start was refused for
  bool press_test_timed_out = false;
};

// Runs the session on its own thread (SCHED_FIFO 80 in real time) until it ends, showing
// progress; SIGINT and SIGTERM stop it with a controlled release.
LoopResult run_loop(console::TableLease &table, controller::Session &session,
                    const controller::SessionSetup &setup, controller::Journal &journal,
                    bool virtual_time, const std::string &memory, Duration total,
                    std::ostream &out) {
  LoopResult result;
  const std::unique_ptr<controller::Clock> clock = table.make_clock();
  const controller::LoopOptions loop = controller::loop_options_for(setup.period);
  controller::LoopRunner runner(table.table(), session, *clock, result.stats, loop);
  ScriptedOperator op(seconds(60));
  op.attach(&runner);
  runner.set_operator(&op);
  runner.set_journal(&journal);

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  LoopEnded ended;
  std::thread loop_thread([&] {
    if (!virtual_time) result.scheduling = controller::realtime_thread(80) + ", " + memory;
    table.before_first_cycle();
    result.report = runner.run();
    ended.set();
  });
  watch(runner, total, out, ended);
  loop_thread.join();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  result.start_refused = op.start_refused();
  result.refusals.assign(op.refusals().begin(), op.refusals().end());
  result.press_test_timed_out = op.press_test_timed_out();
  return result;
}

} // namespace

int run_session(const RunOptions &o, std::ostream &out, std::ostream &err) {
  std::optional<SessionRequest> request = read_request(o, err);
  if (!request) return kExitBadInput;
  const SessionRequest &r = *request;

  // ---- the table (apps/bindings, as the console and `tractus calibrate` open it): connected
  // and identified, looked at, and written to only once the session will run ----
  const bindings::BindingMade made = bindings::make_table_binding(o.table, o.seed, r.simulator);
  if (!made) {
    err << "tractus run: " << made.error << "\n";
    return kExitBadInput;
  }
  const console::TableBinding &binding = *made.value;
  const auto calibration =
      treatment_calibration(o, binding, r.screening.has_value(), r.trajectory.peak_force(), err);
  if (!calibration) return kExitBadInput;

  controller::SessionInputs inputs;
  inputs.trajectory = &r.trajectory;
  inputs.region = r.profile.region;
  inputs.calibration = *calibration;
  // A real table: the checklist above; the simulated patient counts as screened (DESIGN §8).
  inputs.screening_confirmed = true;
  inputs.period = binding.period;
  inputs.limits = r.limits;
  inputs.controller = r.controller;
  const controller::SessionSetup setup = controller::session_setup(inputs);
  controller::Session session(setup);

  // Room for the whole session before anything starts (118, docs/journal.md); the press test
  // may take up to 60 s.
  if (const auto room = controller::check_room_for_session(
          o.journal_dir, r.trajectory.total_duration(), seconds(60));
      !room.ok()) {
    err << "tractus run: start refused: 118 journal-no-room: " << room.problem << "\n";
    return kExitBadInput;
  }
  // Memory locked before the lease arms the drive's watchdog: locking faults in every page,
  // tens of milliseconds the watchdog must not wait through (controller/realtime.hpp).
  const bool virtual_time = r.simulator.virtual_time;
  const std::string memory = virtual_time ? std::string() : controller::lock_memory();
  // The session's lease: on Modbus the drive's watchdog is armed now. Creating the journal and
  // starting the loop's thread may outlast it on a busy PC; the lease's before_first_cycle()
  // clears such a trip just before the loop's first cycle feeds it. Only a journal that cannot
  // be created still ends the run, and then the watchdog leaves the drive disabled.
  console::LeaseOpen opened = binding.open(console::LeasePurpose::Session, o.seed);
  if (!opened.lease) {
    err << "tractus run: --table " << o.table << ": " << opened.error << "\n";
    return kExitBadInput;
  }
  console::TableLease &table = *opened.lease;

  const std::string session_id = controller::new_session_id(r.profile.id, std::time(nullptr));
  std::unique_ptr<controller::Journal> journal;
  try {
    journal = std::make_unique<controller::Journal>(o.journal_dir, session_id,
                                                    session_header(o, r, setup, table));
  } catch (const std::exception &e) {
    err << "tractus run: " << e.what() << "\n";
    return kExitBadInput;
  }

  const LoopResult loop = run_loop(table, session, setup, *journal, virtual_time, memory,
                                   r.trajectory.total_duration(), out);

  int code = kExitStopped;
  if (loop.report.last.outcome == controller::Outcome::Completed) code = kExitCompleted;
  if (loop.start_refused || loop.press_test_timed_out) code = kExitBadInput;
  nlohmann::ordered_json summary = summary_json(loop.report, loop.stats, code);
  summary["scheduling"] = loop.scheduling;
  if (!journal->finish(summary))
    err << "tractus run: the journal's summary was not written: " << journal->failure() << "\n";
  else if (journal->failed())
    err << "tractus run: 204 journal-unwritable: " << journal->failure() << "\n";
  print_summary(out, session_id, r.profile, r.trajectory, r.patient_id, r.mass, loop.report,
                loop.stats, journal->path().string());
  // Named as the checks before the loop name theirs (code, name, reason), one line each.
  for (const controller::Event &e : loop.refusals)
    err << "tractus run: start refused: " << controller::number(e.code) << " "
        << controller::info(e.code).name << ": "
        << (e.detail != nullptr ? e.detail : controller::info(e.code).meaning) << "\n";
  if (loop.start_refused && loop.refusals.empty())
    err << "tractus run: start refused (see the journal's start-refused events)\n";
  if (loop.press_test_timed_out)
    err << "tractus run: the patient switch was not tested within 60 s\n";
  return code;
}

} // namespace tractus::cli
