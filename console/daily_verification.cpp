// CalibrationWizard::verify: the daily verification at one load, as `tractus calibrate verify`
// (apps/cli/calibrate_command.cpp) does it.
#include "console/calibration_wizard.hpp"

#include "hal/calibration_store.hpp"
#include "hal/calibration_text.hpp"
#include "hal/calibration_verification.hpp"

#include <cmath>
#include <ctime>

namespace tractus::console {

ApiResult CalibrationWizard::verify(const nlohmann::json &request, TableLease &lease) {
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  std::vector<std::string> problems;
  if (!request.is_object()) {
    problems.push_back("/: expected an object {\"load_N\": …, \"technician\": …}");
  } else {
    for (const auto &[key, value] : request.items())
      if (key != "load_N" && key != "technician")
        problems.push_back("/" + key + ": unknown member (allowed: load_N, technician)");
    if (!request.contains("load_N") || !request["load_N"].is_number() ||
        !std::isfinite(request["load_N"].get<double>()))
      problems.push_back("/load_N: expected a number (the reference load in N, e.g. 500)");
  }
  const std::string technician =
      request.is_object() && request.contains("technician") && request["technician"].is_string()
          ? request["technician"].get<std::string>()
          : "unnamed";
  if (auto p = hal::technician_problem(technician); !p.empty())
    problems.push_back("/technician: " + p);
  if (!problems.empty())
    return api_error(422, "invalid", "the verification was not taken; nothing was logged",
                     problems);

  hal::CalibrationStore store(store_dir_);
  const hal::RecordRead current = store.current(now);
  if (!current) return api_error(409, "no-calibration", current.error + ": nothing to verify");
  const hal::CalibrationRecord &record = *current.record;
  const Force load = newtons(request["load_N"].get<double>());
  if (auto p = hal::verification_load_problem(record, load); !p.empty())
    return api_error(422, "invalid", p, {"/load_N: " + p});

  // The simulator hangs the weight; on a real table it hangs already (the technician put it on
  // before sending the request).
  lease.hang_reference_load(load);
  hal::StabilityCriteria criteria;
  criteria.counts_per_newton = 1.0 / std::abs(record.fit.c1);
  const hal::StableReading reading = hal::read_stable(
      lease.table().load_cell, [&lease] { lease.wait_one_period(); }, lease.period(), criteria);
  lease.remove_reference_load();
  if (!reading.stable)
    return api_error(422, "refused",
                     "unstable reading at " + hal::newtons_text(load.si()) + ": " + reading.why +
                         "; nothing was logged");
  const hal::Verification v = hal::verify_at_load(record, load, reading, technician, now);
  try {
    store.append_verification(v);
  } catch (const std::exception &e) {
    return api_error(500, "internal", e.what());
  }
  nlohmann::json body = {{"passed", v.passed},
                         {"record_id", record.id},
                         {"reference_N", v.reference.si()},
                         {"measured_N", v.measured.si()},
                         {"error_N", v.error().si()},
                         {"tolerance_N", v.tolerance.si()},
                         {"text", hal::verification_text(v)},
                         {"simulated", simulated_}};
  if (!v.passed)
    body["message"] = "the calibration is out of force until a verification passes; check the "
                      "weight and the load path, then verify again or recalibrate";
  return api_ok(std::move(body));
}

} // namespace tractus::console
