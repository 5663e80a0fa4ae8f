#include "harness/vendor_table.hpp"

#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

namespace tractus::integration {

namespace {
std::vector<std::string> py_table_argv(const ScratchDir &dir,
                                       const std::vector<std::string> &options) {
  std::vector<std::string> argv{Tools::python3(),
                                (Tools::source_dir() / "pymodbus_table.py").string(), "--port-file",
                                (dir / "py.port").string()};
  argv.insert(argv.end(), options.begin(), options.end());
  return argv;
}
} // namespace

PyTable::PyTable(const ScratchDir &dir, std::vector<std::string> options)
    : process(py_table_argv(dir, options), dir / "py.out", dir / "py.err") {
  if (wait_for_file(dir / "py.port", 20s)) {
    const std::string p = read_file(dir / "py.port");
    address = "modbus-tcp://127.0.0.1:" + p.substr(0, p.find('\n'));
  }
}

std::string screening_file() {
  return (Tools::source_dir() / "../../docs/examples/screening.json").string();
}

std::int64_t now_unix() { return static_cast<std::int64_t>(std::time(nullptr)); }

calibration::CalibrationRecord install_record(const std::filesystem::path &store, std::int64_t now,
                                              const std::string &serial, Force top) {
  std::vector<calibration::CalibrationPoint> points;
  for (int cycle = 1; cycle <= 2; ++cycle)
    for (const double step : {0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0}) {
      const double load = top.si() * step / 5.0;
      calibration::CalibrationPoint p;
      p.cycle = cycle;
      p.direction = points.empty() || load >= points.back().load.si()
                        ? calibration::LoadDirection::Loading
                        : calibration::LoadDirection::Unloading;
      p.load = newtons(load);
      p.counts = 5000.0 + 50.0 * load;
      p.sigma_counts = 10.0;
      p.samples = 500;
      points.push_back(p);
    }
  calibration::CalibrationRecord record = calibration::make_record(
      serial, "CI", "the table under test", now - 3600, newtons(2000), points);
  calibration::CalibrationStore(store).install(record);
  return record;
}

void verify(const std::filesystem::path &store, const calibration::CalibrationRecord &record,
            std::int64_t when, Force load) {
  calibration::StableReading r;
  r.stable = true;
  r.mean_counts = 5000.0 + 50.0 * load.si();
  r.samples = 500;
  calibration::CalibrationStore(store).append_verification(
      calibration::verify_at_load(record, load, r, "CI", when));
}

std::vector<TableTick> read_trace(const std::filesystem::path &file) {
  std::vector<TableTick> ticks;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream s(line);
    TableTick t;
    int enabled = 0, commanded = 0;
    if (s >> t.mono_s >> t.device_s >> t.tension_n >> enabled >> t.fault >> commanded) {
      t.enabled = enabled != 0;
      t.commanded = commanded != 0;
      ticks.push_back(t);
    }
  }
  return ticks;
}

double steady_seconds(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(t.time_since_epoch()).count();
}

bool wait_for_tension(const std::filesystem::path &trace, double newtons,
                      std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    const auto ticks = read_trace(trace);
    if (!ticks.empty() && ticks.back().tension_n >= newtons) return true;
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

} // namespace tractus::integration
