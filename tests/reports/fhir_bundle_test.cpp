// The FHIR R4 bundle of a session (records/report/fhir_bundle.hpp), read back as JSON: its shape,
// what each resource holds and what it must not (a name, the clinician's note). That the bundle
// is valid FHIR R4 is tests/fhir's part, with two validators from the npm registry.
#include "records/report/fhir_bundle.hpp"

#include "fhir_fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace tractus::records::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
using namespace fixtures;
using nlohmann::json;

json bundle_of(const SessionEntry &entry, const std::optional<SessionVisit> &visit) {
  return json::parse(session_fhir_bundle(entry, visit, stamp(), clinic_namespaces()));
}

// The resources of `type`, in the bundle's order.
std::vector<json> resources(const json &bundle, const std::string &type) {
  std::vector<json> found;
  for (const auto &e : bundle.at("entry"))
    if (e.at("resource").at("resourceType") == type) found.push_back(e.at("resource"));
  return found;
}

std::string full_url_of(const json &bundle, const std::string &type) {
  for (const auto &e : bundle.at("entry"))
    if (e.at("resource").at("resourceType") == type) return e.at("fullUrl");
  return "";
}

// The Observations coded `code` (LOINC or tractus's own).
std::vector<json> observations(const json &bundle, const std::string &code) {
  std::vector<json> found;
  for (const auto &o : resources(bundle, "Observation"))
    if (o.at("code").at("coding").at(0).at("code") == code) found.push_back(o);
  return found;
}

std::string notes_of(const json &resource) {
  std::string all;
  for (const auto &n : resource.value("note", json::array()))
    all += n.at("text").get<std::string>() + "\n";
  return all;
}

