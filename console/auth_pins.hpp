// The console's two PINs (docs/console.md, "Roles, PINs and tokens"): what a valid PIN is, how
// it is hashed, and the file that keeps the hashes, DATA/console/pins.json:
//
//   {"format": "tractus.pins/1", "operator": "$argon2id$v=19$m=65536,t=2,p=1$…",
//    "technician": "$argon2id$…"}
//
// Hashes are libsodium's Argon2id strings (crypto_pwhash_str at the interactive limits: about
// 0.1 s and 64 MiB per hash), so a copied file does not give the PINs away cheaply; a PIN is
// never written in clear. A role whose key is absent has no PIN yet.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace tractus::console {

// Technician ⊇ operator: a technician may do everything an operator may.
enum class Role { Operator, Technician };
const char *to_string(Role role);
std::optional<Role> parse_role(std::string_view text); // "operator" | "technician"

// The default of --data for `tractus pin` and `tractus serve`: relative to the working folder.
inline constexpr const char *kDefaultDataDir = "data";

// An unreadable, unwritable or corrupted pins file. what() names the file and what is wrong.
class PinFileError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// libsodium's one-time set-up (thread-safe, idempotent); throws std::runtime_error if it fails.
void init_sodium();

// Empty when `pin` is acceptable, else why not ("4 to 12 digits …"). Never echoes the PIN.
std::string pin_problem(std::string_view pin);

// Argon2id hash string of `pin` (crypto_pwhash_str, interactive limits). Slow by design.
std::string hash_pin(std::string_view pin);
// Constant-time check of `pin` against a hash string from hash_pin (crypto_pwhash_str_verify).
bool verify_pin(const std::string &hash, std::string_view pin);

struct PinHashes {
  std::optional<std::string> operator_pin;
  std::optional<std::string> technician_pin;
  [[nodiscard]] const std::optional<std::string> &of(Role role) const;
  std::optional<std::string> &of(Role role);
};

// DATA/console/pins.json
std::filesystem::path pins_file(const std::filesystem::path &data_dir);

// Both roles empty when the file does not exist. Throws PinFileError when it cannot be read or
// is not a tractus.pins/1 document of Argon2id hashes.
PinHashes load_pins(const std::filesystem::path &file);

// Replaces the file atomically: a temporary file in the same folder (mode 0600), fsync, rename
// over the old one, fsync of the folder, so a power cut leaves the old PINs or the new ones,
// never a torn file. Creates the folder. Throws PinFileError.
void save_pins(const std::filesystem::path &file, const PinHashes &pins);

// The lockout of repeated wrong PINs, kept across restarts (DATA/console/lockout.json, 0600):
//
//   {"format": "tractus.lockout/1",
//    "operator": {"wrong_in_a_row": 2, "locked_until_unix": 0},
//    "technician": {"wrong_in_a_row": 0, "locked_until_unix": 1764930000}}
//
// Wall-clock seconds, since a restart loses the monotonic clock; Auth caps what it reads at one
// lockout period, so a clock set back cannot lock a role for longer.
struct LockoutRecord {
  int wrong_in_a_row = 0;
  std::int64_t locked_until_unix = 0;
  bool operator==(const LockoutRecord &) const = default;
};
struct LockoutState {
  LockoutRecord operator_role;
  LockoutRecord technician_role;
  [[nodiscard]] const LockoutRecord &of(Role role) const;
  LockoutRecord &of(Role role);
};

// DATA/console/lockout.json
std::filesystem::path lockout_file(const std::filesystem::path &data_dir);
// Nothing locked when the file does not exist. Throws PinFileError when it cannot be read or
// is not a tractus.lockout/1 document.
LockoutState load_lockout(const std::filesystem::path &file);
// Atomically, as save_pins. Throws PinFileError.
void save_lockout(const std::filesystem::path &file, const LockoutState &state);

// Validates `pin`, hashes it and stores it for `role`, keeping the other role's PIN. Throws
// std::invalid_argument (bad PIN: what() says why) or PinFileError.
void set_pin(const std::filesystem::path &data_dir, Role role, std::string_view pin);

} // namespace tractus::console
