// POST /api/session is checked completely before anything touches the table: every problem at
// once, each naming its JSON pointer, what is wrong and what is allowed (docs/console.md).
#include "console_support.hpp"

#include "console/session_request.hpp"
#include "profiles/library.hpp"

#include <gmock/gmock.h>

namespace tractus::console {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using tractus::testing::all_no;
using tractus::testing::load_request;

SessionRequestCheck check(const nlohmann::json &body) {
  return check_session_request(body, profiles::default_library_dir());
}

TEST(SessionRequest, AValidRequestIsCompiledForThePatient) {
  const auto c = check(load_request("lumbar-intermittent", "176 lb"));
  ASSERT_TRUE(c.request) << ::testing::PrintToString(c.problems);
  EXPECT_EQ(c.request->profile.id, "lumbar-intermittent");
  EXPECT_EQ(c.request->patient_id, "P-0042");
  EXPECT_NEAR(c.request->body_mass.si(), 79.83, 0.01); // 176 lb
  // 40 %bw of 79.8 kg: 313 N at the hold.
  EXPECT_NEAR(c.request->trajectory.peak_force().si(), 313.2, 0.5);
  EXPECT_EQ(c.request->answers.size(), contraindications().size() + red_flags().size());
}

TEST(SessionRequest, UnknownMembersAreErrorsAtEveryLevel) {
  auto body = load_request();
  body["profil"] = "typo";
  body["patient"]["name"] = "John";
  body["screening"]["confirmd"] = true;
  const auto c = check(body);
  EXPECT_FALSE(c.request);
  EXPECT_THAT(
      c.problems,
      ElementsAre("/profil: unknown member (allowed: profile, patient, screening, visit_id)",
                  "/patient/name: unknown member (allowed: id, weight)",
                  "/screening/confirmd: unknown member (allowed: answers, confirmed)"));
}

TEST(SessionRequest, ANameIsNotAPatientId) {
  auto body = load_request();
  body["patient"]["id"] = "John Smith";
  EXPECT_THAT(check(body).problems,
              ElementsAre("/patient/id: \"John Smith\" has a character that is not allowed (1 to "
                          "32 letters, digits, '-' or '_': a pseudonymous id, never a name)"));
}

TEST(SessionRequest, WeightNeedsKgOrLbWithinTheLimits) {
  auto body = load_request();
  body["patient"]["weight"] = "800 kg";
  const auto c = check(body);
  ASSERT_EQ(c.problems.size(), 1U);
  EXPECT_THAT(c.problems[0], HasSubstr("/patient/weight: "));
  EXPECT_THAT(c.problems[0], HasSubstr("800 kg"));
  body["patient"]["weight"] = 80;
  EXPECT_THAT(check(body).problems,
              ElementsAre("/patient/weight: 80, expected a string (1 to 32 printable ASCII "
                          "characters: the body weight, e.g. \"80 kg\" or \"176 lb\")"));
}

TEST(SessionRequest, EveryProblemIsReportedAtOnce) {
  const nlohmann::json body = {{"profile", "no-such-protocol"},
                               {"patient", {{"weight", "80 kg"}}},
                               {"screening", {{"answers", nlohmann::json::object()}}}};
  const auto c = check(body);
  EXPECT_TRUE(c.unknown_profile);
  EXPECT_THAT(c.problems, Contains(HasSubstr("/profile: unknown protocol \"no-such-protocol\" "
                                             "(known: cervical-intermittent")));
  EXPECT_THAT(c.problems, Contains("/patient/id: missing (1 to 32 letters, digits, '-' or '_': "
                                   "a pseudonymous id, never a name)"));
  EXPECT_THAT(c.problems, Contains("/screening/answers/pregnancy: not answered (true or false: "
                                   "Pregnancy)"));
  EXPECT_THAT(c.problems, Contains("/screening/confirmed: missing (true or false: the operator "
                                   "confirms the checklist was gone through with the patient)"));
  // One line per unanswered item, plus the three above.
  EXPECT_EQ(c.problems.size(), 3 + contraindications().size() + red_flags().size());
}

TEST(SessionRequest, APathIsNeverAProfileId) {
  auto body = load_request("../profiles/library/lumbar-static.json");
  const auto c = check(body);
  EXPECT_TRUE(c.unknown_profile);
  ASSERT_EQ(c.problems.size(), 1U);
  EXPECT_THAT(c.problems[0], HasSubstr("/profile: \"../profiles/library/lumbar-static.json\" "
                                       "has a character that is not allowed"));
}

TEST(SessionRequest, UnknownChecklistItemsAndNonBooleansAreRefused) {
  auto body = load_request();
  body["screening"]["answers"]["headache"] = false;
  body["screening"]["answers"]["fever"] = "no";
  EXPECT_THAT(check(body).problems,
              ElementsAre("/screening/answers/fever: a string, expected true or false",
                          "/screening/answers/headache: unknown item (the ids of GET "
                          "/api/screening and docs/screening.md)"));
}

TEST(SessionRequest, AYesInTheScreeningRefersThePatient) {
  auto body = load_request();
  body["screening"]["answers"]["pregnancy"] = true;
  body["screening"]["answers"]["bladder-bowel-control"] = true;
  const auto c = check(body);
  EXPECT_FALSE(c.request);
  EXPECT_TRUE(c.problems.empty());
  EXPECT_THAT(c.screening_yes,
              ElementsAre("/screening/answers/pregnancy: answered yes — Pregnancy is a "
                          "contraindication (no session: refer the patient)",
                          "/screening/answers/bladder-bowel-control: answered yes — Loss of "
                          "bladder or bowel control, or new difficulty passing urine is a red "
                          "flag (no session: refer the patient)"));
}

TEST(SessionRequest, AProtocolThatDoesNotSuitThePatientNamesTheField) {
  // Lumbar static at 33 %bw for 290 kg: 939 N, above the 890 N lumbar hard cap.
  const auto c = check(load_request("lumbar-static", "290 kg"));
  EXPECT_FALSE(c.request);
  ASSERT_EQ(c.problems.size(), 1U);
  EXPECT_THAT(c.problems[0], HasSubstr("/profile: lumbar-static /max_force: "));
  EXPECT_THAT(c.problems[0], HasSubstr("890 N"));
}

// A course visit's confirmed force (docs/records.md) replaces the protocol's max force, the rest
// force in %max follows it, and the patient's caps are checked on it like on any protocol.
TEST(SessionRequest, AVisitsForceReplacesTheMaxForceAndMeetsThePatientsCaps) {
  const auto body = load_request("lumbar-intermittent", "80 kg");
  auto c = check_session_request(body, profiles::default_library_dir(), profiles::kDefaultLimits,
                                 newtons(250.0));
  ASSERT_TRUE(c.request) << ::testing::PrintToString(c.problems);
  EXPECT_NEAR(c.request->trajectory.peak_force().si(), 250.0, 0.5); // not 40 %bw = 313.8 N
  // 450 N is above 50 %bw of 80 kg (392.3 N): refused, as a protocol of 450 N would be.
  c = check_session_request(body, profiles::default_library_dir(), profiles::kDefaultLimits,
                            newtons(450.0));
  EXPECT_FALSE(c.request);
  EXPECT_THAT(c.problems, Contains(HasSubstr("/profile: lumbar-intermittent")));
}

TEST(SessionRequest, NotAnObjectIsOneProblem) {
  EXPECT_THAT(check(nlohmann::json::array()).problems,
              ElementsAre("/: expected an object ({\"profile\", \"patient\", \"screening\", "
                          "\"visit_id\"})"));
}

} // namespace
} // namespace tractus::console
