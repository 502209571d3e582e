#include "made0/hostd/process.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace made0::hostd {
namespace {

TEST(ProcStat, ParsesStateAndStartTime) {
  // Fields after the command: state(3) ... starttime(22).
  const std::string tail =
      " S 1 100 100 0 -1 4194560 200 0 0 0 5 3 0 0 20 0 1 0 987654 10000000 300";
  auto st = ParseProcStat("1234 (made0-testimage)" + tail);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->state, 'S');
  EXPECT_EQ(st->start_ticks, 987654u);
  // A command name with spaces and parentheses does not shift the fields.
  auto odd = ParseProcStat("77 (a) b (c)" + tail);
  ASSERT_TRUE(odd);
  EXPECT_EQ(odd->start_ticks, 987654u);
  auto zombie = ParseProcStat("9 (x) Z 1 100 100 0 -1 4 2 0 0 0 5 3 0 0 20 0 1 0 42 0 0");
  ASSERT_TRUE(zombie);
  EXPECT_EQ(zombie->state, 'Z');
  EXPECT_EQ(zombie->start_ticks, 42u);
}

TEST(ProcStat, RejectsTruncated) {
  EXPECT_FALSE(ParseProcStat(""));
  EXPECT_FALSE(ParseProcStat("1 (x"));
  EXPECT_FALSE(ParseProcStat("1 (x) S 1 2 3"));
  EXPECT_FALSE(ParseProcStat("1 (x) S 1 100 100 0 -1 4 2 0 0 0 5 3 0 0 20 0 1 0 notanumber 0"));
}

TEST(ProcStat, OwnProcessIsAliveAndAReusedPidIsNot) {
  std::ifstream in("/proc/self/stat");
  std::stringstream s;
  s << in.rdbuf();
  auto st = ParseProcStat(s.str());
  ASSERT_TRUE(st);
  PosixProcessControl pc;
  EXPECT_TRUE(pc.Alive({getpid(), st->start_ticks}));
  EXPECT_FALSE(pc.Alive({getpid(), st->start_ticks + 1}));  // same PID, another process
  EXPECT_FALSE(pc.Alive({0, 0}));
}

}  // namespace
}  // namespace made0::hostd
