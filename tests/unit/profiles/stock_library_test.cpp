// The stock profiles: present, valid, and safe for every patient from 50 to 185 kg, checked by
// sampling the whole session as the control loop would.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace tractus::profiles {
namespace {

const Library &stock() {
  static const Library library = load_library();
  return library;
}

TEST(StockLibrary, HasNoBrokenFiles) {
  EXPECT_TRUE(stock().problems.empty()) << ::testing::PrintToString(to_strings(stock().problems));
}

TEST(StockLibrary, HoldsTheProfilesTheDesignAsksFor) {
  for (const char *id : {"lumbar-static", "lumbar-intermittent", "lumbar-cyclic",
                         "lumbar-progressive", "cervical-static", "cervical-intermittent"}) {
    EXPECT_TRUE(std::any_of(stock().entries.begin(), stock().entries.end(),
                            [&](const LibraryEntry &entry) { return entry.profile.id == id; }))
        << id;
  }
}

TEST(StockLibrary, IsListedInIdOrder) {
  EXPECT_TRUE(std::is_sorted(
      stock().entries.begin(), stock().entries.end(),
      [](const LibraryEntry &a, const LibraryEntry &b) { return a.profile.id < b.profile.id; }));
}

TEST(StockLibrary, LumbarIntermittentIsExactlyTheDesignExample) {
  Profile expected = testing::parsed(testing::kDesignExample);
  expected.source = "lumbar-intermittent.json";
  EXPECT_EQ(*find_profile("lumbar-intermittent").value, expected);
}

TEST(StockLibrary, EveryProfileCompilesForEveryBodyMassFrom50To185Kilograms) {
  for (const LibraryEntry &entry : stock().entries) {
    for (int kg = 50; kg <= 185; ++kg) {
      const Result<Trajectory> result =
          compile(entry.profile, Patient{"p", kilograms(static_cast<double>(kg))});
      EXPECT_TRUE(result.ok()) << entry.profile.id << " at " << kg
                               << " kg: " << ::testing::PrintToString(to_strings(result.problems));
    }
  }
}

TEST(StockLibrary, CervicalProfilesStayUnder222NewtonsAnd20PercentBodyWeight) {
  for (const LibraryEntry &entry : stock().entries) {
    if (entry.profile.region != Region::Cervical) continue;
    for (const double kg : {50.0, 185.0}) {
      const Trajectory t = testing::compiled(entry.profile, kg);
      EXPECT_LE(t.peak_force().si(), 222.0) << entry.profile.id;
      EXPECT_LE(t.peak_force().si(), 0.20 * kg * kStandardGravity) << entry.profile.id;
    }
  }
}

// Every stock profile at a light, an average and a heavy patient, sampled every 10 ms as a
// 100 Hz loop would see it.
class StockSession : public ::testing::TestWithParam<double> {};

TEST_P(StockSession, NeverChangesFasterThanTheRateLimit) {
  const double limit = kDefaultLimits.max_rate.si();
  for (const LibraryEntry &entry : stock().entries) {
    const Trajectory t = testing::compiled(entry.profile, GetParam());
    const double total = t.total_duration().si();
    double previous = t.at(Duration(0.0)).force.si();
    for (int i = 1; i * 0.01 <= total + 0.01; ++i) {
      const Setpoint setpoint = t.at(seconds(i * 0.01));
      ASSERT_LE(std::abs(setpoint.rate.si()), limit + 1e-9)
          << entry.profile.id << " at " << i * 0.01;
      ASSERT_LE(std::abs(setpoint.force.si() - previous) / 0.01, limit + 1e-6)
          << entry.profile.id << " at " << i * 0.01 << " s";
      previous = setpoint.force.si();
    }
  }
}

TEST_P(StockSession, HasNoJumpBetween1MillisecondSamples) {
  const double step = 0.001;
  const double largest = kDefaultLimits.max_rate.si() * step + 1e-9;
  for (const LibraryEntry &entry : stock().entries) {
    const Trajectory t = testing::compiled(entry.profile, GetParam());
    double previous = t.at(Duration(0.0)).force.si();
    for (int i = 1; i * step <= t.total_duration().si() + step; ++i) {
      const double force = t.at(seconds(i * step)).force.si();
      ASSERT_LE(std::abs(force - previous), largest) << entry.profile.id << " at " << i * step;
      previous = force;
    }
  }
}

TEST_P(StockSession, NeverExceedsMaxForcePlusOscillation) {
  for (const LibraryEntry &entry : stock().entries) {
    const Trajectory t = testing::compiled(entry.profile, GetParam());
    const ResolvedForces &forces = t.forces();
    const double highest = (forces.max + forces.oscillation_amplitude.value_or(Force(0.0))).si();
    EXPECT_LE(t.peak_force().si(), highest + 1e-9) << entry.profile.id;
    EXPECT_LE(highest, forces.ceiling.si()) << entry.profile.id;
    for (int i = 0; i * 0.01 <= t.total_duration().si(); ++i)
      ASSERT_LE(t.at(seconds(i * 0.01)).force.si(), highest + 1e-9) << entry.profile.id;
  }
}

TEST_P(StockSession, KeepsTheCordTensionUntilTheReleaseAndEndsAtZero) {
  const double cord = kDefaultLimits.min_cord_tension.si();
  for (const LibraryEntry &entry : stock().entries) {
    const Trajectory t = testing::compiled(entry.profile, GetParam());
    EXPECT_NEAR(t.at(Duration(0.0)).force.si(), cord, 1e-9) << entry.profile.id;
    for (int i = 0; i * 0.01 < t.total_duration().si(); ++i) {
      const Setpoint setpoint = t.at(seconds(i * 0.01));
      if (setpoint.phase != Phase::Release) {
        ASSERT_GE(setpoint.force.si(), cord - 1e-9) << entry.profile.id << " at " << i * 0.01;
      }
    }
    EXPECT_DOUBLE_EQ(t.total_duration().si(), entry.profile.duration.si()) << entry.profile.id;
    EXPECT_NEAR(t.at(t.total_duration() - Duration(1e-9)).force.si(), 0.0, 1e-6)
        << entry.profile.id;
    EXPECT_EQ(t.at(t.total_duration()).phase, Phase::Done) << entry.profile.id;
  }
}

INSTANTIATE_TEST_SUITE_P(BodyMass, StockSession, ::testing::Values(50.0, 80.0, 185.0),
                         [](const ::testing::TestParamInfo<double> &param) {
                           return std::to_string(static_cast<int>(param.param)) + "kg";
                         });

TEST(FindProfile, FindsAStockProfileById) {
  const Result<Profile> found = find_profile("cervical-static");
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value->id, "cervical-static");
  EXPECT_EQ(found.value->source, "cervical-static.json");
}

