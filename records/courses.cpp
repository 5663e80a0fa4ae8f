#include "records/courses.hpp"

#include "profiles/quantity_text.hpp"
#include "records/patients.hpp"
#include "records/row_values.hpp"
#include "records/utc_now.hpp"
#include "text/number_text.hpp"

#include <nlohmann/json.hpp>
#include <soci/soci.h>

#include <cmath>

namespace tractus::records {
namespace {

// The most a course may add per visit: 10 lbf. Typical rules add 5 lbf; a larger step is a
// typing slip (50 for 5), and one visit is too short to learn how a patient takes a jump.
constexpr double kMaxStepN = 44.48;

std::string force_text(double n) { return profiles::format_force_n_lbf(newtons(n)); }

std::optional<profiles::Region> region_of(const std::string &name) {
  if (name == "lumbar") return profiles::Region::Lumbar;
  if (name == "cervical") return profiles::Region::Cervical;
  return std::nullopt;
}

// The most this patient may be pulled in this region: the clinical cap for their body mass,
// or the region's hard cap if lower.
double cap_for(profiles::Region region, double body_mass_kg, const profiles::Limits &limits) {
  const double clinical = profiles::clinical_cap_percent_bw(limits, region) / 100.0 *
                          weight_of(kilograms(body_mass_kg)).si();
  return std::min(clinical, profiles::hard_cap(limits, region).si());
}

constexpr const char *kCourseColumns =
    "id, patient_id, region, protocol_id, visits_planned, start_force_n, step_n, ceiling_n,"
    " created_utc, created_by, closed_utc";
constexpr const char *kVisitColumns =
    "id, course_id, number, proposed_force_n, confirmed_force_n, confirmed_by, confirmed_utc,"
    " session_id, pain_before, pain_after, note";

Course course_from(const soci::row &row) {
  Course c;
  c.id = integer_at(row, "id").value_or(0);
  c.plan.patient_id = text_at(row, "patient_id");
  c.plan.region = text_at(row, "region");
  c.plan.protocol_id = text_at(row, "protocol_id");
  c.plan.visits_planned = static_cast<int>(integer_at(row, "visits_planned").value_or(0));
  c.plan.rule.start_force_n = real_at(row, "start_force_n").value_or(0);
  c.plan.rule.step_n = real_at(row, "step_n").value_or(0);
  c.plan.rule.ceiling_n = real_at(row, "ceiling_n").value_or(0);
  c.created_utc = text_at(row, "created_utc");
  c.plan.created_by = text_at(row, "created_by");
  if (!is_null(row, "closed_utc")) c.closed_utc = text_at(row, "closed_utc");
  return c;
}

std::optional<int> score_at(const soci::row &row, const std::string &name) {
  const auto v = integer_at(row, name);
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

Visit visit_from(const soci::row &row) {
  Visit v;
  v.id = integer_at(row, "id").value_or(0);
  v.course_id = integer_at(row, "course_id").value_or(0);
  v.number = static_cast<int>(integer_at(row, "number").value_or(0));
  v.proposed_force_n = real_at(row, "proposed_force_n").value_or(0);
  v.confirmed_force_n = real_at(row, "confirmed_force_n").value_or(0);
  v.confirmed_by = text_at(row, "confirmed_by");
  v.confirmed_utc = text_at(row, "confirmed_utc");
  v.session_id = text_at(row, "session_id");
  v.pain_before = score_at(row, "pain_before");
  v.pain_after = score_at(row, "pain_after");
  v.note = text_at(row, "note");
  return v;
}

// What the rule needs of a visit: its session's outcome and whether it raised a guarding alarm
// (a "guarding-onset" event, docs/force-loop.md).
VisitResult result_of(RecordsStore &store, const Visit &v) {
  VisitResult r{v.number, v.confirmed_force_n, {}, false, v.pain_before, v.pain_after};
  if (v.session_id.empty()) return r;
  soci::rowset<soci::row> rows =
      (store.query().prepare << "SELECT outcome, events_json FROM sessions WHERE session_id = :id",
       soci::use(v.session_id));
  r.outcome = "running, or its journal not indexed yet";
  for (const auto &row : rows) {
    r.outcome = text_at(row, "outcome");
    for (const auto &event : nlohmann::json::parse(text_at(row, "events_json"))) {
      if (event.value("event", "") == "guarding-onset") r.guarding_alarm = true;
    }
  }
  return r;
}

Course course_or_throw(RecordsStore &store, long long course_id) {
  auto course = find_course(store, course_id);
  if (!course) throw StoreError(StoreFailure::NotFound, "no course " + std::to_string(course_id));
  return *course;
}

} // namespace

std::vector<std::string> course_plan_problems(const CoursePlan &plan, double body_mass_kg,
                                              const profiles::Limits &limits) {
  std::vector<std::string> problems;
  const auto add = [&](const char *pointer, const std::string &what) {
    problems.push_back(std::string("course: ") + pointer + ": " + what);
  };
  if (const auto p = clinic_id_problem(plan.patient_id); !p.empty()) add("/patient_id", p);
  const auto region = region_of(plan.region);
  if (!region) add("/region", "\"" + plan.region + "\" is no region (lumbar or cervical)");
  if (plan.protocol_id.empty()) add("/protocol_id", "no protocol");
  if (plan.visits_planned < 1 || plan.visits_planned > kMaxVisitsPerCourse) {
    add("/visits_planned", std::to_string(plan.visits_planned) + " visits (1 to " +
                               std::to_string(kMaxVisitsPerCourse) + ")");
  }
  const auto &rule = plan.rule;
  const double min_force = limits.min_cord_tension.si();
  if (!(rule.start_force_n > min_force)) {
    add("/start_force_n", force_text(rule.start_force_n) +
                              " is not above the minimum cord tension (" + force_text(min_force) +
                              ")");
  }
  if (!(rule.step_n >= 0 && rule.step_n <= kMaxStepN)) {
    add("/step_n", force_text(rule.step_n) + " a visit (0 to " + force_text(kMaxStepN) + ")");
  }
  if (!(rule.ceiling_n >= rule.start_force_n)) {
    add("/ceiling_n", force_text(rule.ceiling_n) + " is below the starting force");
  }
  if (region) {
    const double cap = cap_for(*region, body_mass_kg, limits);
    if (rule.ceiling_n > cap) {
      add("/ceiling_n",
          force_text(rule.ceiling_n) + " is above the most this patient may be pulled (" +
              force_text(cap) + ": " +
              text::format_number(profiles::clinical_cap_percent_bw(limits, *region), 0) +
              " %bw of " + text::format_number(body_mass_kg, 1) + " kg, at most the " +
              plan.region + " hard cap)");
    }
  }
  return problems;
}

long long start_course(RecordsStore &store, const CoursePlan &plan,
                       const profiles::Limits &limits) {
  const auto patient = find_patient(store, plan.patient_id);
  if (!patient)
    throw StoreError(StoreFailure::NotFound, "no patient " + plan.patient_id + " in the records");
  const auto problems = course_plan_problems(plan, patient->body_mass_kg, limits);
  if (!problems.empty()) {
    std::string all;
    for (const auto &p : problems)
      all += (all.empty() ? "" : "\n") + p;
    throw StoreError(StoreFailure::Invalid, all);
  }
  long long id = 0;
  const auto now = utc_now();
  store.in_transaction([&] {
    store.sql() << "INSERT INTO courses (patient_id, region, protocol_id, visits_planned,"
                   " start_force_n, step_n, ceiling_n, created_utc, created_by)"
                   " VALUES (:p, :r, :pr, :n, :s, :st, :c, :t, :by) RETURNING id",
        soci::use(plan.patient_id), soci::use(plan.region), soci::use(plan.protocol_id),
        soci::use(plan.visits_planned), soci::use(plan.rule.start_force_n),
        soci::use(plan.rule.step_n), soci::use(plan.rule.ceiling_n), soci::use(now),
        soci::use(plan.created_by), soci::into(id);
  });
  return id;
}

std::optional<Course> find_course(RecordsStore &store, long long course_id) {
  try {
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT " << kCourseColumns << " FROM courses WHERE id = :id",
         soci::use(course_id));
    for (const auto &row : rows)
      return course_from(row);
    return std::nullopt;
  } catch (...) {
    store.rethrow("reading course " + std::to_string(course_id));
  }
}

std::vector<Course> courses_of_patient(RecordsStore &store, const std::string &patient_id) {
  try {
    std::vector<Course> out;
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT " << kCourseColumns
                               << " FROM courses WHERE patient_id = :p ORDER BY id DESC",
         soci::use(patient_id));
    for (const auto &row : rows)
      out.push_back(course_from(row));
    return out;
  } catch (...) {
    store.rethrow("reading the courses of patient " + patient_id);
  }
}

