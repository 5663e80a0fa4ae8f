// console::Auth and the pins file (docs/console.md, "Roles, PINs and tokens"): PINs stored as
// Argon2id hashes in a private file, 5 wrong PINs lock a role for 5 minutes, operator tokens
// live 12 hours, technician tokens 15 minutes without use.
#include "support/temp_dir.hpp"

#include "console/auth.hpp"
#include "console/auth_pins.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace tractus::console {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;

std::string read_text(const std::filesystem::path &file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class AuthTest : public ::testing::Test {
protected:
  AuthTest()
      : dir_("auth-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())) {}
  Auth make_auth(AuthPolicy policy = {}) {
    return Auth(
        dir_.path(), [this] { return start_ + std::chrono::seconds(offset_s_.load()); }, policy);
  }
  // Both PINs, hashed once for all the tests (Argon2id is slow by design).
  void set_both() {
    static const PinHashes pins{hash_pin("2468"), hash_pin("13579135")};
    save_pins(pins_file(dir_.path()), pins);
  }
  void advance(std::chrono::seconds by) { offset_s_ += by.count(); }
  void write_pins(const std::string &text) {
    std::filesystem::create_directories(dir_.path() / "console");
    std::ofstream(pins_file(dir_.path())) << text;
  }

  TempDir dir_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::atomic<std::int64_t> offset_s_{0};
};

TEST_F(AuthTest, PinsAreStoredAsArgon2idHashesInAFileOnlyTheOwnerCanRead) {
  set_pin(dir_.path(), Role::Operator, "2468");
  const auto file = pins_file(dir_.path());
  const std::string text = read_text(file);
  EXPECT_NE(text.find("\"format\": \"tractus.pins/1\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"operator\": \"$argon2id$"), std::string::npos) << text;
  EXPECT_EQ(text.find("2468"), std::string::npos) << "the PIN in clear: " << text;
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(AuthTest, SettingOnePinKeepsTheOther) {
  set_both();
  const auto before = load_pins(pins_file(dir_.path()));
  set_pin(dir_.path(), Role::Operator, "1111");
  const auto after = load_pins(pins_file(dir_.path()));
  EXPECT_EQ(after.technician_pin, before.technician_pin);
  EXPECT_NE(after.operator_pin, before.operator_pin);
  EXPECT_TRUE(verify_pin(*after.operator_pin, "1111"));
}

TEST_F(AuthTest, APinIsFourToTwelveDigits) {
  EXPECT_EQ(pin_problem("1234"), "");
  EXPECT_EQ(pin_problem("123456789012"), "");
  EXPECT_NE(pin_problem("123"), "");
  EXPECT_NE(pin_problem("1234567890123"), "");
  EXPECT_NE(pin_problem("12a4"), "");
  EXPECT_NE(pin_problem(" 1234"), "");
  EXPECT_THROW(set_pin(dir_.path(), Role::Operator, "12"), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(pins_file(dir_.path())));
}

TEST_F(AuthTest, AMalformedPinIsRefusedAsMalformedAndCostsNoAttempt) {
  set_both();
  Auth auth = make_auth();
  for (const std::string &pin : {std::string(10'000, '7'), std::string("١٢٣٤"), std::string("12"),
                                 std::string("2468 "), std::string()})
    for (int i = 0; i < 10; ++i)
      ASSERT_EQ(auth.login(Role::Operator, pin).outcome, LoginResult::Outcome::BadFormat);
  // Fifty malformed PINs later, the count of wrong ones has not moved.
  EXPECT_EQ(auth.login(Role::Operator, "9999").attempts_left, 4);
}

TEST_F(AuthTest, ADuplicateKeyInThePinsFileIsReportedNamingIt) {
  write_pins(R"({"format": "tractus.pins/1", "format": "tractus.pins/1"})");
  try {
    make_auth();
    FAIL() << "a duplicate key was accepted";
  } catch (const PinFileError &e) {
    EXPECT_NE(std::string(e.what()).find("a key is given twice: /format"), std::string::npos)
        << e.what();
  }
}

TEST_F(AuthTest, ALockSurvivesARestartWithItsTimeLeft) {
  set_both();
  {
    Auth auth = make_auth();
    for (int i = 0; i < 5; ++i)
      (void)auth.login(Role::Technician, "0000");
    ASSERT_EQ(auth.login(Role::Technician, "13579135").outcome, LoginResult::Outcome::Locked);
  }
  const auto file = lockout_file(dir_.path());
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0) << file;
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  Auth restarted = make_auth();
  const auto locked = restarted.login(Role::Technician, "13579135");
  ASSERT_EQ(locked.outcome, LoginResult::Outcome::Locked) << "a restart forgot the lock";
  EXPECT_GE(locked.retry_after, 298s);
  EXPECT_LE(locked.retry_after, 300s);
  EXPECT_EQ(restarted.login(Role::Operator, "2468").outcome, LoginResult::Outcome::Ok);
  advance(301s);
  EXPECT_EQ(restarted.login(Role::Technician, "13579135").outcome, LoginResult::Outcome::Ok);
}

TEST_F(AuthTest, TheCountOfWrongPinsSurvivesARestart) {
  set_both();
  {
    Auth auth = make_auth();
    for (int i = 0; i < 4; ++i)
      (void)auth.login(Role::Operator, "0000");
  }
  Auth restarted = make_auth();
  EXPECT_EQ(restarted.login(Role::Operator, "0000").outcome, LoginResult::Outcome::Locked)
      << "4 wrong PINs before the restart and 1 after make 5";
}

TEST_F(AuthTest, AnUnreadableLockoutFileLocksBothRolesForOnePeriod) {
  set_both();
  std::ofstream(lockout_file(dir_.path())) << "{\"format\": \"tractus.lockout/1\", ";
  Auth auth = make_auth();
  EXPECT_EQ(auth.login(Role::Operator, "2468").outcome, LoginResult::Outcome::Locked);
  EXPECT_EQ(auth.login(Role::Technician, "13579135").outcome, LoginResult::Outcome::Locked);
  advance(300s);
  EXPECT_EQ(auth.login(Role::Operator, "2468").outcome, LoginResult::Outcome::Ok);
}

TEST_F(AuthTest, ALockInTheFileFarInTheFutureHoldsAtMostOnePeriod) {
  set_both();
  LockoutState state;
  state.of(Role::Operator).locked_until_unix = 4'000'000'000; // the year 2096
  save_lockout(lockout_file(dir_.path()), state);
  Auth auth = make_auth();
  EXPECT_EQ(auth.login(Role::Operator, "2468").retry_after, 300s);
  advance(300s);
  EXPECT_EQ(auth.login(Role::Operator, "2468").outcome, LoginResult::Outcome::Ok);
}

TEST_F(AuthTest, NoPinsFileMeansNeitherRoleHasAPin) {
  const Auth auth = make_auth();
  EXPECT_EQ(auth.roles_without_pin(), (std::vector<Role>{Role::Operator, Role::Technician}));
  set_pin(dir_.path(), Role::Operator, "2468");
  EXPECT_EQ(make_auth().roles_without_pin(), (std::vector<Role>{Role::Technician}));
}

TEST_F(AuthTest, ACorruptedPinsFileIsReportedWithItsNameAndWhere) {
  write_pins("{\"format\": \"tractus.pins/1\",\n \"operator\": ");
  try {
    make_auth();
    FAIL() << "a corrupted pins file was accepted";
  } catch (const PinFileError &e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(pins_file(dir_.path()).string()), std::string::npos) << what;
    EXPECT_NE(what.find("not JSON"), std::string::npos) << what;
    EXPECT_NE(what.find("line 2"), std::string::npos) << what;
  }
}

TEST_F(AuthTest, APinStoredInClearIsRefusedNamingTheRole) {
  write_pins(R"({"format": "tractus.pins/1", "operator": "2468", "technicien": "x"})");
  try {
    make_auth();
    FAIL() << "a clear PIN was accepted";
  } catch (const PinFileError &e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("/operator: not an Argon2id hash"), std::string::npos) << what;
    EXPECT_NE(what.find("/technicien: unknown key"), std::string::npos) << what;
  }
}

TEST_F(AuthTest, TheRightPinGivesA256BitHexToken) {
  set_both();
  Auth auth = make_auth();
  const auto result = auth.login(Role::Operator, "2468");
  ASSERT_EQ(result.outcome, LoginResult::Outcome::Ok);
  EXPECT_EQ(result.token.size(), 64u);
  EXPECT_EQ(result.token.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(result.expires_in, 12h);
  const auto check = auth.authorize(result.token);
  EXPECT_TRUE(check.ok());
  EXPECT_EQ(check.role, Role::Operator);
  EXPECT_NE(auth.login(Role::Operator, "2468").token, result.token);
}

TEST_F(AuthTest, FiveWrongPinsInARowLockTheRoleForFiveMinutes) {
  set_both();
  Auth auth = make_auth();
  for (int left = 4; left >= 1; --left) {
    const auto wrong = auth.login(Role::Technician, "0000");
    ASSERT_EQ(wrong.outcome, LoginResult::Outcome::WrongPin);
    EXPECT_EQ(wrong.attempts_left, left);
  }
  const auto fifth = auth.login(Role::Technician, "0000");
  ASSERT_EQ(fifth.outcome, LoginResult::Outcome::Locked);
  EXPECT_EQ(fifth.retry_after, 300s);
  // Locked even for the right PIN, so guessing cannot go on behind the lock.
  advance(299s);
  EXPECT_EQ(auth.login(Role::Technician, "13579135").outcome, LoginResult::Outcome::Locked);
  // The other role is not locked.
  EXPECT_EQ(auth.login(Role::Operator, "2468").outcome, LoginResult::Outcome::Ok);
  advance(1s);
  EXPECT_EQ(auth.login(Role::Technician, "13579135").outcome, LoginResult::Outcome::Ok);
}

TEST_F(AuthTest, TheRightPinResetsTheCountOfWrongOnes) {
  set_both();
  Auth auth = make_auth();
  for (int i = 0; i < 4; ++i)
    (void)auth.login(Role::Operator, "9999");
  EXPECT_EQ(auth.login(Role::Operator, "2468").outcome, LoginResult::Outcome::Ok);
  EXPECT_EQ(auth.login(Role::Operator, "9999").attempts_left, 4);
}

TEST_F(AuthTest, AnOperatorTokenExpiresTwelveHoursAfterLoginHoweverUsed) {
  set_both();
  Auth auth = make_auth();
  const auto token = auth.login(Role::Operator, "2468").token;
  advance(11h + 59min);
  EXPECT_TRUE(auth.authorize(token).ok());
  advance(1min);
  EXPECT_EQ(auth.authorize(token).outcome, TokenCheck::Outcome::Expired);
}

TEST_F(AuthTest, ATechnicianTokenExpiresAfterFifteenMinutesWithoutUse) {
  set_both();
  Auth auth = make_auth();
  const auto login = auth.login(Role::Technician, "13579135");
  EXPECT_EQ(login.expires_in, 15min);
  for (int i = 0; i < 8; ++i) { // two hours of steady use
    advance(14min);
    ASSERT_TRUE(auth.authorize(login.token).ok()) << "after " << (i + 1) * 14 << " min";
  }
  advance(14min);
  EXPECT_TRUE(auth.peek(login.token).ok());
  advance(1min); // peek is not use: 15 minutes since the last authorize
  EXPECT_EQ(auth.peek(login.token).outcome, TokenCheck::Outcome::Expired);
  EXPECT_EQ(auth.authorize(login.token).outcome, TokenCheck::Outcome::Expired);
}

// A login held (a page watching a session) outlives its time while held, lapses once no longer
// held, and an ended one is never brought back.
TEST_F(AuthTest, AHeldTokenOutlivesItsTimeWhileHeldAndAnEndedOneStaysEnded) {
  set_both();
  Auth auth = make_auth();
  const auto op = auth.login(Role::Operator, "2468").token;
  advance(11h + 46min);
  const auto tech = auth.login(Role::Technician, "13579135").token;
  advance(13min); // the operator 1 min before 12 h, the technician 2 min before 15 idle min
  for (int minute = 0; minute < 30; ++minute) { // half an hour past both limits, held each minute
    auth.hold(op, 60s);
    auth.hold(tech, 60s);
    advance(59s);
    ASSERT_TRUE(auth.peek(op).ok()) << minute;
    ASSERT_TRUE(auth.peek(tech).ok()) << minute;
  }
  advance(2s); // no longer held: both past their time
  EXPECT_EQ(auth.peek(op).outcome, TokenCheck::Outcome::Expired);
  EXPECT_EQ(auth.peek(tech).outcome, TokenCheck::Outcome::Expired);
  auth.hold(op, 60s);
  EXPECT_EQ(auth.authorize(op).outcome, TokenCheck::Outcome::Expired);
}

// However long a table keeps a page watching (a session left unacknowledged), a held login
// lapses 4 hours after its 12: the hold has a ceiling of its own.
TEST_F(AuthTest, AHoldNeverOutlastsFourHoursPastTheLogin) {
  set_both();
  Auth auth = make_auth();
  const auto op = auth.login(Role::Operator, "2468").token;
  std::chrono::seconds live{0}; // since the login, held every 59 s
  while (live < 24h) {
    auth.hold(op, 60s);
    advance(59s);
    live += 59s;
    if (!auth.peek(op).ok()) break;
  }
  EXPECT_GE(live, 16h);
  EXPECT_LT(live, 16h + 59s) << "the login lapsed " << live.count() << " s after it was made";
}

TEST_F(AuthTest, LogoutEndsTheTokenAndOnlyThatOne) {
  set_both();
  Auth auth = make_auth();
  const auto first = auth.login(Role::Operator, "2468").token;
  const auto second = auth.login(Role::Operator, "2468").token;
  EXPECT_TRUE(auth.logout(first));
  EXPECT_EQ(auth.authorize(first).outcome, TokenCheck::Outcome::Unknown);
  EXPECT_TRUE(auth.authorize(second).ok());
  EXPECT_FALSE(auth.logout(first));
}

TEST_F(AuthTest, MalformedOrMissingTokensAreNotAccepted) {
  set_both();
  Auth auth = make_auth();
  EXPECT_EQ(auth.authorize("").outcome, TokenCheck::Outcome::Missing);
  EXPECT_EQ(auth.authorize("abc").outcome, TokenCheck::Outcome::Unknown);
  EXPECT_EQ(auth.authorize(std::string(64, 'a')).outcome, TokenCheck::Outcome::Unknown);
  EXPECT_EQ(auth.authorize(std::string(64, 'Z')).outcome, TokenCheck::Outcome::Unknown);
}

TEST_F(AuthTest, TokensPerRoleAreBoundedByEndingTheOldest) {
  set_both();
  AuthPolicy policy;
  policy.max_tokens_per_role = 3;
  Auth auth = make_auth(policy);
  std::vector<std::string> tokens;
  for (int i = 0; i < 4; ++i) {
    tokens.push_back(auth.login(Role::Operator, "2468").token);
    advance(1s); // distinct issue times
  }
  EXPECT_EQ(auth.authorize(tokens[0]).outcome, TokenCheck::Outcome::Unknown);
  for (int i = 1; i < 4; ++i)
    EXPECT_TRUE(auth.authorize(tokens[static_cast<std::size_t>(i)]).ok());
}

} // namespace
} // namespace tractus::console
