#include "calibration/record.hpp"

#include "calibration/sha256.hpp"
#include "calibration/text.hpp"
#include "strict_json/strict_json.hpp"
#include "text/number_text.hpp"
#include "text/utc_text.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace tractus::calibration {
namespace {

using Json = nlohmann::ordered_json;

// A member that is missing or of the wrong type, named by its JSON pointer.
struct FieldError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const Json &member(const Json &j, const std::string &pointer) {
  const Json::json_pointer p(pointer);
  if (!j.contains(p)) throw FieldError(pointer + ": missing");
  return j.at(p);
}
std::string get_string(const Json &j, const std::string &pointer) {
  const Json &v = member(j, pointer);
  if (!v.is_string()) throw FieldError(pointer + ": expected a string");
  return v.get<std::string>();
}
// JSON has no infinity; an infinite statistic (an exact quadratic) is written as null.
double get_number(const Json &j, const std::string &pointer, bool null_is_infinity = false) {
  const Json &v = member(j, pointer);
  if (null_is_infinity && v.is_null()) return std::numeric_limits<double>::infinity();
  if (!v.is_number()) throw FieldError(pointer + ": expected a number");
  return v.get<double>();
}
std::int64_t get_integer(const Json &j, const std::string &pointer) {
  const Json &v = member(j, pointer);
  if (!v.is_number_integer()) throw FieldError(pointer + ": expected an integer");
  return v.get<std::int64_t>();
}
Json finite_or_null(double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); }

Json to_json_without_checksum(const CalibrationRecord &r) {
  const CalibrationFit &f = r.fit;
  Json j;
  j["format"] = kCalibrationFormat;
  j["id"] = r.id;
  j["load_cell_serial"] = r.load_cell_serial;
  j["technician"] = r.technician;
  j["table"] = r.table;
  j["created"] = text::utc_timestamp(r.created_unix);
  j["created_unix"] = r.created_unix;
  j["expires"] = text::utc_timestamp(r.expires_unix);
  j["expires_unix"] = r.expires_unix;
  j["capacity_n"] = r.capacity.si();
  j["model"] = to_string(f.model);
  j["coefficients"] = {{"c0", f.c0}, {"c1", f.c1}, {"c2", f.c2}};
  j["span_n"] = f.span.si();
  j["span_counts"] = f.span_counts;
  j["limits"] = {{"nonlinearity_pct_fs", r.limits.nonlinearity_pct},
                 {"hysteresis_pct_fs", r.limits.hysteresis_pct},
                 {"repeatability_pct_fs", r.limits.repeatability_pct},
                 {"cell_nonlinearity_pct_fs", r.limits.cell_nonlinearity_pct},
                 {"min_span_counts", r.limits.min_span_counts}};
  j["results"] = {{"nonlinearity_pct_fs", f.nonlinearity_pct},
                  {"hysteresis_pct_fs", f.hysteresis_pct},
                  {"repeatability_pct_fs", f.repeatability_pct},
                  {"cell_nonlinearity_pct_fs", f.cell_nonlinearity_pct},
                  {"max_error_pct_fs", f.max_error_pct},
                  {"linear_nonlinearity_pct_fs", f.linear_nonlinearity_pct},
                  {"rss_linear_n2", f.rss_linear},
                  {"rss_quadratic_n2", f.rss_quadratic},
                  {"f_statistic", finite_or_null(f.f_statistic)},
                  {"f_critical_99", finite_or_null(f.f_critical)},
                  {"accepted", f.accepted()},
                  {"failures", f.failures}};
  Json points = Json::array();
  for (const CalibrationPoint &p : r.points)
    points.push_back({{"cycle", p.cycle},
                      {"direction", to_string(p.direction)},
                      {"load_n", p.load.si()},
                      {"counts", p.counts},
                      {"sigma_counts", p.sigma_counts},
                      {"samples", p.samples}});
  j["points"] = std::move(points);
  return j;
}

