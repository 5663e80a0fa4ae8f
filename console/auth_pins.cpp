#include "console/auth_pins.hpp"

#include "console/json_parse_error.hpp"
#include "console/private_file.hpp"

#include <nlohmann/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <mutex>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace tractus::console {
namespace {

constexpr const char *kFormat = "tractus.pins/1";
constexpr const char *kLockoutFormat = "tractus.lockout/1";
constexpr const char *kArgon2idPrefix = "$argon2id$";
constexpr std::size_t kMinDigits = 4;
constexpr std::size_t kMaxDigits = 12;

std::string system_error(const std::filesystem::path &file, const std::string &doing) {
  return file.string() + ": " + doing + ": " + std::strerror(errno);
}

// The PIN files as console/private_file writes them, failures as PinFileError.
void write_file_atomically(const std::filesystem::path &file, const std::string &text) {
  try {
    write_private_file(file, text);
  } catch (const PrivateFileError &e) {
    throw PinFileError(e.what());
  }
}

[[noreturn]] void throw_corrupted(const std::filesystem::path &file,
                                  const std::vector<std::string> &problems,
                                  const std::string &fix) {
  std::string message = file.string() + ": corrupted:";
  for (const auto &p : problems)
    message += " " + p + ";";
  message.back() = '.';
  throw PinFileError(message + fix);
}

// The JSON object in `file`, or nullopt when there is no file. Throws PinFileError when it
// cannot be read, is not JSON, gives a key twice or is not an object.
std::optional<nlohmann::json> read_json_file(const std::filesystem::path &file,
                                             const std::string &fix = "") {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    if (ec) throw PinFileError(file.string() + ": cannot be checked: " + ec.message());
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) throw PinFileError(system_error(file, "cannot be read"));
  nlohmann::json doc;
  if (const auto refused = parse_console_json(text.str(), doc)) {
    const auto &error = refused->body["error"];
    std::string why = error["message"].get<std::string>();
    if (error["code"] == "bad-json") why = "not JSON: " + why.substr(why.find(": ") + 2);
    if (error["code"] == "duplicate-key") {
      why = "a key is given twice:";
      for (const auto &p : error["problems"])
        why += " " + p.get<std::string>().substr(0, p.get<std::string>().find(':'));
    }
    throw PinFileError(file.string() + ": corrupted, " + why + fix);
  }
  if (!doc.is_object()) throw PinFileError(file.string() + ": corrupted: not a JSON object" + fix);
  return doc;
}

} // namespace

void init_sodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  });
}

const char *to_string(Role role) { return role == Role::Technician ? "technician" : "operator"; }

std::optional<Role> parse_role(std::string_view text) {
  if (text == "operator") return Role::Operator;
  if (text == "technician") return Role::Technician;
  return std::nullopt;
}

std::string pin_problem(std::string_view pin) {
  const bool digits_only =
      std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!digits_only) return "a PIN is 4 to 12 digits, 0 to 9 only";
  if (pin.size() < kMinDigits) return "a PIN is 4 to 12 digits; this one is too short";
  if (pin.size() > kMaxDigits) return "a PIN is 4 to 12 digits; this one is too long";
  return {};
}

