// How fast a whole simulated session runs: a 30-minute lumbar intermittent session at a
// 1 kHz control rate on the in-process simulator (target: >= 5,000x real time, i.e. 30 min
// in <= 0.36 s on a 2-core machine). Also the parts of one cycle, to see where time goes.
//
//   cmake --preset release && cmake --build --preset release --target session_bench
//   build/release/bench/session_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only
#include "session_harness.hpp"

#include "controller/session.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "sim/sim_table.hpp"

#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>

namespace {

using namespace tractus;

// The stock lumbar intermittent protocol (DESIGN §3 example) stretched to 30 minutes.
std::filesystem::path thirty_minute_profile() {
  auto profile = profiles::find_profile("lumbar-intermittent");
  profile.value->duration = minutes(30);
  profile.value->id = "lumbar-intermittent-30min";
  const auto path = std::filesystem::temp_directory_path() / "tractus-bench-30min.json";
  std::ofstream(path) << profiles::to_json_text(*profile.value);
  return path;
}

void run_sessions(benchmark::State &state, bool with_journal) {
  testing::SessionSpec spec;
  spec.profile = thirty_minute_profile().string();
  const auto dir = std::filesystem::temp_directory_path() / "tractus-bench-journal";
  double simulated = 0;
  for (auto _ : state) {
    if (with_journal) {
      state.PauseTiming();
      std::filesystem::remove_all(dir);
      spec.journal_dir = dir;
      state.ResumeTiming();
    }
    const auto run = testing::run_session(spec);
    if (run.report.last.outcome != controller::Outcome::Completed)
      state.SkipWithError("session did not complete");
    simulated = static_cast<double>(run.report.cycles) * 1e-3;
  }
  state.counters["simulated_s"] = simulated;
  // Real-time factor: simulated seconds per second of wall time.
  state.counters["realtime_factor"] = benchmark::Counter(
      simulated * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  std::filesystem::remove_all(dir);
}

void BM_Session30min(benchmark::State &state) { run_sessions(state, false); }
void BM_Session30minWithJournal(benchmark::State &state) { run_sessions(state, true); }
BENCHMARK(BM_Session30min)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Session30minWithJournal)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_TrajectoryAt(benchmark::State &state) {
  const auto profile = profiles::find_profile("lumbar-intermittent");
  const auto trajectory = profiles::compile(*profile.value, {"bench", kilograms(80)});
  double t = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(trajectory.value->at(seconds(t)));
    t += 1e-3;
    if (t > 1200) t = 0;
  }
}
BENCHMARK(BM_TrajectoryAt);

void BM_PlantStep(benchmark::State &state) {
  sim::SimTable sim;
  for (auto _ : state)
    sim.advance(milliseconds(1));
}
BENCHMARK(BM_PlantStep);

} // namespace
