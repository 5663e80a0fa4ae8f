// Keeps the records store's session index up to date with this table's journal folder, on a
// thread of its own (docs/records.md "The console indexes its sessions").
//
// It looks at the folder when a session ends (poke()) and every few seconds, and indexes each
// journal that is finished — its summary written, or nothing written for a minute (a session
// cut short by a crash: indexed as interrupted) — and not yet indexed at its present size. A
// journal written for a course visit names the visit in its header; once its session has
// started, the visit is tied to it in the store. While the store cannot be used nothing is
// lost: the journals stay in the folder and are indexed when it returns, also after a restart
// (the first look after opening the store compares the whole folder with the store).
//
// The loop never waits for it: it reads finished files and talks to the store, nothing else.
#pragma once

#include "records/store_address.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

namespace tractus::records {
class RecordsStore;
}

namespace tractus::console {

class RecordsIndexer {
public:
  RecordsIndexer(records::StoreAddress address, std::filesystem::path journal_dir,
                 std::string table_name, std::chrono::milliseconds every = std::chrono::seconds(5));
  ~RecordsIndexer();
  RecordsIndexer(const RecordsIndexer &) = delete;
  RecordsIndexer &operator=(const RecordsIndexer &) = delete;

  // Look at the folder now (a session has ended). Never blocks.
  void poke() noexcept;

  struct Status {
    std::uint64_t indexed = 0; // journals indexed since the start
    std::uint64_t waiting = 0; // finished journals not yet indexed at the last look
    std::string store_problem; // why the store could not be used at the last look, or empty
    std::uint64_t looks = 0;   // looks at the folder completed
  };
  [[nodiscard]] Status status() const;

private:
  void run();
  void look(); // one look at the folder; indexer thread only
  bool index(const std::filesystem::path &file, std::uintmax_t size);

  records::StoreAddress address_;
  std::filesystem::path journal_dir_;
  std::string table_name_;
  std::chrono::milliseconds every_;

  // Indexer thread only.
  std::unique_ptr<records::RecordsStore> store_;
  std::map<std::string, std::uintmax_t> indexed_; // session id → size indexed at
  std::map<std::string, std::uintmax_t> refused_; // not a journal at this size: not retried
  std::set<std::string> unreadable_said_;         // warned of once each

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool poked_ = false;
  bool stop_ = false;
  Status status_;
  std::thread thread_;
};

} // namespace tractus::console