std::vector<Visit> visits_of_course(RecordsStore &store, long long course_id) {
  try {
    std::vector<Visit> out;
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT " << kVisitColumns
                               << " FROM visits WHERE course_id = :c ORDER BY number",
         soci::use(course_id));
    for (const auto &row : rows)
      out.push_back(visit_from(row));
    return out;
  } catch (...) {
    store.rethrow("reading the visits of course " + std::to_string(course_id));
  }
}

std::optional<Visit> find_visit(RecordsStore &store, long long visit_id) {
  try {
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT " << kVisitColumns << " FROM visits WHERE id = :id",
         soci::use(visit_id));
    for (const auto &row : rows)
      return visit_from(row);
    return std::nullopt;
  } catch (...) {
    store.rethrow("reading visit " + std::to_string(visit_id));
  }
}

std::optional<Visit> visit_of_session(RecordsStore &store, const std::string &session_id) {
  try {
    soci::rowset<soci::row> rows = (store.query().prepare << "SELECT " << kVisitColumns
                                                          << " FROM visits WHERE session_id = :s",
                                    soci::use(session_id));
    for (const auto &row : rows)
      return visit_from(row);
    return std::nullopt;
  } catch (...) {
    store.rethrow("reading the visit of session " + session_id);
  }
}

Proposal propose_next_visit(RecordsStore &store, long long course_id) {
  const auto course = course_or_throw(store, course_id);
  if (course.closed_utc) {
    throw StoreError(StoreFailure::Conflict, "course " + std::to_string(course_id) +
                                                 " was closed on " + *course.closed_utc);
  }
  auto visits = visits_of_course(store, course_id);
  if (!visits.empty() && visits.back().session_id.empty()) {
    visits.pop_back(); // confirmed, not started: proposed again
  }
  if (static_cast<int>(visits.size()) >= course.plan.visits_planned) {
    throw StoreError(StoreFailure::Conflict, "course " + std::to_string(course_id) + ": all " +
                                                 std::to_string(course.plan.visits_planned) +
                                                 " planned visits have run");
  }
  try {
    // The rule reads the last visit alone: only its session is looked up (opening a patient
    // with a hundred visits must not read a hundred sessions' events).
    std::vector<VisitResult> results;
    for (const auto &v : visits) {
      results.push_back(
          &v == &visits.back()
              ? result_of(store, v)
              : VisitResult{v.number, v.confirmed_force_n, {}, false, v.pain_before, v.pain_after});
    }
    return propose_force(course.plan.rule, results);
  } catch (const StoreError &) {
    throw;
  } catch (...) {
    store.rethrow("proposing the next visit of course " + std::to_string(course_id));
  }
}

