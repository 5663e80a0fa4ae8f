// Register-map configuration files: the example parses to what it says, and every mistake is
// reported with its JSON pointer — all of them at once.
#include "hal/modbus/register_map_config.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace tractus::hal;
using namespace tractus::hal::modbus;
using namespace tractus::hal::regmap;

namespace {

bool has_error(const MapParse &p, std::string_view needle) {
  return std::any_of(p.errors.begin(), p.errors.end(),
                     [&](const std::string &e) { return e.find(needle) != std::string::npos; });
}
std::string all(const MapParse &p) {
  std::string s;
  for (const auto &e : p.errors)
    s += e + "\n";
  return s;
}

// The default drive section, as a file would spell it.
const std::string kDrive = R"("drive": {
    "unit": 2, "controlword": {"address": 10},
    "target_speed": {"address": 11, "type": "int32", "scale": 1e-5},
    "statusword": {"address": 13, "watchdog_armed_bit": 15},
    "actual_position": {"address": 14, "type": "int32", "scale": 1e-6},
    "actual_speed": {"address": 16, "type": "int32", "scale": 1e-5},
    "current": {"address": 18, "type": "int16", "scale": 0.01},
    "fault_code": {"address": 19}, "sto": {"address": 20},
    "watchdog_timeout": {"address": 30, "type": "uint16", "scale": 0.001},
    "watchdog_action": {"address": 31, "value": 2}, "identification": {"address": 100}})";

MapParse with_drive(const std::string &drive) {
  return parse_register_map(R"({"format": "tractus.register-map/1", )" + drive + "}", "m.json");
}
std::string replaced(std::string s, const std::string &from, const std::string &to) {
  s.replace(s.find(from), from.size(), to);
  return s;
}

} // namespace

TEST(RegisterMapConfig, TheDefaultMapKeepsEveryRule) {
  EXPECT_TRUE(check_register_map(kDefaultMap).empty());
}

TEST(RegisterMapConfig, TheShippedExampleParsesToWhatItSays) {
  const MapParse p = load_register_map(TRACTUS_EXAMPLES_DIR "/register-map-other-vendors.json");
  ASSERT_TRUE(p) << all(p);
  const RegisterMap &m = *p.map;
  EXPECT_EQ(m.load_cell.unit, 11);
  EXPECT_EQ(m.load_cell.counts.order, WordOrder::LowFirst);
  EXPECT_EQ(m.load_cell.adc_ok_bit, 15);
  EXPECT_FALSE(m.load_cell.identification);
  EXPECT_EQ(m.drive.target_speed.type, RegType::Int16);
  EXPECT_DOUBLE_EQ(m.drive.target_speed.scale, 1e-4);
  EXPECT_FALSE(m.drive.watchdog_armed_bit);
  EXPECT_EQ(m.drive.watchdog_action_value, 3);
  EXPECT_EQ(drive_command_span(m.drive).start, 200);
  EXPECT_EQ(drive_command_span(m.drive).count, 2);
  // The section it leaves out keeps tractus's default map.
  EXPECT_EQ(m.safety.unit, kDefaultMap.safety.unit);
  EXPECT_EQ(m.safety.inputs_address, kDefaultMap.safety.inputs_address);
}

TEST(RegisterMapConfig, ACompleteDefaultDriveSectionEqualsTheDefault) {
  const MapParse p = with_drive(kDrive);
  ASSERT_TRUE(p) << all(p);
  EXPECT_EQ(drive_status_span(p.map->drive).start, drive_status_span(kDefaultMap.drive).start);
}

TEST(RegisterMapConfig, NotJsonAndWrongFormat) {
  EXPECT_TRUE(has_error(parse_register_map("{", "m.json"), "m.json: not valid JSON"));
  EXPECT_TRUE(has_error(parse_register_map(R"({"format": "x"})", "m.json"),
                        "m.json: /format: must be \"tractus.register-map/1\""));
}

TEST(RegisterMapConfig, AKeyGivenTwiceIsAnErrorNotTheLastOneKept) {
  const MapParse p = with_drive(replaced(kDrive, R"("fault_code": {"address": 19})",
                                         R"("fault_code": {"address": 19, "address": 40})"));
  EXPECT_TRUE(has_error(p, "m.json: /drive/fault_code/address: duplicate key (each key at most "
                           "once)"))
      << all(p);
}

