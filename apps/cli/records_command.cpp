#include "cli/records_command.hpp"

#include "cli/run_command.hpp"
#include "console/auth_pins.hpp"
#include "console/journal_records.hpp"
#include "profiles/quantity_text.hpp"
#include "records/patients.hpp"
#include "records/sessions.hpp"
#include "records/store.hpp"
#include "text/host_port.hpp"
#include "text/number_text.hpp"

#include <CLI/CLI.hpp>

#include <ostream>

namespace tractus::cli {
namespace {

std::string optional_number(const std::optional<double> &v, int decimals, const char *unit) {
  return v ? text::format_number(*v, decimals) + unit : std::string("—");
}

int status(records::RecordsStore &store, std::ostream &out) {
  out << "Records store " << store.address().shown << "\n"
      << "  schema version " << store.schema_version() << "\n";
  return kExitCompleted;
}

int import(records::RecordsStore &store, const RecordsOptions &o, std::ostream &out,
           std::ostream &err) {
  std::error_code ec;
  if (!std::filesystem::is_directory(o.directory, ec)) {
    err << "tractus records import: " << o.directory << ": not a folder\n";
    return kExitBadInput;
  }
  const auto table = o.table_name.empty() ? text::this_host_name() : o.table_name;
  const auto report = console::import_journals(store, o.directory, table);
  out << "Indexed " << report.indexed << " journal" << (report.indexed == 1 ? "" : "s") << " of "
      << o.directory << " as table " << table << " in " << store.address().shown << "\n";
  for (const auto &line : report.damaged) {
    err << "damaged line (indexed with it named): " << line << "\n";
  }
  for (const auto &line : report.unreadable) {
    err << "not indexed: " << line << "\n";
  }
  for (const auto &line : report.missing) {
    err << "journal missing: " << line << "\n";
  }
  return report.clean() ? kExitCompleted : kExitBadInput;
}

int patient_add(records::RecordsStore &store, const RecordsOptions &o, std::ostream &out,
                std::ostream &err) {
  const auto mass = profiles::parse_body_mass(o.weight);
  if (!mass) {
    err << "tractus records patient add: --weight " << o.weight << ": " << mass.error << "\n";
    return kExitBadInput;
  }
  records::add_patient(store, {o.patient_id, mass.value->si(), o.note, {}, "cli"});
  out << "Patient " << o.patient_id << " added (" << profiles::format_mass(*mass.value) << ")\n";
  return kExitCompleted;
}

int patient_list(records::RecordsStore &store, const RecordsOptions &o, std::ostream &out) {
  const auto found = records::search_patients(store, o.search, 500);
  for (const auto &p : found) {
    out << p.clinic_id << "  " << text::format_number(p.body_mass_kg, 1) << " kg  since "
        << p.created_utc << "\n";
  }
  if (found.empty()) {
    out << "No patient" << (o.search.empty() ? "" : " whose id contains " + o.search) << "\n";
  }
  return kExitCompleted;
}

int patient_show(records::RecordsStore &store, const RecordsOptions &o, std::ostream &out,
                 std::ostream &err) {
  const auto patient = records::find_patient(store, o.patient_id);
  if (!patient) {
    err << "tractus records patient show: no patient " << o.patient_id << " in "
        << store.address().shown << "\n";
    return kExitBadInput;
  }
  out << "Patient " << patient->clinic_id << ", " << text::format_number(patient->body_mass_kg, 1)
      << " kg, in the records since " << patient->created_utc << "\n";
  const auto sessions = records::sessions_of_patient(store, patient->clinic_id);
  out << sessions.size() << " session" << (sessions.size() == 1 ? "" : "s") << "\n";
  for (const auto &s : sessions) {
    out << "  " << s.started_utc << "  " << s.profile_id << "  " << s.outcome
        << (s.fault_code ? " (" + std::to_string(*s.fault_code) + ")" : "") << "  peak "
        << optional_number(s.peak_force_n, 1, " N") << "  table " << s.table_name
        << (s.simulated ? " (simulator)" : "") << "\n";
  }
  return kExitCompleted;
}

} // namespace

RecordsCommandLine::RecordsCommandLine(CLI::App &app) {
  records_ =
      app.add_subcommand("records", "The clinic's records: patients, sessions, protocols, limits");
  records_->require_subcommand(1);
  records_->fallthrough();
  options_.data_dir = console::kDefaultDataDir;
  records_->add_option("--records", options_.records,
                       "Records store: sqlite:PATH or postgresql://USER@HOST/DB "
                       "(default DATA/records.sqlite)");
  records_->add_option("--data", options_.data_dir, "Data folder")->capture_default_str();
  status_ = records_->add_subcommand("status", "The store, and its schema version");
  import_ = records_->add_subcommand("import", "Index every session journal in a folder");
  import_->add_option("DIR", options_.directory, "Journal folder")->required();
  import_->add_option("--table-name", options_.table_name,
                      "The table the journals are from (default: this computer's name)");
  auto *patient = records_->add_subcommand("patient", "Add, list and show patients");
  patient->require_subcommand(1);
  add_ = patient->add_subcommand("add", "Add a patient");
  add_->add_option("ID", options_.patient_id, "The clinic's id, e.g. P-0042 (never a name)")
      ->required();
  add_->add_option("--weight", options_.weight, "Body weight, e.g. 80kg or 176lb")->required();
  add_->add_option("--note", options_.note, "A note of the clinic's");
  list_ = patient->add_subcommand("list", "Patients, by id");
  list_->add_option("PART", options_.search, "Only ids that contain this");
  show_ = patient->add_subcommand("show", "A patient and their sessions");
  show_->add_option("ID", options_.patient_id, "The clinic's id")->required();

  auto *protocol = records_->add_subcommand("protocol", "The clinic's own protocols");
  protocol->require_subcommand(1);
  protocol_list_ = protocol->add_subcommand("list", "The newest version of each");
  protocol_import_ =
      protocol->add_subcommand("import", "tractus.profile/1 files, each as its next version");
  protocol_import_->add_option("FILE", protocol_.files, "Profile files")->required();
  protocol_import_->add_option("--author", protocol_.author, "Who imports them (kept with them)")
      ->required();
  protocol_export_ = protocol->add_subcommand("export", "One version as a tractus.profile/1 file");
  protocol_export_->add_option("ID", protocol_.id, "The protocol's id")->required();
  protocol_export_
      ->add_option("--version", protocol_.version, "The version (the newest if not given)")
      ->check(CLI::PositiveNumber);
  protocol_export_->add_option("--out", protocol_.out, "Write it to FILE (else to stdout)");
  auto *limits = records_->add_subcommand("limits", "The clinic's limits, for every table");
  limits->require_subcommand(1);
  limits_show_ = limits->add_subcommand("show", "The limits in the store");
  limits_set_ = limits->add_subcommand("set", "Replace them with FILE's (a JSON object)");
  limits_set_->add_option("FILE", protocol_.limits_file, "e.g. {\"max_rate\": \"30 N/s\"}")
      ->required();
  limits_set_->add_option("--author", protocol_.author, "Who sets them (kept with them)")
      ->required();
}

bool RecordsCommandLine::invoked() const { return records_->parsed(); }

int RecordsCommandLine::run(std::ostream &out, std::ostream &err) {
  const auto address = records::parse_store_address(options_.records, options_.data_dir);
  if (!address) {
    err << "tractus records: " << address.error << "\n";
    return kExitBadInput;
  }
  try {
    // Only a command that adds records makes a store that is not there yet.
    const bool adds =
        import_->parsed() || add_->parsed() || protocol_import_->parsed() || limits_set_->parsed();
    records::RecordsStore store(*address.value, TRACTUS_VERSION,
                                adds ? records::StoreOpening::MakeIfMissing
                                     : records::StoreOpening::MustExist);
    if (status_->parsed()) return status(store, out);
    if (import_->parsed()) return import(store, options_, out, err);
    if (add_->parsed()) return patient_add(store, options_, out, err);
    if (list_->parsed()) return patient_list(store, options_, out);
    if (show_->parsed()) return patient_show(store, options_, out, err);
    if (protocol_list_->parsed()) return protocol_list(store, out);
    if (protocol_import_->parsed()) return protocol_import(store, protocol_, out, err);
    if (protocol_export_->parsed()) return protocol_export(store, protocol_, out, err);
    if (limits_show_->parsed()) return limits_show(store, out);
    if (limits_set_->parsed()) return limits_set(store, protocol_, out, err);
  } catch (const records::StoreError &e) {
    err << "tractus records: " << e.what() << " (" << records::failure_name(e.failure()) << ")\n";
    return kExitBadInput;
  }
  return kExitBadInput;
}

std::unique_ptr<RecordsCommandLine> add_records_command(CLI::App &app) {
  return std::make_unique<RecordsCommandLine>(app);
}

} // namespace tractus::cli