std::string hash_pin(std::string_view pin) {
  init_sodium();
  std::vector<char> out(crypto_pwhash_STRBYTES);
  if (crypto_pwhash_str(out.data(), pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("hashing the PIN failed: out of memory");
  return std::string(out.data());
}

bool verify_pin(const std::string &hash, std::string_view pin) {
  init_sodium();
  return crypto_pwhash_str_verify(hash.c_str(), pin.data(), pin.size()) == 0;
}

const std::optional<std::string> &PinHashes::of(Role role) const {
  return role == Role::Technician ? technician_pin : operator_pin;
}
std::optional<std::string> &PinHashes::of(Role role) {
  return role == Role::Technician ? technician_pin : operator_pin;
}

std::filesystem::path pins_file(const std::filesystem::path &data_dir) {
  return data_dir / "console" / "pins.json";
}

PinHashes load_pins(const std::filesystem::path &file) {
  const std::string fix = " (delete the file and set both PINs again: `tractus pin set "
                          "operator` and `tractus pin set technician`)";
  const std::optional<nlohmann::json> read = read_json_file(file, fix);
  if (!read) return {};
  const nlohmann::json &doc = *read;
  std::vector<std::string> problems;
  if (doc.value("format", nlohmann::json()) != kFormat)
    problems.push_back("/format: must be \"" + std::string(kFormat) + "\"");
  for (const auto &[key, value] : doc.items())
    if (key != "format" && !parse_role(key))
      problems.push_back("/" + key + ": unknown key (allowed: format, operator, technician)");
  PinHashes pins;
  for (const Role role : {Role::Operator, Role::Technician}) {
    const auto it = doc.find(to_string(role));
    if (it == doc.end()) continue;
    if (!it->is_string() || !it->get_ref<const std::string &>().starts_with(kArgon2idPrefix) ||
        it->get_ref<const std::string &>().size() >= crypto_pwhash_STRBYTES) {
      problems.push_back("/" + std::string(to_string(role)) +
                         ": not an Argon2id hash string (\"$argon2id$…\")");
      continue;
    }
    pins.of(role) = it->get<std::string>();
  }
  if (!problems.empty()) throw_corrupted(file, problems, fix);
  return pins;
}

void save_pins(const std::filesystem::path &file, const PinHashes &pins) {
  nlohmann::json doc = {{"format", kFormat}};
  for (const Role role : {Role::Operator, Role::Technician})
    if (pins.of(role)) doc[to_string(role)] = *pins.of(role);
  write_file_atomically(file, doc.dump(2) + "\n");
}

const LockoutRecord &LockoutState::of(Role role) const {
  return role == Role::Technician ? technician_role : operator_role;
}
LockoutRecord &LockoutState::of(Role role) {
  return role == Role::Technician ? technician_role : operator_role;
}

std::filesystem::path lockout_file(const std::filesystem::path &data_dir) {
  return data_dir / "console" / "lockout.json";
}

LockoutState load_lockout(const std::filesystem::path &file) {
  const std::optional<nlohmann::json> doc = read_json_file(file);
  if (!doc) return {};
  std::vector<std::string> problems;
  if (doc->value("format", nlohmann::json()) != kLockoutFormat)
    problems.push_back("/format: must be \"" + std::string(kLockoutFormat) + "\"");
  for (const auto &[key, value] : doc->items())
    if (key != "format" && !parse_role(key))
      problems.push_back("/" + key + ": unknown key (allowed: format, operator, technician)");
  LockoutState state;
  for (const Role role : {Role::Operator, Role::Technician}) {
    const auto it = doc->find(to_string(role));
    if (it == doc->end()) continue;
    const std::string where = "/" + std::string(to_string(role));
    const auto count = it->is_object() ? it->find("wrong_in_a_row") : it->end();
    const auto until = it->is_object() ? it->find("locked_until_unix") : it->end();
    if (!it->is_object() || it->size() != 2 || count == it->end() || until == it->end() ||
        !count->is_number_integer() || !until->is_number_integer() || *count < 0 || *count > 1000) {
      problems.push_back(where + ": expected {\"wrong_in_a_row\": 0 to 1000, "
                                 "\"locked_until_unix\": seconds}");
      continue;
    }
    state.of(role) = {count->get<int>(), until->get<std::int64_t>()};
  }
  if (!problems.empty()) throw_corrupted(file, problems, "");
  return state;
}

void save_lockout(const std::filesystem::path &file, const LockoutState &state) {
  nlohmann::json doc = {{"format", kLockoutFormat}};
  for (const Role role : {Role::Operator, Role::Technician})
    doc[to_string(role)] = {{"wrong_in_a_row", state.of(role).wrong_in_a_row},
                            {"locked_until_unix", state.of(role).locked_until_unix}};
  write_file_atomically(file, doc.dump(2) + "\n");
}

void set_pin(const std::filesystem::path &data_dir, Role role, std::string_view pin) {
  if (const auto problem = pin_problem(pin); !problem.empty()) throw std::invalid_argument(problem);
  const auto file = pins_file(data_dir);
  PinHashes pins = load_pins(file);
  pins.of(role) = hash_pin(pin);
  save_pins(file, pins);
}

} // namespace tractus::console
