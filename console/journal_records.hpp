// Journals into the records store: `tractus records import DIR`, and (docs/records.md) the
// console's indexing of each session it ran.
//
// Each journal is read with controller::read_journal, so every line's checksum is checked: a
// journal with damaged lines is indexed with its problems named, one that cannot be read or has
// no header is reported and not indexed, and a session the store indexed before whose journal
// is gone from the folder is reported as missing. Nothing is dropped silently and nothing in
// the store is deleted.
#pragma once

#include "records/sessions.hpp"
#include "records/store.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace tractus::console {

// The journal as records/ takes it. Throws std::runtime_error if the file cannot be opened.
[[nodiscard]] records::JournalView journal_view(const std::filesystem::path &file);

// Indexes one journal as a session of `table_name` and, when its header names a course visit
// ("visit": {"visit_id": …}) and the session started, ties the visit to it. Throws
// records::StoreError (Invalid: no session journal).
void index_journal(records::RecordsStore &store, const records::JournalView &journal,
                   const std::string &table_name);

struct ImportReport {
  int indexed = 0;                     // journals indexed (or indexed again)
  std::vector<std::string> damaged;    // indexed, with these problems ("FILE:LINE: …")
  std::vector<std::string> unreadable; // not indexed, and why ("FILE: …")
  std::vector<std::string> missing;    // indexed before, journal no longer in the folder
  [[nodiscard]] bool clean() const {
    return damaged.empty() && unreadable.empty() && missing.empty();
  }
};

// Indexes every *.jsonl in `dir` as sessions of `table_name`. Throws records::StoreError when
// the store fails (a journal already indexed stays indexed).
ImportReport import_journals(records::RecordsStore &store, const std::filesystem::path &dir,
                             const std::string &table_name);

} // namespace tractus::console
