// The force loops' unit-test plant: a spring on a drive. F = k · x once the harness is taut
// (x > 0); the drive follows the commanded cable speed through a first-order lag. A change of k
// at a fixed x changes F: that is what a muscle spasm does to the cable. The load cell adds
// Gaussian noise unless `noisy` is false.
#pragma once

#include "units/units.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace tractus::controller::test_plant {

constexpr double kNoiseRms = 0.4; // N, load cell at 1 kHz

struct SpringPlant {
  double stiffness = 20'000.0; // N/m
  double position = 0.0;       // m, cable travel; the harness is taut beyond 0
  double speed = 0.0;          // m/s, actual cable speed
  double drive_lag = 0.010;    // s
  bool noisy = true;
  std::mt19937 rng{20240611u};
  std::normal_distribution<double> noise{0.0, kNoiseRms};
  double last_reading = 0.0; // N, what the load cell said last

  [[nodiscard]] double force() const { return stiffness * std::max(position, 0.0); }
  Force measured() {
    last_reading = force() + (noisy ? noise(rng) : 0.0);
    return newtons(last_reading);
  }
  void settle_at(double newtons_now) { position = newtons_now / stiffness; }
  void advance(Speed command, double dt) {
    speed += (1.0 - std::exp(-dt / drive_lag)) * (command.si() - speed);
    position += speed * dt;
  }
};

} // namespace tractus::controller::test_plant
