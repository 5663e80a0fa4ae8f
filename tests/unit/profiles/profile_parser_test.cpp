// Reading good profiles: every field, the defaults, the round trip back to JSON, and
// validate() for profiles built in code.
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace tractus::profiles {
namespace {

using testing::data_dir;
using testing::kDesignExample;
using testing::read_text;

TEST(ProfileParser, ReadsTheDesignExampleFieldByField) {
  const Result<Profile> result = parse_profile(kDesignExample, "lumbar.json");
  ASSERT_TRUE(result.ok()) << to_strings(result.problems).front();
  const Profile &p = *result.value;
  EXPECT_EQ(p.source, "lumbar.json");
  EXPECT_EQ(p.id, "lumbar-intermittent");
  EXPECT_EQ(p.name, "Lumbar intermittent 60/30");
  EXPECT_EQ(p.region, Region::Lumbar);
  EXPECT_EQ(p.mode, Mode::Intermittent);
  EXPECT_EQ(p.max_force, (ForceSpec{40.0, ForceUnit::PercentBodyWeight}));
  EXPECT_EQ(p.rest_force, (ForceSpec{50.0, ForceUnit::PercentMax}));
  EXPECT_EQ(p.hold, seconds(60.0));
  EXPECT_EQ(p.rest, seconds(30.0));
  EXPECT_EQ(p.ramp, seconds(10.0));
  EXPECT_EQ(p.progressive_steps, 3);
  EXPECT_EQ(p.regressive_steps, 2);
  EXPECT_EQ(p.duration, minutes(20.0));
  EXPECT_FALSE(p.oscillation.has_value());
  EXPECT_TRUE(result.problems.empty());
}

TEST(ProfileParser, LeftOutOptionalFieldsTakeTheirDefaults) {
  const Result<Profile> result = load_profile(data_dir() / "good" / "minimal-static.json");
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.value->ramp.has_value());
  EXPECT_EQ(result.value->ramp_or_default(), seconds(30.0));
  EXPECT_EQ(result.value->progressive_steps, 0);
  EXPECT_EQ(result.value->regressive_steps, 0);
  EXPECT_FALSE(result.value->oscillation.has_value());
}

TEST(ProfileParser, ReadsOscillationAndAbsoluteUnits) {
  const Result<Profile> result = load_profile(data_dir() / "good" / "pounds-with-oscillation.json");
  ASSERT_TRUE(result.ok()) << to_strings(result.problems).front();
  ASSERT_TRUE(result.value->oscillation.has_value());
  EXPECT_EQ(result.value->oscillation->amplitude, (ForceSpec{2.0, ForceUnit::PoundForce}));
  EXPECT_EQ(result.value->oscillation->frequency, hertz(0.3));
  EXPECT_NEAR(result.value->max_force.absolute().si(), 444.82, 0.01);
}

TEST(ProfileParser, EveryGoodTestProfileIsValid) {
  for (const auto &entry : std::filesystem::directory_iterator(data_dir() / "good")) {
    const Result<Profile> result = load_profile(entry.path());
    EXPECT_TRUE(result.ok()) << entry.path() << ": "
                             << ::testing::PrintToString(to_strings(result.problems));
  }
}

TEST(ProfileParser, ProfileWrittenAsJsonReadsBackEqual) {
  for (const auto &entry : std::filesystem::directory_iterator(data_dir() / "good")) {
    const Profile profile = *load_profile(entry.path()).value;
    const Result<Profile> again = parse_profile(to_json_text(profile), profile.source);
    ASSERT_TRUE(again.ok()) << to_json_text(profile);
    EXPECT_EQ(*again.value, profile) << to_json_text(profile);
  }
}

TEST(ProfileParser, JsonTextLeavesOutDefaultsAndKeepsTheWrittenUnits) {
  const Profile profile = *load_profile(data_dir() / "good" / "minimal-static.json").value;
  EXPECT_EQ(to_json_text(profile), R"({
  "format": "tractus.profile/1",
  "id": "minimal-static",
  "name": "Only the required fields",
  "region": "lumbar",
  "mode": "static",
  "max_force": "90 lbf",
  "duration": "10 min"
}
)");
}

TEST(ProfileParser, AByteOrderMarkAndUnicodeNamesAreFine) {
  std::string text = "\xEF\xBB\xBF" + std::string(kDesignExample);
  text.replace(text.find("Lumbar intermittent 60/30"), 25, "Lendenwirbels\xC3\xA4ule 60/30");
  const Result<Profile> result = parse_profile(text, "bom.json");
  ASSERT_TRUE(result.ok()) << to_strings(result.problems).front();
  EXPECT_EQ(result.value->name, "Lendenwirbels\xC3\xA4ule 60/30");
}

TEST(ProfileParser, NameLengthCountsCharactersNotBytes) {
  std::string text(kDesignExample);
  std::string name;
  for (int i = 0; i < 80; ++i)
    name += "\xC3\xA4"; // 80 characters, 160 bytes
  text.replace(text.find("Lumbar intermittent 60/30"), 25, name);
  EXPECT_TRUE(parse_profile(text, "t.json").ok());
}

