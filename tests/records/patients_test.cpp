// Patients: a clinic's id, never a name; a body mass the table treats; found again by part of
// the id; the same list seen from a second table on one store.
#include "records/patients.hpp"
#include "store_fixture.hpp"

#include <gmock/gmock.h>

namespace tractus::testing {
namespace {

using records::StoreError;
using records::StoreFailure;
using ::testing::HasSubstr;

TEST(ClinicId, IdsAClinicUsesAreAcceptedAndNamesAreNot) {
  for (const auto *id :
       {"P-0042", "2026-117", "a1", "X7_b-3", "12345678901234567890123456789012"}) {
    EXPECT_EQ(records::clinic_id_problem(id), "") << id;
  }
  EXPECT_THAT(records::clinic_id_problem("Jane Doe"), HasSubstr("never a name"));
  EXPECT_THAT(records::clinic_id_problem("Smith"), HasSubstr("holds no digit"));
  EXPECT_THAT(records::clinic_id_problem(""), HasSubstr("1 to 32 characters"));
  EXPECT_THAT(records::clinic_id_problem("123456789012345678901234567890123"),
              HasSubstr("1 to 32 characters"));
  EXPECT_THAT(records::clinic_id_problem("-P1"), HasSubstr("start with a letter or a digit"));
  EXPECT_THAT(records::clinic_id_problem("P1\n"), HasSubstr("only letters, digits"));
  EXPECT_THAT(records::clinic_id_problem("P.1"), HasSubstr("only letters, digits"));
  EXPECT_THAT(records::clinic_id_problem("P1'; DROP TABLE patients; --"),
              HasSubstr("only letters"));
}

using Patients = StoreTest;

TEST_P(Patients, APatientAddedIsFoundWithEverythingItWasGiven) {
  auto store = open();
  records::add_patient(*store, {"P-0042", 81.5, "left L5 radiculopathy", "", "clinician"});
  const auto p = records::find_patient(*store, "P-0042");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->clinic_id, "P-0042");
  EXPECT_DOUBLE_EQ(p->body_mass_kg, 81.5);
  EXPECT_EQ(p->note, "left L5 radiculopathy");
  EXPECT_EQ(p->created_by, "clinician");
  EXPECT_THAT(p->created_utc, ::testing::MatchesRegex("20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]T.*Z"));
  EXPECT_FALSE(records::find_patient(*store, "P-0043"));
}

TEST_P(Patients, AMalformedIdOrMassIsRefusedAndNothingIsAdded) {
  auto store = open();
  try {
    records::add_patient(*store, {"Jane Doe", 70.0, "", "", "clinician"});
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::Invalid);
    EXPECT_THAT(e.what(), HasSubstr("\"Jane Doe\""));
  }
  for (const double kg : {0.0, 19.9, 300.1, std::nan("")}) {
    try {
      records::add_patient(*store, {"P-1", kg, "", "", "clinician"});
      FAIL() << kg;
    } catch (const StoreError &e) {
      EXPECT_EQ(e.failure(), StoreFailure::Invalid);
      EXPECT_THAT(e.what(), HasSubstr("20–300 kg"));
    }
  }
  EXPECT_TRUE(records::search_patients(*store, "").empty());
}

TEST_P(Patients, AnIdTakenIsAConflictAndTheFirstPatientStays) {
  auto store = open();
  records::add_patient(*store, {"P-7", 70.0, "first", "", "clinician"});
  try {
    records::add_patient(*store, {"P-7", 90.0, "second", "", "clinician"});
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::Conflict);
  }
  EXPECT_DOUBLE_EQ(records::find_patient(*store, "P-7")->body_mass_kg, 70.0);
}

TEST_P(Patients, SearchFindsIdsByAnyPartIgnoringCaseAndTreatsUnderscoreLiterally) {
  auto store = open();
  for (const auto *id : {"P-0042", "p-1042", "Q-0042", "A_1", "AB1"}) {
    records::add_patient(*store, {id, 70.0, "", "", "clinician"});
  }
  std::vector<std::string> found;
  for (const auto &p : records::search_patients(*store, "P-")) {
    found.push_back(p.clinic_id);
  }
  EXPECT_THAT(found, ::testing::UnorderedElementsAre("P-0042", "p-1042"));
  found.clear();
  for (const auto &p : records::search_patients(*store, "a_")) {
    found.push_back(p.clinic_id);
  }
  EXPECT_THAT(found, ::testing::ElementsAre("A_1")); // not AB1: '_' is no wildcard here
  EXPECT_EQ(records::search_patients(*store, "", 2).size(), 2U);
}

TEST_P(Patients, ABodyMassUpdatedIsKeptAndAnUnknownPatientIsNotFound) {
  auto store = open();
  records::add_patient(*store, {"P-7", 70.0, "", "", "clinician"});
  records::update_body_mass(*store, "P-7", 68.2);
  EXPECT_DOUBLE_EQ(records::find_patient(*store, "P-7")->body_mass_kg, 68.2);
  try {
    records::update_body_mass(*store, "P-8", 68.2);
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::NotFound);
  }
}

TEST_P(Patients, APatientAddedAtOneTableIsSeenAtAnother) {
  auto table_a = open();
  auto table_b = open();
  records::add_patient(*table_a, {"P-0042", 80.0, "", "", "clinician"});
  const auto seen = records::find_patient(*table_b, "P-0042");
  ASSERT_TRUE(seen);
  EXPECT_DOUBLE_EQ(seen->body_mass_kg, 80.0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Patients,
                         ::testing::Values(records::Backend::Sqlite, records::Backend::Postgresql),
                         backend_name);

} // namespace
} // namespace tractus::testing
