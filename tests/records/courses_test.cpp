// Courses in the store: the plan checked against the patient's clinical cap, visits confirmed
// from the proposal, sessions and pain attached, the proposal following what happened.
#include "records/courses.hpp"
#include "records/patients.hpp"
#include "records/sessions.hpp"
#include "store_fixture.hpp"

namespace tractus::testing {
namespace {

using records::StoreError;
using records::StoreFailure;
using ::testing::HasSubstr;

records::CoursePlan plan(const std::string &patient = "P-0042") {
  return {patient, "lumbar", "lumbar-intermittent", 12, {200.0, 22.24, 300.0}, "clinician"};
}

// What the index holds of a session of `outcome`, with a guarding alarm if asked.
void index_session(records::RecordsStore &store, const std::string &id, const std::string &outcome,
                   bool guarding = false) {
  records::SessionEntry e;
  e.session_id = id;
  e.patient_id = "P-0042";
  e.table_name = "a";
  e.started_utc = "2026-12-06T09:00:00Z";
  e.profile_id = "lumbar-intermittent";
  e.outcome = outcome;
  e.header = nlohmann::json::object();
  e.events = nlohmann::json::array();
  if (guarding) e.events.push_back({{"t", 100.0}, {"event", "guarding-onset"}});
  e.curve = nlohmann::json::array();
  e.indexed_utc = "2026-12-06T09:30:00Z";
  records::index_session(store, e);
}

using Courses = StoreTest;

TEST_P(Courses, APlanAboveThePatientsClinicalCapIsRefusedWithEveryProblemNamed) {
  auto store = open();
  records::add_patient(*store, {"P-0042", 60.0, "", "", "clinician"}); // 50 %bw = 294.2 N
  auto bad = plan();
  bad.region = "thoracic";
  bad.visits_planned = 0;
  bad.rule = {10.0, 100.0, 5.0};
  const auto problems = records::course_plan_problems(bad, 60.0, profiles::kDefaultLimits);
  EXPECT_EQ(problems.size(), 5U);
  try {
    (void)records::start_course(*store, bad, profiles::kDefaultLimits);
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::Invalid);
    EXPECT_THAT(e.what(), HasSubstr("course: /region: \"thoracic\" is no region"));
    EXPECT_THAT(e.what(), HasSubstr("course: /visits_planned: 0 visits (1 to 40)"));
    EXPECT_THAT(e.what(), HasSubstr("course: /start_force_n: 10 N"));
    EXPECT_THAT(e.what(), HasSubstr("course: /step_n: 100 N"));
    EXPECT_THAT(e.what(), HasSubstr("course: /ceiling_n: 5 N"));
  }
  // 300 N is above 50 %bw of 60 kg (294.2 N).
  try {
    (void)records::start_course(*store, plan(), profiles::kDefaultLimits);
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_THAT(e.what(), HasSubstr("above the most this patient may be pulled (294.2 N"));
  }
  EXPECT_TRUE(records::courses_of_patient(*store, "P-0042").empty());
}

TEST_P(Courses, VisitsFollowTheRuleFromWhatTheirSessionsAndPainScoresSay) {
  auto store = open();
  records::add_patient(*store, {"P-0042", 80.0, "", "", "clinician"});
  const auto course = records::start_course(*store, plan(), profiles::kDefaultLimits);

  auto proposal = records::propose_next_visit(*store, course);
  EXPECT_EQ(proposal.visit, 1);
  EXPECT_DOUBLE_EQ(proposal.force_n, 200.0);
  auto visit = records::confirm_visit(*store, course, proposal.force_n, "clinician",
                                      profiles::kDefaultLimits);
  EXPECT_EQ(visit.number, 1);
  // Confirmed, not started: the same visit is proposed again, and confirming replaces it.
  EXPECT_EQ(records::propose_next_visit(*store, course).visit, 1);
  visit = records::confirm_visit(*store, course, 190.0, "clinician", profiles::kDefaultLimits);
  EXPECT_EQ(records::visits_of_course(*store, course).size(), 1U);
  EXPECT_DOUBLE_EQ(visit.proposed_force_n, 200.0);
  EXPECT_DOUBLE_EQ(visit.confirmed_force_n, 190.0);

  records::record_pain(*store, visit.id, records::PainWhen::Before, 6);
  records::attach_session(*store, visit.id, "s1");
  index_session(*store, "s1", "completed");
  // Pain after not recorded yet: held.
  proposal = records::propose_next_visit(*store, course);
  EXPECT_DOUBLE_EQ(proposal.force_n, 190.0);
  EXPECT_THAT(proposal.why, HasSubstr("pain after was not recorded"));
  records::record_pain(*store, visit.id, records::PainWhen::After, 4);
  proposal = records::propose_next_visit(*store, course);
  EXPECT_EQ(proposal.visit, 2);
  EXPECT_NEAR(proposal.force_n, 212.24, 1e-9);

  // Visit 2 raises a guarding alarm: visit 3 is held at visit 2's force.
  visit = records::confirm_visit(*store, course, proposal.force_n, "clinician",
                                 profiles::kDefaultLimits);
  records::record_pain(*store, visit.id, records::PainWhen::Before, 4);
  records::record_pain(*store, visit.id, records::PainWhen::After, 3);
  records::attach_session(*store, visit.id, "s2");
  index_session(*store, "s2", "completed", true);
  proposal = records::propose_next_visit(*store, course);
  EXPECT_EQ(proposal.visit, 3);
  EXPECT_NEAR(proposal.force_n, 212.24, 1e-9);
  EXPECT_THAT(proposal.why, HasSubstr("guarding alarm"));

  const auto visits = records::visits_of_course(*store, course);
  ASSERT_EQ(visits.size(), 2U);
  EXPECT_EQ(visits[0].pain_before, 6);
  EXPECT_EQ(visits[0].pain_after, 4);
  EXPECT_EQ(visits[1].session_id, "s2");
}

TEST_P(Courses, AForceAboveTheCeilingAPainOf11OrASecondSessionForAVisitIsRefused) {
  auto store = open();
  records::add_patient(*store, {"P-0042", 80.0, "", "", "clinician"});
  const auto course = records::start_course(*store, plan(), profiles::kDefaultLimits);
  try {
    (void)records::confirm_visit(*store, course, 301.0, "clinician", profiles::kDefaultLimits);
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::Invalid);
    EXPECT_THAT(e.what(), HasSubstr("at most 300 N"));
  }
  const auto visit =
      records::confirm_visit(*store, course, 200.0, "clinician", profiles::kDefaultLimits);
  for (const int bad : {-1, 11}) {
    try {
      records::record_pain(*store, visit.id, records::PainWhen::Before, bad);
      FAIL();
    } catch (const StoreError &e) {
      EXPECT_THAT(e.what(), HasSubstr("0–10 numeric rating scale"));
    }
  }
  records::attach_session(*store, visit.id, "s1");
  try {
    records::attach_session(*store, visit.id, "s2");
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::Conflict);
  }
}

