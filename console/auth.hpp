// Who may use the console (docs/console.md, "Roles, PINs and tokens"): login with a role's PIN,
// lockout after repeated wrong PINs, and the bearer tokens a login hands out.
//
// - 5 wrong PINs in a row for a role lock that role for 5 minutes; a correct PIN resets the
//   count. The lock holds even for the correct PIN, so guessing cannot continue behind it.
//   A PIN that is not 4 to 12 ASCII digits is refused as malformed and costs no attempt.
// - The count and the lock are kept in DATA/console/lockout.json (atomically, 0600) on every
//   change, so a restart neither forgets a lock nor resets the count. A lockout file that cannot
//   be read locks both roles for one lockout period (fail closed) and says so on stderr.
// - A token is 32 random bytes (randombytes_buf) as 64 hex digits. The table keeps only a
//   BLAKE2b hash of each token and looks tokens up by that hash, so neither the time a lookup
//   takes nor a memory dump of the table gives a live token away.
// - Operator tokens expire 12 hours after login (a working day at the table); technician
//   tokens after 15 minutes without use (the technician's screens reach the calibration), each
//   use extending them.
//
// Thread-safe. login() is slow by design (Argon2id, ~0.1 s): call it off the HTTP I/O thread;
// the token checks are a hash and a map lookup under a mutex.
#pragma once

#include "console/auth_pins.hpp"

#include <array>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tractus::console {

struct AuthPolicy {
  int max_wrong_pins = 5;
  std::chrono::seconds lockout{5 * 60};
  std::chrono::seconds operator_lifetime{12 * 60 * 60};
  std::chrono::seconds technician_idle{15 * 60};
  // A login held while its page watches a session (Auth::hold) never outlives its PIN by more
  // than operator_lifetime + this, whatever the table does (a session left unacknowledged).
  std::chrono::seconds longest_hold{4 * 60 * 60};
  std::size_t max_tokens_per_role = 32; // the oldest is ended beyond this: memory stays bounded
};

struct LoginResult {
  // BadFormat: not 4 to 12 ASCII digits; refused before the lock and the PIN are looked at,
  // so it costs no attempt (a typo of form is not a guess).
  enum class Outcome { Ok, WrongPin, Locked, NoPin, BadFormat };
  Outcome outcome = Outcome::WrongPin;
  std::string token;                  // Ok
  std::chrono::seconds expires_in{};  // Ok: lifetime (operator) or idle limit (technician)
  int attempts_left = 0;              // WrongPin: wrong PINs left before the lock
  std::chrono::seconds retry_after{}; // Locked: until the lock ends (rounded up)
};

struct TokenCheck {
  enum class Outcome { Ok, Missing, Unknown, Expired };
  Outcome outcome = Outcome::Missing;
  Role role = Role::Operator;
  [[nodiscard]] bool ok() const { return outcome == Outcome::Ok; }
};

class Auth {
public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // Loads DATA/console/pins.json (a missing file is no PINs at all) and the lockout file. Throws
  // PinFileError when the file is unreadable or corrupted. `clock` defaults to
  // std::chrono::steady_clock (tests pass their own to expire tokens and locks without waiting).
  explicit Auth(const std::filesystem::path &data_dir, Clock clock = {}, AuthPolicy policy = {});

  // The roles that have no PIN yet. `tractus serve` refuses to start unless this is empty and
  // tells the user to run `tractus pin set ROLE` for each.
  [[nodiscard]] std::vector<Role> roles_without_pin() const;

  LoginResult login(Role role, std::string_view pin);
  // Checks a token and, for a technician, restarts its idle time.
  TokenCheck authorize(std::string_view token);
  // Checks a token without counting as use (an open WebSocket re-checking its token).
  [[nodiscard]] TokenCheck peek(std::string_view token) const;
  // Keeps a live token from lapsing for at least `margin` from now (never beyond the policy's
  // longest_hold past a 12 h login), without restarting anything else: a page watching a
  // session on the table is never logged out under the clinician, its alarms with it. An ended
  // token stays ended.
  void hold(std::string_view token, std::chrono::seconds margin);
  // Ends a token; false when it was not a live token.
  bool logout(std::string_view token);

private:
  struct Session {
    Role role;
    std::chrono::steady_clock::time_point issued;
    std::chrono::steady_clock::time_point expires;
  };
  struct Lockout {
    int wrong_in_a_row = 0;
    std::chrono::steady_clock::time_point locked_until{};
  };

  [[nodiscard]] std::chrono::steady_clock::time_point now() const;
  [[nodiscard]] TokenCheck check_locked(const std::string &key,
                                        std::chrono::steady_clock::time_point at) const;
  std::string issue_token_locked(Role role, std::chrono::steady_clock::time_point at);
  void forget_old_locked(std::chrono::steady_clock::time_point at);
  // The lockouts as the file keeps them (wall-clock seconds). Caller holds mutex_.
  [[nodiscard]] LockoutState lockout_state_locked(std::chrono::steady_clock::time_point at) const;
  void save_lockouts(const LockoutState &state) const; // reports a failure on stderr

  PinHashes pins_;
  std::filesystem::path lockout_file_;
  Clock clock_;
  AuthPolicy policy_;
  std::mutex login_mutex_; // one Argon2id verification at a time: bounds memory, keeps counts exact
  mutable std::mutex mutex_;                          // the tables below
  std::array<Lockout, 2> lockouts_{};                 // operator, technician
  std::unordered_map<std::string, Session> sessions_; // key: hex BLAKE2b hash of the token
};

} // namespace tractus::console
