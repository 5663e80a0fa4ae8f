// The vendor table (pymodbus_table.py, a device written from docs/register-map.md alone) as a
// child process, the calibration a technician would have made on it, and what the device itself
// recorded (its --trace-file), for tests that judge tractus from the table's side.
#pragma once

#include "calibration/store.hpp"
#include "harness/process.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace tractus::integration {

// pymodbus_table.py with its options, listening on a free loopback port. It runs at the ordinary
// priority: its --trace-file shows it kept its 5 ms tick under load, and running it at SCHED_FIFO
// 50 (chrt) changed nothing in the loop's stalls (see the vendor tests' notes).
struct PyTable {
  PyTable(const ScratchDir &dir, std::vector<std::string> options);
  Process process;
  std::string address; // modbus-tcp://127.0.0.1:PORT, empty if the device did not come up
};

std::string screening_file(); // docs/examples/screening.json
std::int64_t now_unix();

// The record a technician would have made on this table: its transmitter reads 5000 counts at
// no load and 50 counts per newton (pymodbus_table.py), and reports serial 200001. Its reference
// loads go up to `top` in five steps (1000 N: the lumbar table's whole range).
calibration::CalibrationRecord install_record(const std::filesystem::path &store, std::int64_t now,
                                              const std::string &serial = "LC-200001",
                                              Force top = newtons(1000));
// Today's (or `when`'s) verification at `load`, as the reference weight would read.
void verify(const std::filesystem::path &store, const calibration::CalibrationRecord &record,
            std::int64_t when, Force load = newtons(500));

// One line of the device's --trace-file.
struct TableTick {
  double mono_s = 0;      // CLOCK_MONOTONIC, as std::chrono::steady_clock
  double device_s = 0;    // the device's own clock
  double tension_n = 0;   // the cable's true tension
  bool enabled = false;   // the drive drives
  int fault = 0;          // the drive's fault code
  bool commanded = false; // the controller's last controlword asks for operation enabled
};
std::vector<TableTick> read_trace(const std::filesystem::path &file);
double steady_seconds(std::chrono::steady_clock::time_point t);
// Waits until the device reports a true tension of at least `newtons`; false on timeout.
bool wait_for_tension(const std::filesystem::path &trace, double newtons,
                      std::chrono::milliseconds timeout);

} // namespace tractus::integration
