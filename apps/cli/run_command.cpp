#include "cli/run_command.hpp"
#include "cli/scripted_operator.hpp"
#include "cli/session_text.hpp"
#include "cli/table_connection.hpp"

#include "controller/journal.hpp"
#include "controller/journal_room.hpp"
#include "controller/journal_text.hpp"
#include "controller/loop_runner.hpp"
#include "controller/realtime.hpp"
#include "hal/calibration_text.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "profiles/quantity_text.hpp"
#include "sim/sim_table.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <ctime>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <unistd.h>

namespace tractus::cli {

namespace {

std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted = true; }

struct SimAddress {
  const sim::PatientPreset *preset = nullptr;
};

// "sim" or "sim:PRESET".
std::optional<SimAddress> parse_sim_address(const std::string &table, std::ostream &err) {
  if (table != "sim" && table.rfind("sim:", 0) != 0) return std::nullopt;
  SimAddress a;
  const std::string name = table == "sim" ? "average" : table.substr(4);
  for (const auto &p : sim::patient_presets())
    if (p.name == name) a.preset = &p;
  if (a.preset == nullptr) {
    err << "tractus run: --table " << table << ": unknown simulated patient \"" << name
        << "\" (known: ";
    bool first = true;
    for (const auto &p : sim::patient_presets()) {
      err << (first ? "" : ", ") << p.name;
      first = false;
    }
    err << ")\n";
  }
  return a;
}

// Shows progress on a terminal while the loop runs on its own thread; quiet in pipes.
void watch(const controller::LoopRunner &runner, Duration total, std::ostream &out) {
  const bool tty = isatty(STDOUT_FILENO) != 0;
  auto last = std::chrono::steady_clock::now();
  while (!runner.progress().finished.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (g_interrupted.exchange(false)) const_cast<controller::LoopRunner &>(runner).request_stop();
    if (!tty || std::chrono::steady_clock::now() - last < std::chrono::milliseconds(200)) continue;
    last = std::chrono::steady_clock::now();
    out << "\r" << progress_line(runner.progress(), total) << std::flush;
  }
  if (tty) out << "\r" << std::string(78, ' ') << "\r";
}

} // namespace

