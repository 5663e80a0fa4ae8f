// Every malformed or out-of-range profile in tests/data/profiles/bad/ is refused with exactly
// these messages, and no profile is produced. The files are the base profile below with one
// thing wrong (or a few, in many_problems.json):
//   lumbar, intermittent, max 400 N, rest 50 %max, hold 60 s, rest 30 s, ramp 10 s, 20 min.
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace tractus::profiles {
namespace {

struct BadProfile {
  std::string file;                  // in tests/data/profiles/bad/, without ".json"
  std::vector<std::string> messages; // "/pointer: message", after "FILE.json: "
};

void PrintTo(const BadProfile &bad, std::ostream *out) { *out << bad.file; }

const std::string kDuration = R"((a duration such as "60 s" or "2 min"))";
const std::string kMaxForce = R"((a force such as "400 N", "90 lbf", "40 kgf" or "40 %bw"))";
const std::string kAmplitude = R"((a force such as "10 N", "2 lbf", "1 kgf" or "3 %max"))";
const std::string kKnownKeys = "(known keys: format, id, name, region, mode, max_force, "
                               "rest_force, hold, rest, ramp, ramp_shape, "
                               "progressive_steps, regressive_steps, duration, oscillation)";

const std::vector<BadProfile> kBadProfiles = {
    // JSON itself
    {"syntax_trailing_comma",
     {"/: JSON syntax error at line 13, column 1: unexpected '}'; expected string literal "
      "(valid JSON)"}},
    {"syntax_missing_colon",
     {"/: JSON syntax error at line 13, column 15: unexpected string literal; expected ':' "
      "(valid JSON)"}},
    {"empty_file",
     {"/: JSON syntax error at line 1, column 1: unexpected end of input; expected '[', '{', or "
      "a literal (valid JSON)"}},
    {"root_is_array",
     {"/: is an array, must be an object (a JSON object with the profile's fields)"}},
    {"unknown_key", {"/hodl: unknown key " + kKnownKeys}},
    {"unknown_oscillation_key",
     {"/oscillation/phase: unknown key (known keys: amplitude, frequency)"}},
    {"duplicate_key", {"/hold: duplicate key (each key at most once)"}},
    // found by the profile fuzzer's sibling on register maps: a number no double can hold
    {"number_overflow", {"/: a number is too large to read (numbers must fit a double)"}},
    {"duplicate_nested_key", {"/oscillation/amplitude: duplicate key (each key at most once)"}},
    // JSON types
    {"wrong_type_hold_number", {"/hold: is a number, must be a string " + kDuration}},
    {"wrong_type_steps_string", {"/progressive_steps: is a string, must be a number (0 to 10)"}},
    {"wrong_type_oscillation_string",
     {"/oscillation: is a string, must be an object (an object with amplitude and frequency)"}},
    {"wrong_type_name_null", {"/name: is null, must be a string (1 to 80 printable characters)"}},
    {"steps_not_whole", {"/progressive_steps: 2.5 is not a whole number (0 to 10)"}},
    // quantity text
    {"hold_without_unit", {"/hold: \"60\" has no unit " + kDuration}},
    {"ramp_unknown_unit", {"/ramp: \"10 sec\": unit \"sec\" is not accepted " + kDuration}},
    {"rest_negative", {"/rest: \"-30 s\" is negative " + kDuration}},
    {"max_force_nan", {"/max_force: \"nan N\" does not start with a number " + kMaxForce}},
    {"duration_trailing_garbage",
     {"/duration: \"20 min please\": unit \"min please\" is not accepted " + kDuration}},
    {"max_force_percent_of_max",
     {"/max_force: \"50 %max\": unit \"%max\" is not accepted " + kMaxForce}},
    {"oscillation_amplitude_in_percent_bw",
     {"/oscillation/amplitude: \"2 %bw\": unit \"%bw\" is not accepted " + kAmplitude}},
    // text fields
    {"format_version_unsupported",
     {"/format: \"tractus.profile/2\" is not supported (\"tractus.profile/1\")"}},
    {"id_not_a_slug",
     {"/id: \"Lumbar_1\" is not a valid id (1 to 64 characters from a-z, 0-9 and -)"}},
    {"id_too_long",
     {"/id: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is not a valid id (1 to 64 characters "
      "from a-z, 0-9 and -)"}},
    {"name_empty", {"/name: is empty (1 to 80 printable characters)"}},
    {"name_too_long", {"/name: is 81 characters long (1 to 80 printable characters)"}},
    {"name_with_newline", {"/name: contains a control character (1 to 80 printable characters)"}},
    {"region_unknown", {"/region: \"thoracic\" is not a region (lumbar or cervical)"}},
    {"mode_unknown", {"/mode: \"pulsed\" is not a mode (static, intermittent or cyclic)"}},
    // fields and modes
    {"missing_format_and_max_force",
     {"/format: missing (required)", "/max_force: missing (required)"}},
    {"missing_mode", {"/mode: missing (required)"}},
    {"intermittent_missing_hold", {"/hold: missing (required in intermittent mode)"}},
    {"static_with_intermittent_fields",
     {"/rest_force: has no meaning in static mode (remove it)",
      "/hold: has no meaning in static mode (remove it)",
      "/rest: has no meaning in static mode (remove it)",
      "/progressive_steps: has no meaning in static mode (remove it)"}},
    {"cyclic_with_hold_and_rest",
     {"/hold: has no meaning in cyclic mode (remove it)",
      "/rest: has no meaning in cyclic mode (remove it)"}},
    {"cyclic_with_oscillation", {"/oscillation: has no meaning in cyclic mode (remove it)"}},
    {"oscillation_missing_frequency", {"/oscillation/frequency: missing (required)"}},
    // times and steps
    {"hold_too_short", {"/hold: 2 s is too short (5 s to 5 min)"}},
    {"rest_too_long", {"/rest: 6 min is too long (5 s to 5 min)"}},
    {"ramp_too_short", {"/ramp: 1 s is too short (2 s to 2 min)"}},
    {"duration_too_long", {"/duration: 100 min is too long (1 min to 99 min)"}},
    {"steps_too_many", {"/progressive_steps: 11 is too many (0 to 10)"}},
    {"steps_negative", {"/regressive_steps: -1 is negative (0 to 10)"}},
    {"duration_too_short_for_steps",
     {"/duration: 8 min is too short for 6 cycles (3 progressive, 2 regressive, 1 at max) of "
      "1 min 50 s and a 10 s release (at least 11 min 10 s)"}},
    {"static_duration_too_short",
     {"/duration: 1 min is too short for a 30 s ramp, a 5 s hold and a 30 s release (at least "
      "1 min 5 s)"}},
    // forces
    {"max_force_over_lumbar_hard_cap",
     {"/max_force: 250 lbf = 1112.1 N is above the lumbar hard cap (at most 890 N = 200.1 lbf)"}},
    {"max_force_over_cervical_hard_cap",
     {"/max_force: 60 lbf = 266.9 N is above the cervical hard cap (at most 222 N = 49.9 lbf)"}},
    {"max_force_over_lumbar_clinical_cap",
     {"/max_force: 60 %bw is above the lumbar clinical cap (at most 50 %bw)"}},
    {"max_force_over_cervical_clinical_cap",
     {"/max_force: 25 %bw is above the cervical clinical cap (at most 20 %bw)"}},
    {"max_force_below_cord_tension",
     {"/max_force: 10 N is not above the minimum cord tension (more than 15 N)"}},
    {"rest_force_equal_to_max", {"/rest_force: 400 N is not below max_force (less than 400 N)"}},
    {"rest_force_100_percent_of_max",
     {"/rest_force: 100 %max is not below max_force (more than 0 %max, less than 100 %max)"}},
    {"rest_force_below_cord_tension",
     {"/rest_force: 10 N is below the minimum cord tension (at least 15 N)"}},
    {"rest_force_bw_above_max_bw",
     {"/rest_force: 45 %bw is not below max_force (less than 40 %bw)"}},
    // rates and oscillation
    {"ramp_rate_too_high",
     {"/ramp: 10 s is too short, the force would change at 78.5 N/s (at most 50 N/s, a ramp of "
      "at least 15.7 s)"}},
    {"cyclic_ramp_too_fast",
     {"/ramp: 10 s is too short, the force would change at 60.5 N/s (at most 50 N/s, a ramp of "
      "at least 12.1 s)"}},
    {"oscillation_too_fast",
     {"/oscillation: 20 N at 0.5 Hz is too fast, the force would change at 62.8 N/s (at most "
      "50 N/s)"}},
    {"oscillation_amplitude_over_20_percent",
     {"/oscillation/amplitude: 25 %max is too large (more than 0 %max, at most 20 %max)"}},
    {"oscillation_amplitude_absolute_too_large",
     {"/oscillation/amplitude: 100 N is too large (at most 20 %max = 80 N)"}},
    {"oscillation_peak_over_hard_cap",
     {"/oscillation/amplitude: 15 N on the hold at 880 N peaks at 895 N, above the lumbar hard "
      "cap (at most 890 N = 200.1 lbf)"}},
    {"oscillation_dips_below_cord_tension",
     {"/oscillation/amplitude: 20 N on the lowest hold at 22.7 N dips to 2.7 N, below the "
      "minimum cord tension (at least 15 N)"}},
    {"oscillation_too_slow_for_hold",
     {"/oscillation/frequency: 0.1 Hz is too slow for a 5 s hold (at least 0.2 Hz, one whole "
      "period per hold)"}},
    {"oscillation_frequency_too_high",
     {"/oscillation/frequency: 2 Hz is too fast (0.05 Hz to 1 Hz)"}},
    // all at once, in the order of the fields, unknown keys last
    {"many_problems",
     {"/id: \"Many Problems\" is not a valid id (1 to 64 characters from a-z, 0-9 and -)",
      "/hold: 2 s is too short (5 s to 5 min)", "/rest: is a number, must be a string " + kDuration,
      "/ramp: \"10 sec\": unit \"sec\" is not accepted " + kDuration,
      "/typo: unknown key " + kKnownKeys}},
};

class BadProfileFile : public ::testing::TestWithParam<BadProfile> {};

TEST_P(BadProfileFile, IsRefusedWithExactlyTheseMessages) {
  const BadProfile &bad = GetParam();
  const std::string file = bad.file + ".json";
  const auto path = testing::data_dir() / "bad" / file;
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  const Result<Profile> result = parse_profile(testing::read_text(path), file);
  std::vector<std::string> expected;
  for (const std::string &message : bad.messages)
    expected.push_back(file + ": " + message);
  EXPECT_EQ(to_strings(result.problems), expected);
  EXPECT_FALSE(result.value.has_value());
}

INSTANTIATE_TEST_SUITE_P(Profiles, BadProfileFile, ::testing::ValuesIn(kBadProfiles),
                         [](const ::testing::TestParamInfo<BadProfile> &param) {
                           return param.param.file;
                         });

TEST(BadProfileFiles, EveryFileInTheFolderHasItsExpectedMessages) {
  std::size_t files = 0;
  for (const auto &entry : std::filesystem::directory_iterator(testing::data_dir() / "bad")) {
    const std::string stem = entry.path().stem().string();
    EXPECT_TRUE(std::any_of(kBadProfiles.begin(), kBadProfiles.end(),
                            [&](const BadProfile &bad) { return bad.file == stem; }))
        << stem << " has no expected messages";
    ++files;
  }
  EXPECT_GE(files, 30U);
}

TEST(BadProfileFiles, LoadingByPathNamesTheFileAsGiven) {
  const auto path = testing::data_dir() / "bad" / "hold_too_short.json";
  const Result<Profile> result = load_profile(path);
  EXPECT_EQ(to_strings(result.problems),
            std::vector<std::string>{path.string() + ": /hold: 2 s is too short (5 s to 5 min)"});
}

} // namespace
} // namespace tractus::profiles
