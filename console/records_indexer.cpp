#include "console/records_indexer.hpp"

#include "console/journal_records.hpp"
#include "records/sessions.hpp"
#include "records/store.hpp"

#include <spdlog/spdlog.h>

#include <fstream>

namespace tractus::console {
namespace {

// A journal untouched this long without its summary is a session cut short (a live session
// writes ten samples a second, also while it waits in Ready).
constexpr auto kQuietForInterrupted = std::chrono::seconds(60);

// Whether the journal's last line is its summary: the tail is read, not the file.
bool has_summary(const std::filesystem::path &file, std::uintmax_t size) {
  std::ifstream in(file, std::ios::binary);
  constexpr std::uintmax_t kTail = 4096; // a summary line is about 1 KiB
  const std::uintmax_t from = size > kTail ? size - kTail : 0;
  in.seekg(static_cast<std::streamoff>(from));
  std::string tail((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  while (!tail.empty() && tail.back() == '\n')
    tail.pop_back();
  const auto last = tail.rfind('\n');
  return tail.find("\"type\":\"summary\"", last == std::string::npos ? 0 : last) !=
         std::string::npos;
}

} // namespace

RecordsIndexer::RecordsIndexer(records::StoreAddress address, std::filesystem::path journal_dir,
                               std::string table_name, std::chrono::milliseconds every)
    : address_(std::move(address)), journal_dir_(std::move(journal_dir)),
      table_name_(std::move(table_name)), every_(every) {
  thread_ = std::thread([this] { run(); });
}

RecordsIndexer::~RecordsIndexer() {
  {
    const std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void RecordsIndexer::poke() noexcept {
  {
    const std::lock_guard lock(mutex_);
    poked_ = true;
  }
  wake_.notify_all();
}

RecordsIndexer::Status RecordsIndexer::status() const {
  const std::lock_guard lock(mutex_);
  return status_;
}

void RecordsIndexer::run() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    lock.unlock();
    try {
      look();
    } catch (const std::exception &e) {
      spdlog::error("records: indexing the journals failed: {}", e.what());
    }
    lock.lock();
    ++status_.looks;
    wake_.wait_for(lock, every_, [this] { return stop_ || poked_; });
    poked_ = false;
  }
}

void RecordsIndexer::look() {
  std::uint64_t waiting = 0;
  std::string problem;
  try {
    if (!store_) {
      store_ = std::make_unique<records::RecordsStore>(address_, TRACTUS_VERSION);
      // What the store already has of this table, so a restart indexes only what is new.
      indexed_.clear();
      for (const auto &j : records::journals_of_table(*store_, table_name_))
        indexed_[j.session_id] = j.bytes;
    }
    std::error_code ec;
    const auto now = std::filesystem::file_time_type::clock::now();
    for (const auto &item : std::filesystem::directory_iterator(journal_dir_, ec)) {
      if (item.path().extension() != ".jsonl") continue;
      const auto id = item.path().stem().string();
      const auto size = item.file_size(ec);
      if (ec) continue;
      if (const auto it = indexed_.find(id); it != indexed_.end() && it->second == size) continue;
      if (const auto it = refused_.find(id); it != refused_.end() && it->second == size) continue;
      const bool quiet = now - item.last_write_time(ec) > kQuietForInterrupted;
      if (!has_summary(item.path(), size) && !quiet) continue; // still being written
      ++waiting;
      if (index(item.path(), size)) --waiting;
    }
  } catch (const records::StoreError &e) {
    store_.reset(); // opened again at the next look
    problem = e.what();
  }
  const std::lock_guard lock(mutex_);
  status_.waiting = waiting;
  if (problem != status_.store_problem) {
    if (!problem.empty())
      spdlog::warn("records: the store cannot be used, sessions wait in the journal folder: {}",
                   problem);
    else if (!status_.store_problem.empty())
      spdlog::info("records: the store is back; indexing the sessions that waited");
  }
  status_.store_problem = problem;
}

bool RecordsIndexer::index(const std::filesystem::path &file, std::uintmax_t size) {
  records::JournalView view;
  try {
    view = journal_view(file);
  } catch (const std::exception &e) {
    // Perhaps for a moment (EMFILE, EIO): tried again at the next look, said once.
    if (unreadable_said_.insert(file.stem().string()).second)
      spdlog::warn("records: journal {} cannot be read (tried again every look): {}", file.string(),
                   e.what());
    return false;
  }
  try {
    index_journal(*store_, view, table_name_);
  } catch (const records::StoreError &e) {
    if (e.failure() != records::StoreFailure::Invalid) throw;
    spdlog::warn("records: {} not indexed: {}", file.string(), e.what());
    refused_[view.session_id] = size;
    return false;
  }
  for (const auto &p : view.problems)
    spdlog::warn("records: indexed with a damaged line: {}", p);
  indexed_[view.session_id] = size;
  const std::lock_guard lock(mutex_);
  ++status_.indexed;
  return true;
}

} // namespace tractus::console