TEST(RegisterMapConfig, UnknownKeysAreErrorsNotSilentDefaults) {
  const MapParse p = with_drive(
      replaced(kDrive, R"("fault_code": {"address": 19})", R"("fault_code": {"adress": 19})"));
  EXPECT_TRUE(has_error(p, "m.json: /drive/fault_code/adress: unknown key (allowed here: "
                           "address)"))
      << all(p);
  EXPECT_TRUE(has_error(p, "/drive/fault_code: missing \"address\""));
}

TEST(RegisterMapConfig, AGivenSectionMustBeComplete) {
  const MapParse p = with_drive(replaced(kDrive, R"("sto": {"address": 20},)", ""));
  EXPECT_TRUE(has_error(p, "/drive: missing \"sto\"")) << all(p);
}

TEST(RegisterMapConfig, RangesAndTypes) {
  MapParse p = with_drive(replaced(kDrive, R"("unit": 2)", R"("unit": 300)"));
  EXPECT_TRUE(has_error(p, "/drive/unit: 300 is out of range (1 to 247)")) << all(p);
  p = with_drive(replaced(kDrive, R"("watchdog_armed_bit": 15)", R"("watchdog_armed_bit": 16)"));
  EXPECT_TRUE(has_error(p, "/drive/statusword/watchdog_armed_bit: 16 is out of range (0 to 15)"));
  p = with_drive(replaced(kDrive, R"("type": "int16")", R"("type": "float")"));
  EXPECT_TRUE(has_error(p, "/drive/current/type: must be"));
  p = with_drive(replaced(kDrive, R"("scale": 0.01)", R"("scale": -1)"));
  EXPECT_TRUE(has_error(p, "/drive/current/scale: must be a positive number"));
  p = with_drive(replaced(kDrive, R"("address": 10})", R"("address": "10"})"));
  EXPECT_TRUE(has_error(p, "/drive/controlword/address: must be an integer"));
}

TEST(RegisterMapConfig, RegistersMayNotOverlap) {
  const MapParse p = with_drive(
      replaced(kDrive, R"("fault_code": {"address": 19})", R"("fault_code": {"address": 18})"));
  EXPECT_TRUE(has_error(p, "/drive/fault_code: overlaps /drive/current (register 18)")) << all(p);
}

TEST(RegisterMapConfig, TheCommandBlockMustBeOneFunction23Write) {
  const MapParse p = with_drive(replaced(kDrive, R"("address": 11, "type": "int32", "scale": 1e-5)",
                                         R"("address": 40, "type": "int32", "scale": 1e-5)"));
  EXPECT_TRUE(has_error(p, "/drive/target_speed: must lie right before or after the controlword"))
      << all(p);
}

TEST(RegisterMapConfig, OneCyclesRegistersFitOneQuery) {
  const MapParse p =
      with_drive(replaced(kDrive, R"("sto": {"address": 20})", R"("sto": {"address": 60})"));
  EXPECT_TRUE(has_error(p, "/drive: the registers of one cycle span 48 registers from 13 (at "
                           "most 32, one query)"))
      << all(p);
}

TEST(RegisterMapConfig, UnitIdsMustDifferAndTheWatchdogMustStopTheDrive) {
  MapParse p = with_drive(replaced(kDrive, R"("unit": 2)", R"("unit": 1)"));
  EXPECT_TRUE(has_error(p, "/unit: the three devices need distinct unit ids")) << all(p);
  p = with_drive(replaced(kDrive, R"("value": 2)", R"("value": 0)"));
  EXPECT_TRUE(has_error(p, "/drive/watchdog_action/value: 0 only warns"));
}

TEST(RegisterMapConfig, EveryProblemIsReportedAtOnce) {
  std::string d = replaced(kDrive, R"("unit": 2)", R"("unit": 0)");
  d = replaced(d, R"("scale": 0.01)", R"("scale": 0)");
  d = replaced(d, R"("fault_code": {"address": 19})", R"("fault_code": {"address": 19, "x": 1})");
  const MapParse p = with_drive(d);
  EXPECT_GE(p.errors.size(), 3U) << all(p);
  EXPECT_FALSE(p);
}