TEST_P(Courses, ACourseWhoseVisitsHaveAllRunOrThatWasClosedProposesNothing) {
  auto store = open();
  records::add_patient(*store, {"P-0042", 80.0, "", "", "clinician"});
  auto short_plan = plan();
  short_plan.visits_planned = 2;
  const auto course = records::start_course(*store, short_plan, profiles::kDefaultLimits);
  for (int n = 1; n <= 2; ++n) {
    const auto v =
        records::confirm_visit(*store, course, 200.0, "clinician", profiles::kDefaultLimits);
    records::attach_session(*store, v.id, "s" + std::to_string(n));
  }
  try {
    (void)records::propose_next_visit(*store, course);
    FAIL();
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::Conflict);
    EXPECT_THAT(e.what(), HasSubstr("all 2 planned visits have run"));
  }
  const auto other = records::start_course(*store, plan(), profiles::kDefaultLimits);
  records::close_course(*store, other);
  EXPECT_THROW((void)records::propose_next_visit(*store, other), StoreError);
  EXPECT_EQ(records::courses_of_patient(*store, "P-0042").size(), 2U);
  EXPECT_TRUE(records::courses_of_patient(*store, "P-0042")[0].closed_utc);
}

TEST_P(Courses, AVisitLoadedIsItsSessionsAtOnceAndFreedIfTheSessionNeverStarted) {
  auto table_a = open();
  auto table_b = open();
  records::add_patient(*table_a, {"P-0042", 80.0, "", "", "clinician"});
  const auto course = records::start_course(*table_a, plan(), profiles::kDefaultLimits);
  const auto v1 =
      records::confirm_visit(*table_a, course, 200.0, "clinician", profiles::kDefaultLimits);
  records::attach_session(*table_a, v1.id, "a1"); // loaded on table A
  // Table B cannot load it meanwhile, and the proposal moves on, held while it runs.
  try {
    records::attach_session(*table_b, v1.id, "b1");
    FAIL() << "a visit was loaded twice";
  } catch (const StoreError &e) {
    EXPECT_EQ(e.failure(), StoreFailure::Conflict);
    EXPECT_THAT(e.what(), HasSubstr("already ran as session a1"));
  }
  auto next = records::propose_next_visit(*table_b, course);
  EXPECT_EQ(next.visit, 2);
  EXPECT_DOUBLE_EQ(next.force_n, 200.0);
  EXPECT_THAT(next.why, HasSubstr("running, or its journal not indexed yet"));
  // Unloaded before its start: indexing its journal frees the visit, in the same transaction.
  records::SessionEntry e;
  e.session_id = "a1";
  e.patient_id = "P-0042";
  e.table_name = "a";
  e.started_utc = "2026-12-06T09:00:00Z";
  e.outcome = "not started";
  e.header = nlohmann::json::object();
  e.events = nlohmann::json::array();
  e.curve = nlohmann::json::array();
  EXPECT_EQ(records::index_visit_session(*table_a, e, v1.id, false), records::VisitTie::Released);
  EXPECT_EQ(records::find_visit(*table_b, v1.id)->session_id, "");
  EXPECT_EQ(records::propose_next_visit(*table_b, course).visit, 1);
  // Loaded again on B and run: indexed and tied at once; A's journal naming it again ties nothing.
  records::attach_session(*table_b, v1.id, "b1");
  e.session_id = "b1";
  e.outcome = "completed";
  EXPECT_EQ(records::index_visit_session(*table_b, e, v1.id, true), records::VisitTie::Tied);
  e.session_id = "a2";
  EXPECT_EQ(records::index_visit_session(*table_a, e, v1.id, true),
            records::VisitTie::OtherSessions);
  EXPECT_EQ(records::find_visit(*table_a, v1.id)->session_id, "b1");
  EXPECT_TRUE(records::find_session(*table_a, "a2")); // indexed all the same
}

INSTANTIATE_TEST_SUITE_P(Backends, Courses,
                         ::testing::Values(records::Backend::Sqlite, records::Backend::Postgresql),
                         backend_name);

} // namespace
} // namespace tractus::testing
