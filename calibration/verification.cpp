#include "calibration/verification.hpp"

#include "calibration/sha256.hpp"
#include "calibration/text.hpp"
#include "strict_json/strict_json.hpp"
#include "text/utc_text.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <utility>

namespace tractus::calibration {
namespace {

using Json = nlohmann::ordered_json;

std::string signed_newtons(double n) { return (n >= 0.0 ? "+" : "") + newtons_text(n, 2); }

} // namespace

std::string verification_load_problem(const CalibrationRecord &record, Force reference) {
  if (std::isfinite(reference.si()) && reference > Force{} && reference <= record.fit.span)
    return "";
  return "refused: the verification load " + newtons_text(reference.si()) +
         " must be above 0 N and within the calibrated span (" +
         newtons_text(record.fit.span.si()) + ")";
}

Verification verify_at_load(const CalibrationRecord &record, Force reference,
                            const StableReading &reading, std::string technician,
                            std::int64_t now_unix, VerificationTolerance tolerance) {
  Verification v;
  v.time_unix = now_unix;
  v.technician = std::move(technician);
  v.record_id = record.id;
  v.record_checksum = record.checksum;
  v.reference = reference;
  v.measured = Force(record.fit.to_newtons(reading.mean_counts));
  v.tolerance = tolerance.at(reference);
  v.sigma = Force(std::abs(record.fit.c1) * reading.sigma_counts);
  v.passed = reading.stable && abs(v.error()) <= v.tolerance;
  return v;
}

std::string verification_text(const Verification &v) {
  return std::string(v.passed ? "passed" : "FAILED") + ": " + newtons_text(v.measured.si(), 2) +
         " measured at " + newtons_text(v.reference.si()) + " (error " +
         signed_newtons(v.error().si()) + ", allowed ±" + newtons_text(v.tolerance.si(), 2) + ")";
}

std::string verification_line(const Verification &v) {
  Json j;
  j["format"] = kVerificationFormat;
  j["time"] = text::utc_timestamp(v.time_unix);
  j["time_unix"] = v.time_unix;
  j["technician"] = v.technician;
  j["record_id"] = v.record_id;
  j["record_sha256"] = v.record_checksum;
  j["reference_n"] = v.reference.si();
  j["measured_n"] = v.measured.si();
  j["error_n"] = v.error().si();
  j["tolerance_n"] = v.tolerance.si();
  j["sigma_n"] = v.sigma.si();
  j["passed"] = v.passed;
  j["line_sha256"] = sha256_hex(j.dump());
  return j.dump();
}

VerificationLineRead parse_verification_line(std::string_view line) {
  VerificationLineRead out;
  std::vector<std::string> duplicates;
  Json j = strict_json::parse_noting_duplicates_or_discarded<Json>(line, duplicates);
  if (j.is_discarded() || !j.is_object()) {
    out.error = "not valid JSON (truncated or damaged)";
    return out;
  }
  if (!duplicates.empty()) {
    out.error = duplicates.front() + ": duplicate key (edited by hand?)";
    return out;
  }
  if (j.contains("record_sha256") && j["record_sha256"].is_string())
    out.record_checksum = j["record_sha256"].get<std::string>();
  if (j.value("format", "") != kVerificationFormat) {
    out.error = "format is not \"" + std::string(kVerificationFormat) + "\"";
    return out;
  }
  if (!j.contains("line_sha256") || !j["line_sha256"].is_string()) {
    out.error = "no checksum";
    return out;
  }
  const std::string stored = j["line_sha256"].get<std::string>();
  j.erase("line_sha256");
  if (sha256_hex(j.dump()) != stored) {
    out.error = "checksum mismatch: the line was changed after it was written";
    return out;
  }
  try {
    Verification v;
    v.time_unix = j.at("time_unix").get<std::int64_t>();
    v.technician = j.at("technician").get<std::string>();
    v.record_id = j.at("record_id").get<std::string>();
    v.record_checksum = j.at("record_sha256").get<std::string>();
    v.reference = Force(j.at("reference_n").get<double>());
    v.measured = Force(j.at("measured_n").get<double>());
    v.tolerance = Force(j.at("tolerance_n").get<double>());
    v.sigma = Force(j.at("sigma_n").get<double>());
    v.passed = j.at("passed").get<bool>();
    out.verification = std::move(v);
  } catch (const Json::exception &e) {
    out.error = std::string("a member is missing or mistyped: ") + e.what();
  }
  return out;
}

} // namespace tractus::calibration
