// What apps hands the console for a table: the console opens the table through this binding and
// never names sim or hal/modbus itself (DESIGN §1: apps → console → controller; apps → sim).
//
//   apps/bindings (tractus_table_bindings):
//     text::Outcome<console::TableBinding> make_table_binding(const std::string &address,
//                                                             std::uint64_t seed);
//
// A binding opens a lease on the table for one use — one session, one calibration, one look at
// the devices. The console holds at most one lease at a time (one control loop, or one wizard),
// so a lease may use the devices freely from the thread it is handed to: libmodbus wants one
// context per thread, and the table's contexts are only ever used by that one holder.
//
// In-process simulator ("sim", "sim:PRESET", "sim:FILE.json"): every session lease is a fresh
// simulated table (a new simulated patient, seeded), paced by the wall clock since a person watches
// it; its patient tests the hand switch 500 ms after the session is loaded, as `tractus run` does.
// Modbus ("modbus-tcp://…", "modbus-rtu://…"): one connection for the daemon, re-opened between
// sessions when it broke; every lease uses it on the monotonic clock.
#pragma once

#include "calibration/store.hpp"
#include "controller/clock.hpp"
#include "hal/calibration.hpp"
#include "hal/hal.hpp"
#include "units/units.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace tractus::console {

enum class LeasePurpose : std::uint8_t {
  Session,     // a treatment: the control loop runs on the table
  Calibration, // the technician's wizard or daily verification: the load cell only
  Diagnostics, // one reading of every device while nothing else holds the table
};

// What calibrating the load cell needs of a table: the cell read at the loop period and, on a
// simulator, hands that hang the reference weights. The console's wizard and daily
// verification use it through a TableLease; `tractus calibrate` through the same leases
// (apps/bindings), and its tests through a simulated lease of a chosen load cell.
class CalibrationLease {
public:
  virtual ~CalibrationLease() = default;
  virtual hal::LoadCell &load_cell() noexcept = 0;
  [[nodiscard]] virtual Force capacity() const = 0; // the load cell's rated capacity
  // Counts per newton from the transmitter's data: to judge stability and the first load only.
  [[nodiscard]] virtual double nominal_counts_per_newton() const = 0;
  // Between two readings: the simulator advances its time by one period, hardware sleeps.
  virtual void wait_one_period() = 0;
  [[nodiscard]] virtual Duration period() const = 0;
  // Hangs `load` on the cell and returns true (the simulator's hands); false on a real table,
  // where the technician hangs it.
  virtual bool hang_reference_load(Force load) = 0;
  virtual void remove_reference_load() = 0;
  // "the simulator (seed 3)", "tractus-sim at 127.0.0.1:1502 (tcp)": recorded in the record.
  [[nodiscard]] virtual std::string description() const = 0;
};

class TableLease : public CalibrationLease {
public:
  // ---- a session ----
  // The devices, for the holder's thread only (the loop thread while a loop runs).
  virtual hal::Table table() noexcept = 0;
  hal::LoadCell &load_cell() noexcept final { return table().load_cell; }
  // The loop's clock: the simulator paced by the wall clock, the monotonic clock on Modbus.
  virtual std::unique_ptr<controller::Clock> make_clock() = 0;
  // The journal header's "table": address, simulated, preset and seed or the Modbus devices.
  [[nodiscard]] virtual nlohmann::ordered_json journal_table() const = 0;
  // The calibration a session uses: the simulator's factory calibration, or on a real table the
  // store's record in force for its load cell, verified today
  // (calibration::calibration_for_treatment, under the clinic's `policy`). Without one, `error`
  // and `way_out` say what is wrong and what the technician does: the console still loads the
  // session and the supervisor refuses its start with 110; `tractus run` refuses before it.
  [[nodiscard]] virtual calibration::TreatmentCalibration
  calibration(const std::filesystem::path &store_dir, std::int64_t now_unix,
              const calibration::VerificationPolicy &policy) const = 0;
  // On the loop's thread, right before its first cycle. On Modbus: clears a watchdog fault
  // (CiA 301 0x8130) that the time since the lease armed the watchdog caused, with the same
  // reset edge as the lease's opening, the drive left disabled; any other fault stays (114 at
  // the start). Between the arming and the first cycle come the records store's write of the
  // visit, the journal's creation and the thread's start: on a busy PC more than the drive's
  // 100 ms. The in-process simulator arms no watchdog: nothing to clear.
  virtual void before_first_cycle() noexcept {}
};

struct LeaseOpen {
  std::unique_ptr<TableLease> lease;
  std::string error; // when lease is null: what is wrong, naming the table
};

struct TableBinding {
  std::string address;               // as given: "sim", "sim:heavy", "modbus-tcp://host:1502"
  bool simulated = false;            // the simulator, in process or tractus-sim: a banner says so
  Duration period = milliseconds(1); // the control loop's period on this table
  // Opens the table for one use; `seed` seeds a simulated patient (ignored on Modbus). May block
  // (a Modbus reconnection and watchdog set-up); never called while another lease is held.
  std::function<LeaseOpen(LeasePurpose purpose, std::uint64_t seed)> open;
  // Modbus transaction counts, {"ok","timeouts","exceptions","bad_replies","disconnects"}, or
  // null when the table is not on Modbus. Any thread, any time (counters are atomics).
  std::function<nlohmann::json()> link_statistics;
};

} // namespace tractus::console
