#include "hal/modbus/modbus_devices.hpp"

#include "hal/modbus/device_codec.hpp"

#include <cmath>
#include <cstdio>
#include <time.h>

namespace tractus::hal::modbus {

using namespace regmap;

Duration monotonic_now() noexcept {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return seconds(static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9);
}

std::string describe_failure(IoStatus status, const Link &link) {
  char text[160];
  switch (status) {
  case IoStatus::Ok: return "ok";
  case IoStatus::Timeout:
    std::snprintf(text, sizeof text, "no reply within %g ms", link.response_timeout().si() * 1e3);
    return text;
  case IoStatus::Exception: {
    static constexpr const char *kNames[] = {"",
                                             "illegal function",
                                             "illegal data address",
                                             "illegal data value",
                                             "server device failure",
                                             "acknowledge",
                                             "server device busy",
                                             "negative acknowledge",
                                             "memory parity error",
                                             "",
                                             "gateway path unavailable",
                                             "gateway target failed to respond"};
    const int code = link.last_exception();
    std::snprintf(text, sizeof text, "exception reply %d (%s)", code,
                  code > 0 && code <= 11 ? kNames[code] : "unknown");
    return text;
  }
  case IoStatus::BadReply: return std::string("bad reply (") + link.last_error() + ")";
  case IoStatus::Disconnected: return std::string("not connected (") + link.last_error() + ")";
  }
  return "unknown";
}

// ---- load cell ------------------------------------------------------------------------------

ModbusLoadCell::ModbusLoadCell(Link &link, const LoadCellMap &map)
    : link_(link), map_(map), span_(load_cell_span(map)), last_at_(monotonic_now()) {}

LoadCellSample ModbusLoadCell::read() noexcept {
  std::uint16_t regs[kMaxSpan];
  const Duration sent = monotonic_now();
  const IoStatus io = link_.read(map_.unit, span_, regs);
  if (io == IoStatus::Ok) {
    decode_load_cell(map_, regs, last_);
    last_at_ = sent;
  }
  LoadCellSample s = last_;
  s.io = io;
  s.age = monotonic_now() - last_at_;
  return s;
}

// ---- drive -----------------------------------------------------------------------------------

ModbusDrive::ModbusDrive(Link &link, const DriveMap &map, Duration setup_timeout)
    : link_(link), map_(map), command_span_(drive_command_span(map)),
      status_span_(drive_status_span(map)), setup_timeout_(setup_timeout),
      last_at_(monotonic_now()) {}

DriveStatus ModbusDrive::exchange(const DriveCommand &cmd) noexcept {
  std::uint16_t command[4];
  std::uint16_t status[kMaxSpan];
  encode_drive_command(map_, cmd, command);
  const Duration sent = monotonic_now();
  const IoStatus io = link_.write_read(map_.unit, command_span_, command, status_span_, status);
  if (io == IoStatus::Ok) {
    decode_drive_status(map_, status, watchdog_configured_, last_);
    last_at_ = sent;
  }
  DriveStatus s = last_;
  s.io = io;
  s.age = monotonic_now() - last_at_;
  return s;
}

std::string ModbusDrive::configure_watchdog(Duration timeout) {
  char text[200];
  const Field &f = map_.watchdog_timeout;
  const double counts = std::round(timeout.si() / f.scale);
  if (!(counts >= 1)) return "watchdog timeout must be above 0 (0 leaves the watchdog disabled)";
  if (counts > static_cast<double>(max_raw(f.type))) {
    std::snprintf(text, sizeof text, "watchdog timeout %g s is beyond the drive's register range",
                  timeout.si());
    return text;
  }
  const std::string who =
      "the drive (unit " + std::to_string(map_.unit) + " at " + link_.where() + ")";
  if (!link_.connected()) return who + " is not connected";

  // Start-up: a slower answer than the cycle's is acceptable here, a wrong one is not.
  const Duration cycle_timeout = link_.response_timeout();
  link_.set_response_timeout(setup_timeout_);
  struct Restore {
    Link &link;
    Duration t;
    ~Restore() { link.set_response_timeout(t); }
  } restore{link_, cycle_timeout};

  std::uint16_t timeout_regs[2] = {0, 0};
  put_raw(f, static_cast<std::int64_t>(counts), timeout_regs);
  const std::uint16_t action = map_.watchdog_action_value;
  const bool adjacent = map_.watchdog_action_address == f.address + f.words();
  IoStatus io = IoStatus::Ok;
  if (adjacent) { // one function 16: the drive sees timeout and action together
    std::uint16_t block[3] = {timeout_regs[0], timeout_regs[1], 0};
    block[f.words()] = action;
    io = link_.write(map_.unit, {f.address, static_cast<std::uint16_t>(f.words() + 1)}, block);
  } else {
    io = link_.write(map_.unit, {map_.watchdog_action_address, 1}, &action);
    if (io == IoStatus::Ok)
      io = link_.write(map_.unit, {f.address, static_cast<std::uint16_t>(f.words())}, timeout_regs);
  }
  if (io != IoStatus::Ok)
    return who + " refused the watchdog setting: " + describe_failure(io, link_);

  std::uint16_t back[2] = {0, 0};
  std::uint16_t action_back = 0;
  io = link_.read(map_.unit, {f.address, static_cast<std::uint16_t>(f.words())}, back);
  if (io == IoStatus::Ok)
    io = link_.read(map_.unit, {map_.watchdog_action_address, 1}, &action_back);
  if (io != IoStatus::Ok)
    return who + " did not answer the watchdog read-back: " + describe_failure(io, link_);
  const std::int64_t timeout_back = get_raw(f, back);
  if (timeout_back != static_cast<std::int64_t>(counts) || action_back != action) {
    std::snprintf(text, sizeof text,
                  " did not take the watchdog setting: wrote %.0f ms with action %u, read back "
                  "%.0f ms with action %u",
                  counts * f.scale * 1e3, unsigned{action},
                  static_cast<double>(timeout_back) * f.scale * 1e3, unsigned{action_back});
    return who + text;
  }
  if (map_.watchdog_armed_bit) {
    std::uint16_t status[kMaxSpan];
    io = link_.read(map_.unit, status_span_, status);
    if (io != IoStatus::Ok)
      return who + " did not answer its status read: " + describe_failure(io, link_);
    if (!bit(status[map_.statusword_address - status_span_.start], *map_.watchdog_armed_bit))
      return who +
             " took the watchdog setting but does not report the watchdog armed "
             "(statusword bit " +
             std::to_string(*map_.watchdog_armed_bit) + ")";
  }
  watchdog_configured_ = true;
  return {};
}

// ---- safety I/O ------------------------------------------------------------------------------

ModbusSafetyIo::ModbusSafetyIo(Link &link, const SafetyIoMap &map)
    : link_(link), map_(map), last_at_(monotonic_now()) {}

SafetyInputs ModbusSafetyIo::read() noexcept {
  std::uint16_t word = 0;
  const Duration sent = monotonic_now();
  const IoStatus io = link_.read(map_.unit, {map_.inputs_address, 1}, &word);
  if (io == IoStatus::Ok) {
    decode_safety_inputs(map_, word, last_);
    last_at_ = sent;
  }
  SafetyInputs s = last_;
  s.io = io;
  s.age = monotonic_now() - last_at_;
  return s;
}

} // namespace tractus::hal::modbus
