// CalibrationWizard::verify: the daily verification at one load, as `tractus calibrate verify`
// (apps/cli/calibrate_command.cpp) does it.
#include "console/calibration_wizard.hpp"

#include "console/request_fields.hpp"
#include "hal/calibration_store.hpp"
#include "hal/calibration_text.hpp"
#include "hal/calibration_verification.hpp"

#include <cmath>
#include <ctime>

namespace tractus::console {

ApiResult CalibrationWizard::verify(const nlohmann::json &request, TableLease &lease) {
  const std::int64_t now = static_cast<std::int64_t>(std::time(nullptr));
  const std::vector<std::string> problems = verification_problems(request);
  if (!problems.empty())
    return api_error(422, "invalid", "the verification was not taken; nothing was logged",
                     problems);
  const std::string technician = request.value("technician", std::string("unnamed"));

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
