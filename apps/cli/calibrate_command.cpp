#include "cli/calibrate_command.hpp"

#include "bindings/table_bindings.hpp"

#include "calibration/daily_verification.hpp"
#include "calibration/procedure.hpp"
#include "calibration/store.hpp"
#include "calibration/text.hpp"
#include "profiles/quantity_text.hpp"
#include "text/number_text.hpp"
#include "text/utc_text.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <iostream>
#include <optional>

namespace tractus::cli {
namespace {

constexpr int kOk = 0, kInternal = 1, kBadInput = 2, kFailed = 3;
constexpr const char *kUnchanged = "nothing was saved; the calibration in force is unchanged";

std::string trim(std::string s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<double> plain_number(std::string_view text) {
  double v = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(v)) return {};
  return v;
}

// A reference load as a technician types it: "200", "200 N", "45 lbf", "20 kgf", or a mass of
// weights "20 kg", which needs the local gravity (it differs from standard gravity by up to
// 0.3 % between sites: three times the acceptance limit).
profiles::Parsed<Force> parse_load(const std::string &raw, const std::string &local_gravity) {
  using Result = profiles::Parsed<Force>;
  const std::string text = trim(raw);
  if (const auto n = plain_number(text)) return {newtons(*n), {}};
  if (text.size() > 2 && text.ends_with("kg")) {
    const auto mass = plain_number(trim(text.substr(0, text.size() - 2)));
    const auto g = plain_number(local_gravity);
    if (!mass) return Result::failure("\"" + text + "\": expected a number before kg");
    if (!g || *g < 9.7 || *g > 9.9)
      return Result::failure("\"" + text +
                             "\": loads in kg need --local-gravity (m/s², 9.7 to 9.9, from the "
                             "site's gravity survey), or enter them in N");
    return {newtons(*mass * *g), {}};
  }
  const auto force = profiles::parse_force(text);
  if (!force) return Result::failure("\"" + text + "\": " + force.error);
  return force;
}

calibration::StableReading read_stable(console::CalibrationLease &table,
                                       const calibration::StabilityCriteria &criteria) {
  return calibration::read_stable(
      table.load_cell(), [&table] { table.wait_one_period(); }, table.period(), criteria);
}

calibration::StabilityCriteria stability_for(double counts_per_newton) {
  calibration::StabilityCriteria c;
  c.counts_per_newton = counts_per_newton;
  return c;
}

// The technician's answer to a prompt: the load typed (Enter = the suggestion), or nullopt
// when the input ended or they typed q.
std::optional<std::string> ask(std::istream &in, std::ostream &out, const std::string &prompt) {
  out << prompt << std::flush;
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  line = trim(line);
  if (line == "q" || line == "quit") return std::nullopt;
  return line;
}

} // namespace

console::LeaseOpen open_calibration_table(const std::string &address, std::uint64_t seed,
                                          const std::vector<std::string> &inject) {
  bindings::SimulatorOptions simulator;
  if (const auto bad = bindings::add_simulator_events(inject, simulator); !bad.empty())
    return {nullptr, "--inject " + bad.front()};
  const bindings::BindingMade made = bindings::make_table_binding(address, seed, simulator);
  if (!made) return {nullptr, made.error};
  console::LeaseOpen opened = made.value->open(console::LeasePurpose::Calibration, seed);
  if (!opened.lease) return {nullptr, "--table " + address + ": " + opened.error};
  if (!(opened.lease->capacity().si() > 0.0) || !(opened.lease->nominal_counts_per_newton() > 0.0))
    return {nullptr,
            "--table " + address + ": the load-cell transmitter of " + opened.lease->description() +
                " reports no usable factory calibration (gain and capacity must be positive; a "
                "map without the transmitter's factory-calibration registers cannot be "
                "calibrated yet)"};
  return opened;
}

namespace {

// The technician's plan as typed, and every problem with it and with the table's hands: all
// found before a weight is hung.
struct PlanRead {
  calibration::CalibrationPlan plan;
  std::vector<std::string> problems; // the plan is usable only when empty
};
PlanRead read_plan(const CalibrateRunOptions &o, console::CalibrationLease &table) {
  PlanRead read;
  calibration::CalibrationPlan &plan = read.plan;
  std::vector<std::string> &problems = read.problems;
  if (auto p = calibration::serial_problem(o.serial); !p.empty()) problems.push_back(p);
  if (auto p = calibration::technician_problem(o.technician); !p.empty()) problems.push_back(p);
  plan.cycles = o.cycles;
  plan.capacity = table.capacity();
  if (const auto span = parse_load(o.min_span, o.local_gravity))
    plan.min_span = *span.value;
  else
    problems.push_back("--min-span " + span.error);
  const std::size_t unreadable_before = problems.size();
  for (std::size_t start = 0; start <= o.loads.size();) {
    const std::size_t comma = std::min(o.loads.find(',', start), o.loads.size());
    if (const auto load = parse_load(o.loads.substr(start, comma - start), o.local_gravity))
      plan.loads.push_back(*load.value);
    else
      problems.push_back("--loads " + load.error);
    start = comma + 1;
  }
  if (problems.size() == unreadable_before) // the plan is judged only when every load was read
    for (auto &p : calibration::check_plan(plan))
      problems.push_back(std::move(p));
  if (o.valid_months < calibration::kMinValidMonths ||
      o.valid_months > calibration::kMaxValidMonths)
    problems.push_back("--valid-months must be 1 to 12 (a calibration is good for a year at most)");
  // Asking the table for hands also takes the simulated cell off the cable, with nothing hung.
  const bool hands = o.interactive || table.hang_reference_load(Force{});
  if (!hands)
    problems.push_back("a scripted calibration needs the simulator's hands; on a real table use "
                       "--interactive and hang the weights yourself");
  return read;
}

// Every step of the procedure: the weight hung (by the simulator's hands, or the technician who
// may type the load actually hung), one stable reading. False when the technician abandoned it
// or, scripted, a step was refused; interactive, a refused step is simply taken again.
bool take_readings(const CalibrateRunOptions &o, console::CalibrationLease &table,
                   calibration::CalibrationProcedure &procedure, std::istream &in,
                   std::ostream &out, std::ostream &err) {
  const std::string me = "tractus calibrate run: ";
  while (!procedure.done()) {
    const calibration::PlannedStep step = procedure.next();
    const std::string where = "step " + std::to_string(procedure.step_number()) + "/" +
                              std::to_string(procedure.step_count()) + " (cycle " +
                              std::to_string(step.cycle) + ", " +
                              calibration::to_string(step.direction) + ")";
    table.hang_reference_load(step.load); // the simulator's hands; a real table: the technician
    Force entered = step.load;
    if (o.interactive) {
      const auto answer = ask(in, out,
                              where + ": place " + calibration::newtons_text(step.load.si()) +
                                  ", then type the load on the cell [" +
                                  calibration::newtons_text(step.load.si()) + "]: ");
      if (!answer) {
        err << me << "calibration abandoned at " << where << "; " << kUnchanged << "\n";
        return false;
      }
      if (!answer->empty()) {
        const auto typed = parse_load(*answer, o.local_gravity);
        if (!typed) {
          err << me << "refused: " << typed.error << "\n";
          continue;
        }
        entered = *typed.value;
      }
    }
    std::string refusal = procedure.check_entered_load(entered);
    if (refusal.empty())
      refusal = procedure.add_reading(
          read_stable(table, stability_for(table.nominal_counts_per_newton())));
    if (!refusal.empty()) {
      err << me << refusal << "\n";
      if (!o.interactive) {
        err << me << kUnchanged << "\n";
        return false;
      }
      continue; // the technician puts it right and takes the step again
    }
    const calibration::CalibrationPoint &p = procedure.points().back();
    out << where << ": " << calibration::newtons_text(p.load.si()) << " -> "
        << text::format_number(p.counts, 1) << " counts (spread "
        << text::format_number(p.sigma_counts, 1) << " counts)\n";
  }
  return true;
}

// An accepted record is installed and in force at once; a failed one is kept as rejected and
// the calibration in force stays.
int keep_record(calibration::CalibrationRecord &record, const std::string &store_dir,
                std::ostream &out, std::ostream &err) {
  const std::string me = "tractus calibrate run: ";
  calibration::CalibrationStore store(store_dir);
  try {
    if (!record.accepted()) {
      const auto kept = store.archive_rejected(record);
      out << calibration::record_summary(record);
      err << me << "calibration failed acceptance (kept as " << kept.string() << "); "
          << "the calibration in force is unchanged\n";
      return kFailed;
    }
    const auto kept = store.install(record);
    out << calibration::record_summary(record);
    out << "Installed " << store.current_path().string() << " (history: " << kept.string()
        << "). It is in force until " << text::utc_date(record.expires_unix) << ".\n";
  } catch (const std::exception &e) {
    err << me << e.what() << "; the calibration in force is unchanged\n";
    return kInternal;
  }
  return kOk;
}

} // namespace

int calibrate_run(const CalibrateRunOptions &o, console::CalibrationLease &table,
                  std::int64_t now_unix, std::istream &in, std::ostream &out, std::ostream &err) {
  const PlanRead read = read_plan(o, table);
  if (!read.problems.empty()) {
    for (const auto &p : read.problems)
      err << "tractus calibrate run: " << p << "\n";
    return kBadInput;
  }
  const calibration::CalibrationPlan &plan = read.plan;
  calibration::CalibrationProcedure procedure(plan, table.nominal_counts_per_newton());
  out << "Calibrating load cell " << o.serial << " on " << table.description() << ", capacity "
      << calibration::newtons_text(plan.capacity.si())
      << ".\nPlan: " << calibration::loads_text(plan.loads) << ", up then down, " << plan.cycles
      << " cycles (" << procedure.step_count()
      << " readings). Each reading waits until the load cell is steady.\n";
  if (!take_readings(o, table, procedure, in, out, err)) return kBadInput;
  table.remove_reference_load();
  calibration::CalibrationRecord record =
      calibration::make_record(o.serial, o.technician, table.description(), now_unix, plan.capacity,
                               procedure.points(), {}, o.valid_months);
  return keep_record(record, o.store, out, err);
}

int calibrate_verify(const CalibrateVerifyOptions &o, console::CalibrationLease &table,
                     std::int64_t now_unix, std::istream &in, std::ostream &out,
                     std::ostream &err) {
  const std::string me = "tractus calibrate verify: ";
  calibration::DailyVerification verification(o.store, now_unix);
  if (!verification.record()) {
    err << me << verification.why_not() << "\n";
    return kBadInput;
  }
  const auto parsed_load = parse_load(o.load, o.local_gravity);
  if (!parsed_load) {
    err << me << "--load " << parsed_load.error << "\n";
    return kBadInput;
  }
  const std::optional<Force> &load = parsed_load.value;
  if (auto p = verification.load_problem(*load); !p.empty()) {
    err << me << p << "\n";
    return kBadInput;
  }
  if (auto p = calibration::technician_problem(o.technician); !p.empty()) {
    err << me << p << "\n";
    return kBadInput;
  }
  const bool hung = table.hang_reference_load(*load);
  if (!hung && !o.interactive) {
    err << me << "on a real table use --interactive and hang the weight yourself\n";
    return kBadInput;
  }
  if (o.interactive && !ask(in, out,
                            "Hang " + calibration::newtons_text(load->si()) +
                                " on the load cell, then press Enter: ")) {
    err << me << "verification abandoned; nothing was logged\n";
    return kBadInput;
  }
  const calibration::StableReading reading = read_stable(table, verification.stability());
  table.remove_reference_load();
  const auto result = verification.conclude(*load, reading, o.technician);
  using Outcome = calibration::DailyVerification::Outcome;
  switch (result.outcome) {
  case Outcome::Unstable: err << me << "refused: " << result.message << "\n"; return kBadInput;
  case Outcome::NotLogged: err << me << result.message << "\n"; return kInternal;
  case Outcome::Passed:
  case Outcome::Failed: break;
  }
  out << "Verification of calibration " << verification.record()->id << ": "
      << calibration::verification_text(result.verification) << "\n";
  if (result.outcome == Outcome::Failed) {
    err << me << result.message << "\n";
    return kFailed;
  }
  return kOk;
}

int calibrate_show(const std::string &store_dir, std::int64_t now_unix, std::ostream &out,
                   std::ostream &err) {
  calibration::CalibrationStore store(store_dir);
  // Show the record even when it is not in force (expired, failed): the details say why.
  if (const calibration::RecordRead read = calibration::read_record_file(store.current_path()))
    out << calibration::record_summary(*read.record);
  const auto in_force = calibration::calibration_in_force(store_dir, now_unix);
  if (const calibration::RecordRead current = store.current(now_unix)) {
    const auto latest = store.latest_verification(current.record->checksum);
    if (latest.verification)
      out << "  last verification " << text::utc_timestamp(latest.verification->time_unix) << " by "
          << latest.verification->technician << ": "
          << calibration::verification_text(*latest.verification) << "\n";
    else
      out << "  not verified yet\n";
    for (const auto &w : latest.warnings)
      out << "  warning: " << w << "\n";
  }
  out << "  history: " << store.history().size() << " record(s) in " << store.history_dir().string()
      << "\n";
  if (!in_force) {
    err << "tractus calibrate show: NOT IN FORCE: " << in_force.error << "\n";
    return kBadInput;
  }
  out << "In force.\n";
  return kOk;
}

// ---- CLI11 wiring ----

CalibrateCommandLine::CalibrateCommandLine(CLI::App &app) {
  calibrate_ =
      app.add_subcommand("calibrate", "Calibrate, verify or show the load-cell calibration");
  calibrate_->require_subcommand(1);
  auto table_options = [](CLI::App *cmd, std::string &table, std::string &store,
                          std::uint64_t &seed, std::vector<std::string> &inject) {
    cmd->add_option("--table", table,
                    "sim (default), sim:PRESET, sim:FILE.json, or the table's Modbus address")
        ->capture_default_str();
    cmd->add_option("--store", store, "Calibration store directory")->capture_default_str();
    cmd->add_option("--seed", seed, "Simulator seed")->capture_default_str();
    cmd->add_option("--inject", inject, "Simulated event KIND@TIME (repeatable)");
  };
  CalibrateRunOptions &r = run_options_;
  run_ = calibrate_->add_subcommand("run", "Calibrate the load cell against reference loads");
  table_options(run_, r.table, r.store, r.seed, r.inject);
  run_->add_option("--serial", r.serial, "Load-cell serial number (from its label)")->required();
  run_->add_option("--technician", r.technician, "Who calibrates (name or staff id)")->required();
  run_->add_option("--loads", r.loads, "Reference loads, ascending from 0")->capture_default_str();
  run_->add_option("--cycles", r.cycles, "Up-and-down cycles (>= 2)")->capture_default_str();
  run_->add_option("--min-span", r.min_span, "Lowest acceptable top load")->capture_default_str();
  run_->add_option("--valid-months", r.valid_months, "Months until expiry")->capture_default_str();
  run_->add_option("--local-gravity", r.local_gravity, "m/s^2, for loads given in kg");
  run_->add_flag("--interactive", r.interactive, "Prompt for each load (real tables)");
  CalibrateVerifyOptions &v = verify_options_;
  verify_ = calibrate_->add_subcommand("verify", "Daily check at one known load");
  table_options(verify_, v.table, v.store, v.seed, v.inject);
  verify_->add_option("--load", v.load, "Reference load")->capture_default_str();
  verify_->add_option("--technician", v.technician, "Who verifies")->capture_default_str();
  verify_->add_option("--local-gravity", v.local_gravity, "m/s^2, for a load given in kg");
  verify_->add_flag("--interactive", v.interactive, "Prompt before reading (real tables)");
  show_ = calibrate_->add_subcommand("show", "Show the calibration in force");
  show_->add_option("--store", show_store_, "Calibration store directory")->capture_default_str();
}

bool CalibrateCommandLine::invoked() const { return calibrate_->parsed(); }

int CalibrateCommandLine::run(std::istream &in, std::ostream &out, std::ostream &err) {
  const std::int64_t now = std::time(nullptr);
  if (*show_) return calibrate_show(show_store_, now, out, err);
  const bool verify = verify_->parsed();
  const std::string &address = verify ? verify_options_.table : run_options_.table;
  const console::LeaseOpen table =
      open_calibration_table(address, verify ? verify_options_.seed : run_options_.seed,
                             verify ? verify_options_.inject : run_options_.inject);
  if (!table.lease) {
    err << "tractus calibrate: " << table.error << "\n";
    return kBadInput;
  }
  if (verify) return calibrate_verify(verify_options_, *table.lease, now, in, out, err);
  return calibrate_run(run_options_, *table.lease, now, in, out, err);
}

std::unique_ptr<CalibrateCommandLine> add_calibrate_command(CLI::App &app) {
  return std::make_unique<CalibrateCommandLine>(app);
}

} // namespace tractus::cli