CalibrationRecord from_json(const Json &j) {
  CalibrationRecord r;
  r.id = get_string(j, "/id");
  r.load_cell_serial = get_string(j, "/load_cell_serial");
  r.technician = get_string(j, "/technician");
  r.table = get_string(j, "/table");
  r.created_unix = get_integer(j, "/created_unix");
  r.expires_unix = get_integer(j, "/expires_unix");
  r.capacity = Force(get_number(j, "/capacity_n"));
  CalibrationFit &f = r.fit;
  const std::string model = get_string(j, "/model");
  if (model != "linear" && model != "quadratic")
    throw FieldError("/model: expected \"linear\" or \"quadratic\"");
  f.model = model == "linear" ? CurveModel::Linear : CurveModel::Quadratic;
  f.c0 = get_number(j, "/coefficients/c0");
  f.c1 = get_number(j, "/coefficients/c1");
  f.c2 = get_number(j, "/coefficients/c2");
  f.span = Force(get_number(j, "/span_n"));
  f.span_counts = get_number(j, "/span_counts");
  r.limits.nonlinearity_pct = get_number(j, "/limits/nonlinearity_pct_fs");
  r.limits.hysteresis_pct = get_number(j, "/limits/hysteresis_pct_fs");
  r.limits.repeatability_pct = get_number(j, "/limits/repeatability_pct_fs");
  r.limits.cell_nonlinearity_pct = get_number(j, "/limits/cell_nonlinearity_pct_fs");
  r.limits.min_span_counts = get_number(j, "/limits/min_span_counts");
  f.nonlinearity_pct = get_number(j, "/results/nonlinearity_pct_fs");
  f.hysteresis_pct = get_number(j, "/results/hysteresis_pct_fs");
  f.repeatability_pct = get_number(j, "/results/repeatability_pct_fs");
  f.cell_nonlinearity_pct = get_number(j, "/results/cell_nonlinearity_pct_fs");
  f.max_error_pct = get_number(j, "/results/max_error_pct_fs");
  f.linear_nonlinearity_pct = get_number(j, "/results/linear_nonlinearity_pct_fs");
  f.rss_linear = get_number(j, "/results/rss_linear_n2");
  f.rss_quadratic = get_number(j, "/results/rss_quadratic_n2");
  f.f_statistic = get_number(j, "/results/f_statistic", true);
  f.f_critical = get_number(j, "/results/f_critical_99", true);
  const Json &failures = member(j, "/results/failures");
  if (!failures.is_array()) throw FieldError("/results/failures: expected an array");
  for (std::size_t i = 0; i < failures.size(); ++i)
    f.failures.push_back(get_string(j, "/results/failures/" + std::to_string(i)));
  const Json &accepted = member(j, "/results/accepted");
  if (!accepted.is_boolean() || accepted.get<bool>() != f.failures.empty())
    throw FieldError("/results/accepted: does not agree with /results/failures");
  const Json &points = member(j, "/points");
  if (!points.is_array()) throw FieldError("/points: expected an array");
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::string at = "/points/" + std::to_string(i);
    CalibrationPoint p;
    p.cycle = static_cast<int>(get_integer(j, at + "/cycle"));
    const std::string direction = get_string(j, at + "/direction");
    if (direction != "loading" && direction != "unloading")
      throw FieldError(at + "/direction: expected \"loading\" or \"unloading\"");
    p.direction = direction == "loading" ? LoadDirection::Loading : LoadDirection::Unloading;
    p.load = Force(get_number(j, at + "/load_n"));
    p.counts = get_number(j, at + "/counts");
    p.sigma_counts = get_number(j, at + "/sigma_counts");
    p.samples = static_cast<std::uint32_t>(get_integer(j, at + "/samples"));
    r.points.push_back(p);
  }
  return r;
}

// Line and column (1-based) of a byte offset, for a parse error a person can find.
std::string position_text(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

} // namespace

hal::Calibration CalibrationRecord::calibration() const {
  hal::Calibration c;
  c.id = id;
  c.source = "technician calibration by " + technician + ", load cell " + load_cell_serial +
             ", sha256 " + checksum.substr(0, 12);
  c.c0 = fit.c0;
  c.c1 = fit.c1;
  c.c2 = fit.c2;
  c.full_scale = capacity;
  c.calibrated_to = fit.span;
  c.expires_unix = expires_unix;
  return c;
}

std::string serial_problem(std::string_view serial) {
  bool ok = !serial.empty() && serial.size() <= 32;
  for (const char ch : serial)
    ok = ok && ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
                ch == '.' || ch == '-' || ch == '_');
  if (ok && serial.front() != '.') return "";
  return "the load-cell serial \"" + std::string(serial) +
         "\" must be 1 to 32 letters, digits, '.', '-' or '_' (as printed on the cell's label)";
}

std::string technician_problem(std::string_view technician) {
  bool ok = !technician.empty() && technician.size() <= 64;
  for (const char ch : technician)
    ok = ok && static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7F;
  if (ok) return "";
  return "the technician must be named (1 to 64 printable characters, a name or staff id)";
}

CalibrationRecord make_record(std::string serial, std::string technician, std::string table,
                              std::int64_t now_unix, Force capacity,
                              std::vector<CalibrationPoint> points, const CalibrationLimits &limits,
                              int valid_months) {
  CalibrationRecord r;
  r.id = serial + "-" + text::utc_compact(now_unix);
  r.load_cell_serial = std::move(serial);
  r.technician = std::move(technician);
  r.table = std::move(table);
  r.created_unix = now_unix;
  r.expires_unix = text::add_months(now_unix, valid_months);
  r.capacity = capacity;
  r.limits = limits;
  r.fit = fit_calibration(points, limits);
  r.points = std::move(points);
  return r;
}

std::string record_checksum(const CalibrationRecord &record) {
  return sha256_hex(to_json_without_checksum(record).dump());
}

std::string record_json(CalibrationRecord &record) {
  Json j = to_json_without_checksum(record);
  record.checksum = sha256_hex(j.dump());
  j["checksum"] = {{"algorithm", "sha256"}, {"value", record.checksum}};
  return j.dump(2) + "\n";
}