int run_session(const RunOptions &o, std::ostream &out, std::ostream &err) {
  // ---- everything that can be wrong with the input is found before anything starts ----
  const auto mass = profiles::parse_body_mass(o.weight);
  if (!mass) {
    err << "tractus run: --weight " << o.weight << ": " << mass.error << "\n";
    return kExitBadInput;
  }
  const std::string patient_id = o.patient.empty() ? controller::anonymous_patient_id() : o.patient;
  if (!controller::valid_patient_id(patient_id)) {
    err << "tractus run: --patient \"" << o.patient
        << "\": not a pseudonymous id (1 to 32 letters, digits, '-' or '_'; never a name)\n";
    return kExitBadInput;
  }
  const profiles::Limits limits;
  auto profile = profiles::find_profile(o.profile, profiles::default_library_dir(), limits);
  if (!profile.ok()) {
    for (const auto &p : profile.problems)
      err << profiles::to_string(p) << "\n";
    return kExitBadInput;
  }
  auto trajectory =
      profiles::compile(*profile.value, profiles::Patient{patient_id, *mass.value}, limits);
  if (!trajectory.ok()) {
    for (const auto &p : trajectory.problems)
      err << profiles::to_string(p) << "\n";
    return kExitBadInput;
  }
  const auto sim_address = parse_sim_address(o.table, err);
  // Any other address is a Modbus table (cli/table_connection.hpp); for now only tractus-sim.
  std::unique_ptr<TableConnection> modbus;
  if (!sim_address) {
    if (!o.inject.empty()) {
      err << "tractus run: --inject acts on the in-process simulator; on a Modbus table give it "
             "to tractus-sim (tractus-sim --inject KIND@TIME)\n";
      return kExitBadInput;
    }
    TableOpen opened = open_table_connection(o.table);
    if (!opened.connection) {
      err << "tractus run: --table " << o.table << ": " << opened.error << "\n";
      return kExitBadInput;
    }
    modbus = std::move(opened.connection);
  } else if (sim_address->preset == nullptr) {
    return kExitBadInput;
  }
  auto schedule = sim::parse_injections(o.inject);
  if (!schedule.errors.empty()) {
    for (const auto &e : schedule.errors)
      err << "tractus run: --inject " << e << "\n";
    return kExitBadInput;
  }

  // ---- the simulated table: its patient tests the hand switch when asked ----
  auto press_test = sim::parse_injection("patient-switch@500ms");
  schedule.schedule.add(*press_test.injection);
  sim::SimTable sim(sim_address ? *sim_address->preset : sim::kAveragePatient, o.seed,
                    std::move(schedule.schedule));
  if (const std::string e = sim.drive().configure_watchdog(milliseconds(100)); !e.empty()) {
    err << "tractus run: the drive's communication watchdog cannot be enabled: " << e << "\n";
    return kExitBadInput;
  }

  controller::SessionSetup setup;
  setup.trajectory = &*trajectory.value;
  setup.calibration = modbus ? *modbus->factory_calibration : sim.factory_calibration();
  if (modbus) setup.period = modbus->period;
  setup.force_loop = controller::force_loop_params_for(setup.period);
  setup.calibration_valid = true;
  setup.screening_confirmed = true; // the simulated patient counts as screened (DESIGN §8)
  setup.hard_cap = profiles::hard_cap(limits, profile.value->region);
  setup.monitors.full_scale = setup.calibration.full_scale;
  controller::Session session(setup);

  const std::string session_id = controller::new_session_id(profile.value->id, std::time(nullptr));
  nlohmann::ordered_json header =
      journal_header(*profile.value, *trajectory.value, patient_id, *mass.value, setup.calibration);
  if (modbus)
    header["table"] = modbus->journal_table;
  else
    header["table"] = {{"address", o.table},
                       {"simulated", true},
                       {"preset", sim_address->preset->name},
                       {"seed", o.seed},
                       {"injections", o.inject}};
  header["screening"] = {{"source", "simulator"},
                         {"confirmed", true},
                         {"note", "the simulated patient counts as screened"}};
  header["started_utc"] = hal::utc_timestamp(std::time(nullptr));

  // Room for the whole session before anything starts (118, docs/journal.md); the press test
  // may take up to 60 s.
  if (const auto room = controller::check_room_for_session(
          o.journal_dir, trajectory.value->total_duration(), seconds(60));
      !room.ok()) {
    err << "tractus run: start refused: 118 journal-no-room: " << room.problem << "\n";
    return kExitBadInput;
  }
  std::unique_ptr<controller::Journal> journal;
  try {
    journal = std::make_unique<controller::Journal>(o.journal_dir, session_id, header);
  } catch (const std::exception &e) {
    err << "tractus run: " << e.what() << "\n";
    return kExitBadInput;
  }

  auto advance = [&sim](Duration dt) { sim.advance(dt); };
  std::unique_ptr<controller::Clock> clock;
  if (modbus)
    clock = std::make_unique<controller::MonotonicClock>();
  else if (o.realtime)
    clock = std::make_unique<controller::PacedClock>(advance);
  else
    clock = std::make_unique<controller::VirtualClock>(advance);

  controller::SessionStats stats;
  controller::LoopOptions loop;
  if (modbus) {
    loop.period = modbus->period;
    loop.sample_every = std::max(1, static_cast<int>(std::lround(0.1 / loop.period.si())));
  }
  controller::LoopRunner runner(modbus ? modbus->table() : sim.table(), session, *clock, stats,
                                loop);
  ScriptedOperator op(seconds(60));
  op.attach(&runner);
  runner.set_operator(&op);
  runner.set_journal(journal.get());

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  controller::LoopReport report;
  std::string scheduling = "virtual clock";
  std::thread loop_thread([&] {
    if (o.realtime || modbus) scheduling = controller::enable_realtime(80);
    report = runner.run();
  });
  watch(runner, trajectory.value->total_duration(), out);
  loop_thread.join();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);

  int code = kExitStopped;
  if (report.last.outcome == controller::Outcome::Completed) code = kExitCompleted;
  if (op.start_refused() || op.press_test_timed_out()) code = kExitBadInput;

  nlohmann::ordered_json summary = summary_json(report, stats, code);
  summary["scheduling"] = scheduling;
  if (!journal->finish(summary))
    err << "tractus run: the journal's summary was not written: " << journal->failure() << "\n";
  else if (journal->failed())
    err << "tractus run: 204 journal-unwritable: " << journal->failure() << "\n";
  print_summary(out, session_id, *profile.value, *trajectory.value, patient_id, *mass.value, report,
                stats, journal->path().string());
  if (op.start_refused())
    err << "tractus run: start refused (see the journal's start-refused events)\n";
  if (op.press_test_timed_out())
    err << "tractus run: the patient switch was not tested within 60 s\n";
  return code;
}

} // namespace tractus::cli
