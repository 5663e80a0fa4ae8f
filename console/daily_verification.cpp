// CalibrationWizard::verify: the console's presentation of the daily verification
// (calibration/daily_verification.hpp), which `tractus calibrate verify` presents too.
#include "console/calibration_wizard.hpp"

#include "calibration/daily_verification.hpp"
#include "console/request_fields.hpp"

#include <ctime>

#include <spdlog/spdlog.h>

namespace tractus::console {

ApiResult CalibrationWizard::verify(const nlohmann::json &request, TableLease &lease) {
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const std::vector<std::string> problems = verification_problems(request);
  if (!problems.empty())
    return api_error(422, "invalid", "the verification was not taken; nothing was logged",
                     problems);
  const std::string technician = request.value("technician", std::string("unnamed"));

  calibration::DailyVerification verification(store_dir_, now);
  const calibration::CalibrationRecord *record = verification.record();
  if (!record)
    return api_error(409, "no-calibration", verification.why_not() + ": nothing to verify");
  const Force load = newtons(request["load_N"].get<double>());
  if (auto p = verification.load_problem(load); !p.empty())
    return api_error(422, "invalid", p, {"/load_N: " + p});

  // The simulator hangs the weight; on a real table it hangs already (the technician put it on
  // before sending the request).
  lease.hang_reference_load(load);
  const calibration::StableReading reading = calibration::read_stable(
      lease.table().load_cell, [&lease] { lease.wait_one_period(); }, lease.period(),
      verification.stability());
  lease.remove_reference_load();
  const auto result = verification.conclude(load, reading, technician);
  using Outcome = calibration::DailyVerification::Outcome;
  if (result.outcome == Outcome::Unstable) return api_error(422, "refused", result.message);
  if (result.outcome == Outcome::NotLogged) return api_error(500, "internal", result.message);
  const calibration::Verification &v = result.verification;
  spdlog::log(v.passed ? spdlog::level::info : spdlog::level::warn,
              "daily verification of calibration {} by {}: {}", record->id, technician,
              calibration::verification_text(v));
  nlohmann::json body = {{"passed", v.passed},
                         {"record_id", record->id},
                         {"reference_N", v.reference.si()},
                         {"measured_N", v.measured.si()},
                         {"error_N", v.error().si()},
                         {"tolerance_N", v.tolerance.si()},
                         {"text", calibration::verification_text(v)},
                         {"simulated", simulated_}};
  if (!v.passed) body["message"] = result.message;
  return api_ok(std::move(body));
}

} // namespace tractus::console