RecordRead parse_record(std::string_view text, const std::string &name) {
  RecordRead out;
  Json j;
  std::vector<std::string> duplicates;
  try {
    j = strict_json::parse_noting_duplicates<Json>(text, duplicates);
  } catch (const Json::parse_error &e) {
    const bool at_end = e.byte >= text.size();
    out.error = name + ": not valid JSON at " + position_text(text, e.byte == 0 ? 0 : e.byte - 1) +
                (at_end ? " (the file ends early: truncated)" : " (damaged)") +
                "; the record cannot be used";
    return out;
  }
  if (!duplicates.empty()) { // its checksum was made over one of the values, not both
    out.error = name + ": " + duplicates.front() +
                ": duplicate key (edited by hand?); the record cannot be used";
    return out;
  }
  if (!j.is_object() || !j.contains("format") || !j["format"].is_string()) {
    out.error = name + ": not a calibration record (no \"format\"; expected \"" +
                std::string(kCalibrationFormat) + "\")";
    return out;
  }
  if (const std::string format = j["format"].get<std::string>(); format != kCalibrationFormat) {
    out.error = name + ": format is \"" + format + "\", expected \"" +
                std::string(kCalibrationFormat) + "\"";
    return out;
  }
  const Json::json_pointer value_at("/checksum/value");
  if (!j.contains(value_at) || !j.at(value_at).is_string() ||
      j["checksum"].value("algorithm", "") != "sha256") {
    out.error = name + ": no sha256 checksum: the record cannot be verified, so it is not used";
    return out;
  }
  const std::string stored = j.at(value_at).get<std::string>();
  j.erase("checksum");
  const std::string computed = sha256_hex(j.dump());
  if (stored != computed) {
    out.error = name + ": checksum mismatch (stored " + stored.substr(0, 12) +
                "..., content hashes to " + computed.substr(0, 12) +
                "...): the record was changed after it was written and cannot be trusted";
    return out;
  }
  try {
    out.record = from_json(j);
    out.record->checksum = stored;
  } catch (const FieldError &e) {
    out.error = name + ": " + e.what();
  } catch (const Json::exception &e) {
    out.error = name + ": " + e.what();
  }
  return out;
}

RecordRead read_record_file(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, path.string() + ": cannot be read (missing or no permission)"};
  std::ostringstream text;
  text << in.rdbuf();
  return parse_record(text.str(), path.string());
}

namespace {
// Coefficients with the ten significant digits a record needs (c1 is ~0.0100001 N/count).
std::string coefficient(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}
} // namespace

std::string record_summary(const CalibrationRecord &r) {
  std::ostringstream out;
  const CalibrationFit &f = r.fit;
  auto row = [&out](const char *what, double value, double limit) {
    out << "  " << what << percent_text(value) << " of FS (limit " << percent_text(limit) << ")"
        << (value <= limit ? "  ok" : "  FAILED") << "\n";
  };
  out << "calibration " << r.id << ": load cell " << r.load_cell_serial << ", technician "
      << r.technician << ", " << text::utc_date(r.created_unix) << ", on " << r.table << "\n"
      << "  model " << to_string(f.model)
      << ": F = c0 + c1*n + c2*n^2 with c0 = " << coefficient(f.c0)
      << " N, c1 = " << coefficient(f.c1) << " N/count, c2 = " << coefficient(f.c2)
      << " N/count^2\n"
      << "  span (FS) " << newtons_text(f.span.si()) << " over "
      << text::format_number(f.span_counts, 0) << " counts; cell capacity "
      << newtons_text(r.capacity.si()) << "\n";
  row("non-linearity       ", f.nonlinearity_pct, r.limits.nonlinearity_pct);
  row("hysteresis          ", f.hysteresis_pct, r.limits.hysteresis_pct);
  row("repeatability       ", f.repeatability_pct, r.limits.repeatability_pct);
  row("cell non-linearity  ", f.cell_nonlinearity_pct, r.limits.cell_nonlinearity_pct);
  out << "  worst single reading " << percent_text(f.max_error_pct) << " of FS\n"
      << "  quadratic term: F-statistic " << text::format_number(f.f_statistic, 1)
      << " (1 % critical " << text::format_number(f.f_critical, 2) << "), linear non-linearity "
      << percent_text(f.linear_nonlinearity_pct) << " -> "
      << (f.model == CurveModel::Quadratic ? "kept" : "not needed") << "\n"
      << "  expires " << text::utc_date(r.expires_unix) << "; sha256 " << r.checksum << "\n";
  for (const std::string &failure : f.failures)
    out << "  FAILED: " << failure << "\n";
  return out.str();
}

std::string expiry_problem(const CalibrationRecord &record, const std::string &name,
                           std::int64_t now_unix) {
  // A clock set back (or a record from a clock set forward) would make any record look in
  // date: a record made more than a day in the future is refused too.
  if (record.created_unix > now_unix + 86400)
    return name + ": calibration " + record.id + " is dated " +
           text::utc_date(record.created_unix) + ", after today (" + text::utc_date(now_unix) +
           "): the controller's clock is wrong";
  if (now_unix < record.expires_unix) return "";
  return name + ": calibration " + record.id + " expired on " +
         text::utc_date(record.expires_unix) +
         "; the load cell must be recalibrated (tractus calibrate run)";
}

} // namespace tractus::calibration
