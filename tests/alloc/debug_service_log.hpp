// The service log at debug, as `tractus serve --log-level debug` runs it (issue 13), for the
// allocation tests: spdlog's asynchronous logger is the process's default (cli::ServiceLog, a
// rotating file in a folder of the test's own), and a sink of the test's own notes the thread
// each line was logged from. finish() ends the log, which writes out its queue, and says how
// many lines came and whether any came from the loop's thread: none may (DESIGN §5).
#pragma once

#include "cli/service_log.hpp"

#include <spdlog/details/os.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <cstddef>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace tractus::testing {

class DebugServiceLog {
public:
  explicit DebugServiceLog(const std::filesystem::path &dir) {
    auto started = cli::ServiceLog::start("debug", dir);
    if (!started) throw std::runtime_error(started.error);
    log_ = std::move(*started.value);
    spdlog::default_logger()->sinks().push_back(threads_); // before any line is logged
  }

  // Call on the loop's thread (its cycle observer): spdlog's id of it, a cached gettid().
  void note_loop_thread() noexcept { loop_thread_.store(spdlog::details::os::thread_id()); }

  struct Lines {
    std::size_t count = 0;
    std::size_t from_loop = 0;
  };
  Lines finish() {
    log_.reset(); // spdlog::shutdown(): the queue written out, its thread joined
    return threads_->lines(loop_thread_.load());
  }

private:
  class Threads final : public spdlog::sinks::base_sink<std::mutex> {
  public:
    Lines lines(std::size_t loop) {
      std::lock_guard lock(mutex_);
      const auto at = from_.find(loop);
      return {count_, at == from_.end() ? 0 : at->second};
    }

  protected:
    // On spdlog's own thread, which the allocation count never covers.
    void sink_it_(const spdlog::details::log_msg &msg) override {
      ++count_;
      ++from_[msg.thread_id];
    }
    void flush_() override {}

  private:
    std::size_t count_ = 0;
    std::map<std::size_t, std::size_t> from_; // lines per logging thread
  };

  std::unique_ptr<cli::ServiceLog> log_;
  std::shared_ptr<Threads> threads_ = std::make_shared<Threads>();
  std::atomic<std::size_t> loop_thread_{0};
};

} // namespace tractus::testing
