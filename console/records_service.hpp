// The records routes of the console (docs/console.md "Records"): patients, courses, visits
// with their proposed and confirmed forces, pain scores and notes, and the visit a session is
// loaded for.
//
// Runs on the service's one worker thread (RunsOn::Worker), never on the loop's or the I/O
// thread: a store that is slow or down delays these answers and the start of a course visit,
// never a STOP, the telemetry or a running session. The connection is opened at the first use
// and opened again after it failed; a store that cannot be used answers 503
// `records-unavailable`, and a session loaded for a course visit is then refused with fault
// code 120 (docs/fault-codes.md) — a session without a visit needs no store and is never held
// back by one.
#pragma once

#include "console/api_result.hpp"
#include "console/clinic_protocol_finder.hpp"
#include "console/profile_catalog.hpp"
#include "profiles/limits.hpp"
#include "records/store.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace tractus::console {

struct RecordsOptions {
  std::optional<records::StoreAddress> address; // none: this console keeps no records
  std::string table_name;                       // this table, as the store names it
  profiles::Limits limits = profiles::kDefaultLimits;
  std::filesystem::path library_dir; // the stock protocols
  // Where the clinic's limits last read from the store are kept, so that a table restarted
  // while the store is down still applies them (empty: not kept).
  std::filesystem::path limits_copy;
};

// The limits every protocol is checked against now, or why they cannot be known: the clinic's
// were never read on this table and no copy of them is kept (nothing is checked against a guess).
struct LimitsInForce {
  profiles::Limits limits = profiles::kDefaultLimits;
  std::string unknown; // non-empty: refuse, saying this
};

// What a session loaded for a course visit runs: the course's protocol at the visit's force.
struct VisitForSession {
  long long course_id = 0, visit_id = 0;
  int number = 0;
  std::string patient_id, protocol_id;
  double proposed_force_n = 0, confirmed_force_n = 0;
  std::string region; // the course's: its forces were checked against this region's caps
};

class RecordsService {
public:
  explicit RecordsService(RecordsOptions options);
  ~RecordsService();
  RecordsService(const RecordsService &) = delete;
  RecordsService &operator=(const RecordsService &) = delete;

  [[nodiscard]] bool enabled() const { return options_.address.has_value(); }
  [[nodiscard]] const RecordsOptions &options() const { return options_; }

  ApiResult status();
  ApiResult search_patients(const std::string &part);
  ApiResult add_patient(const nlohmann::json &body);
  // The patient, their courses (each with its visits and its next proposal) and sessions.
  ApiResult patient(const std::string &id);
  ApiResult start_course(const std::string &patient_id, const nlohmann::json &body);
  ApiResult course(const std::string &course_id);
  ApiResult confirm_visit(const std::string &course_id, const nlohmann::json &body);
  ApiResult pain(const std::string &visit_id, const nlohmann::json &body);
  ApiResult note(const std::string &visit_id, const nlohmann::json &body);
  // Reports (docs/reports.md) as downloads: `format` pdf, csv, png, or fhir for a session
  // (console/records_reports.cpp).
  ApiResult session_report(const std::string &session_id, const std::string &format);
  ApiResult course_report(const std::string &course_id, const std::string &format);

  // --- clinic protocols and limits (console/records_protocols.cpp) --------------------------
  // The limits every protocol is checked against now: the stricter of this table's own (its
  // configuration file) and the clinic's in the store — the last ones read while the store
  // cannot be, so a store that goes down never loosens a limit.
  LimitsInForce limits_in_force();
  // 503 records-unavailable with fault code 120, saying `why` the limits cannot be known.
  [[nodiscard]] ApiResult limits_unknown(const std::string &why) const;
  // A clinic protocol's newest version by id (for the protocol checks of a session or preview).
  ClinicProtocolFound find_clinic_protocol(const std::string &id);
  // GET /api/profiles's clinic part; `unavailable` says why it is missing.
  std::vector<ListedClinicProtocol> listed_clinic_protocols(std::string &unavailable);
  ApiResult protocols();
  ApiResult protocol(const std::string &id, const std::string &version);
  ApiResult export_protocol(const std::string &id, const std::string &version);
  // A new version; `who`: the role saving it (kept with the author's initials and the table).
  ApiResult save_protocol(const nlohmann::json &body, const std::string &who);
  ApiResult preview_protocol(const nlohmann::json &body);
  ApiResult limits();
  ApiResult set_limits(const nlohmann::json &body, const std::string &who);

  // The visit a session is being loaded for, or the refusal to answer (404 no such visit, 409
  // it already ran, 503 with fault_code 119 when the store cannot be used).
  std::variant<VisitForSession, ApiResult> visit_for_session(long long visit_id);
  // Ties the visit to the session being loaded for it, so that no other session or table can
  // run it meanwhile: the refusal (409 taken since, 503 with 120), or nothing. release_visit
  // undoes it when the session could not be loaded after all (best effort: the indexer also
  // frees a visit whose session never started).
  std::optional<ApiResult> reserve_visit(long long visit_id, const std::string &session_id);
  void release_visit(long long visit_id, const std::string &session_id) noexcept;

private:
  records::RecordsStore &store(); // throws records::StoreError
  ApiResult refused(const records::StoreError &e);
  nlohmann::json course_json(records::RecordsStore &store, long long course_id);

  void remember_clinic_limits(const nlohmann::json &members);

  RecordsOptions options_;
  std::unique_ptr<records::RecordsStore> store_;
  // The clinic's limits last read from the store (or its copy); none: never read.
  std::optional<nlohmann::json> clinic_members_;
  profiles::Limits clinic_limits_ = profiles::kDefaultLimits; // clinic_members_ read
  bool limits_copy_current_ = false;                          // the copy holds clinic_members_
};

} // namespace tractus::console
