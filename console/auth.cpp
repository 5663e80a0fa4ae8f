#include "console/auth.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <iostream>

namespace tractus::console {
namespace {

using TimePoint = std::chrono::steady_clock::time_point;
constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenHexDigits = 2 * kTokenBytes;
// Expired tokens are remembered this long so a request with one is told "token-expired"
// (log in again) rather than "login-required".
constexpr std::chrono::hours kRememberExpired{24};

std::size_t index_of(Role role) { return role == Role::Technician ? 1 : 0; }

bool is_hex_token(std::string_view token) {
  return token.size() == kTokenHexDigits && std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string to_hex(const unsigned char *bytes, std::size_t size) {
  std::string hex(2 * size + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), bytes, size);
  hex.pop_back();
  return hex;
}

// The key a token is stored under: BLAKE2b-256 of its text.
std::string token_key(std::string_view token) {
  std::array<unsigned char, crypto_generichash_BYTES> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char *>(token.data()), token.size(), nullptr,
                     0);
  return to_hex(digest.data(), digest.size());
}

std::chrono::seconds ceil_seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::ceil<std::chrono::seconds>(d);
}

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

} // namespace

Auth::Auth(const std::filesystem::path &data_dir, Clock clock, AuthPolicy policy)
    : pins_(load_pins(pins_file(data_dir))), lockout_file_(lockout_file(data_dir)),
      clock_(std::move(clock)), policy_(policy) {
  init_sodium(); // randombytes_buf needs it
  const TimePoint at = now();
  const std::int64_t now_unix = unix_now();
  LockoutState kept;
  try {
    kept = load_lockout(lockout_file_);
  } catch (const PinFileError &e) {
    std::cerr << "tractus: " << e.what() << "; both roles are locked for "
              << policy_.lockout.count() << " s (fail closed)\n";
    for (const Role role : {Role::Operator, Role::Technician})
      kept.of(role).locked_until_unix = now_unix + policy_.lockout.count();
  }
  for (const Role role : {Role::Operator, Role::Technician}) {
    const LockoutRecord &r = kept.of(role);
    Lockout &lockout = lockouts_[index_of(role)];
    lockout.wrong_in_a_row = std::clamp(r.wrong_in_a_row, 0, policy_.max_wrong_pins - 1);
    // At most one lockout period from now, whatever the wall clock did meanwhile.
    const std::int64_t left =
        std::clamp<std::int64_t>(r.locked_until_unix - now_unix, 0, policy_.lockout.count());
    if (left > 0) lockout.locked_until = at + std::chrono::seconds(left);
  }
}

LockoutState Auth::lockout_state_locked(TimePoint at) const {
  LockoutState state;
  const std::int64_t now_unix = unix_now();
  for (const Role role : {Role::Operator, Role::Technician}) {
    const Lockout &lockout = lockouts_[index_of(role)];
    state.of(role).wrong_in_a_row = lockout.wrong_in_a_row;
    if (lockout.locked_until > at)
      state.of(role).locked_until_unix = now_unix + ceil_seconds(lockout.locked_until - at).count();
  }
  return state;
}

void Auth::save_lockouts(const LockoutState &state) const {
  try {
    save_lockout(lockout_file_, state);
  } catch (const PinFileError &e) {
    // The lock still holds in memory; only a restart would forget it.
    std::cerr << "tractus: the PIN lockout could not be kept: " << e.what() << "\n";
  }
}

std::vector<Role> Auth::roles_without_pin() const {
  std::vector<Role> missing;
  for (const Role role : {Role::Operator, Role::Technician})
    if (!pins_.of(role)) missing.push_back(role);
  return missing;
}

TimePoint Auth::now() const { return clock_ ? clock_() : std::chrono::steady_clock::now(); }

