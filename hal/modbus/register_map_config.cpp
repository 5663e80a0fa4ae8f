#include "hal/modbus/register_map_config.hpp"

#include "strict_json/strict_json.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <initializer_list>
#include <sstream>

namespace tractus::hal::modbus {

namespace {

using nlohmann::json;
using namespace regmap;

constexpr std::string_view kFormat = "tractus.register-map/1";

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// Walks one JSON document, collecting every problem with its JSON pointer.
class Reader {
public:
  explicit Reader(std::vector<std::string> &errors) : errors_(errors) {}

  void error(const std::string &ptr, const std::string &what) {
    errors_.push_back((ptr.empty() ? std::string("/") : ptr) + ": " + what);
  }

  // obj must be an object holding every required key and nothing beyond required + optional.
  bool keys(const json &obj, const std::string &ptr, std::initializer_list<const char *> required,
            std::initializer_list<const char *> optional = {}) {
    if (!obj.is_object()) {
      error(ptr, "must be an object");
      return false;
    }
    for (const char *k : required)
      if (!obj.contains(k)) error(ptr, "missing " + quoted(k));
    for (const auto &[k, v] : obj.items()) {
      bool known = false;
      for (const char *r : required)
        known = known || k == r;
      for (const char *o : optional)
        known = known || k == o;
      if (!known) {
        std::string allowed;
        for (const char *r : required)
          allowed += (allowed.empty() ? "" : ", ") + std::string(r);
        for (const char *o : optional)
          allowed += (allowed.empty() ? "" : ", ") + std::string(o);
        error(ptr + "/" + k, "unknown key (allowed here: " + allowed + ")");
      }
    }
    return true;
  }

  template <class T>
  void integer(const json &obj, const std::string &ptr, const char *key, long lo, long hi, T &out) {
    if (!obj.contains(key)) return; // reported by keys()
    const json &v = obj.at(key);
    const std::string p = ptr + "/" + key;
    if (!v.is_number_integer()) {
      error(p, "must be an integer (" + std::to_string(lo) + " to " + std::to_string(hi) + ")");
      return;
    }
    const long n = v.get<long>();
    if (n < lo || n > hi) {
      error(p, std::to_string(n) + " is out of range (" + std::to_string(lo) + " to " +
                   std::to_string(hi) + ")");
      return;
    }
    out = static_cast<T>(n);
  }

  // {"address": N}
  void address_block(const json &obj, const std::string &ptr, const char *key, std::uint16_t &out) {
    if (!obj.contains(key)) return;
    const std::string p = ptr + "/" + key;
    if (keys(obj.at(key), p, {"address"})) integer(obj.at(key), p, "address", 0, 65535, out);
  }

  // {"address": N} or null (the device has no such block).
  void optional_block(const json &obj, const std::string &ptr, const char *key,
                      std::optional<std::uint16_t> &out) {
    if (!obj.contains(key)) return;
    if (obj.at(key).is_null()) {
      out.reset();
      return;
    }
    std::uint16_t a = 0;
    address_block(obj, ptr, key, a);
    out = a;
  }

