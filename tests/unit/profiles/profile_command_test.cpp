// `tractus profile list | show | validate`: what a user reads and the exit codes.
#include "cli/profile_command.hpp"

#include "test_support.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace tractus::cli {
namespace {

using profiles::testing::data_dir;

TEST(ProfileList, PrintsOneAlignedLinePerStockProfile) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(profile_list(out, err), 0);
  EXPECT_EQ(err.str(), "");
  const std::string text = out.str();
  EXPECT_NE(text.find("lumbar-intermittent        lumbar    intermittent  Lumbar intermittent "
                      "60/30\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'),
            static_cast<long>(profiles::load_library().entries.size()));
}

TEST(ProfileShow, PrintsEveryFieldWithItsUnit) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(profile_show((data_dir() / "good" / "pounds-with-oscillation.json").string(),
                         std::nullopt, out, err),
            0);
  const std::string text = out.str();
  for (const char *line :
       {"  max_force          100 lbf  (444.8 N = 100 lbf)\n",
        "  rest_force         60 lbf  (266.9 N = 60 lbf)\n", "  hold               45 s\n",
        "  rest               15 s\n", "  ramp               15 s\n", "  progressive_steps  2\n",
        "  regressive_steps   0\n", "  duration           15 min\n",
        "  oscillation        2 lbf  (8.9 N = 2 lbf) at 0.3 Hz\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "in:\n" << text;
  EXPECT_EQ(text.find("For a patient"), std::string::npos);
}

TEST(ProfileShow, SaysWhenTheRampIsTheDefault) {
  std::ostringstream out;
  std::ostringstream err;
  profile_show((data_dir() / "good" / "minimal-static.json").string(), std::nullopt, out, err);
  EXPECT_NE(out.str().find("  ramp               30 s (default)\n"), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("  ramp_shape         linear\n"), std::string::npos) << out.str();
}

// The ramp's shape is a field like any other (docs/profiles.md "Ramp shapes"); a cyclic
// session's ramps are always the S-curve, so it has none to show.
TEST(ProfileShow, ShowsTheRampShapeExceptOnACyclicSession) {
  std::ostringstream out;
  std::ostringstream err;
  profile_show((data_dir() / "good" / "lumbar-intermittent-logarithmic.json").string(),
               std::nullopt, out, err);
  EXPECT_NE(out.str().find("  ramp_shape         logarithmic\n"), std::string::npos) << out.str();
  std::ostringstream cyclic;
  profile_show((data_dir() / "good" / "cervical-cyclic.json").string(), std::nullopt, cyclic, err);
  EXPECT_EQ(cyclic.str().find("ramp_shape"), std::string::npos) << cyclic.str();
}

TEST(ProfileShow, WithAWeightResolvesTheForcesAndDrawsTheSession) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(profile_show("lumbar-intermittent", kilograms(80.0), out, err), 0);
  const std::string text = out.str();
  for (const char *line :
       {"For a patient of 80 kg (176.4 lb), body weight 784.5 N = 176.4 lbf:\n",
        "  max force          313.8 N = 70.5 lbf\n", "  rest force         156.9 N = 35.3 lbf\n",
        "  cycles             10: 3 progressive, 5 at max, 2 regressive\n",
        "  session            20 min, ending with a 10 s release to 0 N\n",
        "  4-8     313.8 N = 70.5 lbf    156.9 N = 35.3 lbf\n", "314 N |", "  0 N +----",
        "20 min\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "in:\n" << text;
  EXPECT_EQ(err.str(), "");
}

TEST(ProfileShow, RefusesAWeightTheProfileCannotServeWithTheReason) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(profile_show((data_dir() / "good" / "minimal-static.json").string(), kilograms(50.0),
                         out, err),
            2);
  EXPECT_NE(err.str().find("/max_force: 90 lbf = 400.3 N is above the lumbar clinical cap at "
                           "50 kg (at most 50 %bw = 245.2 N)"),
            std::string::npos)
      << err.str();
}

TEST(ProfileShow, AnUnknownIdIsBadInput) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(profile_show("no-such-profile", std::nullopt, out, err), 2);
  EXPECT_EQ(out.str(), "");
  EXPECT_TRUE(err.str().starts_with("no-such-profile: /: no such profile in the library ("))
      << err.str();
}

TEST(ProfileValidate, SaysOkForEachGoodFileAndReturnsZero) {
  const std::string good = (data_dir() / "good" / "minimal-static.json").string();
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(profile_validate({good, good}, out, err), 0);
  EXPECT_EQ(out.str(), good + ": ok\n" + good + ": ok\n");
  EXPECT_EQ(err.str(), "");
}

TEST(ProfileValidate, PrintsEveryProblemOfEveryBadFileAndReturnsTwo) {
  const std::string good = (data_dir() / "good" / "minimal-static.json").string();
  const std::string bad = (data_dir() / "bad" / "hold_too_short.json").string();
  const std::string missing = (data_dir() / "bad" / "missing.json").string();
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(profile_validate({bad, good, missing}, out, err), 2);
  EXPECT_EQ(out.str(), good + ": ok\n");
  EXPECT_EQ(err.str(), bad + ": /hold: 2 s is too short (5 s to 5 min)\n" + missing +
                           ": /: does not exist (a profile file)\n");
}

TEST(ProfileValidate, NoFileIsBadInput) {
  std::ostringstream out;
  std::ostringstream err;
  EXPECT_EQ(profile_validate({}, out, err), 2);
}

TEST(ForceChart, DrawsTheSessionInTheRequestedSize) {
  const profiles::Trajectory t =
      profiles::testing::compiled(*profiles::find_profile("lumbar-static").value, 80.0);
  const std::string chart = profiles::render_force_chart(t, 40, 8);
  EXPECT_EQ(std::count(chart.begin(), chart.end(), '\n'), 10); // 8 rows, axis, time labels
  EXPECT_TRUE(chart.starts_with("259 N |")) << chart;          // 33 %bw of 80 kg
  EXPECT_NE(chart.find("  0 N +" + std::string(40, '-') + "\n"), std::string::npos) << chart;
  EXPECT_TRUE(chart.ends_with("15 min\n")) << chart;
}

} // namespace
} // namespace tractus::cli
