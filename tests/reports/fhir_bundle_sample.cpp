// fhir_bundle_sample DIR: writes the FHIR bundles of fhir_fixtures.hpp's sessions into DIR, for
// tests/fhir to validate with the npm validators. A course visit with its pain scores cannot be
// made from the command line (the console records them), so these come from code:
//
//   visit.fhir.json    a completed simulated session, course visit 4, pain 6 before and 3 after
//   fault.fhir.json    a session ended by fault 301 on a real table, only the pain before
//   damaged.fhir.json  a crash-cut journal: no patient, no summary, a start that is no time
#include "fhir_fixtures.hpp"

#include "records/report/fhir_bundle.hpp"

#include <filesystem>
#include <fstream>
#include <iostream>

int main(int argc, char **argv) {
  using namespace tractus::records::report;
  using namespace tractus::records::report::fixtures;
  if (argc != 2) {
    std::cerr << "usage: fhir_bundle_sample DIR\n";
    return 2;
  }
  const std::filesystem::path dir = argv[1];
  std::filesystem::create_directories(dir);
  SessionVisit before_only = visit_fixture();
  before_only.pain_after.reset();
  const std::pair<const char *, std::string> bundles[] = {
      {"visit.fhir.json",
       session_fhir_bundle(session_entry_fixture(), visit_fixture(), stamp(), clinic_namespaces())},
      {"fault.fhir.json",
       session_fhir_bundle(fault_entry(), before_only, stamp(), clinic_namespaces())},
      {"damaged.fhir.json",
       session_fhir_bundle(damaged_entry(), std::nullopt, stamp(), clinic_namespaces())}};
  for (const auto &[name, text] : bundles) {
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    if (!(out << text) || !out.flush()) {
      std::cerr << "fhir_bundle_sample: " << (dir / name).string() << ": cannot be written\n";
      return 1;
    }
  }
  return 0;
}
