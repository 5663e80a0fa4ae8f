#include "controller/realtime.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>

namespace tractus::controller {

std::string lock_memory() {
  if (mlockall(MCL_CURRENT | MCL_FUTURE) == 0) return "memory locked";
  return "memory not locked (mlockall not permitted)";
}

std::string realtime_thread(int priority) {
  sched_param param{};
  param.sched_priority = priority;
  if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0)
    return "SCHED_FIFO " + std::to_string(priority);
  return "normal priority (SCHED_FIFO not permitted)";
}

std::string enable_realtime(int priority) {
  // The scheduling first, as before the split: the lock then runs at the priority asked for.
  std::string result = realtime_thread(priority);
  return result + ", " + lock_memory();
}

} // namespace tractus::controller
