#include "counting_allocator.hpp"

#include <cstdlib>
#include <new>

// GCC cannot see that the replaced operator delete below pairs malloc with free on purpose.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace tractus::testing {
thread_local bool counting = false;
std::atomic<long> allocations{0};
} // namespace tractus::testing

void *operator new(std::size_t n) {
  if (tractus::testing::counting) tractus::testing::allocations.fetch_add(1);
  if (void *p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void *operator new[](std::size_t n) { return operator new(n); }
void operator delete(void *p) noexcept { std::free(p); }
void operator delete[](void *p) noexcept { std::free(p); }
void operator delete(void *p, std::size_t) noexcept { std::free(p); }
void operator delete[](void *p, std::size_t) noexcept { std::free(p); }