TEST(FhirBundle, IsACollectionWithTheStampsTimeAndUuidFullUrls) {
  const json b = bundle_of(session_entry_fixture(), visit_fixture());
  EXPECT_EQ(b.at("resourceType"), "Bundle");
  EXPECT_EQ(b.at("type"), "collection");
  EXPECT_EQ(b.at("timestamp"), "2026-12-06T12:00:00Z");
  const std::regex uuid_urn("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                            "[0-9a-f]{12}");
  EXPECT_TRUE(std::regex_match(b.at("identifier").at("value").get<std::string>(), uuid_urn));
  std::set<std::string> urls;
  for (const auto &e : b.at("entry")) {
    const std::string url = e.at("fullUrl");
    EXPECT_TRUE(std::regex_match(url, uuid_urn)) << url;
    urls.insert(url);
  }
  // Patient, Procedure, peak force, hold RMS error, pain before and after: each its own id.
  EXPECT_EQ(b.at("entry").size(), 6U);
  EXPECT_EQ(urls.size(), 6U);
}

TEST(FhirBundle, TheSameSessionGivesTheSameIdsAndAnotherOtherIds) {
  const SessionEntry entry = session_entry_fixture();
  EXPECT_EQ(session_fhir_bundle(entry, visit_fixture(), stamp(), clinic_namespaces()),
            session_fhir_bundle(entry, visit_fixture(), stamp(), clinic_namespaces()));
  SessionEntry other = entry;
  other.session_id = "20261206T101500Z-lumbar-intermittent-77c1";
  EXPECT_NE(full_url_of(bundle_of(entry, std::nullopt), "Procedure"),
            full_url_of(bundle_of(other, std::nullopt), "Procedure"));
}

TEST(FhirBundle, NameBasedUuidsAreRfc9562Version5) {
  // RFC 9562's DNS namespace and the name "python.org": the value Python's uuid.uuid5 gives.
  const Uuid dns = {0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1,
                    0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  EXPECT_EQ(name_based_uuid(dns, "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  EXPECT_EQ(name_based_uuid(kUuidNamespaceUrl, "urn:tractus:session-id:abc#procedure"),
            "63821d64-a0ee-5775-97cd-614b9b79ca6c");
}

TEST(FhirBundle, ThePatientIsTheClinicsIdAndNothingElse) {
  const json b = bundle_of(real_table_entry(), visit_fixture());
  const auto patients = resources(b, "Patient");
  ASSERT_EQ(patients.size(), 1U);
  std::vector<std::string> members;
  for (const auto &[key, value] : patients[0].items())
    members.push_back(key);
  EXPECT_THAT(members, UnorderedElementsAre("resourceType", "identifier"));
  const FhirNamespaces clinic = clinic_namespaces();
  EXPECT_EQ(patients[0].at("identifier"),
            json::array({{{"system", clinic.patient_ids}, {"value", "P-1042"}}}));
  // The clinic's own systems: another clinic's P-1042 is another identifier.
  const FhirNamespaces other = fhir_namespaces("11111111-2222-4333-8444-555555555555");
  EXPECT_NE(clinic.patient_ids, other.patient_ids);
  EXPECT_NE(clinic.patient_ids, clinic.session_ids);
  EXPECT_THAT(clinic.patient_ids, ::testing::MatchesRegex("urn:uuid:[0-9a-f-]{36}"));
  // The clinician's note may hold a name: it is not exported anywhere in the bundle.
  const std::string text =
      session_fhir_bundle(real_table_entry(), visit_fixture(), stamp(), clinic_namespaces());
  EXPECT_THAT(text, Not(HasSubstr("Mrs Example")));
  EXPECT_THAT(text, Not(HasSubstr("birthDate")));
  EXPECT_THAT(text, Not(HasSubstr("\"name\"")));
}

TEST(FhirBundle, TheProcedureSaysWhatRanWhenWhereAndOnWhom) {
  const json b = bundle_of(real_table_entry(), visit_fixture());
  const json p = resources(b, "Procedure").at(0);
  EXPECT_EQ(p.at("status"), "completed");
  EXPECT_FALSE(p.contains("statusReason"));
  EXPECT_EQ(p.at("subject").at("reference"), full_url_of(b, "Patient"));
  EXPECT_EQ(p.at("identifier").at(0).at("value"), "20261206T093000Z-lumbar-intermittent-3f2a");
  EXPECT_EQ(p.at("performedPeriod"),
            json::parse(R"({"start": "2026-12-06T09:30:00Z", "end": "2026-12-06T09:49:59Z"})"));
  EXPECT_EQ(p.at("code").at("text"), "Mechanical spinal traction");
  EXPECT_EQ(p.at("code").at("coding").at(0),
            json::parse(R"({"system": "urn:tractus:protocol-id", "code": "lumbar-intermittent",
                            "display": "Lumbar intermittent 60/30"})"));
  EXPECT_EQ(p.at("bodySite").at(0).at("coding").at(0),
            json::parse(R"({"system": "http://snomed.info/sct", "code": "122496007"})"));
  const std::string notes = notes_of(p);
  EXPECT_THAT(notes, HasSubstr("Protocol lumbar-intermittent: Lumbar intermittent 60/30"));
  EXPECT_THAT(notes, HasSubstr("Outcome: completed"));
  EXPECT_THAT(notes, HasSubstr("Course visit 4, force confirmed 300 N = 67.4 lbf"));
  EXPECT_THAT(notes, Not(HasSubstr("simulated")));
}

TEST(FhirBundle, ThePeakForceIsInNewtonsToATenth) {
  const json b = bundle_of(real_table_entry(), std::nullopt);
  const auto peak = observations(b, "peak-traction-force");
  ASSERT_EQ(peak.size(), 1U);
  EXPECT_EQ(peak[0].at("status"), "final");
  EXPECT_EQ(peak[0].at("valueQuantity"),
            json::parse(R"({"value": 316.2, "unit": "N", "system": "http://unitsofmeasure.org",
                            "code": "N"})"));
  EXPECT_EQ(peak[0].at("code").at("coding").at(0).at("system"), "urn:tractus:observation");
  EXPECT_EQ(peak[0].at("partOf").at(0).at("reference"), full_url_of(b, "Procedure"));
  EXPECT_EQ(peak[0].at("subject").at("reference"), full_url_of(b, "Patient"));
  EXPECT_EQ(peak[0].at("effectivePeriod").at("end"), "2026-12-06T09:49:59Z");
  const auto rms = observations(b, "hold-rms-force-error");
  ASSERT_EQ(rms.size(), 1U);
  EXPECT_EQ(rms[0].at("valueQuantity").at("value"), 0.84);
  EXPECT_EQ(rms[0].at("valueQuantity").at("code"), "%");
}

TEST(FhirBundle, PainBeforeAndAfterAreLoinc72514WithTheirScores) {
  const json b = bundle_of(real_table_entry(), visit_fixture());
  const auto pain = observations(b, "72514-3");
  ASSERT_EQ(pain.size(), 2U);
  for (const auto &o : pain) {
    EXPECT_EQ(o.at("code").at("coding").at(0).at("system"), "http://loinc.org");
    EXPECT_EQ(o.at("category").at(0).at("coding").at(0).at("code"), "survey");
    EXPECT_EQ(o.at("partOf").at(0).at("reference"), full_url_of(b, "Procedure"));
    EXPECT_EQ(o.at("subject").at("reference"), full_url_of(b, "Patient"));
  }
  EXPECT_EQ(pain[0].at("valueInteger"), kPainBefore);
  EXPECT_EQ(pain[0].at("effectiveDateTime"), "2026-12-06T09:30:00Z");
  EXPECT_THAT(notes_of(pain[0]), HasSubstr("Before the traction session"));
  EXPECT_EQ(pain[1].at("valueInteger"), kPainAfter);
  EXPECT_EQ(pain[1].at("effectiveDateTime"), "2026-12-06T09:49:59Z");
  EXPECT_THAT(notes_of(pain[1]), HasSubstr("After the traction session"));
}

TEST(FhirBundle, OnlyThePainScoresRecordedAreExported) {
  SessionVisit before_only = visit_fixture();
  before_only.pain_after.reset();
  EXPECT_EQ(observations(bundle_of(real_table_entry(), before_only), "72514-3").size(), 1U);
  EXPECT_TRUE(observations(bundle_of(real_table_entry(), std::nullopt), "72514-3").empty());
}

TEST(FhirBundle, AFaultStopsTheProcedureAndNamesTheFault) {
  const json p = resources(bundle_of(fault_entry(), visit_fixture()), "Procedure").at(0);
  EXPECT_EQ(p.at("status"), "stopped");
  EXPECT_EQ(p.at("statusReason").at("text"), "fault 301 over-force");
  EXPECT_THAT(notes_of(p), HasSubstr("Outcome: fault 301 over-force"));
  EXPECT_EQ(p.at("performedPeriod").at("end"), "2026-12-06T09:36:40Z");
}

TEST(FhirBundle, EveryOutcomeMapsToAProcedureStatus) {
  // Every outcome a journal's summary or the index gives (controller/fault_codes.cpp, records).
  const std::pair<std::string_view, std::string_view> status_of[] = {
      {"completed", "completed"},         {"stopped by patient switch", "stopped"},
      {"stopped by operator", "stopped"}, {"fault", "stopped"},
      {"interrupted", "stopped"},         {"unknown", "unknown"}};
  for (const auto &[outcome, status] : status_of)
    EXPECT_EQ(fhir_procedure_status(outcome), status) << outcome;
  SessionEntry stopped = real_table_entry();
  stopped.outcome = "stopped by patient switch";
  const json p = resources(bundle_of(stopped, std::nullopt), "Procedure").at(0);
  EXPECT_EQ(p.at("status"), "stopped");
  EXPECT_EQ(p.at("statusReason").at("text"), "stopped by patient switch");
}

TEST(FhirBundle, ASimulatedSessionIsTaggedTestDataThroughout) {
  const json b = bundle_of(session_entry_fixture(), visit_fixture());
  const json tag = json::parse(R"([{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
                                    "code": "HTEST", "display": "test health data"}])");
  EXPECT_EQ(b.at("meta").at("tag"), tag);
  for (const auto &e : b.at("entry"))
    EXPECT_EQ(e.at("resource").at("meta").at("tag"), tag);
  EXPECT_THAT(notes_of(resources(b, "Procedure").at(0)),
              HasSubstr("Ran on a simulated table: no patient was treated."));
  const std::string real =
      session_fhir_bundle(real_table_entry(), visit_fixture(), stamp(), clinic_namespaces());
  EXPECT_THAT(real, Not(HasSubstr("\"meta\"")));
}

TEST(FhirBundle, ADamagedJournalStillGivesABundleWithWhatItHolds) {
  const std::string text =
      session_fhir_bundle(damaged_entry(), std::nullopt, {"0.1.0", "now"}, clinic_namespaces());
  const json b = json::parse(text); // valid JSON, so valid UTF-8
  EXPECT_FALSE(b.contains("timestamp"));
  EXPECT_TRUE(resources(b, "Patient").empty());
  const json p = resources(b, "Procedure").at(0);
  EXPECT_EQ(p.at("status"), "stopped");
  EXPECT_EQ(p.at("subject"), json::parse(R"({"display": "no patient id given"})"));
  EXPECT_FALSE(p.contains("performedPeriod"));
  EXPECT_EQ(p.at("bodySite").at(0), json::parse(R"({"text": "thoracic"})"));
  EXPECT_EQ(p.at("code").at("coding").at(0).at("display"),
            "Lumbar  static \xEF\xBF\xBD("); // control characters as spaces, U+FFFD, trimmed
  EXPECT_THAT(p.at("statusReason").at("text").get<std::string>(),
              HasSubstr("no summary in the journal"));
  // No summary: no peak force or RMS error; nothing says when.
  EXPECT_EQ(resources(b, "Observation").size(), 0U);
  EXPECT_THAT(text, Not(HasSubstr("effective")));
}

TEST(FhirBundle, ADurationNoSessionHasLeavesTheEndOut) {
  SessionEntry e = real_table_entry();
  e.duration_s = 1e300;
  const json p = resources(bundle_of(e, std::nullopt), "Procedure").at(0);
  EXPECT_EQ(p.at("performedPeriod"), json::parse(R"({"start": "2026-12-06T09:30:00Z"})"));
}

} // namespace
} // namespace tractus::records::report