VisitForceBounds visit_force_bounds(RecordsStore &store, const Course &course,
                                    const profiles::Limits &limits) {
  const auto patient = find_patient(store, course.plan.patient_id);
  const auto region = region_of(course.plan.region);
  // No patient or region (a record edited by hand): nothing may be confirmed.
  const double cap = patient && region ? cap_for(*region, patient->body_mass_kg, limits) : 0.0;
  return {limits.min_cord_tension.si(), std::min(course.plan.rule.ceiling_n, cap)};
}

Visit confirm_visit(RecordsStore &store, long long course_id, double force_n, const std::string &by,
                    const profiles::Limits &limits) {
  const auto proposal = propose_next_visit(store, course_id);
  const auto course = course_or_throw(store, course_id);
  const VisitForceBounds bounds = visit_force_bounds(store, course, limits);
  if (!(force_n > bounds.above_n && force_n <= bounds.at_most_n)) {
    throw StoreError(StoreFailure::Invalid, "visit " + std::to_string(proposal.visit) + ": " +
                                                force_text(force_n) +
                                                " is outside what this course allows (above " +
                                                force_text(bounds.above_n) + ", at most " +
                                                force_text(bounds.at_most_n) + ")");
  }
  const auto now = utc_now();
  store.in_transaction([&] {
    store.sql() << "DELETE FROM visits WHERE course_id = :c AND number = :n AND session_id IS NULL",
        soci::use(course_id), soci::use(proposal.visit);
    store.sql() << "INSERT INTO visits (course_id, number, proposed_force_n, confirmed_force_n,"
                   " confirmed_by, confirmed_utc) VALUES (:c, :n, :p, :f, :by, :t)",
        soci::use(course_id), soci::use(proposal.visit), soci::use(proposal.force_n),
        soci::use(force_n), soci::use(by), soci::use(now);
  });
  for (const auto &v : visits_of_course(store, course_id)) {
    if (v.number == proposal.visit) return v;
  }
  throw StoreError(StoreFailure::Failed, "visit " + std::to_string(proposal.visit) + " of course " +
                                             std::to_string(course_id) +
                                             " vanished after it was written");
}

