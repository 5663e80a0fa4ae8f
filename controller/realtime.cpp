#include "controller/realtime.hpp"

#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>

namespace tractus::controller {

std::string enable_realtime(int priority) {
  std::string result;
  sched_param param{};
  param.sched_priority = priority;
  if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0)
    result = "SCHED_FIFO " + std::to_string(priority);
  else
    result = "normal priority (SCHED_FIFO not permitted)";
  if (mlockall(MCL_CURRENT | MCL_FUTURE) == 0)
    result += ", memory locked";
  else
    result += ", memory not locked (mlockall not permitted)";
  return result;
}

} // namespace tractus::controller