TEST(ProfileParser, AFileThatDoesNotExistIsOneProblem) {
  EXPECT_EQ(
      to_strings(load_profile("/nonexistent/lumbar.json").problems),
      std::vector<std::string>{"/nonexistent/lumbar.json: /: does not exist (a profile file)"});
}

TEST(ProfileParser, ADirectoryIsNotAProfile) {
  const auto dir = data_dir() / "good";
  EXPECT_EQ(to_strings(load_profile(dir).problems),
            std::vector<std::string>{dir.string() + ": /: is a directory (a profile file)"});
}

TEST(Validate, ChecksAProfileBuiltInCodeLikeAFile) {
  Profile profile = testing::parsed(kDesignExample);
  profile.source = "console";
  profile.hold = seconds(2.0);
  profile.mode = Mode::Static;
  EXPECT_EQ(to_strings(validate(profile)),
            (std::vector<std::string>{
                "console: /rest_force: has no meaning in static mode (remove it)",
                "console: /hold: has no meaning in static mode (remove it)",
                "console: /rest: has no meaning in static mode (remove it)",
                "console: /progressive_steps: has no meaning in static mode (remove it)",
                "console: /regressive_steps: has no meaning in static mode (remove it)"}));
}

TEST(Validate, RefusesAPercentOfMaxAsTheMaxForceItself) {
  Profile profile = testing::parsed(kDesignExample);
  profile.max_force = ForceSpec{50.0, ForceUnit::PercentMax};
  EXPECT_EQ(to_strings(validate(profile)),
            std::vector<std::string>{
                "t.json: /max_force: \"50 %max\": unit \"%max\" is not accepted (a force such as "
                "\"400 N\", \"90 lbf\", \"40 kgf\" or \"40 %bw\")"});
}

TEST(Validate, RefusesANotANumberTimeFromCode) {
  Profile profile = testing::parsed(kDesignExample);
  profile.hold = Duration(std::nan(""));
  EXPECT_EQ(to_strings(validate(profile)),
            std::vector<std::string>{"t.json: /hold: nan s is too short (5 s to 5 min)"});
}

TEST(Validate, AValidProfileHasNoProblems) {
  EXPECT_TRUE(validate(testing::parsed(kDesignExample)).empty());
}

TEST(Limits, TheDefaultsAreUsable) { EXPECT_TRUE(limit_problems(kDefaultLimits).empty()); }

TEST(Limits, AClinicMayLowerButNeverRaiseThem) {
  Limits limits;
  limits.lumbar_hard_cap = newtons(1000.0);
  limits.max_rate = newtons_per_second(80.0);
  limits.max_duration = minutes(120.0);
  EXPECT_EQ(
      to_strings(limit_problems(limits)),
      (std::vector<std::string>{
          "limits: /lumbar_hard_cap: 1000 N is outside what a clinic may set (15 N to 890 N)",
          "limits: /max_rate: 80 N/s is outside what a clinic may set (1 N/s to 50 N/s)",
          "limits: /max_duration: 120 min is outside what a clinic may set (1 min to 99 min)"}));
}

TEST(Limits, ParsingWithLoosenedLimitsReportsTheLimitsNotTheProfile) {
  Limits limits;
  limits.cervical_clinical_cap_percent_bw = 30.0;
  EXPECT_EQ(to_strings(parse_profile(kDesignExample, "t.json", limits).problems),
            std::vector<std::string>{"limits: /cervical_clinical_cap_percent_bw: 30 %bw is outside "
                                     "what a clinic may set (1 %bw to 20 %bw)"});
}

TEST(Limits, ALoweredHardCapIsApplied) {
  Limits limits;
  limits.lumbar_hard_cap = newtons(600.0);
  std::string text(kDesignExample);
  text.replace(text.find("40 %bw"), 6, "700 N");
  EXPECT_EQ(
      to_strings(parse_profile(text, "t.json", limits).problems),
      std::vector<std::string>{
          "t.json: /max_force: 700 N is above the lumbar hard cap (at most 600 N = 134.9 lbf)"});
}

// 400 N in 3 progressive steps: the steepest ramp climbs from the last step's rest (151.9 N)
// to max in 10 s, 24.8 N/s.
TEST(Limits, ASlowerClinicRateLimitNeedsLongerRamps) {
  Limits limits;
  limits.max_rate = newtons_per_second(20.0);
  std::string text(kDesignExample);
  text.replace(text.find("40 %bw"), 6, "400 N");
  EXPECT_EQ(to_strings(parse_profile(text, "t.json", limits).problems),
            std::vector<std::string>{"t.json: /ramp: 10 s is too short, the force would change at "
                                     "24.8 N/s (at most 20 N/s, a ramp of at least 12.5 s)"});
}

} // namespace
} // namespace tractus::profiles
