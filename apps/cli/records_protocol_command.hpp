// `tractus records protocol …` and `tractus records limits …`: the clinic's protocols and limits
// in the records store from the command line (docs/records.md), for the technician who brings a
// clinic's protocol files to its tables or keeps a copy of them.
//
//   tractus records protocol list                          the newest version of each
//   tractus records protocol import FILE… --author A      each file as the next version
//   tractus records protocol export ID [--version N] [--out FILE]
//   tractus records limits show
//   tractus records limits set FILE --author A            a JSON object of the members lowered
//
// Exit codes as `tractus records`: 0 done; 2 a file refused (every problem named, nothing of it
// saved; the other files are saved), an unknown protocol, or a store that cannot be used.
#pragma once

#include "profiles/limits.hpp"
#include "profiles/profile.hpp"
#include "records/store.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace tractus::cli {

struct ProtocolOptions {
  std::vector<std::string> files; // import
  std::string author;             // import, limits set
  std::string id;                 // export
  std::optional<int> version;     // export: the newest when not given
  std::string out;                // export: a file (0600); stdout when empty
  std::string limits_file;        // limits set
};

int protocol_list(records::RecordsStore &store, std::ostream &out);
int protocol_import(records::RecordsStore &store, const ProtocolOptions &o, std::ostream &out,
                    std::ostream &err);
int protocol_export(records::RecordsStore &store, const ProtocolOptions &o, std::ostream &out,
                    std::ostream &err);
int limits_show(records::RecordsStore &store, std::ostream &out);
int limits_set(records::RecordsStore &store, const ProtocolOptions &o, std::ostream &out,
               std::ostream &err);

// `tractus run --records ADDRESS`: the limits a session must keep (the machine's, tightened by
// the clinic's in the store) and, when `profile_id` names no stock protocol, the clinic's
// protocol of that id. Every problem is in `problems` (a store that cannot be read, a protocol
// that does not read under the limits); the session is then not run.
struct ClinicForRun {
  profiles::Limits limits = profiles::kDefaultLimits;
  std::optional<profiles::Profile> protocol;
  std::vector<std::string> problems;
};
ClinicForRun clinic_for_run(const std::string &records, const std::string &profile_id);

} // namespace tractus::cli