  // {"address", "type", ["words"], ["scale"]}
  void field(const json &obj, const std::string &ptr, const char *key, Field &out, bool scaled) {
    if (!obj.contains(key)) return;
    const json &f = obj.at(key);
    const std::string p = ptr + "/" + key;
    if (scaled) {
      if (!keys(f, p, {"address", "type", "scale"}, {"words"})) return;
    } else if (!keys(f, p, {"address", "type"}, {"words"})) {
      return;
    }
    integer(f, p, "address", 0, 65535, out.address);
    if (f.contains("type")) {
      const json &t = f.at("type");
      const std::string s = t.is_string() ? t.get<std::string>() : "";
      if (s == "int16")
        out.type = RegType::Int16;
      else if (s == "uint16")
        out.type = RegType::Uint16;
      else if (s == "int32")
        out.type = RegType::Int32;
      else if (s == "uint32")
        out.type = RegType::Uint32;
      else
        error(p + "/type", "must be \"int16\", \"uint16\", \"int32\" or \"uint32\"");
    }
    if (f.contains("words")) {
      const json &w = f.at("words");
      const std::string s = w.is_string() ? w.get<std::string>() : "";
      if (s == "high-first")
        out.order = WordOrder::HighFirst;
      else if (s == "low-first")
        out.order = WordOrder::LowFirst;
      else
        error(p + "/words", "must be \"high-first\" or \"low-first\"");
    }
    if (scaled && f.contains("scale")) {
      const json &s = f.at("scale");
      if (!s.is_number() || !(s.get<double>() > 0) || !std::isfinite(s.get<double>()))
        error(p + "/scale", "must be a positive number (SI units per count)");
      else
        out.scale = s.get<double>();
    }
  }

private:
  std::vector<std::string> &errors_;
};

void read_load_cell(Reader &r, const json &j, LoadCellMap &m) {
  const std::string p = "/load_cell";
  if (!r.keys(
          j, p,
          {"unit", "counts", "status", "sample_counter", "identification", "factory_calibration"}))
    return;
  r.integer(j, p, "unit", 1, 247, m.unit);
  r.field(j, p, "counts", m.counts, false);
  if (j.contains("status")) {
    const json &s = j.at("status");
    const std::string ps = p + "/status";
    if (r.keys(s, ps, {"address", "adc_ok_bit", "overload_bit", "excitation_fault_bit"})) {
      r.integer(s, ps, "address", 0, 65535, m.status_address);
      r.integer(s, ps, "adc_ok_bit", 0, 15, m.adc_ok_bit);
      r.integer(s, ps, "overload_bit", 0, 15, m.overload_bit);
      r.integer(s, ps, "excitation_fault_bit", 0, 15, m.excitation_fault_bit);
    }
  }
  r.address_block(j, p, "sample_counter", m.sample_counter_address);
  r.optional_block(j, p, "identification", m.identification);
  r.optional_block(j, p, "factory_calibration", m.factory_calibration);
}

void read_drive(Reader &r, const json &j, DriveMap &m) {
  const std::string p = "/drive";
  if (!r.keys(j, p,
              {"unit", "controlword", "target_speed", "statusword", "actual_position",
               "actual_speed", "current", "fault_code", "sto", "watchdog_timeout",
               "watchdog_action", "identification"}))
    return;
  r.integer(j, p, "unit", 1, 247, m.unit);
  r.address_block(j, p, "controlword", m.controlword_address);
  r.field(j, p, "target_speed", m.target_speed, true);
  if (j.contains("statusword")) {
    const json &s = j.at("statusword");
    const std::string ps = p + "/statusword";
    if (r.keys(s, ps, {"address", "watchdog_armed_bit"})) {
      r.integer(s, ps, "address", 0, 65535, m.statusword_address);
      if (!s.contains("watchdog_armed_bit")) {
        // reported by keys()
      } else if (s.at("watchdog_armed_bit").is_null()) {
        m.watchdog_armed_bit.reset();
      } else {
        std::uint8_t b = 0;
        r.integer(s, ps, "watchdog_armed_bit", 0, 15, b);
        m.watchdog_armed_bit = b;
      }
    }
  }
  r.field(j, p, "actual_position", m.actual_position, true);
  r.field(j, p, "actual_speed", m.actual_speed, true);
  r.field(j, p, "current", m.current, true);
  r.address_block(j, p, "fault_code", m.fault_code_address);
  r.address_block(j, p, "sto", m.sto_address);
  r.field(j, p, "watchdog_timeout", m.watchdog_timeout, true);
  if (j.contains("watchdog_action")) {
    const json &a = j.at("watchdog_action");
    const std::string pa = p + "/watchdog_action";
    if (r.keys(a, pa, {"address", "value"})) {
      r.integer(a, pa, "address", 0, 65535, m.watchdog_action_address);
      r.integer(a, pa, "value", 0, 65535, m.watchdog_action_value);
    }
  }
  r.optional_block(j, p, "identification", m.identification);
}

void read_safety(Reader &r, const json &j, SafetyIoMap &m) {
  const std::string p = "/safety_io";
  if (!r.keys(j, p, {"unit", "inputs", "identification"})) return;
  r.integer(j, p, "unit", 1, 247, m.unit);
  if (j.contains("inputs")) {
    const json &s = j.at("inputs");
    const std::string ps = p + "/inputs";
    if (r.keys(s, ps,
               {"address", "estop_chain_closed_bit", "patient_switch_a_bit", "patient_switch_b_bit",
                "patient_switch_connected_bit", "table_locked_bit"})) {
      r.integer(s, ps, "address", 0, 65535, m.inputs_address);
      r.integer(s, ps, "estop_chain_closed_bit", 0, 15, m.estop_chain_closed_bit);
      r.integer(s, ps, "patient_switch_a_bit", 0, 15, m.patient_switch_a_bit);
      r.integer(s, ps, "patient_switch_b_bit", 0, 15, m.patient_switch_b_bit);
      r.integer(s, ps, "patient_switch_connected_bit", 0, 15, m.patient_switch_connected_bit);
      r.integer(s, ps, "table_locked_bit", 0, 15, m.table_locked_bit);
    }
  }
  r.optional_block(j, p, "identification", m.identification);
}

// ---- structural checks --------------------------------------------------------------------

struct Claim {
  const char *ptr;
  int start;
  int words;
};

void no_overlaps(std::initializer_list<Claim> claims, std::vector<std::string> &out) {
  for (auto a = claims.begin(); a != claims.end(); ++a)
    for (auto b = a + 1; b != claims.end(); ++b)
      if (a->start < b->start + b->words && b->start < a->start + a->words)
        out.push_back(std::string(b->ptr) + ": overlaps " + a->ptr + " (register " +
                      std::to_string(std::max(a->start, b->start)) + ")");
}

void distinct_bits(const char *ptr, std::initializer_list<int> bits,
                   std::vector<std::string> &out) {
  for (auto a = bits.begin(); a != bits.end(); ++a)
    for (auto b = a + 1; b != bits.end(); ++b)
      if (*a == *b) {
        out.push_back(std::string(ptr) + ": two inputs use bit " + std::to_string(*a));
        return;
      }
}

void span_limit(const char *ptr, Span s, std::vector<std::string> &out) {
  if (s.count > kMaxSpan)
    out.push_back(std::string(ptr) + ": the registers of one cycle span " +
                  std::to_string(s.count) + " registers from " + std::to_string(s.start) +
                  " (at most " + std::to_string(kMaxSpan) + ", one query)");
}

} // namespace

std::vector<std::string> check_register_map(const RegisterMap &map) {
  std::vector<std::string> out;
  const auto &lc = map.load_cell;
  const auto &d = map.drive;
  const auto &s = map.safety;
  if (lc.unit == d.unit || lc.unit == s.unit || d.unit == s.unit)
    out.push_back("/unit: the three devices need distinct unit ids (load cell " +
                  std::to_string(lc.unit) + ", drive " + std::to_string(d.unit) + ", safety I/O " +
                  std::to_string(s.unit) + ")");
  for (const Field *f :
       {&d.target_speed, &d.actual_position, &d.actual_speed, &d.current, &d.watchdog_timeout})
    if (!(f->scale > 0) || !std::isfinite(f->scale))
      out.push_back("/drive: every scale must be a positive number");
  no_overlaps({{"/load_cell/counts", lc.counts.address, lc.counts.words()},
               {"/load_cell/status", lc.status_address, 1},
               {"/load_cell/sample_counter", lc.sample_counter_address, 1}},
              out);
  span_limit("/load_cell", load_cell_span(lc), out);
  distinct_bits("/load_cell/status", {lc.adc_ok_bit, lc.overload_bit, lc.excitation_fault_bit},
                out);

  no_overlaps({{"/drive/controlword", d.controlword_address, 1},
               {"/drive/target_speed", d.target_speed.address, d.target_speed.words()}},
              out);
  const Span cmd = drive_command_span(d);
  if (cmd.count != 1 + d.target_speed.words())
    out.push_back("/drive/target_speed: must lie right before or after the controlword (one "
                  "function-23 write covers both)");
  const Span st = drive_status_span(d);
  no_overlaps({{"/drive/statusword", d.statusword_address, 1},
               {"/drive/actual_position", d.actual_position.address, d.actual_position.words()},
               {"/drive/actual_speed", d.actual_speed.address, d.actual_speed.words()},
               {"/drive/current", d.current.address, d.current.words()},
               {"/drive/fault_code", d.fault_code_address, 1},
               {"/drive/sto", d.sto_address, 1}},
              out);
  span_limit("/drive", st, out);
  if (cmd.start < st.start + st.count && st.start < cmd.start + cmd.count)
    out.push_back("/drive: the status registers overlap the command registers");
  if (d.watchdog_timeout.type == RegType::Int16 || d.watchdog_timeout.type == RegType::Int32)
    out.push_back("/drive/watchdog_timeout/type: must be unsigned (uint16 or uint32)");
  no_overlaps({{"/drive/watchdog_timeout", d.watchdog_timeout.address, d.watchdog_timeout.words()},
               {"/drive/watchdog_action", d.watchdog_action_address, 1}},
              out);
  if (d.watchdog_action_value == watchdog_action::kWarnOnly)
    out.push_back("/drive/watchdog_action/value: 0 only warns; the watchdog must stop the drive");

  distinct_bits("/safety_io/inputs",
                {s.estop_chain_closed_bit, s.patient_switch_a_bit, s.patient_switch_b_bit,
                 s.patient_switch_connected_bit, s.table_locked_bit},
                out);
  return out;
}

MapParse parse_register_map(std::string_view json_text, const std::string &origin) {
  MapParse result;
  json doc;
  std::vector<std::string> duplicates;
  try {
    doc = strict_json::parse_noting_duplicates<json>(json_text, duplicates);
  } catch (const json::parse_error &e) {
    result.errors.push_back(origin + ": not valid JSON: " + e.what());
    return result;
  } catch (const json::out_of_range &) {
    // Found by fuzzing: a number such as 99e999599 that no double can hold.
    result.errors.push_back(origin + ": not valid JSON: a number is too large to read");
    return result;
  }
  // A key given twice would silently keep its last value: an address a vendor meant to move
  // could stay where the first line put it.
  for (const std::string &pointer : duplicates)
    result.errors.push_back(origin + ": " + pointer + ": duplicate key (each key at most once)");
  if (!duplicates.empty()) return result;
  std::vector<std::string> errors;
  Reader r(errors);
  RegisterMap map = kDefaultMap;
  if (r.keys(doc, "", {"format"}, {"name", "load_cell", "drive", "safety_io"})) {
    if (!doc.contains("format") || doc.at("format") != kFormat)
      r.error("/format", "must be " + quoted(kFormat));
    if (doc.contains("name")) {
      if (doc.at("name").is_string())
        result.name = doc.at("name").get<std::string>();
      else
        r.error("/name", "must be a string");
    }
    if (doc.contains("load_cell")) read_load_cell(r, doc.at("load_cell"), map.load_cell);
    if (doc.contains("drive")) read_drive(r, doc.at("drive"), map.drive);
    if (doc.contains("safety_io")) read_safety(r, doc.at("safety_io"), map.safety);
  }
  if (errors.empty()) errors = check_register_map(map);
  for (const std::string &e : errors)
    result.errors.push_back(origin + ": " + e);
  if (result.errors.empty()) result.map = map;
  return result;
}

MapParse load_register_map(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in) {
    MapParse r;
    r.errors.push_back(file.string() + ": cannot open the register-map file");
    return r;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_register_map(text.str(), file.string());
}

} // namespace tractus::hal::modbus
