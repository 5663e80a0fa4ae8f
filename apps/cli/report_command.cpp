#include "cli/report_command.hpp"

#include "cli/run_command.hpp"
#include "console/auth_pins.hpp"
#include "console/journal_records.hpp"
#include "records/clinic_identity.hpp"
#include "records/courses.hpp"
#include "records/report/course_report.hpp"
#include "records/report/fhir_bundle.hpp"
#include "records/report/session_report.hpp"
#include "records/sessions.hpp"
#include "records/store.hpp"
#include "records/utc_now.hpp"

#include <CLI/CLI.hpp>

#include <fstream>
#include <functional>
#include <ostream>

namespace tractus::cli {
namespace {

constexpr const char *kMe = "tractus report: ";

// The outputs asked for, each drawn only when asked (a course has no FHIR bundle: refused first).
struct Outputs {
  std::function<std::string()> pdf, csv, png, fhir;
};

int write_outputs(const ReportOptions &o, const Outputs &draw, std::ostream &out,
                  std::ostream &err) {
  const std::pair<const std::string *, const std::function<std::string()> *> wanted[] = {
      {&o.pdf, &draw.pdf}, {&o.csv, &draw.csv}, {&o.png, &draw.png}, {&o.fhir, &draw.fhir}};
  for (const auto &[file, make] : wanted) {
    if (file->empty()) continue;
    const std::string bytes = (*make)();
    std::ofstream f(*file, std::ios::binary | std::ios::trunc);
    // A patient's record, as the journals and the store (0600), whatever the umask.
    std::error_code ec;
    std::filesystem::permissions(
        *file, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ec);
    if (!f || ec || !f.write(bytes.data(), static_cast<std::streamsize>(bytes.size())) ||
        !f.flush()) {
      err << kMe << *file << ": cannot be written\n";
      return kExitBadInput;
    }
    out << "Wrote " << *file << " (" << bytes.size() << " bytes)\n";
  }
  return kExitCompleted;
}

records::report::ReportStamp stamp() { return {TRACTUS_VERSION, records::utc_now()}; }

// The table's address as its journal's header names it ("table" when it does not).
std::string table_address(const nlohmann::json &header) {
  if (!header.is_object()) return "table";
  const auto table = header.find("table");
  if (table == header.end() || !table->is_object()) return "table";
  const auto address = table->find("address");
  return address != table->end() && address->is_string() ? address->get<std::string>() : "table";
}

// A journal file's report. `namespaces`: the clinic's FHIR identifier systems, read from its
// records store when --fhir is asked (a bundle names the patient within the clinic).
int from_journal(const ReportOptions &o,
                 const std::optional<records::report::FhirNamespaces> &namespaces,
                 std::ostream &out, std::ostream &err) {
  records::JournalView view;
  records::SessionEntry entry;
  try {
    view = console::journal_view(o.session);
    // A file that is not a session's journal (no header, or a header of the wrong shape) is
    // bad input, named with the lines that could not be read: never an internal error.
    entry = records::session_entry(view, table_address(view.header));
  } catch (const std::exception &e) {
    err << kMe << e.what() << "\n";
    for (const auto &p : view.problems)
      err << kMe << "damaged line: " << p << "\n";
    return kExitBadInput;
  }
  for (const auto &p : view.problems)
    err << kMe << "damaged line (the report says what the rest of the journal holds): " << p
        << "\n";
  const auto s = stamp();
  return write_outputs(
      o,
      {[&] { return records::report::session_report_pdf(entry, std::nullopt, s); },
       [&] { return records::report::session_report_csv(entry); },
       [&] { return records::report::session_report_png(entry, std::nullopt, s); },
       [&] { return records::report::session_fhir_bundle(entry, std::nullopt, s, *namespaces); }},
      out, err);
}

int from_store(const ReportOptions &o, records::RecordsStore &store, std::ostream &out,
               std::ostream &err) {
  const auto s = stamp();
  if (!o.session.empty()) {
    const auto entry = records::find_session(store, o.session);
    if (!entry) {
      err << kMe << "no session " << o.session << " in " << store.address().shown
          << " (a journal file is read as such: give its path)\n";
      return kExitBadInput;
    }
    std::optional<records::report::SessionVisit> visit;
    if (const auto v = records::visit_of_session(store, o.session))
      visit = records::report::session_visit(*v);
    return write_outputs(o,
                         {[&] { return records::report::session_report_pdf(*entry, visit, s); },
                          [&] { return records::report::session_report_csv(*entry); },
                          [&] { return records::report::session_report_png(*entry, visit, s); },
                          [&] {
                            return records::report::session_fhir_bundle(
                                *entry, visit, s,
                                records::report::fhir_namespaces(records::clinic_uuid(store)));
                          }},
                         out, err);
  }
  const auto courses = records::courses_of_patient(store, o.patient);
  const records::Course *chosen = nullptr;
  for (const auto &c : courses)
    if (o.course == 0 ? chosen == nullptr : c.id == o.course) chosen = &c;
  if (chosen == nullptr) {
    err << kMe << "patient " << o.patient << " has "
        << (o.course == 0 ? "no course" : "no course " + std::to_string(o.course)) << " in "
        << store.address().shown << "\n";
    return kExitBadInput;
  }
  records::report::CourseRecords data{*chosen, records::visits_of_course(store, chosen->id), {}};
  for (auto &e : records::sessions_of_patient(store, o.patient))
    data.sessions.emplace(e.session_id, std::move(e));
  return write_outputs(o,
                       {[&] { return records::report::course_report_pdf(data, s); },
                        [&] { return records::report::course_report_csv(data); },
                        [&] { return records::report::course_report_png(data, s); },
                        {}}, // no FHIR bundle of a course: refused in report()
                       out, err);
}

} // namespace

int report(const ReportOptions &o, std::ostream &out, std::ostream &err) {
  if (o.pdf.empty() && o.csv.empty() && o.png.empty() && o.fhir.empty()) {
    err << kMe
        << "say where the report goes: --pdf FILE, --csv FILE, --png FILE and/or --fhir FILE\n";
    return kExitBadInput;
  }
  if (o.session.empty() == o.patient.empty()) {
    err << kMe << "give a session (its id or journal file) or --patient ID, not both\n";
    return kExitBadInput;
  }
  if (!o.fhir.empty() && !o.patient.empty()) {
    err << kMe << "--fhir exports one session (give its id or journal file), not a course: "
        << "drop --patient\n";
    return kExitBadInput;
  }
  std::error_code ec;
  const bool journal = !o.session.empty() && std::filesystem::is_regular_file(o.session, ec);
  // A session id never holds a '/' nor ends in .jsonl: such a SESSION that is no file is a
  // journal file mistyped or gone, and is named as one rather than looked up in the store.
  if (!journal && (o.session.find('/') != std::string::npos ||
                   std::filesystem::path(o.session).extension() == ".jsonl")) {
    err << kMe << "journal " << o.session << ": "
        << (std::filesystem::exists(o.session, ec) ? "not a file" : "no such file") << "\n";
    return kExitBadInput;
  }
  // A journal file alone needs no store, unless --fhir: the bundle's identifier systems are the
  // clinic's, kept in its store (docs/reports.md "FHIR").
  if (journal && o.fhir.empty()) return from_journal(o, std::nullopt, out, err);
  const auto address = records::parse_store_address(
      o.records, o.data_dir.empty() ? std::string(console::kDefaultDataDir) : o.data_dir);
  if (!address) {
    err << kMe << address.error << "\n";
    return kExitBadInput;
  }
  try {
    // A report only reads: a store that is not there is said to be missing, never made (a
    // new one would give the clinic a new identity in --fhir).
    records::RecordsStore store(*address.value, TRACTUS_VERSION, records::StoreOpening::MustExist);
    if (journal)
      return from_journal(o, records::report::fhir_namespaces(records::clinic_uuid(store)), out,
                          err);
    return from_store(o, store, out, err);
  } catch (const records::StoreError &e) {
    err << kMe;
    if (journal)
      err << "--fhir names the patient within the clinic, whose identity is kept in its "
          << "records store (--records, --data): ";
    err << e.what() << " (" << records::failure_name(e.failure()) << ")\n";
    return kExitBadInput;
  }
}

ReportCommandLine::ReportCommandLine(CLI::App &app) {
  report_ = app.add_subcommand(
      "report", "A session's or a course's report: PDF, CSV or PNG; a session as FHIR R4 JSON");
  report_->add_option("SESSION", options_.session,
                      "A session id in the records, or a journal file (SESSION.jsonl)");
  report_->add_option("--patient", options_.patient, "A course's report for this patient");
  report_->add_option("--course", options_.course,
                      "Which of the patient's courses (default: newest)");
  report_->add_option("--pdf", options_.pdf, "Write the report as PDF to FILE");
  report_->add_option("--csv", options_.csv, "Write its data as CSV to FILE");
  report_->add_option("--png", options_.png, "Write the report as PNG to FILE");
  report_->add_option("--fhir", options_.fhir,
                      "Write the session as a FHIR R4 bundle (JSON) to FILE (a session only)");
  report_->add_option("--records", options_.records,
                      "Records store: sqlite:PATH or postgresql://USER@HOST/DB (default "
                      "DATA/records.sqlite)");
  options_.data_dir = console::kDefaultDataDir;
  report_->add_option("--data", options_.data_dir, "Data folder")->capture_default_str();
}

bool ReportCommandLine::invoked() const { return report_->parsed(); }

std::unique_ptr<ReportCommandLine> add_report_command(CLI::App &app) {
  return std::make_unique<ReportCommandLine>(app);
}

} // namespace tractus::cli
