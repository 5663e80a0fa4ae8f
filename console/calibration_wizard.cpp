#include "console/calibration_wizard.hpp"

#include "calibration/store.hpp"
#include "calibration/text.hpp"
#include "console/request_fields.hpp"
#include "text/utc_text.hpp"

#include <cmath>
#include <ctime>
#include <sstream>

#include <spdlog/spdlog.h>

namespace tractus::console {

namespace {

constexpr const char *kUnchanged = "nothing was saved; the calibration in force is unchanged";

std::int64_t now_unix() { return static_cast<std::int64_t>(std::time(nullptr)); }

std::vector<std::string> lines(const std::string &text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

nlohmann::json record_body(calibration::CalibrationRecord &record) {
  return nlohmann::json::parse(calibration::record_json(record));
}

calibration::StableReading read_stable(TableLease &lease, double counts_per_newton) {
  calibration::StabilityCriteria criteria;
  criteria.counts_per_newton = counts_per_newton;
  return calibration::read_stable(
      lease.table().load_cell, [&lease] { lease.wait_one_period(); }, lease.period(), criteria);
}

ApiResult invalid(std::string message, std::vector<std::string> problems) {
  return api_error(422, "invalid", std::move(message), std::move(problems));
}

} // namespace

CalibrationWizard::CalibrationWizard(std::filesystem::path store_dir, bool simulated)
    : store_dir_(std::move(store_dir)), simulated_(simulated) {}

nlohmann::json CalibrationWizard::step_json() const {
  if (!procedure_ || procedure_->done()) return nullptr;
  const calibration::PlannedStep &s = procedure_->next();
  const std::string load = calibration::newtons_text(s.load.si());
  return {{"number", procedure_->step_number()},
          {"count", procedure_->step_count()},
          {"cycle", s.cycle},
          {"direction", calibration::to_string(s.direction)},
          {"load_N", s.load.si()},
          {"instruction", simulated_ ? "state " + load + ": the simulator hangs it on its cell"
                                     : "hang " + load + " on the load cell, then state it"}};
}

ApiResult CalibrationWizard::status() const {
  const calibration::CalibrationStore store(store_dir_);
  const auto in_force = calibration::calibration_in_force(store_dir_, now_unix());
  nlohmann::json body = {{"in_force", in_force.ok()}, {"simulated", simulated_}};
  if (!in_force) body["why_not"] = in_force.error;
  if (simulated_)
    body["sessions_use"] = "the simulator's factory calibration (records here are practice)";
  if (calibration::RecordRead read = calibration::read_record_file(store.current_path())) {
    body["record"] = record_body(*read.record);
    body["summary"] = lines(calibration::record_summary(*read.record));
    body["expires_utc"] = text::utc_timestamp(read.record->expires_unix);
    const auto latest = store.latest_verification(read.record->checksum);
    if (latest.verification)
      body["latest_verification"] = {
          {"time_utc", text::utc_timestamp(latest.verification->time_unix)},
          {"technician", latest.verification->technician},
          {"passed", latest.verification->passed},
          {"text", calibration::verification_text(*latest.verification)}};
    else
      body["latest_verification"] = nullptr;
    if (!latest.error.empty()) body["verification_error"] = latest.error;
  } else {
    body["record"] = nullptr;
  }
  body["wizard"] = active() ? nlohmann::json{{"serial", serial_},
                                             {"technician", technician_},
                                             {"next", step_json()},
                                             {"finished", accepted_.has_value()}}
                            : nlohmann::json();
  return api_ok(std::move(body));
}

ApiResult CalibrationWizard::begin(const nlohmann::json &request,
                                   const std::function<LeaseOpen()> &open) {
  if (active())
    return api_error(409, "busy", "a calibration is under way: finish, install or cancel it");
  // Every field within its bounds (console/request_fields.hpp) before anything is planned:
  // the plan's size follows from loads_N and cycles, so both are bounded first.
  std::vector<std::string> problems = calibration_begin_problems(request);
  if (!problems.empty())
    return invalid("the calibration cannot begin; " + std::string(kUnchanged), problems);
  const std::string technician = request["technician"].get<std::string>();
  const std::string serial = request["serial"].get<std::string>();
  // calibration/'s own rules for what the record keeps (a serial not starting with '.', …).
  if (auto p = calibration::technician_problem(technician); !p.empty())
    problems.push_back("/technician: " + p);
  if (auto p = calibration::serial_problem(serial); !p.empty()) problems.push_back("/serial: " + p);
  if (!problems.empty())
    return invalid("the calibration cannot begin; " + std::string(kUnchanged), problems);
  calibration::CalibrationPlan plan;
  if (request.contains("loads_N")) {
    for (const auto &l : request["loads_N"])
      plan.loads.push_back(newtons(l.get<double>()));
  } else {
    for (const double l : {0.0, 200.0, 400.0, 600.0, 800.0, 1000.0}) // as tractus calibrate
      plan.loads.push_back(newtons(l));
  }
  plan.cycles = request.value("cycles", plan.cycles);
  if (request.contains("min_span_N")) plan.min_span = newtons(request["min_span_N"].get<double>());
  const int months = request.value("valid_months", calibration::kDefaultValidMonths);

  LeaseOpen opened = open();
  if (!opened.lease) return api_error(503, "table-unavailable", opened.error);
  plan.capacity = opened.lease->capacity();
  for (auto &p : calibration::check_plan(plan))
    problems.push_back("/loads_N: " + p);
  if (!(plan.capacity.si() > 0.0) || !(opened.lease->nominal_counts_per_newton() > 0.0))
    problems.push_back("/: the load-cell transmitter reports no capacity or sensitivity; it "
                       "cannot be calibrated from the console");
  if (!problems.empty())
    return invalid("the plan cannot be followed; " + std::string(kUnchanged), problems);

  lease_ = std::move(opened.lease);
  procedure_ = std::make_unique<calibration::CalibrationProcedure>(
      plan, lease_->nominal_counts_per_newton());
  serial_ = serial;
  technician_ = technician;
  valid_months_ = months;
  accepted_.reset();
  lease_->hang_reference_load(Force{}); // the simulated cell comes off the cable, nothing hung
  return api_ok({{"plan", calibration::loads_text(plan.loads)},
                 {"cycles", plan.cycles},
                 {"capacity_N", plan.capacity.si()},
                 {"table", lease_->description()},
                 {"simulated", simulated_},
                 {"next", step_json()}});
}

ApiResult CalibrationWizard::reading(const nlohmann::json &request) {
  if (!procedure_) return api_error(409, "no-calibration", "no calibration under way: begin one");
  if (procedure_->done())
    return api_error(409, "all-readings-taken", "every reading is taken: finish the calibration");
  std::vector<std::string> problems = calibration_reading_problems(request);
  if (!problems.empty()) return invalid("the reading was not taken", problems);
  const double load = request["load_N"].get<double>();

  const std::string where = "step " + std::to_string(procedure_->step_number()) + "/" +
                            std::to_string(procedure_->step_count());
  std::string refusal = procedure_->check_entered_load(newtons(load));
  if (refusal.empty()) {
    lease_->hang_reference_load(newtons(load)); // the simulator's hands; a person's otherwise
    refusal = procedure_->add_reading(read_stable(*lease_, lease_->nominal_counts_per_newton()));
  }
  if (!refusal.empty())
    return api_error(422, "refused",
                     where + ": " + refusal +
                         "; nothing was kept, take the step "
                         "again");
  const calibration::CalibrationPoint &p = procedure_->points().back();
  return api_ok({{"point",
                  {{"load_N", p.load.si()},
                   {"counts", p.counts},
                   {"sigma_counts", p.sigma_counts},
                   {"samples", p.samples}}},
                 {"simulated", simulated_},
                 {"done", procedure_->done()},
                 {"next", step_json()}});
}

ApiResult CalibrationWizard::finish() {
  if (!procedure_) return api_error(409, "no-calibration", "no calibration under way: begin one");
  if (accepted_) return api_error(409, "finished", "already finished: install or cancel");
  if (!procedure_->done())
    return api_error(409, "readings-missing",
                     std::to_string(procedure_->points().size()) + " of " +
                         std::to_string(procedure_->step_count()) + " readings taken: take the " +
                         "rest first");
  lease_->remove_reference_load();
  calibration::CalibrationRecord record = calibration::make_record(
      serial_, technician_, lease_->description(), now_unix(), procedure_->plan().capacity,
      procedure_->points(), {}, valid_months_);
  nlohmann::json body = {{"accepted", record.accepted()},
                         {"failures", record.fit.failures},
                         {"summary", lines(calibration::record_summary(record))}};
  if (record.accepted()) {
    body["record"] = record_body(record);
    body["next"] = "install";
    accepted_ = std::move(record);
    return api_ok(std::move(body));
  }
  spdlog::warn("calibration of load cell {} by {} failed acceptance; the one in force stays",
               serial_, technician_);
  try {
    body["kept_as"] = calibration::CalibrationStore(store_dir_).archive_rejected(record).string();
  } catch (const std::exception &e) {
    body["archive_error"] = e.what();
  }
  body["record"] = record_body(record);
  body["message"] = "the calibration failed acceptance (kept in history as rejected); the "
                    "calibration in force is unchanged";
  end();
  return api_ok(std::move(body));
}

ApiResult CalibrationWizard::install() {
  if (!accepted_)
    return api_error(409, "nothing-to-install", "no accepted calibration to install: finish one");
  calibration::CalibrationStore store(store_dir_);
  try {
    const auto kept = store.install(*accepted_);
    spdlog::info("calibration {} installed (load cell {}, by {}): in force until {}", accepted_->id,
                 serial_, technician_, text::utc_timestamp(accepted_->expires_unix));
    nlohmann::json body = {{"installed", true},
                           {"id", accepted_->id},
                           {"current", store.current_path().string()},
                           {"history", kept.string()},
                           {"expires_utc", text::utc_timestamp(accepted_->expires_unix)}};
    end();
    return api_ok(std::move(body));
  } catch (const std::exception &e) {
    spdlog::error("calibration {} could not be installed: {}", accepted_->id, e.what());
    return api_error(500, "internal",
                     std::string(e.what()) + "; the calibration in force is unchanged");
  }
}

ApiResult CalibrationWizard::cancel() {
  const bool was = active();
  end();
  return api_ok(
      {{"cancelled", was}, {"message", was ? kUnchanged : "no calibration was under way"}});
}

void CalibrationWizard::end() noexcept {
  if (lease_) lease_->remove_reference_load();
  lease_.reset();
  procedure_.reset();
  accepted_.reset();
}

} // namespace tractus::console
