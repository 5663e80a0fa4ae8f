// Clinic protocols and limits in the store: read by the profile parser under the clinic's
// limits, every edit a new version with who and when, a refused edit keeping the previous
// version, and the same protocols and limits seen by a second table on one store.
#include "profiles/limits_json.hpp"
#include "records/clinic_limits.hpp"
#include "records/clinic_protocols.hpp"
#include "store_fixture.hpp"

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

namespace tractus::testing {
namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

const std::set<std::string> kStock = {"lumbar-static", "cervical-static"};

std::string protocol(const std::string &max_force, const std::string &duration = "15 min",
                     const std::string &id = "clinic-lumbar-gentle") {
  return nlohmann::json{{"format", "tractus.profile/1"},
                        {"id", id},
                        {"name", "Gentle lumbar"},
                        {"region", "lumbar"},
                        {"mode", "static"},
                        {"max_force", max_force},
                        {"ramp", "30 s"},
                        {"duration", duration}}
      .dump();
}

using ClinicProtocols = StoreTest;

TEST_P(ClinicProtocols, EachEditIsANewVersionWithWhoAndWhenAndOldVersionsStayAsSaved) {
  auto store = open();
  const auto first = records::save_clinic_protocol(*store, protocol("30 %bw"), "JD (technician)",
                                                   profiles::kDefaultLimits, kStock);
  ASSERT_THAT(first.problems, IsEmpty());
  EXPECT_EQ(first.saved->version, 1);
  const auto second = records::save_clinic_protocol(*store, protocol("35 %bw"), "AB (technician)",
                                                    profiles::kDefaultLimits, kStock);
  ASSERT_THAT(second.problems, IsEmpty());
  EXPECT_EQ(second.saved->version, 2);

  const auto versions = records::protocol_versions(*store, "clinic-lumbar-gentle");
  ASSERT_THAT(versions, SizeIs(2));
  EXPECT_EQ(versions[0].created_by, "JD (technician)");
  EXPECT_EQ(versions[1].created_by, "AB (technician)");
  EXPECT_FALSE(versions[0].created_utc.empty());
  // Version 1 reads as it was saved: 30 %bw, whatever came after.
  const auto v1 = records::profile_of(versions[0], profiles::kDefaultLimits);
  ASSERT_TRUE(v1.ok());
  EXPECT_DOUBLE_EQ(v1.value->max_force.number, 30.0);
  EXPECT_EQ(v1.value->source, "clinic protocol clinic-lumbar-gentle v1");
  const auto newest = records::find_clinic_protocol(*store, "clinic-lumbar-gentle");
  ASSERT_TRUE(newest);
  EXPECT_EQ(newest->version, 2);
  EXPECT_EQ(records::find_clinic_protocol(*store, "clinic-lumbar-gentle", 1)->profile_json,
            versions[0].profile_json);
  EXPECT_FALSE(records::find_clinic_protocol(*store, "clinic-lumbar-gentle", 3));

  // Saving the newest document again makes no version.
  const auto again = records::save_clinic_protocol(*store, protocol("35 %bw"), "JD (technician)",
                                                   profiles::kDefaultLimits, kStock);
  EXPECT_TRUE(again.unchanged);
  EXPECT_EQ(again.saved->version, 2);
  EXPECT_THAT(records::protocol_versions(*store, "clinic-lumbar-gentle"), SizeIs(2));
}

TEST_P(ClinicProtocols, AnEditTheChecksRefuseNamesEveryProblemAndKeepsThePreviousVersion) {
  auto store = open();
  ASSERT_THAT(records::save_clinic_protocol(*store, protocol("30 %bw"), "JD",
                                            profiles::kDefaultLimits, kStock)
                  .problems,
              IsEmpty());
  // Over the lumbar clinical cap and over the longest session, and no author: three problems.
  const auto refused = records::save_clinic_protocol(*store, protocol("60 %bw", "120 min"), "",
                                                     profiles::kDefaultLimits, kStock);
  EXPECT_FALSE(refused.saved);
  EXPECT_THAT(refused.problems, AllOf(Contains(HasSubstr("/author")),
                                      Contains(AllOf(HasSubstr("/max_force"), HasSubstr("50 %bw"))),
                                      Contains(HasSubstr("/duration"))));
  // A stock protocol's id is the library's, never a clinic's.
  const auto stock =
      records::save_clinic_protocol(*store, protocol("30 %bw", "15 min", "lumbar-static"), "JD",
                                    profiles::kDefaultLimits, kStock);
  EXPECT_THAT(stock.problems, ElementsAre(HasSubstr("/id: lumbar-static is a stock protocol")));
  // Not JSON at all: named, nothing saved.
  EXPECT_THAT(
      records::save_clinic_protocol(*store, "{\"format\": ", "JD", profiles::kDefaultLimits, kStock)
          .problems,
      ::testing::Not(IsEmpty()));

  const auto versions = records::protocol_versions(*store, "clinic-lumbar-gentle");
  ASSERT_THAT(versions, SizeIs(1));
  EXPECT_DOUBLE_EQ(
      records::profile_of(versions[0], profiles::kDefaultLimits).value->max_force.number, 30.0);
  EXPECT_THAT(records::protocol_versions(*store, "lumbar-static"), IsEmpty());
}

TEST_P(ClinicProtocols, TheClinicsLimitsRefuseAProtocolTheMachinesAllow) {
  auto store = open();
  const auto set = records::set_clinic_limits(
      *store, nlohmann::json{{"lumbar_clinical_cap_percent_bw", "35 %bw"}}, "JD (technician)");
  ASSERT_THAT(set.problems, IsEmpty());
  const profiles::Limits limits = records::clinic_limits(*store)->limits;
  const auto refused =
      records::save_clinic_protocol(*store, protocol("40 %bw"), "JD", limits, kStock);
  EXPECT_THAT(refused.problems, ElementsAre(AllOf(HasSubstr("/max_force"), HasSubstr("35 %bw"))));
  EXPECT_THAT(
      records::save_clinic_protocol(*store, protocol("35 %bw"), "JD", limits, kStock).problems,
      IsEmpty());
}

TEST_P(ClinicProtocols, ASecondTableSeesTheProtocolsAndLimitsTheFirstSaved) {
  auto table_a = open();
  auto table_b = open();
  ASSERT_THAT(records::save_clinic_protocol(*table_a, protocol("30 %bw"), "JD",
                                            profiles::kDefaultLimits, kStock)
                  .problems,
              IsEmpty());
  ASSERT_THAT(
      records::set_clinic_limits(*table_a, nlohmann::json{{"max_rate", "30 N/s"}}, "JD").problems,
      IsEmpty());
  const auto listed = records::clinic_protocols(*table_b);
  ASSERT_THAT(listed, SizeIs(1));
  EXPECT_EQ(listed[0].id, "clinic-lumbar-gentle");
  const auto limits = records::clinic_limits(*table_b);
  ASSERT_TRUE(limits);
  EXPECT_DOUBLE_EQ(limits->limits.max_rate.si(), 30.0);
  EXPECT_EQ(limits->set_by, "JD");
}

using ClinicLimitsStore = StoreTest;

TEST_P(ClinicLimitsStore, LooserOrMalformedLimitsAreRefusedWithEveryProblemAndTheOldOnesStay) {
  auto store = open();
  EXPECT_FALSE(records::clinic_limits(*store)); // none set: the machine's
  ASSERT_THAT(records::set_clinic_limits(*store, nlohmann::json{{"lumbar_hard_cap", "600 N"}}, "JD")
                  .problems,
              IsEmpty());
  const auto refused = records::set_clinic_limits(
      *store,
      nlohmann::json{{"lumbar_hard_cap", "1000 N"}, {"max_rate", "30 N"}, {"colour", "red"}}, "AB");
  EXPECT_FALSE(refused.saved);
  EXPECT_THAT(refused.problems,
              AllOf(Contains(HasSubstr("/limits/lumbar_hard_cap: 1000 N")),
                    Contains(HasSubstr("/limits/max_rate: \"30 N\" is not per second")),
                    Contains(HasSubstr("/limits/colour: unknown key"))));
  const auto kept = records::clinic_limits(*store);
  ASSERT_TRUE(kept);
  EXPECT_DOUBLE_EQ(kept->limits.lumbar_hard_cap.si(), 600.0);
  EXPECT_EQ(kept->set_by, "JD");
  // An empty object: back to the machine's limits.
  ASSERT_THAT(records::set_clinic_limits(*store, nlohmann::json::object(), "JD").problems,
              IsEmpty());
  EXPECT_DOUBLE_EQ(records::clinic_limits(*store)->limits.lumbar_hard_cap.si(), 890.0);
}

TEST(StricterLimits, EachMemberIsTheStricterOfTheTwo) {
  profiles::Limits table = profiles::kDefaultLimits;
  table.lumbar_hard_cap = newtons(600);
  table.min_hold_rest = seconds(10);
  profiles::Limits clinic = profiles::kDefaultLimits;
  clinic.lumbar_hard_cap = newtons(700);
  clinic.max_rate = newtons_per_second(30);
  clinic.min_hold_rest = seconds(8);
  clinic.max_steps = 4;
  const profiles::Limits both = profiles::stricter(table, clinic);
  EXPECT_DOUBLE_EQ(both.lumbar_hard_cap.si(), 600.0); // the lower cap
  EXPECT_DOUBLE_EQ(both.max_rate.si(), 30.0);         // the slower rate
  EXPECT_DOUBLE_EQ(both.min_hold_rest.si(), 10.0);    // the higher minimum
  EXPECT_EQ(both.max_steps, 4);
  EXPECT_DOUBLE_EQ(both.cervical_hard_cap.si(), 222.0); // untouched by either
}

INSTANTIATE_TEST_SUITE_P(Backends, ClinicProtocols,
                         ::testing::Values(records::Backend::Sqlite, records::Backend::Postgresql),
                         backend_name);
INSTANTIATE_TEST_SUITE_P(Backends, ClinicLimitsStore,
                         ::testing::Values(records::Backend::Sqlite, records::Backend::Postgresql),
                         backend_name);

} // namespace
} // namespace tractus::testing