LoginResult Auth::login(Role role, std::string_view pin) {
  LoginResult result;
  if (!pin_problem(pin).empty()) {
    result.outcome = LoginResult::Outcome::BadFormat;
    return result;
  }
  const std::lock_guard login_lock(login_mutex_);
  {
    const std::lock_guard lock(mutex_);
    const TimePoint at = now();
    const Lockout &lockout = lockouts_[index_of(role)];
    if (lockout.locked_until > at) {
      result.outcome = LoginResult::Outcome::Locked;
      result.retry_after = ceil_seconds(lockout.locked_until - at);
      return result;
    }
  }
  const auto &hash = pins_.of(role);
  if (!hash) {
    result.outcome = LoginResult::Outcome::NoPin;
    return result;
  }
  const bool right = verify_pin(*hash, pin);

  LockoutState kept;
  {
    const std::lock_guard lock(mutex_);
    const TimePoint at = now();
    Lockout &lockout = lockouts_[index_of(role)];
    const int wrong_before = lockout.wrong_in_a_row;
    if (right) {
      lockout.wrong_in_a_row = 0;
      result.outcome = LoginResult::Outcome::Ok;
      result.token = issue_token_locked(role, at);
      result.expires_in =
          role == Role::Technician ? policy_.technician_idle : policy_.operator_lifetime;
      if (wrong_before == 0) return result; // nothing changed: no write
    } else if (++lockout.wrong_in_a_row >= policy_.max_wrong_pins) {
      lockout.wrong_in_a_row = 0;
      lockout.locked_until = at + policy_.lockout;
      result.outcome = LoginResult::Outcome::Locked;
      result.retry_after = policy_.lockout;
    } else {
      result.outcome = LoginResult::Outcome::WrongPin;
      result.attempts_left = policy_.max_wrong_pins - lockout.wrong_in_a_row;
    }
    kept = lockout_state_locked(at);
  }
  // Outside mutex_ (token checks never wait for the disk); login_mutex_ keeps writes in order.
  save_lockouts(kept);
  return result;
}

std::string Auth::issue_token_locked(Role role, TimePoint at) {
  forget_old_locked(at);
  std::array<unsigned char, kTokenBytes> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string token = to_hex(bytes.data(), bytes.size());
  sodium_memzero(bytes.data(), bytes.size());
  const auto lifetime =
      role == Role::Technician ? policy_.technician_idle : policy_.operator_lifetime;
  sessions_[token_key(token)] = Session{role, at, at + lifetime};
  return token;
}

void Auth::forget_old_locked(TimePoint at) {
  std::erase_if(sessions_,
                [at](const auto &entry) { return entry.second.expires + kRememberExpired < at; });
  // Bounded per role: a client logging in over and over ends its own oldest tokens.
  for (const Role role : {Role::Operator, Role::Technician}) {
    std::size_t count = 0;
    auto oldest = sessions_.end();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
      if (it->second.role != role) continue;
      ++count;
      if (oldest == sessions_.end() || it->second.issued < oldest->second.issued) oldest = it;
    }
    if (count >= policy_.max_tokens_per_role) sessions_.erase(oldest);
  }
}

TokenCheck Auth::check_locked(const std::string &key, TimePoint at) const {
  const auto it = sessions_.find(key);
  if (it == sessions_.end()) return {TokenCheck::Outcome::Unknown, Role::Operator};
  if (at >= it->second.expires) return {TokenCheck::Outcome::Expired, it->second.role};
  return {TokenCheck::Outcome::Ok, it->second.role};
}

TokenCheck Auth::authorize(std::string_view token) {
  if (token.empty()) return {TokenCheck::Outcome::Missing, Role::Operator};
  if (!is_hex_token(token)) return {TokenCheck::Outcome::Unknown, Role::Operator};
  const std::string key = token_key(token);
  const std::lock_guard lock(mutex_);
  const TimePoint at = now();
  const TokenCheck check = check_locked(key, at);
  if (check.ok() && check.role == Role::Technician)
    sessions_[key].expires = at + policy_.technician_idle;
  return check;
}

TokenCheck Auth::peek(std::string_view token) const {
  if (token.empty()) return {TokenCheck::Outcome::Missing, Role::Operator};
  if (!is_hex_token(token)) return {TokenCheck::Outcome::Unknown, Role::Operator};
  const std::string key = token_key(token);
  const std::lock_guard lock(mutex_);
  return check_locked(key, now());
}

void Auth::hold(std::string_view token, std::chrono::seconds margin) {
  if (!is_hex_token(token)) return;
  const std::string key = token_key(token);
  const std::lock_guard lock(mutex_);
  const TimePoint at = now();
  if (!check_locked(key, at).ok()) return;
  Session &session = sessions_[key];
  const TimePoint cap = session.issued + policy_.operator_lifetime + policy_.longest_hold;
  session.expires = std::max(session.expires, std::min(at + margin, cap));
}

bool Auth::logout(std::string_view token) {
  if (!is_hex_token(token)) return false;
  const std::string key = token_key(token);
  const std::lock_guard lock(mutex_);
  const bool live = check_locked(key, now()).ok();
  sessions_.erase(key);
  return live;
}

} // namespace tractus::console
