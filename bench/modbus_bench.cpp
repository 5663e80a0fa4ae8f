// Modbus TCP on loopback: what a control cycle costs through hal/modbus, next to raw libmodbus
// doing the same three transactions, and how well a 1 kHz loop keeps time with them, next to a
// bare absolute-deadline sleep loop measured in the same run (docs/performance.md).
//
//   modbus_bench --benchmark_filter=HalVsRaw   complete cycles per second, HAL vs raw libmodbus
//   modbus_bench --benchmark_filter=Timing     1 kHz for 60 s each (TRACTUS_TIMING_SECONDS)
//
// tractus-sim's server runs in this process on its own thread (SCHED_FIFO 90 when permitted,
// as `tractus-sim --realtime`); the measuring thread asks for SCHED_FIFO 80, as `tractus run`.
#include "controller/clock.hpp"
#include "controller/realtime.hpp"
#include "hal/modbus/modbus_table.hpp"
#include "sim/patient_preset.hpp"
#include "sim/server/transports.hpp"

#include <benchmark/benchmark.h>
#include <modbus.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <thread>
#include <vector>

namespace {

using namespace tractus;
namespace rm = hal::regmap;

// tractus-sim's table server on 127.0.0.1, a free port, for the whole run.
class InProcessSim {
public:
  InProcessSim()
      : table_(sim::calm_plant_config(sim::kAveragePatient), 1, {}), tcp_(table_, "127.0.0.1", 0),
        thread_([this] {
          controller::enable_realtime(90);
          sim::server::run_server(table_, tcp_, stop_);
        }) {}
  ~InProcessSim() {
    stop_ = true;
    thread_.join();
  }
  [[nodiscard]] std::uint16_t port() const { return tcp_.port(); }
  static InProcessSim &instance() {
    static InProcessSim sim;
    return sim;
  }

private:
  sim::server::TableRegisters table_;
  sim::server::TcpTransport tcp_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string address() {
  return "modbus-tcp://127.0.0.1:" + std::to_string(InProcessSim::instance().port());
}

// One control cycle's I/O through the HAL: load cell, safety I/O, drive (function 23).
struct HalCycle {
  std::unique_ptr<hal::modbus::ModbusTable> table;
  HalCycle() {
    auto opened = hal::modbus::ModbusTable::open(address());
    if (!opened.table) throw std::runtime_error(opened.error);
    table = std::move(opened.table);
  }
  bool run() {
    const bool a = table->load_cell().read().io == hal::IoStatus::Ok;
    const bool b = table->safety().read().io == hal::IoStatus::Ok;
    const bool c = table->drive().exchange(hal::DriveCommand::disabled()).io == hal::IoStatus::Ok;
    return a && b && c;
  }
};

// The same three transactions with libmodbus directly: three contexts, no decoding, no ages.
struct RawCycle {
  modbus_t *ctx[3];
  RawCycle() {
    for (auto &c : ctx) {
      c = modbus_new_tcp("127.0.0.1", InProcessSim::instance().port());
      modbus_set_response_timeout(c, 0, 3000);
      if (modbus_connect(c) != 0) throw std::runtime_error("raw libmodbus cannot connect");
    }
    modbus_set_slave(ctx[0], 1);
    modbus_set_slave(ctx[1], 3);
    modbus_set_slave(ctx[2], 2);
  }
  ~RawCycle() {
    for (auto &c : ctx) {
      modbus_close(c);
      modbus_free(c);
    }
  }
  bool run() {
    std::uint16_t lc[4], in[1], status[8];
    const std::uint16_t command[3] = {rm::cia402::kShutdown, 0, 0};
    const bool a = modbus_read_registers(ctx[0], 0, 4, lc) == 4;
    const bool b = modbus_read_registers(ctx[1], 0, 1, in) == 1;
    const bool c = modbus_write_and_read_registers(ctx[2], 10, 3, command, 13, 8, status) == 8;
    return a && b && c;
  }
};

template <class Cycle> void cycles(benchmark::State &state) {
  Cycle cycle;
  std::int64_t failed = 0;
  for (auto _ : state)
    if (!cycle.run()) ++failed;
  state.counters["cycles_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["failed"] = static_cast<double>(failed);
}
void BM_CycleHal(benchmark::State &state) { cycles<HalCycle>(state); }
void BM_CycleRawLibmodbus(benchmark::State &state) { cycles<RawCycle>(state); }
BENCHMARK(BM_CycleRawLibmodbus)->UseRealTime()->MinTime(3.0);
BENCHMARK(BM_CycleHal)->UseRealTime()->MinTime(3.0);

// Both in alternating blocks of 200 cycles within one benchmark, so that on a shared machine
// both see the same load: the ratio is the figure to quote.
void BM_CycleHalVsRaw(benchmark::State &state) {
  HalCycle hal;
  RawCycle raw;
  using Clock = std::chrono::steady_clock;
  Clock::duration hal_time{}, raw_time{};
  std::int64_t blocks = 0;
  constexpr int kBlock = 200;
  for (auto _ : state) {
    auto t0 = Clock::now();
    for (int i = 0; i < kBlock; ++i)
      raw.run();
    auto t1 = Clock::now();
    for (int i = 0; i < kBlock; ++i)
      hal.run();
    auto t2 = Clock::now();
    raw_time += t1 - t0;
    hal_time += t2 - t1;
    ++blocks;
  }
  const auto rate = [&](Clock::duration d) {
    return static_cast<double>(blocks * kBlock) / std::chrono::duration<double>(d).count();
  };
  state.counters["hal_cycles_per_s"] = rate(hal_time);
  state.counters["raw_cycles_per_s"] = rate(raw_time);
  state.counters["hal_over_raw"] = rate(hal_time) / rate(raw_time);
}
BENCHMARK(BM_CycleHalVsRaw)->UseRealTime()->MinTime(10.0)->Unit(benchmark::kMillisecond);

// ---- 1 kHz timing ------------------------------------------------------------------------------

double timing_seconds() {
  const char *s = std::getenv("TRACTUS_TIMING_SECONDS");
  return s != nullptr ? std::atof(s) : 60.0;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  const auto k = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size()))) - 1;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(k), v.end());
  return v[k];
}

