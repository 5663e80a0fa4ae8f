#include "calibration/daily_verification.hpp"

#include "calibration/text.hpp"

#include <cmath>
#include <exception>
#include <utility>

namespace tractus::calibration {

DailyVerification::DailyVerification(std::filesystem::path store_dir, std::int64_t now_unix)
    : store_(std::move(store_dir)), now_unix_(now_unix), current_(store_.current(now_unix)) {}

const CalibrationRecord *DailyVerification::record() const {
  return current_.record ? &*current_.record : nullptr;
}

std::string DailyVerification::load_problem(Force load) const {
  return verification_load_problem(*current_.record, load);
}

StabilityCriteria DailyVerification::stability() const {
  StabilityCriteria criteria;
  criteria.counts_per_newton = 1.0 / std::abs(current_.record->fit.c1);
  return criteria;
}

DailyVerification::Result DailyVerification::conclude(Force load, const StableReading &reading,
                                                      std::string technician) {
  Result result;
  if (!reading.stable) {
    result.outcome = Outcome::Unstable;
    result.message = "unstable reading at " + newtons_text(load.si()) + ": " + reading.why +
                     "; nothing was logged";
    return result;
  }
  result.verification =
      verify_at_load(*current_.record, load, reading, std::move(technician), now_unix_);
  try {
    store_.append_verification(result.verification);
  } catch (const std::exception &e) {
    result.outcome = Outcome::NotLogged;
    result.message = e.what();
    return result;
  }
  result.outcome = result.verification.passed ? Outcome::Passed : Outcome::Failed;
  if (!result.verification.passed) result.message = std::string(kFailedVerificationAdvice);
  return result;
}

} // namespace tractus::calibration
