#include "made0/core/periodic.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace made0 {
namespace {

using namespace std::chrono_literals;

bool Eventually(const std::function<bool()>& done) {
  for (int i = 0; i < 500; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

TEST(Periodic, RunsAtOnceThenEveryIntervalUntilStopped) {
  std::atomic<int> rounds{0};
  Periodic p("test", 10ms, [&] { ++rounds; });
  p.Start();
  p.Start();  // already running: no second thread
  EXPECT_TRUE(Eventually([&] { return rounds >= 3; }));
  p.Stop();
  const int after_stop = rounds;
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(rounds, after_stop);
  p.Stop();  // idempotent
}

TEST(Periodic, StopDoesNotWaitOutTheInterval) {
  std::atomic<int> rounds{0};
  Periodic p("test", 1h, [&] { ++rounds; });
  p.Start();
  EXPECT_TRUE(Eventually([&] { return rounds == 1; }));
  const auto start = std::chrono::steady_clock::now();
  p.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_EQ(rounds, 1);
}

TEST(Periodic, ARoundThatThrowsDoesNotEndTheLoop) {
  std::atomic<int> rounds{0};
  Periodic p("test", 5ms, [&] {
    if (++rounds == 1) throw std::runtime_error("database down");
  });
  p.Start();
  EXPECT_TRUE(Eventually([&] { return rounds >= 2; }));
}

TEST(Periodic, StartsAgainAfterStop) {
  std::atomic<int> rounds{0};
  Periodic p("test", 1h, [&] { ++rounds; });
  p.Start();
  EXPECT_TRUE(Eventually([&] { return rounds == 1; }));
  p.Stop();
  p.Start();
  EXPECT_TRUE(Eventually([&] { return rounds == 2; }));
}

}  // namespace
}  // namespace made0
