// `tractus calibrate … --table modbus-tcp://…|modbus-rtu://…`: the calibration's view of a table
// on Modbus (docs/calibration.md, "Calibrating over Modbus").
//
// The load cell is the hal/modbus transmitter, read once per loop period (1 ms over TCP, 10 ms
// over RTU) on a steady-clock schedule. Capacity and nominal sensitivity come from the
// transmitter's factory-calibration registers. The drive is never touched: it stays disabled
// (as shipped, or as the last session left it) and its watchdog is not needed.
//
// Hands: a table that identifies as tractus-sim hangs the reference weights itself, through the
// simulator-only unit 247 (regmap::sim_control::kReferenceLoad); on a real table a person hangs
// them (`--interactive`).
#pragma once

#include "cli/calibrate_command.hpp"
#include "hal/modbus/modbus_table.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace tractus::cli {

class ModbusCalibrationTable final : public CalibrationTable {
public:
  // The response timeout of the calibration's reads unless the address gives one (`timeout=`):
  // a reading waits for the device, where a control cycle must not (3 ms over TCP).
  static constexpr Duration kResponseTimeout = milliseconds(100);

  // Opens the table at a Modbus address. Null and `error` set when it cannot be used (bad
  // address, unreachable device, no factory-calibration registers to size the plan by).
  static std::unique_ptr<ModbusCalibrationTable> open(const std::string &address,
                                                      std::string &error);

  hal::LoadCell &load_cell() override { return table_->load_cell(); }
  void wait_one_period() override;
  [[nodiscard]] Duration period() const override { return period_; }
  [[nodiscard]] Force capacity() const override { return factory_.capacity; }
  [[nodiscard]] double nominal_counts_per_newton() const override {
    return factory_.gain_counts_per_n;
  }
  // tractus-sim: writes the load to its unit 247 and returns true (false if the write failed).
  // A real table: false, a person hangs the weight.
  bool hang_reference_load(Force load) override;
  void remove_reference_load() override;
  [[nodiscard]] std::string description() const override;

  [[nodiscard]] bool simulated() const { return table_->identity().is_simulator(); }
  hal::modbus::ModbusTable &modbus() { return *table_; }

private:
  ModbusCalibrationTable(std::unique_ptr<hal::modbus::ModbusTable> table,
                         const hal::modbus::FactoryCalibration &factory);
  bool write_reference_load(double newtons);

  std::unique_ptr<hal::modbus::ModbusTable> table_;
  hal::modbus::FactoryCalibration factory_;
  Duration period_;
  std::chrono::steady_clock::duration step_;
  std::chrono::steady_clock::time_point deadline_;
};

} // namespace tractus::cli