namespace {

// The statements of a tie, for use inside a transaction: rows changed (0 or 1).
long long tie_rows(RecordsStore &store, long long visit_id, const std::string &session_id) {
  soci::statement st = (store.sql().prepare << "UPDATE visits SET session_id = :s WHERE id = :id"
                                               " AND (session_id IS NULL OR session_id = :s2)",
                        soci::use(session_id), soci::use(visit_id), soci::use(session_id));
  st.execute(true);
  return st.get_affected_rows();
}

void release_rows(RecordsStore &store, long long visit_id, const std::string &session_id) {
  store.sql() << "UPDATE visits SET session_id = NULL WHERE id = :id AND session_id = :s",
      soci::use(visit_id), soci::use(session_id);
}

} // namespace

void attach_session(RecordsStore &store, long long visit_id, const std::string &session_id) {
  long long changed = 0;
  store.in_transaction([&] { changed = tie_rows(store, visit_id, session_id); });
  if (changed == 1) return;
  const auto visit = find_visit(store, visit_id);
  if (!visit) throw StoreError(StoreFailure::NotFound, "no visit " + std::to_string(visit_id));
  throw StoreError(StoreFailure::Conflict, "visit " + std::to_string(visit_id) +
                                               " already ran as session " + visit->session_id);
}

void release_visit(RecordsStore &store, long long visit_id, const std::string &session_id) {
  store.in_transaction([&] { release_rows(store, visit_id, session_id); });
}

VisitTie index_visit_session(RecordsStore &store, const SessionEntry &entry, long long visit_id,
                             bool started) {
  VisitTie tie = VisitTie::Tied;
  index_session(store, entry, [&] {
    if (!started) {
      release_rows(store, visit_id, entry.session_id);
      tie = VisitTie::Released;
    } else if (tie_rows(store, visit_id, entry.session_id) != 1) {
      tie = VisitTie::OtherSessions;
    }
  });
  return tie;
}

void record_pain(RecordsStore &store, long long visit_id, PainWhen when, int score) {
  if (score < 0 || score > 10) {
    throw StoreError(StoreFailure::Invalid,
                     "pain " + std::to_string(score) + " is not on the 0–10 numeric rating scale");
  }
  if (!find_visit(store, visit_id))
    throw StoreError(StoreFailure::NotFound, "no visit " + std::to_string(visit_id));
  const std::string column = when == PainWhen::Before ? "pain_before" : "pain_after";
  store.in_transaction([&] {
    store.sql() << "UPDATE visits SET " + column + " = :s WHERE id = :id", soci::use(score),
        soci::use(visit_id);
  });
}

void set_visit_note(RecordsStore &store, long long visit_id, const std::string &note) {
  if (!find_visit(store, visit_id))
    throw StoreError(StoreFailure::NotFound, "no visit " + std::to_string(visit_id));
  store.in_transaction([&] {
    store.sql() << "UPDATE visits SET note = :n WHERE id = :id", soci::use(note),
        soci::use(visit_id);
  });
}

void close_course(RecordsStore &store, long long course_id) {
  (void)course_or_throw(store, course_id);
  const auto now = utc_now();
  store.in_transaction([&] {
    store.sql() << "UPDATE courses SET closed_utc = :t WHERE id = :id AND closed_utc IS NULL",
        soci::use(now), soci::use(course_id);
  });
}

} // namespace tractus::records
