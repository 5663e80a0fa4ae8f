// The clinic's settings from the configuration file as the console's API serves them
// (docs/configuration.md): its lowered limits refuse a stock protocol over them, naming the
// limit, and allow one within; its display units and language reach the page through
// GET /api/info.
#include "bindings/table_bindings.hpp"
#include "console/table_service.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace tractus::testing {
namespace {

using console::ApiResult;

bool any_has(const nlohmann::json &lines, const std::string &text) {
  return std::any_of(lines.begin(), lines.end(), [&](const nlohmann::json &line) {
    return line.get<std::string>().find(text) != std::string::npos;
  });
}

class ClinicSettings : public ::testing::Test {
protected:
  void start(const console::ServiceOptions &base) {
    console::ServiceOptions o = base;
    o.journal_dir = dir_.path() / "sessions";
    o.calibration_store = dir_.path() / "calibration";
    bindings::BindingMade made = bindings::make_table_binding("sim", 1);
    ASSERT_TRUE(made) << made.error;
    service_ = std::make_unique<console::TableService>(std::move(*made.value), o);
  }

  // A request for `profile` and a patient of `weight`, every screening item answered no.
  nlohmann::json request(const std::string &profile, const std::string &weight) const {
    nlohmann::json answers = nlohmann::json::object();
    const nlohmann::json checklist = service_->screening_checklist();
    for (const char *group : {"contraindications", "red_flags"})
      for (const auto &item : checklist[group])
        answers[item["id"].get<std::string>()] = false;
    return {{"profile", profile},
            {"patient", {{"id", "P-0042"}, {"weight", weight}}},
            {"screening", {{"answers", answers}, {"confirmed", true}}}};
  }

