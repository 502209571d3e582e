#include "process_cpu.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

namespace made0::bench {
namespace {

TEST(ParseProcStat, ReadsPidParentAndCpuTimes) {
  // Fields from proc(5): pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt
  // majflt cmajflt utime stime cutime cstime ...
  const auto st = ParseProcStat(
      "4242 (made0-users) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 50 30 20 20 0 12 0", 100);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->pid, 4242);
  EXPECT_EQ(st->ppid, 1);
  EXPECT_DOUBLE_EQ(st->cpu_seconds, 3.0);         // (250 + 50) / 100
  EXPECT_DOUBLE_EQ(st->reaped_cpu_seconds, 0.5);  // (30 + 20) / 100
}

TEST(ParseProcStat, CommandNamesMayHoldSpacesAndParentheses) {
  const auto st = ParseProcStat("77 (a) b (c)) R 5 77 77 0 -1 0 0 0 0 0 100 0 0 0 20 0 1 0", 100);
  ASSERT_TRUE(st);
  EXPECT_EQ(st->pid, 77);
  EXPECT_EQ(st->ppid, 5);
  EXPECT_DOUBLE_EQ(st->cpu_seconds, 1.0);
}

TEST(ParseProcStat, RefusesWhatIsNotAStatLine) {
  for (const char* line : {"", "garbage", "12 (x) S 1 2 3", "x (y) S 1 0 0 0 0 0 0 0 0 0 1 1 1 1",
                           "12 (x) S 1 2 3 4 5 6 7 8 9 10 u 1 1 1 20"}) {
    EXPECT_FALSE(ParseProcStat(line, 100)) << line;
  }
}

void Burn(std::chrono::milliseconds cpu) {
  const auto until = std::chrono::steady_clock::now() + cpu;
  volatile unsigned long x = 0;
  while (std::chrono::steady_clock::now() < until) x = x + 1;
}

TEST(TreeCpuSeconds, CountsTheRootAndTheChildrenItReaped) {
  const int self = static_cast<int>(getpid());
  const double before = TreeCpuSeconds({{"me", self}})["me"];
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    Burn(std::chrono::milliseconds(300));
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  const auto after = TreeCpuSeconds({{"me", self}, {"gone", 0x7ffffff0}});
  EXPECT_GE(after.at("me") - before, 0.2);  // the child's CPU, now in this process's cutime
  EXPECT_EQ(after.at("gone"), 0);
}

}  // namespace
}  // namespace made0::bench
