// `tractus records …`: the clinic's records store from the command line (docs/records.md).
//
//   tractus records status                      the store, its schema version and what it holds
//   tractus records import DIR                  index every journal in DIR
//   tractus records patient add ID --weight W   add a patient (a clinic's id, never a name)
//   tractus records patient list [PART]         patients whose id contains PART
//   tractus records patient show ID             a patient and their sessions
//   tractus records protocol list|import|export the clinic's protocols (records_protocol_command)
//   tractus records limits show|set             the clinic's limits
//
// Every command takes --records ADDRESS (records/store_address.hpp; default
// DATA/records.sqlite) and --data DIR. Exit codes (DESIGN §8): 0 done; 2 bad input or a store
// that cannot be used (a malformed id or weight, an unknown patient; a store unreachable, busy
// or of a newer schema, with nothing changed; a journal that could not be indexed or has
// damaged lines — the others are indexed all the same); 1 internal error.
#pragma once

#include "cli/records_protocol_command.hpp"

#include <iosfwd>
#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace tractus::cli {

struct RecordsOptions {
  std::string records; // --records; empty: DATA/records.sqlite
  std::string data_dir;
  std::string table_name; // import: the table the journals are from; default the host name
  std::string directory;  // import
  std::string patient_id, weight, note, search;
};

class RecordsCommandLine {
public:
  explicit RecordsCommandLine(CLI::App &app);
  [[nodiscard]] bool invoked() const;
  int run(std::ostream &out, std::ostream &err);

private:
  CLI::App *records_ = nullptr;
  CLI::App *status_ = nullptr, *import_ = nullptr, *add_ = nullptr, *list_ = nullptr,
           *show_ = nullptr;
  CLI::App *protocol_list_ = nullptr, *protocol_import_ = nullptr, *protocol_export_ = nullptr,
           *limits_show_ = nullptr, *limits_set_ = nullptr;
  RecordsOptions options_;
  ProtocolOptions protocol_;
};
std::unique_ptr<RecordsCommandLine> add_records_command(CLI::App &app);

} // namespace tractus::cli
