#include "console/calibration_wizard.hpp"

#include "hal/calibration_store.hpp"
#include "hal/calibration_text.hpp"

#include <cmath>
#include <ctime>
#include <sstream>

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

nlohmann::json record_body(hal::CalibrationRecord &record) {
  return nlohmann::json::parse(hal::record_json(record));
}

// A finite number member, or a problem naming it.
std::optional<double> number_member(const nlohmann::json &j, const char *key, bool required,
                                    std::vector<std::string> &problems) {
  if (!j.contains(key)) {
    if (required) problems.push_back(std::string("/") + key + ": missing (a number)");
    return std::nullopt;
  }
  if (!j[key].is_number() || !std::isfinite(j[key].get<double>())) {
    problems.push_back(std::string("/") + key + ": expected a number");
    return std::nullopt;
  }
  return j[key].get<double>();
}

void unknown_members(const nlohmann::json &j, std::initializer_list<const char *> allowed,
                     std::vector<std::string> &problems) {
  for (const auto &[key, value] : j.items()) {
    bool known = false;
    std::string list;
    for (const char *a : allowed) {
      known = known || key == a;
      list += (list.empty() ? "" : ", ") + std::string(a);
    }
    if (!known) problems.push_back("/" + key + ": unknown member (allowed: " + list + ")");
  }
}

