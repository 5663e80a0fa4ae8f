// A global operator new that counts the allocations made on a thread while that thread has
// counting switched on. Each allocation test is an executable of its own that compiles
// counting_allocator.cpp (the replacement must be the only one in the program).
#pragma once

#include <atomic>

namespace tractus::testing {
extern thread_local bool counting;
extern std::atomic<long> allocations;
} // namespace tractus::testing
