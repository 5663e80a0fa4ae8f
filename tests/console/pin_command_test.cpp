// `tractus pin set ROLE`: the PIN comes from standard input (one line from a pipe), is checked,
// and only its Argon2id hash is stored; bad input changes nothing and exits 2 (DESIGN §8).
#include "support/temp_dir.hpp"

#include "cli/pin_command.hpp"
#include "console/auth.hpp"
#include "console/auth_pins.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace tractus::cli {
namespace {

class PinCommand : public ::testing::Test {
protected:
  PinCommand()
      : dir_("pin-" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())) {}
  int set(const std::string &role, const std::string &input) {
    std::istringstream in(input);
    out_.str("");
    err_.str("");
    return pin_set({role, dir_.path().string()}, in, false, out_, err_);
  }
  [[nodiscard]] std::string pins_text() const {
    std::ifstream in(console::pins_file(dir_.path()));
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  testing::TempDir dir_;
  std::ostringstream out_, err_;
};

TEST_F(PinCommand, APipedPinIsStoredAsAnArgon2idHashOnly) {
  ASSERT_EQ(set("operator", "482916\n"), 0) << err_.str();
  const std::string text = pins_text();
  EXPECT_NE(text.find("\"operator\": \"$argon2id$"), std::string::npos) << text;
  EXPECT_EQ(text.find("482916"), std::string::npos) << "the PIN in clear: " << text;
  EXPECT_EQ(out_.str().find("482916"), std::string::npos);
  // And it is the PIN a login then accepts.
  console::Auth auth(dir_.path());
  EXPECT_EQ(auth.login(console::Role::Operator, "482916").outcome,
            console::LoginResult::Outcome::Ok);
  EXPECT_EQ(auth.roles_without_pin(), std::vector<console::Role>{console::Role::Technician});
}

TEST_F(PinCommand, AWindowsLineEndIsNotPartOfThePin) {
  ASSERT_EQ(set("technician", "13579135\r\n"), 0) << err_.str();
  console::Auth auth(dir_.path());
  EXPECT_EQ(auth.login(console::Role::Technician, "13579135").outcome,
            console::LoginResult::Outcome::Ok);
}

TEST_F(PinCommand, ABadPinExits2AndChangesNothing) {
  for (const std::string bad : {"123\n", "1234567890123\n", "12a4\n", "\n", ""}) {
    EXPECT_EQ(set("operator", bad), 2) << "input \"" << bad << "\"";
    EXPECT_FALSE(err_.str().empty());
    EXPECT_FALSE(std::filesystem::exists(console::pins_file(dir_.path())));
  }
  EXPECT_NE((set("operator", "12a4\n"), err_.str()).find("4 to 12 digits"), std::string::npos);
}

TEST_F(PinCommand, AnUnknownRoleExits2) {
  EXPECT_EQ(set("admin", "1234\n"), 2);
  EXPECT_NE(err_.str().find("operator or technician"), std::string::npos) << err_.str();
}

TEST_F(PinCommand, ACorruptedPinsFileIsNamedAndLeftAsItIs) {
  std::filesystem::create_directories(dir_.path() / "console");
  std::ofstream(console::pins_file(dir_.path())) << "garbage";
  EXPECT_EQ(set("operator", "1234\n"), 2);
  EXPECT_NE(err_.str().find(console::pins_file(dir_.path()).string()), std::string::npos)
      << err_.str();
  EXPECT_EQ(pins_text(), "garbage");
}

} // namespace
} // namespace tractus::cli
