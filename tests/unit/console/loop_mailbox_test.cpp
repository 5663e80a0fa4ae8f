// The loop's mailbox (console/loop_bridge.hpp): a command that names a session reaches only that
// session, including one loaded between a page's check and its post (hazard H15); a stop reaches
// whatever is loaded; each command is taken once.
#include "console/loop_bridge.hpp"

#include <gtest/gtest.h>

namespace tractus::console {
namespace {

constexpr std::uint32_t bit(OperatorCommand c) { return 1U << static_cast<unsigned>(c); }

TEST(LoopMailbox, ACommandNamingASessionReachesOnlyThatSession) {
  LoopMailbox mailbox;
  const std::uint32_t a = session_key_of("20261207T090000Z-lumbar-static-aaaa");
  const std::uint32_t b = session_key_of("20261207T091500Z-lumbar-static-bbbb");
  ASSERT_NE(a, b);
  EXPECT_FALSE(mailbox.post_for(OperatorCommand::Start, a)) << "no session loaded";

  mailbox.open_session(a);
  EXPECT_FALSE(mailbox.post_for(OperatorCommand::Start, b));
  EXPECT_EQ(mailbox.take(), 0U) << "nothing was posted for another session";
  EXPECT_TRUE(mailbox.post_for(OperatorCommand::Start, a));
  EXPECT_EQ(mailbox.take(), bit(OperatorCommand::Start));
  EXPECT_EQ(mailbox.take(), 0U) << "taken once, as an edge";

  // A's page checked, then B was loaded before its post: the post finds B and sends nothing.
  mailbox.open_session(b);
  EXPECT_FALSE(mailbox.post_for(OperatorCommand::Pause, a));
  EXPECT_EQ(mailbox.take(), 0U);
  EXPECT_TRUE(mailbox.post_for(OperatorCommand::Pause, b)) << "taking kept the session's key";
}

TEST(LoopMailbox, AStopReachesWhateverIsLoadedAndALoadClearsWhatWasPostedBefore) {
  LoopMailbox mailbox;
  const std::uint32_t a = session_key_of("a-1");
  mailbox.open_session(a);
  mailbox.post(OperatorCommand::Stop);
  EXPECT_TRUE(mailbox.post_for(OperatorCommand::Acknowledge, a));
  EXPECT_EQ(mailbox.take(), bit(OperatorCommand::Stop) | bit(OperatorCommand::Acknowledge));
  mailbox.post(OperatorCommand::Start);
  mailbox.open_session(session_key_of("b-2"));
  EXPECT_EQ(mailbox.take(), 0U) << "nothing posted before a session counts for it";
  mailbox.close_session();
  EXPECT_FALSE(mailbox.post_for(OperatorCommand::Start, session_key_of("b-2")));
}

TEST(LoopMailbox, ASessionKeyIsNeverTheKeyOfNoSession) {
  for (const char *id : {"", "a", "20261207T090000Z-lumbar-static-0000"})
    EXPECT_NE(session_key_of(id), 0U) << id;
}

} // namespace
} // namespace tractus::console
