// One writer publishes a small plain value; any number of readers copy it, and the writer never
// waits for them (the control loop must never take a lock, DESIGN §5). A reader that overlaps a
// write sees the sequence number change and copies again.
//
// The value lives in relaxed atomic words rather than plain memory, so a torn copy is a retried
// copy and never a data race; the fences order the words against the sequence number (Boehm,
// "Can seqlocks get along with programming language memory models?", 2012).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace tractus::console {

template <class T> class Seqlock {
  static_assert(std::is_trivially_copyable_v<T>, "a seqlock copies its value word by word");

public:
  // Writer side (one thread): never blocks, never allocates.
  void store(const T &value) noexcept {
    std::array<std::uint64_t, kWords> words{};
    std::memcpy(words.data(), static_cast<const void *>(&value), sizeof(T));
    const std::uint64_t s = seq_.load(std::memory_order_relaxed);
    seq_.store(s + 1, std::memory_order_relaxed); // odd: a write is under way
    std::atomic_thread_fence(std::memory_order_release);
    for (std::size_t i = 0; i < kWords; ++i)
      data_[i].store(words[i], std::memory_order_relaxed);
    seq_.store(s + 2, std::memory_order_release);
  }

  // Reader side (any thread). False until the first store.
  bool load(T &out) const noexcept {
    std::array<std::uint64_t, kWords> words{};
    for (;;) {
      const std::uint64_t before = seq_.load(std::memory_order_acquire);
      if (before == 0) return false;
      if ((before & 1U) != 0) continue;
      for (std::size_t i = 0; i < kWords; ++i)
        words[i] = data_[i].load(std::memory_order_relaxed);
      std::atomic_thread_fence(std::memory_order_acquire);
      if (seq_.load(std::memory_order_relaxed) == before) break;
    }
    std::memcpy(static_cast<void *>(&out), words.data(), sizeof(T)); // trivially copyable
    return true;
  }

private:
  static constexpr std::size_t kWords = (sizeof(T) + 7) / 8;
  std::atomic<std::uint64_t> seq_{0};
  std::array<std::atomic<std::uint64_t>, kWords> data_{};
};

} // namespace tractus::console