TEST(FindProfile, ReadsAPathAsAFile) {
  const auto path = testing::data_dir() / "good" / "minimal-static.json";
  const Result<Profile> found = find_profile(path.string());
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value->id, "minimal-static");
  EXPECT_EQ(found.value->source, path.string());
}

TEST(FindProfile, AnUnknownIdListsTheKnownOnes) {
  const Result<Profile> found = find_profile("lumbar-statik");
  ASSERT_EQ(found.problems.size(), 1U);
  EXPECT_TRUE(found.problems[0].message.starts_with("no such profile in the library (cervical-"))
      << found.problems[0].message;
  EXPECT_EQ(found.problems[0].file, "lumbar-statik");
}

TEST(FindProfile, TextThatIsNeitherIdNorFileIsRefused) {
  EXPECT_EQ(
      to_strings(find_profile("Lumbar Static").problems),
      std::vector<std::string>{"Lumbar Static: /: is neither a profile id nor a .json file (an "
                               "id such as lumbar-static, or a path ending in .json)"});
}

TEST(LoadLibrary, AFileWhoseIdDiffersFromItsNameIsRefused) {
  const auto dir = std::filesystem::temp_directory_path() / "tractus-profiles-library-test";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(testing::data_dir() / "good" / "minimal-static.json",
                             dir / "renamed.json",
                             std::filesystem::copy_options::overwrite_existing);
  const Library library = load_library(dir);
  std::filesystem::remove_all(dir);
  EXPECT_TRUE(library.entries.empty());
  EXPECT_EQ(to_strings(library.problems),
            std::vector<std::string>{
                "renamed.json: /id: \"minimal-static\" does not match the file name (renamed)"});
}

} // namespace
} // namespace tractus::profiles
