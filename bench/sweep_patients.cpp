#include "sweep_patients.hpp"

#include "profiles/problem.hpp"
#include "sim/patient_envelope.hpp"
#include "sim/patient_file.hpp"

#include <cmath>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace tractus {
namespace {

double round3(double v) {
  if (v == 0.0) return 0.0;
  const double scale = std::pow(10.0, 2 - static_cast<int>(std::floor(std::log10(std::abs(v)))));
  return std::round(v * scale) / scale;
}

// A Latin hypercube over every figure's range: each figure's range cut into `count` strata, one
// draw in each, the strata shuffled per figure. The checks across figures are then met where a
// rule says how (friction, the guarding ranges, damping, onset), and a patient that still fails
// them is drawn again.
std::vector<sim::PatientPreset> draw_patients(sim::Region region, int count, std::mt19937_64 &rng,
                                              std::vector<std::string> &names) {
  const auto figures = sim::patient_figures();
  std::vector<std::vector<double>> u(figures.size());
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (auto &column : u) {
    for (int i = 0; i < count; ++i)
      column.push_back((i + unit(rng)) / count);
    std::shuffle(column.begin(), column.end(), rng);
  }
  std::vector<sim::PatientPreset> patients;
  for (int i = 0; i < count; ++i) {
    for (int attempt = 0;; ++attempt) {
      sim::PatientPreset p =
          region == sim::Region::Lumbar ? sim::kAveragePatient : sim::kCervicalPatient;
      for (std::size_t f = 0; f < figures.size(); ++f) {
        const double v = attempt == 0 ? u[f][static_cast<std::size_t>(i)] : unit(rng);
        double value = figures[f].low + v * (figures[f].high - figures[f].low);
        if (figures[f].pointer == "/guarding/mean_interval")
          value = 60.0 * std::exp(v * std::log(120.0)); // 1 to 120 min, log-uniform
        figures[f].set(p, value);
      }
      p.region = region;
      // Three significant figures, as a person would write them.
      for (const auto &figure : figures)
        figure.set(p, round3(figure.get(p)));
      auto &g = p.guarding;
      if (g.peak_max < g.peak_min) std::swap(g.peak_max, g.peak_min);
      if (g.onset_max < g.onset_min) std::swap(g.onset_max, g.onset_min);
      if (g.hold_max < g.hold_min) std::swap(g.hold_max, g.hold_min);
      if (g.relax_max < g.relax_min) std::swap(g.relax_max, g.relax_min);
      g.onset_min = max(g.onset_min, seconds(std::ceil((g.peak_max - 1.0) / 1.6 * 100.0) / 100.0));
      g.onset_max = max(g.onset_max, g.onset_min);
      p.section.breakaway =
          min(newtons(std::round(p.section.coulomb.si() * (1.0 + 0.5 * unit(rng)) * 10.0) / 10.0),
              newtons(70.0));
      const double critical =
          2.0 * std::sqrt(p.harness.stiffness.si() * p.section.moving_mass.si());
      p.harness.damping_ns_per_m = std::max(p.harness.damping_ns_per_m, std::ceil(0.11 * critical));
      if (p.harness.damping_ns_per_m > 3000.0) continue;
      if (!sim::envelope_problems(p).empty()) continue;
      char name[64];
      std::snprintf(name, sizeof name, "sweep-%s-%02d",
                    region == sim::Region::Lumbar ? "lumbar" : "cervical", i + 1);
      names.emplace_back(name);
      patients.push_back(p);
      break;
    }
  }
  return patients;
}

} // namespace

int write_sweep_patients(const std::filesystem::path &dir, int lumbar, int cervical,
                         std::uint64_t seed) {
  std::filesystem::create_directories(dir);
  std::mt19937_64 rng(seed);
  for (const auto region : {sim::Region::Lumbar, sim::Region::Cervical}) {
    std::vector<std::string> names;
    const auto patients =
        draw_patients(region, region == sim::Region::Lumbar ? lumbar : cervical, rng, names);
    for (std::size_t i = 0; i < patients.size(); ++i) {
      sim::PatientPreset p = patients[i];
      const std::string description =
          "force loop sweep: Latin hypercube over the envelope, seed " + std::to_string(seed);
      p.name = names[i];
      p.description = description;
      const std::filesystem::path file = dir / (names[i] + ".json");
      std::ofstream(file) << sim::patient_document(p).dump(2) << "\n";
      // What was written must read back as a patient: the bench runs the files, not the draws.
      if (const auto back = sim::load_patient_file(file); !back.ok()) {
        std::cerr << file.string() << ": " << profiles::to_string(back.problems.front()) << "\n";
        return 1;
      }
      std::cout << file.string() << "\n";
    }
  }
  return 0;
}

} // namespace tractus
