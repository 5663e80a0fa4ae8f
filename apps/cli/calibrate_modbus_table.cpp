#include "cli/calibrate_modbus_table.hpp"

#include "hal/modbus/modbus_address.hpp"
#include "hal/modbus/register_map_config.hpp"
#include "hal/register_map.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <thread>

namespace tractus::cli {

namespace sc = hal::regmap::sim_control;

namespace {

// Opens the table as hal::modbus::ModbusTable::open(text) does, but with a response timeout
// for a reading, not for a control cycle, unless the address sets one (`timeout=`): nothing
// waits on a calibration reading, and one late reply must not abandon a step.
hal::modbus::OpenResult open_for_calibration(const std::string &text) {
  hal::modbus::AddressParse parsed = hal::modbus::parse_modbus_address(text);
  if (!parsed) return {nullptr, parsed.error};
  hal::modbus::ModbusAddress address = *parsed.address;
  if (text.find("timeout=") == std::string::npos)
    address.response_timeout = ModbusCalibrationTable::kResponseTimeout;
  if (address.map_file.empty())
    return hal::modbus::ModbusTable::open(address, hal::regmap::kDefaultMap);
  hal::modbus::MapParse map = hal::modbus::load_register_map(address.map_file);
  if (!map) {
    std::string error;
    for (const std::string &e : map.errors)
      error += (error.empty() ? "" : "\n") + e;
    return {nullptr, error};
  }
  const std::string name = map.name.empty() ? address.map_file : map.name;
  return hal::modbus::ModbusTable::open(address, *map.map, name);
}

} // namespace

std::unique_ptr<ModbusCalibrationTable> ModbusCalibrationTable::open(const std::string &address,
                                                                     std::string &error) {
  hal::modbus::OpenResult opened = open_for_calibration(address);
  if (!opened.table) {
    error = "--table " + address + ": " + opened.error;
    return nullptr;
  }
  const auto &factory = opened.table->identity().factory;
  if (!factory || !(factory->gain_counts_per_n > 0.0) || !(factory->capacity.si() > 0.0)) {
    error = "--table " + address + ": the load-cell transmitter at " +
            opened.table->address().where() +
            " reports no usable factory calibration (gain and capacity must be positive; a map "
            "without the transmitter's factory-calibration registers cannot be calibrated yet)";
    return nullptr;
  }
  const hal::modbus::FactoryCalibration f = *factory;
  return std::unique_ptr<ModbusCalibrationTable>(
      new ModbusCalibrationTable(std::move(opened.table), f));
}

ModbusCalibrationTable::ModbusCalibrationTable(std::unique_ptr<hal::modbus::ModbusTable> table,
                                               const hal::modbus::FactoryCalibration &factory)
    : table_(std::move(table)), factory_(factory), period_(table_->loop_period()),
      step_(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(period_.si()))),
      deadline_(std::chrono::steady_clock::now()) {}

void ModbusCalibrationTable::wait_one_period() {
  deadline_ += step_;
  const auto now = std::chrono::steady_clock::now();
  // A transaction that took longer than a period (a slow reply) moves the schedule on rather
  // than making the next readings follow each other without a pause.
  if (deadline_ + step_ < now) deadline_ = now + step_;
  std::this_thread::sleep_until(deadline_);
}

bool ModbusCalibrationTable::write_reference_load(double newtons) {
  const double counts = std::round(std::max(newtons, 0.0) / sc::kReferenceLoadScale);
  std::array<std::uint16_t, 2> regs{};
  hal::regmap::put_u32(regs.data(), static_cast<std::uint32_t>(std::min(counts, 4294967295.0)),
                       hal::regmap::WordOrder::HighFirst);
  return table_->write_simulator_control({sc::kReferenceLoad, 2}, regs.data()) == hal::IoStatus::Ok;
}

bool ModbusCalibrationTable::hang_reference_load(Force load) {
  if (!simulated()) return false; // a person hangs the weight
  return write_reference_load(load.si());
}

void ModbusCalibrationTable::remove_reference_load() {
  if (simulated()) write_reference_load(0.0);
}

std::string ModbusCalibrationTable::description() const {
  const auto &a = table_->address();
  return (table_->identity().is_simulator() ? "tractus-sim at " : "the table at ") + a.where() +
         " (" + hal::modbus::to_string(a.transport) + ")";
}

} // namespace tractus::cli
