// `tractus report`: a session's or a course's report (docs/reports.md), as PDF, CSV or PNG, and a
// session as a FHIR R4 bundle (docs/reports.md "FHIR").
//
//   tractus report SESSION_ID [--pdf FILE] [--csv FILE] [--png FILE] [--fhir FILE]   from the store
//   tractus report JOURNAL.jsonl [--pdf FILE] … [--fhir FILE]            from a journal file alone
//   tractus report --patient ID [--course N] [--pdf FILE] …              a course (default: the
//                                                                        patient's newest; no FHIR)
//
// With --records ADDRESS and --data DIR as `tractus records`. Exit codes (DESIGN §8): 0 written;
// 2 bad input (no output asked for, --fhir for a course, no such session, patient or course, a
// journal that is no session's, a store that cannot be used, a file that cannot be written);
// 1 internal error.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace tractus::cli {

struct ReportOptions {
  std::string session; // a session id or a journal file
  std::string patient;
  long long course = 0; // 0: the patient's newest course
  std::string pdf, csv, png;
  std::string fhir; // a session's FHIR R4 bundle (JSON)
  std::string records, data_dir;
};

int report(const ReportOptions &options, std::ostream &out, std::ostream &err);

class ReportCommandLine {
public:
  explicit ReportCommandLine(CLI::App &app);
  [[nodiscard]] bool invoked() const;
  int run(std::ostream &out, std::ostream &err) { return report(options_, out, err); }

private:
  CLI::App *report_ = nullptr;
  ReportOptions options_;
};
std::unique_ptr<ReportCommandLine> add_report_command(CLI::App &app);

} // namespace tractus::cli
