#include "console/journal_records.hpp"

#include "controller/journal_reader.hpp"
#include "records/courses.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

namespace tractus::console {

records::JournalView journal_view(const std::filesystem::path &file) {
  auto contents = controller::read_journal(file);
  records::JournalView view;
  view.session_id = file.stem().string();
  view.file = std::filesystem::weakly_canonical(std::filesystem::absolute(file)).string();
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  view.bytes = ec ? 0 : size;
  view.header = std::move(contents.header);
  view.samples = std::move(contents.samples);
  view.events = std::move(contents.events);
  view.summary = std::move(contents.summary);
  view.problems = std::move(contents.problems);
  return view;
}

void index_journal(records::RecordsStore &store, const records::JournalView &journal,
                   const std::string &table_name) {
  const auto entry = records::session_entry(journal, table_name);
  const auto visit = journal.header.find("visit");
  if (visit == journal.header.end() || !visit->is_object() || !visit->contains("visit_id") ||
      !(*visit)["visit_id"].is_number_integer()) {
    records::index_session(store, entry);
    return;
  }
  // Loaded for the visit and unloaded before a start: the visit is still to be run.
  const bool started = entry.outcome != "not started" && entry.outcome != "running";
  const auto visit_id = (*visit)["visit_id"].get<long long>();
  if (records::index_visit_session(store, entry, visit_id, started) ==
      records::VisitTie::OtherSessions)
    // The session stays indexed under the patient; which session the visit is is the clinic's
    // to see (the store keeps both), never a reason to drop one.
    spdlog::warn("records: session {} names visit {}, which is another session's", entry.session_id,
                 visit_id);
}

ImportReport import_journals(records::RecordsStore &store, const std::filesystem::path &dir,
                             const std::string &table_name) {
  ImportReport report;
  std::vector<std::filesystem::path> files;
  for (const auto &item : std::filesystem::directory_iterator(dir)) {
    if (item.path().extension() == ".jsonl") {
      files.push_back(item.path());
    }
  }
  std::sort(files.begin(), files.end());
  std::set<std::string> present;
  for (const auto &file : files) {
    records::JournalView view;
    try {
      view = journal_view(file);
    } catch (const std::exception &e) {
      report.unreadable.push_back(file.string() + ": " + e.what());
      continue;
    }
    present.insert(view.file);
    try {
      index_journal(store, view, table_name);
    } catch (const records::StoreError &e) {
      if (e.failure() != records::StoreFailure::Invalid) {
        throw; // the store failed: the caller reports it; what was indexed stays
      }
      report.unreadable.push_back(std::string(e.what()) +
                                  (view.problems.empty() ? "" : "; " + view.problems.front()));
      continue;
    }
    ++report.indexed;
    report.damaged.insert(report.damaged.end(), view.problems.begin(), view.problems.end());
  }
  auto folder = std::filesystem::weakly_canonical(std::filesystem::absolute(dir));
  if (folder.filename().empty()) {
    folder = folder.parent_path(); // "journals/" names the folder "journals"
  }
  for (const auto &indexed : records::journals_of_table(store, table_name)) {
    const std::filesystem::path path(indexed.file);
    if (path.parent_path() == folder && !present.contains(indexed.file) &&
        !std::filesystem::exists(path)) {
      report.missing.push_back(indexed.session_id + ": indexed from " + indexed.file +
                               ", which is no longer there");
    }
  }
  return report;
}

} // namespace tractus::console
