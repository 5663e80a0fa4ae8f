#include "bindings/modbus_lease.hpp"

#include "calibration/store.hpp"
#include "hal/register_map.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <thread>

namespace tractus::bindings {

namespace sc = hal::regmap::sim_control;

namespace {

// Clears a watchdog fault (hal::kDriveWatchdogExpired) that the console's own silence caused
// (between two sessions it is silent by design, so the watchdog armed for the last one trips)
// with a fault-reset edge (CiA 402: a rising edge of controlword bit 7), the drive left
// disabled. Any other drive fault stays: the start is refused with 114 and a person looks.
void reset_watchdog_fault(hal::Drive &drive) noexcept {
  const hal::DriveStatus s = drive.exchange(hal::DriveCommand::disabled());
  if (s.io != hal::IoStatus::Ok || !s.fault || s.fault_code != hal::kDriveWatchdogExpired) return;
  hal::DriveCommand reset = hal::DriveCommand::disabled();
  reset.fault_reset = true;
  drive.exchange(reset);
  drive.exchange(hal::DriveCommand::disabled());
}

} // namespace

console::LeaseOpen ModbusLease::open(std::shared_ptr<TableConnection> connection,
                                     console::LeasePurpose purpose) {
  hal::modbus::ModbusTable &mt = *connection->modbus;
  const std::string where = mt.address().where();
  // Every device is asked before the lease is handed out, and after a table restart every
  // link is reopened at once: one load, not one try per device.
  if (const std::string e = mt.ensure_answering(); !e.empty())
    return {nullptr, "the table at " + where + " cannot be reached again: " + e};
  const bool session = purpose == console::LeasePurpose::Session;
  mt.set_response_timeout(session || mt.address().response_timeout_given ? mt.response_timeout()
                                                                         : kReadingResponseTimeout);
  if (session) {
    // The loop feeds the watchdog from its first cycle, and before it clears a trip that the
    // time until then caused (before_first_cycle).
    if (const std::string e = mt.drive().configure_watchdog(kWatchdogTimeout); !e.empty())
      return {nullptr, "the drive's communication watchdog at " + where +
                           " cannot be enabled: " + e + "; refusing to run"};
    reset_watchdog_fault(mt.drive());
  }
  return {std::unique_ptr<ModbusLease>(new ModbusLease(std::move(connection))), ""};
}

void ModbusLease::before_first_cycle() noexcept {
  reset_watchdog_fault(connection_->modbus->drive());
}

ModbusLease::ModbusLease(std::shared_ptr<TableConnection> connection)
    : connection_(std::move(connection)), deadline_(std::chrono::steady_clock::now()) {}

std::unique_ptr<controller::Clock> ModbusLease::make_clock() {
  return std::make_unique<controller::MonotonicClock>();
}

calibration::TreatmentCalibration
ModbusLease::calibration(const std::filesystem::path &store_dir, std::int64_t now_unix,
                         const calibration::VerificationPolicy &policy) const {
  if (connection_->factory_calibration) return {connection_->factory_calibration, "", ""};
  // A real table: the record in force for its load cell's serial, verified today (and within
  // the clinic's hours, when its policy sets them).
  return calibration::calibration_for_treatment(store_dir, now_unix,
                                                connection_->load_cell_serial(), policy);
}

Force ModbusLease::capacity() const {
  const auto &f = connection_->modbus->identity().factory;
  return f ? f->capacity : Force{};
}

double ModbusLease::nominal_counts_per_newton() const {
  const auto &f = connection_->modbus->identity().factory;
  return f ? f->gain_counts_per_n : 0.0;
}

void ModbusLease::wait_one_period() {
  // A steady schedule, moved on after a slow reply rather than taking the next readings back to
  // back.
  const auto step = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(connection_->period.si()));
  deadline_ += step;
  const auto now = std::chrono::steady_clock::now();
  if (deadline_ + step < now) deadline_ = now + step;
  std::this_thread::sleep_until(deadline_);
}

// tractus-sim's hands (its unit 247, regmap::sim_control::kReferenceLoad); a real table has no
// such unit.
bool ModbusLease::write_reference_load(Force load) {
  const double counts = std::round(std::max(load.si(), 0.0) / sc::kReferenceLoadScale);
  std::array<std::uint16_t, 2> regs{};
  hal::regmap::put_u32(regs.data(), static_cast<std::uint32_t>(std::min(counts, 4294967295.0)),
                       hal::regmap::WordOrder::HighFirst);
  return connection_->modbus->write_simulator_control({sc::kReferenceLoad, 2}, regs.data()) ==
         hal::IoStatus::Ok;
}

bool ModbusLease::hang_reference_load(Force load) {
  if (!connection_->simulated) return false; // a person hangs the weight
  return write_reference_load(load);
}

void ModbusLease::remove_reference_load() {
  if (connection_->simulated) write_reference_load(Force{});
}

std::string ModbusLease::description() const {
  const auto &a = connection_->modbus->address();
  return (connection_->simulated ? "tractus-sim at " : "the table at ") + a.where() + " (" +
         hal::modbus::to_string(a.transport) + ")";
}

} // namespace tractus::bindings
