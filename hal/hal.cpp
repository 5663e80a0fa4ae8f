#include "hal/hal.hpp"

namespace tractus::hal {

const char *to_string(IoStatus s) {
  switch (s) {
  case IoStatus::Ok: return "ok";
  case IoStatus::Timeout: return "timeout";
  case IoStatus::Exception: return "exception reply";
  case IoStatus::BadReply: return "bad reply";
  case IoStatus::Disconnected: return "disconnected";
  }
  return "unknown";
}

} // namespace tractus::hal