hal::StableReading read_stable(TableLease &lease, double counts_per_newton) {
  hal::StabilityCriteria criteria;
  criteria.counts_per_newton = counts_per_newton;
  return hal::read_stable(
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
  const hal::PlannedStep &s = procedure_->next();
  const std::string load = hal::newtons_text(s.load.si());
  return {{"number", procedure_->step_number()},
          {"count", procedure_->step_count()},
          {"cycle", s.cycle},
          {"direction", hal::to_string(s.direction)},
          {"load_N", s.load.si()},
          {"instruction", simulated_ ? "state " + load + ": the simulator hangs it on its cell"
                                     : "hang " + load + " on the load cell, then state it"}};
}

ApiResult CalibrationWizard::status() const {
  const hal::CalibrationStore store(store_dir_);
  std::string why;
  const bool in_force = hal::calibration_in_force(store_dir_, now_unix(), why).has_value();
  nlohmann::json body = {{"in_force", in_force}, {"simulated", simulated_}};
  if (!in_force) body["why_not"] = why;
  if (simulated_)
    body["sessions_use"] = "the simulator's factory calibration (records here are practice)";
  if (hal::RecordRead read = hal::read_record_file(store.current_path())) {
    body["record"] = record_body(*read.record);
    body["summary"] = lines(hal::record_summary(*read.record));
    body["expires_utc"] = hal::utc_timestamp(read.record->expires_unix);
    const auto latest = store.latest_verification(read.record->checksum);
    if (latest.verification)
      body["latest_verification"] = {
          {"time_utc", hal::utc_timestamp(latest.verification->time_unix)},
          {"technician", latest.verification->technician},
          {"passed", latest.verification->passed},
          {"text", hal::verification_text(*latest.verification)}};
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
  if (!request.is_object())
    return invalid("the request is not an object", {"/: expected an object"});
  std::vector<std::string> problems;
  unknown_members(request,
                  {"technician", "serial", "loads_N", "cycles", "min_span_N", "valid_months"},
                  problems);
  const auto text = [&](const char *key) {
    return request.contains(key) && request[key].is_string() ? request[key].get<std::string>()
                                                             : std::string();
  };
  const std::string technician = text("technician"), serial = text("serial");
  if (auto p = hal::technician_problem(technician); !p.empty())
    problems.push_back("/technician: " + p);
  if (auto p = hal::serial_problem(serial); !p.empty()) problems.push_back("/serial: " + p);
  hal::CalibrationPlan plan;
  if (!request.contains("loads_N")) {
    for (const double l : {0.0, 200.0, 400.0, 600.0, 800.0, 1000.0}) // as tractus calibrate
      plan.loads.push_back(newtons(l));
  } else if (!request["loads_N"].is_array()) {
    problems.push_back("/loads_N: expected an array of loads in N, ascending from 0");
  } else {
    for (std::size_t i = 0; i < request["loads_N"].size(); ++i) {
      const auto &l = request["loads_N"][i];
      if (l.is_number() && std::isfinite(l.get<double>()))
        plan.loads.push_back(newtons(l.get<double>()));
      else
        problems.push_back("/loads_N/" + std::to_string(i) + ": expected a number (N)");
    }
  }
  if (request.contains("cycles") && !request["cycles"].is_number_integer())
    problems.push_back("/cycles: expected a whole number (2 or more)");
  plan.cycles = request.value("cycles", 2);
  if (const auto span = number_member(request, "min_span_N", false, problems))
    plan.min_span = newtons(*span);
  const int months = request.contains("valid_months") && request["valid_months"].is_number_integer()
                         ? request["valid_months"].get<int>()
                         : (request.contains("valid_months") ? 0 : hal::kDefaultValidMonths);
  if (months < 1 || months > 12)
    problems.push_back("/valid_months: must be 1 to 12 (a calibration is good for a year at most)");
  if (!problems.empty())
    return invalid("the calibration cannot begin; " + std::string(kUnchanged), problems);

  LeaseOpen opened = open();
  if (!opened.lease) return api_error(503, "table-unavailable", opened.error);
  plan.capacity = opened.lease->capacity();
  for (auto &p : hal::check_plan(plan))
    problems.push_back("/loads_N: " + p);
  if (!(plan.capacity.si() > 0.0) || !(opened.lease->nominal_counts_per_newton() > 0.0))
    problems.push_back("/: the load-cell transmitter reports no capacity or sensitivity; it "
                       "cannot be calibrated from the console");
  if (!problems.empty())
    return invalid("the plan cannot be followed; " + std::string(kUnchanged), problems);

  lease_ = std::move(opened.lease);
  procedure_ =
      std::make_unique<hal::CalibrationProcedure>(plan, lease_->nominal_counts_per_newton());
  serial_ = serial;
  technician_ = technician;
  valid_months_ = months;
  accepted_.reset();
  lease_->hang_reference_load(Force{}); // the simulated cell comes off the cable, nothing hung
  return api_ok({{"plan", hal::loads_text(plan.loads)},
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
  std::vector<std::string> problems;
  double load = 0.0;
  if (!request.is_object()) {
    problems.push_back("/: expected an object {\"load_N\": …}");
  } else {
    unknown_members(request, {"load_N"}, problems);
    load = number_member(request, "load_N", true, problems).value_or(0.0);
  }
  if (!problems.empty()) return invalid("the reading was not taken", problems);

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
  const hal::CalibrationPoint &p = procedure_->points().back();
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
  hal::CalibrationRecord record =
      hal::make_record(serial_, technician_, lease_->description(), now_unix(),
                       procedure_->plan().capacity, procedure_->points(), {}, valid_months_);
  nlohmann::json body = {{"accepted", record.accepted()},
                         {"failures", record.fit.failures},
                         {"summary", lines(hal::record_summary(record))}};
  if (record.accepted()) {
    body["record"] = record_body(record);
    body["next"] = "install";
    accepted_ = std::move(record);
    return api_ok(std::move(body));
  }
  try {
    body["kept_as"] = hal::CalibrationStore(store_dir_).archive_rejected(record).string();
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
  hal::CalibrationStore store(store_dir_);
  try {
    const auto kept = store.install(*accepted_);
    nlohmann::json body = {{"installed", true},
                           {"id", accepted_->id},
                           {"current", store.current_path().string()},
                           {"history", kept.string()},
                           {"expires_utc", hal::utc_timestamp(accepted_->expires_unix)}};
    end();
    return api_ok(std::move(body));
  } catch (const std::exception &e) {
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
