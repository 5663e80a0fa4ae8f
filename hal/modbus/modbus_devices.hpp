// The three hal devices over Modbus: one transaction each per control cycle.
//
//   load cell   function 3 of its 4-register span (counts, status, sample counter)
//   drive       function 23: write the command block, read the status block
//   safety I/O  function 3 of its input word
//
// A failed transaction returns the last good value with io != Ok and its age (how long ago the
// request that produced it was sent), never blocks beyond the link's response timeout, never
// retries and never allocates. The devices share their Link's thread rules (modbus_link.hpp).
#pragma once

#include "hal/hal.hpp"
#include "hal/modbus/modbus_link.hpp"
#include "hal/register_map.hpp"

#include <string>

namespace tractus::hal::modbus {

// CLOCK_MONOTONIC, for ages.
Duration monotonic_now() noexcept;

// "no reply within 3 ms", "exception reply 3 (illegal data value)", ... for start-up messages.
std::string describe_failure(IoStatus status, const Link &link);

class ModbusLoadCell final : public LoadCell {
public:
  ModbusLoadCell(Link &link, const regmap::LoadCellMap &map);
  LoadCellSample read() noexcept override;

private:
  Link &link_;
  regmap::LoadCellMap map_;
  regmap::Span span_;
  LoadCellSample last_{};
  Duration last_at_{};
};

class ModbusDrive final : public Drive {
public:
  // `setup_timeout`: the response timeout of configure_watchdog's transactions (start-up).
  ModbusDrive(Link &link, const regmap::DriveMap &map, Duration setup_timeout);
  DriveStatus exchange(const DriveCommand &cmd) noexcept override;
  // Writes the watchdog timeout and the stopping fault action, reads both back, and checks the
  // drive reports the watchdog armed. Empty on success, otherwise what went wrong.
  std::string configure_watchdog(Duration timeout) override;

private:
  Link &link_;
  regmap::DriveMap map_;
  regmap::Span command_span_, status_span_;
  Duration setup_timeout_;
  bool watchdog_configured_ = false;
  DriveStatus last_{};
  Duration last_at_{};
};

class ModbusSafetyIo final : public SafetyIo {
public:
  ModbusSafetyIo(Link &link, const regmap::SafetyIoMap &map);
  SafetyInputs read() noexcept override;

private:
  Link &link_;
  regmap::SafetyIoMap map_;
  SafetyInputs last_{};
  Duration last_at_{};
};

} // namespace tractus::hal::modbus