// Absolute deadlines every 1 ms, as the loop runner keeps them; `work` is one cycle's I/O.
template <class Work> void timed_loop(benchmark::State &state, Work &&work) {
  const std::string scheduling = controller::enable_realtime(80);
  const Duration period = milliseconds(1);
  const auto n = static_cast<std::size_t>(timing_seconds() / period.si());
  std::vector<double> period_error, lateness;
  period_error.reserve(n);
  lateness.reserve(n);
  std::int64_t overruns = 0, failed = 0;
  for (auto _ : state) {
    controller::MonotonicClock clock;
    Duration deadline = clock.now();
    Duration last_start = deadline;
    for (std::size_t i = 0; i < n; ++i) {
      deadline += period;
      clock.sleep_until(deadline);
      const Duration start = clock.now();
      const Duration late = start - deadline;
      if (late > period) { // as the loop runner: count it and restart the schedule from now
        ++overruns;
        deadline = start;
      }
      lateness.push_back(late.si() * 1e6);
      if (i > 0) period_error.push_back(std::abs((start - last_start - period).si()) * 1e6);
      last_start = start;
      if (!work()) ++failed;
    }
  }
  state.counters["period_err_p50_us"] = percentile(period_error, 50);
  state.counters["period_err_p99_us"] = percentile(period_error, 99);
  state.counters["period_err_p99.9_us"] = percentile(period_error, 99.9);
  state.counters["period_err_max_us"] = percentile(period_error, 100);
  state.counters["late_p99.9_us"] = percentile(lateness, 99.9);
  state.counters["overruns"] = static_cast<double>(overruns);
  state.counters["failed_cycles"] = static_cast<double>(failed);
  state.counters["cycles"] = static_cast<double>(n);
  state.SetLabel(scheduling);
}

void BM_TimingBareSleepLoop(benchmark::State &state) {
  timed_loop(state, [] { return true; });
}
void BM_TimingModbusLoop(benchmark::State &state) {
  HalCycle cycle;
  timed_loop(state, [&] { return cycle.run(); });
}
BENCHMARK(BM_TimingBareSleepLoop)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);
BENCHMARK(BM_TimingModbusLoop)->Iterations(1)->UseRealTime()->Unit(benchmark::kSecond);

} // namespace
