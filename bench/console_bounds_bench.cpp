// How fast the console refuses a request field at an absurd value, and that refusing costs no
// memory (issue 11: `"cycles": 1000000000` once grew `tractus serve` to 24 GB). A whole console
// (HttpServer + Auth + TableService on the in-process simulator) on a loopback port; each
// iteration sends one absurd request on a new connection and reads the 422. Target: every
// answer within 10 ms, and the process's resident memory flat over thousands of requests.
//
//   cmake --preset release && cmake --build --preset release --target console_bounds_bench
//   build/release/bench/console_bounds_bench
//
// Counters: max_ms (the slowest answer of the run), p99_ms, over_10ms (answers slower than the
// target: on a VM a pause of the whole machine shows here), rss_growth_kB (resident memory
// after the run minus before it, the first round of requests excluded as warm-up).
#include "console_under_test.hpp"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using namespace tractus::testing;
using nlohmann::json;

struct Absurd {
  std::string route;
  json body;
};

std::vector<Absurd> absurd_requests() {
  const std::string long_text(10'000, 'x');
  const json begin = {{"technician", "J. Doe"}, {"serial", "LC-1"}};
  auto with = [](json body, const char *key, json value) {
    body[key] = std::move(value);
    return body;
  };
  return {
      {"/api/tech/calibration/begin", with(begin, "cycles", 1'000'000'000)},
      {"/api/tech/calibration/begin", with(begin, "cycles", 18446744073709551615ULL)},
      {"/api/tech/calibration/begin", with(begin, "valid_months", 1e9)},
      {"/api/tech/calibration/begin", with(begin, "min_span_N", 1e308)},
      {"/api/tech/calibration/begin", with(begin, "loads_N", json(std::vector<int>(5'000, 0)))},
      {"/api/tech/calibration/begin", with(begin, "technician", long_text)},
      {"/api/tech/calibration/begin", with(begin, "serial", long_text)},
      {"/api/tech/calibration/reading", {{"load_N", 1e9}}},
      {"/api/tech/verification", {{"load_N", 1e300}, {"technician", long_text}}},
      {"/api/login", {{"role", "operator"}, {"pin", std::string(10'000, '7')}}},
      {"/api/login", {{"role", long_text}, {"pin", "2468"}}},
  };
}

long rss_kb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

void AbsurdFieldAnswered422(benchmark::State &state) {
  ConsoleUnderTest console("bench-bounds");
  const HttpTestClient client = console.client();
  const std::string token = client.login("technician", kTechnicianPin);
  const auto requests = absurd_requests();
  for (const auto &r : requests) // warm-up: first connections, first allocations
    (void)client.post(r.route, r.body, token);
  const long before = rss_kb();
  std::vector<double> times;
  times.reserve(static_cast<std::size_t>(state.max_iterations));
  std::size_t i = 0;
  for (auto _ : state) {
    const Absurd &r = requests[i++ % requests.size()];
    const auto start = std::chrono::steady_clock::now();
    const auto reply = client.post(r.route, r.body, token);
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (reply.status != 422) {
      state.SkipWithError(
          ("expected 422, got " + std::to_string(reply.status) + " for " + r.route).c_str());
      break;
    }
    times.push_back(ms);
  }
  std::sort(times.begin(), times.end());
  if (!times.empty()) {
    state.counters["max_ms"] = times.back();
    state.counters["p99_ms"] = times[times.size() * 99 / 100];
    state.counters["over_10ms"] =
        static_cast<double>(times.end() - std::upper_bound(times.begin(), times.end(), 10.0));
  }
  state.counters["rss_growth_kB"] = static_cast<double>(rss_kb() - before);
  state.counters["requests"] = static_cast<double>(i);
}
BENCHMARK(AbsurdFieldAnswered422)->Iterations(2000)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
