// The simulated patients' envelope is designed for the monitors the controller runs: sim keeps
// a copy of their figures (it does not depend on controller/), and this holds the copy equal.
#include "controller/monitors.hpp"
#include "sim/patient_envelope.hpp"

#include <gtest/gtest.h>

namespace tractus {
namespace {

TEST(PatientEnvelopeDesign, MirrorsThePlausibilityAndTravelMonitors) {
  const controller::MonitorLimits monitors;
  const sim::LoopDesign &design = sim::kLoopDesign;
  EXPECT_EQ(design.min_cable_stiffness, monitors.plausibility.min_stiffness);
  EXPECT_EQ(design.max_cable_stiffness, monitors.plausibility.max_stiffness);
  EXPECT_EQ(design.max_travel, monitors.max_travel);
  EXPECT_EQ(design.slip_travel, monitors.plausibility.travel_window);
  EXPECT_EQ(design.slip_time, monitors.plausibility.travel_max_time);
}

} // namespace
} // namespace tractus