  TempDir dir_{"clinic-settings"};
  std::unique_ptr<console::TableService> service_;
};

// lumbar-intermittent pulls 40 %bw: 392 N for 100 kg, over a clinic's 300 N lumbar cap; 235 N
// for 60 kg, within it.
TEST_F(ClinicSettings, AProtocolOverTheClinicsLoweredHardCapIsRefusedNamingTheCap) {
  console::ServiceOptions o;
  o.limits.lumbar_hard_cap = newtons(300.0);
  start(o);

  const ApiResult preview = service_->preview("lumbar-intermittent", "100kg");
  EXPECT_EQ(preview.status, 422) << preview.body;
  EXPECT_NE(preview.body["error"]["message"].get<std::string>().find("this clinic's limits"),
            std::string::npos)
      << preview.body;
  EXPECT_TRUE(any_has(preview.body["error"]["problems"], "lumbar hard cap (at most 300 N"))
      << preview.body;

  const ApiResult refused = service_->load_session(request("lumbar-intermittent", "100 kg"));
  EXPECT_EQ(refused.status, 422) << refused.body;
  const nlohmann::json &problems = refused.body["error"]["problems"];
  EXPECT_TRUE(any_has(problems, "/profile: lumbar-intermittent /max_force: "));
  EXPECT_TRUE(any_has(problems, "lumbar hard cap (at most 300 N")) << problems;
  EXPECT_TRUE(any_has(problems, "clinic_limits in the configuration file")) << problems;

  EXPECT_EQ(service_->preview("lumbar-intermittent", "60kg").status, 200);
  const ApiResult loaded = service_->load_session(request("lumbar-intermittent", "60 kg"));
  EXPECT_EQ(loaded.status, 201) << loaded.body;
  EXPECT_EQ(service_->unload_session().status, 200);
}

// A clinical cap of 40 %bw: lumbar-progressive (45 %bw) is listed as not allowed with its
// reason, and refused by name rather than as unknown; lumbar-intermittent (40 %bw) is allowed.
TEST_F(ClinicSettings, AProtocolOverTheClinicsClinicalCapIsListedAsNotAllowedWithTheReason) {
  console::ServiceOptions o;
  o.limits.lumbar_clinical_cap_percent_bw = 40.0;
  start(o);

  const ApiResult list = service_->profiles();
  ASSERT_EQ(list.status, 200) << list.body;
  const auto entry = [&](const std::string &id) {
    for (const auto &p : list.body["profiles"])
      if (p["id"] == id) return p;
    ADD_FAILURE() << "no " << id << " in " << list.body;
    return nlohmann::json();
  };
  const nlohmann::json progressive = entry("lumbar-progressive");
  EXPECT_EQ(progressive["allowed"], false) << progressive;
  EXPECT_TRUE(any_has(progressive["refused"],
                      "lumbar-progressive.json: /max_force: 45 %bw is above the lumbar "
                      "clinical cap (at most 40 %bw)"))
      << progressive;
  EXPECT_EQ(entry("lumbar-intermittent")["allowed"], true);

  const ApiResult refused = service_->load_session(request("lumbar-progressive", "80 kg"));
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_TRUE(any_has(refused.body["error"]["problems"],
                      "/profile: lumbar-progressive is not allowed by this clinic's limits"))
      << refused.body;
  EXPECT_EQ(service_->preview("lumbar-progressive", "80kg").status, 422);
}

// The limits bind the running session, not only the protocol's check: a session loaded under a
// 300 N lumbar cap, 30 N/s and 20 N on the cord trips over-force at 303 N at the most (the cap
// + 1 %, where its protocol's own margin would allow 310 N), ramps its pause and resume at 30 N/s
// and keeps 20 N on the cord; its journal says so. The machine's limits otherwise.
TEST_F(ClinicSettings, TheClinicsLimitsBindTheRunningSessionAndItsJournalSaysSo) {
  const auto header_limits = [&](const ApiResult &loaded) {
    std::ifstream journal(loaded.body["session"]["journal"].get<std::string>());
    std::string first;
    std::getline(journal, first);
    return nlohmann::json::parse(first)["limits"];
  };
  console::ServiceOptions o;
  o.limits.lumbar_hard_cap = newtons(300.0);
  o.limits.max_rate = newtons_per_second(30.0);
  o.limits.min_cord_tension = newtons(20.0);
  start(o);
  // 40 %bw of 76 kg: a 298 N peak, whose own margin (+4 %) would trip at 310 N.
  const ApiResult loaded = service_->load_session(request("lumbar-intermittent", "76 kg"));
  ASSERT_EQ(loaded.status, 201) << loaded.body;
  const nlohmann::json limits = header_limits(loaded);
  EXPECT_EQ(limits["hard_cap_n"], 300.0) << limits;
  EXPECT_EQ(limits["over_force_n"], 303.0) << limits; // the cap + 1 %
  EXPECT_EQ(limits["treatment_rate_n_per_s"], 30.0) << limits;
  EXPECT_EQ(limits["min_cord_tension_n"], 20.0) << limits;
  EXPECT_EQ(service_->unload_session().status, 200);

  start(console::ServiceOptions{});
  const ApiResult machine = service_->load_session(request("lumbar-intermittent", "60 kg"));
  ASSERT_EQ(machine.status, 201) << machine.body;
  const nlohmann::json defaults = header_limits(machine);
  EXPECT_EQ(defaults["hard_cap_n"], 890.0) << defaults;
  EXPECT_EQ(defaults["treatment_rate_n_per_s"], 50.0) << defaults;
  EXPECT_EQ(defaults["min_cord_tension_n"], 15.0) << defaults;
}

TEST_F(ClinicSettings, TheClinicsDisplayUnitsAndLanguageAreInTheInfoThePageReadsAtStart) {
  console::ServiceOptions o;
  o.force_unit = "lbf";
  o.weight_unit = "lb";
  start(o);
  const nlohmann::json info = service_->info();
  EXPECT_EQ(info["display_units"], (nlohmann::json{{"force", "lbf"}, {"weight", "lb"}}));
  EXPECT_EQ(info["language"], "en");

  start(console::ServiceOptions{}); // without a file: the page's own defaults
  EXPECT_EQ(service_->info()["display_units"], (nlohmann::json{{"force", "N"}, {"weight", "kg"}}));
}

} // namespace
} // namespace tractus::testing
