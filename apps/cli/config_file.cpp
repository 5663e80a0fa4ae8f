#include "cli/config_file.hpp"
#include "records/store_address.hpp"

#include "bindings/table_bindings.hpp"
#include "console/http_policy.hpp"
#include "strict_json/strict_json.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tractus::cli {

namespace {

using json = nlohmann::json;

// The keys a file may hold, in the order `tractus config show` lists them.
constexpr const char *kKeys[] = {
    "format",        "table",       "listen",          "allow_origins",
    "data_dir",      "journal_dir", "calibration_dir", "tls",
    "log_level",     "log_dir",     "clinic_limits",   "daily_verification",
    "display_units", "language",    "records",         "table_name"};

// Collects every problem of one file, each as "/pointer: what".
class Checker {
public:
  void error(const std::string &ptr, const std::string &what) {
    errors_.push_back(ptr + ": " + what);
  }
  [[nodiscard]] const std::vector<std::string> &errors() const { return errors_; }
  // For the sections read elsewhere (cli/config_clinic.hpp), which add "/pointer: what".
  std::vector<std::string> &sink() { return errors_; }

  std::optional<std::string> string(const json &doc, const char *key) {
    if (!doc.contains(key)) return std::nullopt;
    const json &v = doc.at(key);
    if (!v.is_string() || v.get<std::string>().empty()) {
      error("/" + std::string(key), "must be a non-empty string");
      return std::nullopt;
    }
    return v.get<std::string>();
  }

  // A folder or file of the service: absolute, so that it does not depend on where it starts.
  std::optional<std::string> path(const json &obj, const std::string &ptr, const char *key) {
    if (!obj.contains(key)) return std::nullopt;
    const json &v = obj.at(key);
    if (!v.is_string() || v.get<std::string>().empty()) {
      error(ptr + "/" + key, "must be a non-empty string (an absolute path)");
      return std::nullopt;
    }
    const std::string p = v.get<std::string>();
    if (p.front() != '/') {
      error(ptr + "/" + key,
            "\"" + p + "\" is relative: must be an absolute path, e.g. /var/lib/tractus/" + key);
      return std::nullopt;
    }
    return p;
  }

private:
  std::vector<std::string> errors_;
};

void check_table(Checker &c, const std::string &table) {
  const std::string problem = bindings::table_address_problem(table);
  if (problem.empty()) return;
  // A Modbus address's problem already quotes it; the others are said with it in front.
  c.error("/table", problem.find('"' + table + '"') != std::string::npos
                        ? problem
                        : "\"" + table + "\": " + problem);
}

void read_tls(Checker &c, const json &doc, ConfigFile &f) {
  if (!doc.contains("tls")) return;
  const json &tls = doc.at("tls");
  if (!tls.is_object()) {
    c.error("/tls", "must be an object {\"cert\": FILE, \"key\": FILE}");
    return;
  }
  for (const auto &[k, v] : tls.items())
    if (k != "cert" && k != "key") c.error("/tls/" + k, "unknown key (allowed here: cert, key)");
  if (!tls.contains("cert") || !tls.contains("key"))
    c.error("/tls", "needs both \"cert\" and \"key\" (a certificate without its key, or the "
                    "other way round, serves nothing)");
  f.tls_cert = c.path(tls, "/tls", "cert");
  f.tls_key = c.path(tls, "/tls", "key");
}

void read_origins(Checker &c, const json &doc, ConfigFile &f) {
  if (!doc.contains("allow_origins")) return;
  const json &list = doc.at("allow_origins");
  if (!list.is_array()) {
    c.error("/allow_origins", "must be a list of origins, e.g. [\"http://table-1.local:8080\"]");
    return;
  }
  std::vector<std::string> origins;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string ptr = "/allow_origins/" + std::to_string(i);
    if (!list[i].is_string()) {
      c.error(ptr, "must be a string, e.g. \"http://table-1.local:8080\"");
      continue;
    }
    // Its form only, http or https: whether TLS is on may come from a flag, and `tractus
    // serve` checks the scheme against the settings in force.
    const std::string text = list[i].get<std::string>();
    const auto origin = console::normalize_origin(text, text.rfind("https:", 0) == 0);
    if (!origin)
      c.error(ptr, origin.error);
    else
      origins.push_back(text);
  }
  f.allow_origins = origins;
}

} // namespace

