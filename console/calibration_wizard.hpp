// The technician's load-cell calibration and daily verification on the console
// (docs/calibration.md; POST /api/tech/calibration/*, /api/tech/verification).
//
// The same procedure as `tractus calibrate run` (apps/cli/calibrate_command.cpp), one HTTP
// request per step: begin with the plan, then one stated load per reading (each a stable
// reading, calibration/reading.hpp), then finish (fit and acceptance), then install. The
// work is calibration/'s: CalibrationProcedure refuses a wrong or out-of-order load, the fit judges
// the record, the store installs it atomically and keeps every previous record. A refused step
// keeps nothing and is simply taken again; cancel abandons everything.
//
// On the simulator, stating a load first hangs it on the simulated cell (its hands), so the
// wizard can be walked through at the console; answers say "simulated": true. On a real table
// the technician hangs the weight, then states it.
//
// Runs on the service's worker thread only, and only while no session loop holds the table.
#pragma once

#include "calibration/procedure.hpp"
#include "calibration/record.hpp"
#include "console/api_result.hpp"
#include "console/table_binding.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace tractus::console {

class CalibrationWizard {
public:
  CalibrationWizard(std::filesystem::path store_dir, bool simulated);

  // The wizard holds the table from begin until install, cancel or a rejected finish.
  [[nodiscard]] bool active() const noexcept { return lease_ != nullptr; }
  [[nodiscard]] TableLease *lease() noexcept { return lease_.get(); }

  // GET /api/tech/calibration: the record in force (or why there is none), its expiry, the
  // latest verification, and the wizard's progress.
  [[nodiscard]] ApiResult status() const;

  // `open` is called once the request is found valid.
  ApiResult begin(const nlohmann::json &request, const std::function<LeaseOpen()> &open);
  ApiResult reading(const nlohmann::json &request);
  ApiResult finish();
  ApiResult install();
  ApiResult cancel();
  // The daily verification at one load, on a lease the caller opened for it.
  ApiResult verify(const nlohmann::json &request, TableLease &lease);

private:
  [[nodiscard]] nlohmann::json step_json() const;
  void end() noexcept; // takes the weight off (simulator) and gives the table back

  std::filesystem::path store_dir_;
  bool simulated_;
  std::unique_ptr<TableLease> lease_;
  std::unique_ptr<calibration::CalibrationProcedure> procedure_;
  std::string serial_;
  std::string technician_;
  int valid_months_ = calibration::kDefaultValidMonths;
  std::optional<calibration::CalibrationRecord> accepted_; // finished, waiting for install
};

} // namespace tractus::console
