// tractus: the table controller's command line (DESIGN §8). Parses arguments, hands them to
// the command that does the work, and maps the result to the documented exit code.
#include "cli/calibrate_command.hpp"
#include "cli/config_command.hpp"
#include "cli/doctor_command.hpp"
#include "cli/pin_command.hpp"
#include "cli/profile_command.hpp"
#include "cli/records_command.hpp"
#include "cli/report_command.hpp"
#include "cli/run_command.hpp"
#include "cli/serve_command.hpp"
#include "cli/service_log.hpp"
#include "profiles/quantity_text.hpp"

#include <CLI/CLI.hpp>

#include <exception>
#include <iostream>
#include <string>
#include <vector>

namespace {

// A word where a command belongs that names none ("tractus bogus", "tractus records lst"), or
// no word at all: CLI11 would only say "A subcommand is required". Names the word, if any, and
// the commands there are.
bool explain_unknown_command(CLI::App &app) {
  CLI::App *at = &app;
  for (;;) {
    const auto parsed = at->get_subcommands();
    if (parsed.empty()) break;
    at = parsed.front();
  }
  if (at->get_require_subcommand_min() == 0 || !at->get_subcommands().empty()) return false;
  // A subcommand that falls through (records) leaves the word with its parent.
  std::vector<std::string> left;
  for (CLI::App *a = at; a != nullptr && left.empty(); a = a->get_parent())
    left = a->remaining();
  if (!left.empty() && left.front().starts_with('-')) return false;
  std::string path = app.get_name();
  for (CLI::App *a = at; a != &app; a = a->get_parent())
    path.insert(app.get_name().size(), " " + a->get_name());
  if (left.empty())
    std::cerr << path << ": a command is needed; the commands are:";
  else
    std::cerr << path << ": unknown command \"" << left.front() << "\"; the commands are:";
  const char *sep = " ";
  for (const CLI::App *sub : at->get_subcommands([](const CLI::App *) { return true; })) {
    std::cerr << sep << sub->get_name();
    sep = ", ";
  }
  std::cerr << "\nRun " << path << " --help for what each does.\n";
  return true;
}

// An option given as "" (a variable that was never set, `--journal "$DIR"`) names no file, folder
// or value: refused by name, never read as "not given" (an empty --records would quietly keep
// no records) nor as the current folder.
bool refuse_empty_values(const CLI::App &app, const std::string &path) {
  for (const CLI::Option *opt : app.get_options()) {
    for (const std::string &value : opt->results()) {
      if (!value.empty()) continue;
      std::cerr << path << ": " << opt->get_name() << " is empty: give it a value, or leave it out"
                << "\n";
      return true;
    }
  }
  for (const CLI::App *sub : app.get_subcommands())
    if (refuse_empty_values(*sub, path + " " + sub->get_name())) return true;
  return false;
}

int run(int argc, char **argv) {
  using namespace tractus;
  cli::log_nowhere(); // only `serve` keeps a service log; nothing reaches a command's stdout
  CLI::App app{"tractus — spinal-decompression traction table controller", "tractus"};
  app.require_subcommand(1);
  app.set_version_flag("--version", TRACTUS_VERSION);

  cli::RunOptions run;
  auto *run_cmd = app.add_subcommand("run", "Run one treatment session");
  run_cmd->add_option("--profile", run.profile, "Stock protocol id or a profile file")->required();
  run_cmd->add_option("--weight", run.weight, "Patient body weight, e.g. 80kg or 176lb")
      ->required();
  run_cmd
      ->add_option("--table", run.table,
                   "sim (default), sim:PRESET or sim:FILE.json (a simulated patient), "
                   "modbus-tcp://HOST:PORT, modbus-rtu:///dev/ttyX")
      ->capture_default_str();
  run_cmd->add_option("--patient", run.patient, "Pseudonymous patient id (never a name)");
  run_cmd->add_flag("--realtime", run.realtime,
                    "Run at wall-clock speed (the simulator runs "
                    "at full speed otherwise)");
  run_cmd->add_option("--journal", run.journal_dir, "Folder for the session journal")
      ->capture_default_str();
  run_cmd->add_option("--seed", run.seed, "Simulator seed")->capture_default_str();
  run_cmd->add_option("--inject", run.inject,
                      "Simulated event KIND@TIME, e.g. patient-switch@300s (repeatable)");
  run_cmd->add_option("--screening", run.screening,
                      "Completed screening checklist (JSON, docs/screening.md): required on a "
                      "real table, checked when given on the simulator");
  run_cmd->add_option("--store", run.store, "Calibration store (a real table's load cell)")
      ->capture_default_str();
  run_cmd->add_option("--records", run.records,
                      "The clinic's records store (sqlite:PATH or postgresql://…): its limits "
                      "apply, and its protocols run by id");
  run_cmd
      ->add_option("--controller", run.controller,
                   "Force controller: adaptive (tractus's own loop) or baseline (a textbook PID "
                   "with fixed gains, to compare against)")
      ->capture_default_str();

  auto *profile_cmd = app.add_subcommand("profile", "List, show and validate protocols");
  profile_cmd->require_subcommand(1);
  profile_cmd->add_subcommand("list", "List the stock protocols");
  std::string show_id;
  std::string show_weight;
  auto *show = profile_cmd->add_subcommand("show", "Show a protocol (and its force curve)");
  show->add_option("ID", show_id, "Stock protocol id or a profile file")->required();
  show->add_option("--weight", show_weight, "Resolve the forces for this body weight");
  std::vector<std::string> files;
  auto *validate = profile_cmd->add_subcommand("validate", "Check profile files");
  validate->add_option("FILE", files, "Profile files")->required();
  auto calibrate = cli::add_calibrate_command(app);
  auto serve = cli::add_serve_command(app);
  auto pin = cli::add_pin_command(app);
  auto config = cli::add_config_command(app);
  auto doctor = cli::add_doctor_command(app);
  auto records = cli::add_records_command(app);
  auto report = cli::add_report_command(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    if (dynamic_cast<const CLI::RequiredError *>(&e) != nullptr && explain_unknown_command(app))
      return cli::kExitBadInput;
    const int code = app.exit(e);
    return code == 0 ? 0 : cli::kExitBadInput;
  }
  if (refuse_empty_values(app, app.get_name())) return cli::kExitBadInput;

  if (*run_cmd) return cli::run_session(run, std::cout, std::cerr);
  if (profile_cmd->got_subcommand("list")) return cli::profile_list(std::cout);
  if (*show) {
    std::optional<Mass> mass;
    if (!show_weight.empty()) {
      const auto parsed = profiles::parse_body_mass(show_weight);
      if (!parsed) {
        std::cerr << "tractus profile show: --weight " << show_weight << ": " << parsed.error
                  << "\n";
        return cli::kExitBadInput;
      }
      mass = *parsed.value;
    }
    return cli::profile_show(show_id, mass, std::cout, std::cerr);
  }
  if (*validate) return cli::profile_validate(files, std::cout, std::cerr);
  if (calibrate->invoked()) return calibrate->run(std::cin, std::cout, std::cerr);
  if (serve->invoked()) return serve->run(std::cout, std::cerr);
  if (pin->invoked()) return pin->run(std::cin, std::cout, std::cerr);
  if (config->invoked()) return config->run(std::cout, std::cerr);
  if (doctor->invoked()) return doctor->run(std::cout, std::cerr);
  if (records->invoked()) return records->run(std::cout, std::cerr);
  if (report->invoked()) return report->run(std::cout, std::cerr);
  return cli::kExitBadInput;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception &e) {
    std::cerr << "tractus: internal error: " << e.what() << "\n";
    return tractus::cli::kExitInternal;
  }
}