text::Outcome<ConfigFile> read_config_file(const std::filesystem::path &file) {
  using Result = text::Outcome<ConfigFile>;
  const std::string name = file.string();
  std::ifstream in(file);
  if (!in) return Result::failure(name + ": cannot be read (" + std::strerror(errno) + ")");
  std::stringstream text;
  text << in.rdbuf();
  json doc;
  std::vector<std::string> duplicates;
  try {
    doc = strict_json::parse_noting_duplicates<json>(text.str(), duplicates);
  } catch (const json::parse_error &e) {
    return Result::failure(name + ": not JSON: " + e.what());
  } catch (const json::out_of_range &) {
    return Result::failure(name + ": not JSON: a number is too large to read");
  }
  // A key given twice would keep its last value without a word (hazard H7).
  if (!duplicates.empty()) {
    std::string all;
    for (const std::string &pointer : duplicates)
      all += (all.empty() ? "" : "\n") + name + ": " + pointer +
             ": duplicate key (each key at most once)";
    return Result::failure(all);
  }
  if (!doc.is_object())
    return Result::failure(name + ": /: must be an object {\"format\": \"" + kConfigFormat +
                           "\", …}");

  Checker c;
  for (const auto &[k, v] : doc.items()) {
    bool known = false;
    for (const char *key : kKeys)
      known = known || k == key;
    if (!known) c.error("/" + k, "unknown key (allowed here: " + joined(kKeys) + ")");
  }
  if (!doc.contains("format") || doc.at("format") != kConfigFormat)
    c.error("/format", std::string("must be \"") + kConfigFormat + "\"");

  ConfigFile f;
  f.path = name;
  f.table = c.string(doc, "table");
  if (f.table) check_table(c, *f.table);
  f.listen = c.string(doc, "listen");
  if (f.listen) {
    const auto listen = parse_listen(*f.listen);
    if (!listen)
      c.error("/listen", "\"" + *f.listen +
                             "\": expected HOST:PORT with an IP address, e.g. "
                             "127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080");
  }
  read_tls(c, doc, f);
  read_origins(c, doc, f);
  f.data_dir = c.path(doc, "", "data_dir");
  f.journal_dir = c.path(doc, "", "journal_dir");
  f.calibration_dir = c.path(doc, "", "calibration_dir");
  if (doc.contains("log_level"))
    f.log_level = one_of(doc.at("log_level"), "/log_level", kLogLevels, c.sink());
  f.log_dir = c.path(doc, "", "log_dir");
  read_clinic_config(doc, f.clinic, c.sink());
  f.records = c.string(doc, "records");
  if (f.records) {
    const auto address = records::parse_store_address(*f.records, "data");
    if (!address) c.error("/records", address.error);
  }
  f.table_name = c.string(doc, "table_name");
  if (f.table_name && (f.table_name->empty() || f.table_name->size() > 64))
    c.error("/table_name", "1 to 64 characters: this table's name in the clinic's records");

  if (!c.errors().empty()) {
    std::string all;
    for (const std::string &e : c.errors())
      all += (all.empty() ? "" : "\n") + name + ": " + e;
    return Result::failure(all);
  }
  return {std::move(f), {}};
}

std::vector<SettingShown> apply_config(const ConfigFile *file, const FlagsGiven &flags,
                                       ServeOptions &o) {
  std::vector<SettingShown> shown;
  const std::string from_file = file != nullptr ? file->path : std::string();
  const auto one = [&](const char *key, std::string &value, bool flag, const char *flag_name,
                       const std::optional<std::string> &in_file) {
    std::string from = "default";
    if (flag)
      from = flag_name;
    else if (in_file) {
      value = *in_file;
      from = from_file;
    }
    shown.push_back({key, value.empty() ? std::string("(none)") : value, from});
  };
  const ConfigFile none;
  const ConfigFile &f = file != nullptr ? *file : none;
  one("table", o.table, flags.table, "--table", f.table);
  one("listen", o.listen, flags.listen, "--listen", f.listen);
  {
    std::string from = "default";
    if (flags.allow_origins)
      from = "--allow-origin";
    else if (f.allow_origins) {
      o.allow_origins = *f.allow_origins;
      from = from_file;
    }
    std::string list;
    for (const std::string &origin : o.allow_origins)
      list += (list.empty() ? "" : ", ") + origin;
    shown.push_back(
        {"allow_origins", list.empty() ? "(none: this machine's addresses only)" : list, from});
  }
  one("data_dir", o.data_dir, flags.data_dir, "--data", f.data_dir);
  one("journal_dir", o.journal_dir, flags.journal_dir, "--journal", f.journal_dir);
  one("calibration_dir", o.store, flags.calibration_dir, "--store", f.calibration_dir);
  one("tls.cert", o.tls_cert, flags.tls_cert, "--tls-cert", f.tls_cert);
  one("tls.key", o.tls_key, flags.tls_key, "--tls-key", f.tls_key);
  one("log_level", o.log_level, flags.log_level, "--log-level", f.log_level);
  one("log_dir", o.log_dir, flags.log_dir, "--log-dir", f.log_dir);
  // Empty is the data folder's log/ (or the systemd journal under systemd): said so.
  if (o.log_dir.empty())
    shown.back().value = "(none: " + (std::filesystem::path(o.data_dir) / "log").string() +
                         "; under systemd the journal)";
  apply_clinic_config(f.clinic, from_file, o, shown);
  one("records", o.records, flags.records, "--records", f.records);
  // Shown as the store it names, the password hidden and the default spelled out.
  if (const auto address = records::parse_store_address(o.records, o.data_dir))
    shown.back().value = address.value->shown;
  one("table_name", o.table_name, flags.table_name, "--table-name", f.table_name);
  if (o.table_name.empty()) shown.back().value = "(none: this computer's name)";
  return shown;
}

} // namespace tractus::cli
