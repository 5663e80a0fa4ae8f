// Quantities as clinicians type them: the accepted forms, the refused ones with their exact
// messages, and the conversions between the units US and SI users think in.
#include "profiles/quantity_text.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace tractus::profiles {
namespace {

TEST(ForceText, ReadsNewtonsPoundsAndKilogramsForce) {
  EXPECT_DOUBLE_EQ(parse_force("400 N").value->si(), 400.0);
  EXPECT_NEAR(parse_force("90 lbf").value->si(), 400.34, 0.01);
  EXPECT_NEAR(parse_force("40 kgf").value->si(), 392.266, 0.001);
  EXPECT_DOUBLE_EQ(parse_force("0.5 N").value->si(), 0.5);
}

TEST(ForceText, TheSpaceBeforeTheUnitIsOptional) {
  EXPECT_EQ(parse_force("90lbf").value, parse_force("90 lbf").value);
  EXPECT_EQ(*parse_force_spec("45%bw").value, (ForceSpec{45.0, ForceUnit::PercentBodyWeight}));
}

TEST(ForceText, KeepsPercentagesForLaterResolution) {
  EXPECT_EQ(*parse_force_spec("45 %bw").value, (ForceSpec{45.0, ForceUnit::PercentBodyWeight}));
  EXPECT_EQ(*parse_force_spec("50 %max").value, (ForceSpec{50.0, ForceUnit::PercentMax}));
  EXPECT_FALSE(parse_force_spec("45 %bw").value->is_absolute());
  EXPECT_TRUE(parse_force_spec("90 lbf").value->is_absolute());
}

TEST(ForceText, AbsoluteOnlyParserRefusesPercentages) {
  EXPECT_EQ(parse_force("45 %bw").error, "\"45 %bw\": unit \"%bw\" is not accepted");
}

TEST(ForceText, FieldsCanNarrowTheUnits) {
  const std::array units{ForceUnit::Newton, ForceUnit::PercentMax};
  EXPECT_TRUE(parse_force_spec("50 %max", units).ok());
  EXPECT_EQ(parse_force_spec("5 lbf", units).error, "\"5 lbf\": unit \"lbf\" is not accepted");
}

struct Refused {
  const char *text;
  const char *error;
};

TEST(QuantityText, RefusesAnythingButNumberSpaceUnitWithTheReason) {
  const Refused cases[] = {
      {"", "\"\" is empty"},
      {"400", "\"400\" has no unit"},
      {"400 ", "\"400 \" has no unit"},
      {"400  N", "\"400  N\": unit \" N\" is not accepted"},
      {" 400 N", "\" 400 N\" does not start with a number"},
      {"400 n", "\"400 n\": unit \"n\" is not accepted"},
      {"400 newton", "\"400 newton\": unit \"newton\" is not accepted"},
      {"400 N extra", "\"400 N extra\": unit \"N extra\" is not accepted"},
      {"-5 N", "\"-5 N\" is negative"},
      {"+5 N", "\"+5 N\" does not start with a number"},
      {"nan N", "\"nan N\" does not start with a number"},
      {"inf N", "\"inf N\" does not start with a number"},
      {"1e3 N", "\"1e3 N\": unit \"e3 N\" is not accepted"},
      {".5 N", "\".5 N\" is not a well-formed number"},
      {"5. N", "\"5. N\" is not a well-formed number"},
      {"1.2.3 N", "\"1.2.3 N\" is not a well-formed number"},
      {"N", "\"N\" does not start with a number"},
  };
  for (const Refused &refused : cases) {
    const Parsed<Force> parsed = parse_force(refused.text);
    EXPECT_FALSE(parsed.ok()) << refused.text;
    EXPECT_EQ(parsed.error, refused.error) << refused.text;
  }
}

TEST(QuantityText, AHugeNumberIsTooLargeNotInfinite) {
  const std::string huge = std::string(400, '9') + " N";
  EXPECT_EQ(parse_force(huge).error,
            "\"9999999999999999999999999999999999999999...\" is too large");
}

TEST(QuantityText, MessagesEscapeControlCharactersSoTheyStayOneLine) {
  EXPECT_EQ(parse_force("4\n0 N").error, "\"4\\u000a0 N\": unit \"\\u000a0 N\" is not accepted");
}

TEST(DurationText, ReadsSecondsAndMinutes) {
  EXPECT_DOUBLE_EQ(parse_duration("60 s").value->si(), 60.0);
  EXPECT_DOUBLE_EQ(parse_duration("20 min").value->si(), 1200.0);
  EXPECT_DOUBLE_EQ(parse_duration("0.5 min").value->si(), 30.0);
  EXPECT_EQ(parse_duration("60 sec").error, "\"60 sec\": unit \"sec\" is not accepted");
  EXPECT_EQ(parse_duration("60 N").error, "\"60 N\": unit \"N\" is not accepted");
}

TEST(FrequencyText, ReadsHertz) {
  EXPECT_DOUBLE_EQ(parse_frequency("0.5 Hz").value->si(), 0.5);
  EXPECT_EQ(parse_frequency("0.5 hz").error, "\"0.5 hz\": unit \"hz\" is not accepted");
}

TEST(BodyMassText, ReadsKilogramsAndPoundsWithOrWithoutASpace) {
  EXPECT_DOUBLE_EQ(parse_body_mass("80kg").value->si(), 80.0);
  EXPECT_DOUBLE_EQ(parse_body_mass("80 kg").value->si(), 80.0);
  EXPECT_NEAR(parse_body_mass("176lb").value->si(), 79.832, 0.001);
  EXPECT_NEAR(parse_body_mass("176 lb").value->si(), 79.832, 0.001);
}

TEST(BodyMassText, RefusesOtherUnitsAndNoUnit) {
  const std::string hint = " (kg or lb, e.g. 80kg or 176lb)";
  EXPECT_EQ(parse_body_mass("80").error, "\"80\" has no unit" + hint);
  EXPECT_EQ(parse_body_mass("80 lbs").error, "\"80 lbs\": unit \"lbs\" is not accepted" + hint);
  EXPECT_EQ(parse_body_mass("12 st").error, "\"12 st\": unit \"st\" is not accepted" + hint);
  EXPECT_EQ(parse_body_mass("80 KG").error, "\"80 KG\": unit \"KG\" is not accepted" + hint);
  EXPECT_EQ(parse_body_mass("-80kg").error, "\"-80kg\" is negative" + hint);
}

TEST(BodyMassText, RefusesWeightsOutside20To300Kilograms) {
  const std::string range = " is outside the accepted range (20 kg to 300 kg, 44.1 lb to 661.4 lb)";
  EXPECT_EQ(parse_body_mass("19.9kg").error, "\"19.9kg\"" + range);
  EXPECT_EQ(parse_body_mass("800kg").error, "\"800kg\"" + range);
  EXPECT_EQ(parse_body_mass("700 lb").error, "\"700 lb\"" + range);
  EXPECT_TRUE(parse_body_mass("20kg").ok());
  EXPECT_TRUE(parse_body_mass("300kg").ok());
}

TEST(ForceFormatting, ShowsNewtonsPoundsAndKilogramsForce) {
  EXPECT_EQ(format_force(newtons(400.0)), "400 N");
  EXPECT_EQ(format_force(newtons(725.6921)), "725.7 N");
  EXPECT_EQ(format_force(lbf(90.0), ForceUnit::PoundForce), "90 lbf");
  EXPECT_EQ(format_force(kgf(40.0), ForceUnit::KilogramForce), "40 kgf");
  EXPECT_EQ(format_force_n_lbf(newtons(890.0)), "890 N = 200.1 lbf");
}

TEST(ForceFormatting, PoundsAndNewtonsRoundTripWithin1e9) {
  for (const double pounds : {0.0, 0.1, 1.0, 22.48, 90.0, 123.456789, 200.0}) {
    const Force force = lbf(pounds);
    const Parsed<Force> back = parse_force(format_force(force, ForceUnit::PoundForce, 12));
    ASSERT_TRUE(back.ok()) << pounds;
    EXPECT_NEAR(back.value->si(), force.si(), 1e-9) << pounds;
    const Parsed<Force> newtons_back = parse_force(format_force(force, ForceUnit::Newton, 12));
    EXPECT_NEAR(in_lbf(*newtons_back.value), pounds, 1e-9) << pounds;
  }
}

TEST(ForceSpecText, RoundTripsExactlyAsWritten) {
  for (const char *text :
       {"90 lbf", "400 N", "40 kgf", "45 %bw", "50 %max", "0.1 N", "33.25 %bw"}) {
    EXPECT_EQ(to_string(*parse_force_spec(text).value), text);
  }
}

TEST(DurationFormatting, UsesMinutesAndSecondsAsPeopleSayThem) {
  EXPECT_EQ(format_duration(seconds(5.0)), "5 s");
  EXPECT_EQ(format_duration(seconds(0.5)), "0.5 s");
  EXPECT_EQ(format_duration(minutes(5.0)), "5 min");
  EXPECT_EQ(format_duration(seconds(110.0)), "1 min 50 s");
  EXPECT_EQ(format_duration(seconds(119.99)), "2 min");
  EXPECT_EQ(to_profile_text(minutes(20.0)), "20 min");
  EXPECT_EQ(to_profile_text(seconds(90.0)), "90 s");
  EXPECT_EQ(to_profile_text(seconds(12.5)), "12.5 s");
}

} // namespace
} // namespace tractus::profiles
