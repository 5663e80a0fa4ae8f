// The simulated table behind the register map (hal/register_map.hpp): tractus-sim's devices.
//
// Owns a SimTable (plant, drive model with its watchdog, safety inputs, injections) whose
// virtual clock the server moves in step with a steady wall clock, and turns register reads and
// writes into what the devices do:
//   unit 1  load-cell transmitter: counts, status, sample counter; identification; factory
//           calibration (offset, gain, capacity of the simulated transmitter)
//   unit 2  drive: a write of the command block is one command to the drive model (the only
//           thing that feeds its watchdog: a tool that merely reads status must never keep a
//           dead controller's drive alive); the watchdog registers arm the drive's watchdog
//   unit 3  safety I/O input word
//   unit 247 (simulator only) diagnostics, fault triggers and the calibration's reference
//           weight, see regmap::sim_control
// The simulated patient tests the hand switch 500 ms after each arming of the watchdog (the
// controller's start-up), pressing it for 2 s as `tractus run --table sim` does; `--inject`
// events count from the first arming.
#pragma once

#include "hal/register_map.hpp"
#include "sim/injection.hpp"
#include "sim/patient_preset.hpp"
#include "sim/server/modbus_pdu.hpp"
#include "sim/sim_table.hpp"

#include <array>
#include <cstdint>
#include <vector>

namespace tractus::sim::server {

// How the wire treats the replies of one device (the triggers of regmap::sim_control).
struct WireFault {
  Micros delay = 0;           // hold every reply this long
  bool drop = false;          // send nothing
  std::uint8_t exception = 0; // answer with this exception code instead
  bool corrupt = false;       // damage the frame (RTU: CRC; TCP: byte count)
};

class TableRegisters final : public RegisterSpace {
public:
  static constexpr Micros kPressTestDelay = 500'000;

  // `config`: the patient on the table (plant_config(preset) or calm_plant_config(preset)).
  TableRegisters(const PlantConfig &config, std::uint64_t seed,
                 std::vector<Injection> after_arming);

  // Steps the plant (1 ms steps) up to simulated time t.
  void advance_to(Micros t) noexcept;
  [[nodiscard]] Micros now() const noexcept;

  [[nodiscard]] bool serves(std::uint8_t unit) const noexcept;
  [[nodiscard]] WireFault wire_fault(std::uint8_t unit) const noexcept;
  void set_clients(int n) noexcept { clients_ = n; }

  Access read(std::uint8_t unit, std::uint16_t address, std::uint16_t count,
              std::uint16_t *out) override;
  Access write(std::uint8_t unit, std::uint16_t address, std::uint16_t count,
               const std::uint16_t *values) override;

  SimTable &sim() noexcept { return sim_; }
  [[nodiscard]] std::uint64_t requests() const noexcept { return requests_; }

private:
  static constexpr std::uint16_t kImageSize = hal::regmap::sim_control::kEventsEnd;
  using Image = std::array<std::uint16_t, kImageSize>;
  using Mapped = std::array<bool, kImageSize>;

  [[nodiscard]] bool silent(std::uint8_t unit) noexcept;
  void image(std::uint8_t unit, Image &img, Mapped &mapped);
  Access write_drive(std::uint16_t address, std::uint16_t count, const std::uint16_t *values);
  Access write_control(std::uint16_t address, std::uint16_t count, const std::uint16_t *values);
  Access arm_watchdog(std::uint16_t timeout_ms, std::uint16_t action);
  void track_torque() noexcept;

  SimTable sim_;
  std::vector<Injection> after_arming_;
  bool armed_once_ = false;
  // Drive registers as last written.
  std::array<std::uint16_t, 3> command_{hal::regmap::cia402::kShutdown, 0, 0};
  std::uint16_t watchdog_ms_ = 0;
  std::uint16_t watchdog_action_ = hal::regmap::watchdog_action::kWarnOnly;
  // Simulator-only unit.
  std::array<WireFault, 3> wire_{};
  std::array<std::uint16_t, 7> events_{}; // 130–136 as last written
  Micros last_command_ = -1;
  Micros torque_off_ = -1;
  bool was_enabled_ = false;
  int clients_ = 0;
  std::uint64_t requests_ = 0;
};

} // namespace tractus::sim::server
