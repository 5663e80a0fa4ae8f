// console_test_riding_machine_pauses (console_under_test.hpp): the console's wall-clock tests
// ride machine pauses by the integration tests' rule (support/machine_pauses.hpp, whose rule is
// held by tests/integration/machine_pauses_test.cpp). Here, the wrapper itself: a failure with
// no fault of the machine's timing in the attempt's journals is the test's own, reported once
// from the one attempt; a passing attempt runs once, in a folder of its own that is gone after.
#include "console_under_test.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace tractus::testing {
namespace {

TEST(ConsoleRidingMachinePauses, AFailureWithoutATimingFaultIsReportedAndNotRunAgain) {
  int attempts = 0;
  EXPECT_NONFATAL_FAILURE(console_test_riding_machine_pauses([&](const std::filesystem::path &j) {
                            ++attempts;
                            std::ofstream(j / "not-a-journal.jsonl") << "{\"type\":\"header\"\n";
                            ADD_FAILURE() << "the force never passed 100 N";
                          }),
                          "the force never passed 100 N");
  EXPECT_EQ(attempts, 1);
}

TEST(ConsoleRidingMachinePauses, APassingAttemptRunsOnceInAFolderThatIsGoneAfter) {
  int attempts = 0;
  std::filesystem::path folder;
  console_test_riding_machine_pauses([&](const std::filesystem::path &journals) {
    ++attempts;
    folder = journals;
    EXPECT_TRUE(std::filesystem::is_directory(journals));
  });
  EXPECT_EQ(attempts, 1);
  EXPECT_FALSE(folder.empty());
  EXPECT_FALSE(std::filesystem::exists(folder));
}

} // namespace
} // namespace tractus::testing
