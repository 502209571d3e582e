#include "relay_policy.hpp"

#include <gtest/gtest.h>

namespace made0::outbox::detail {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

TEST(RelayPolicy, AfterPublish) {
  EXPECT_EQ(AfterPublish(Status::Ok()), RowAction::kMarkPublished);
  EXPECT_EQ(AfterPublish(Error::Unavailable("nack")), RowAction::kRecordFailureAndStop);
  EXPECT_EQ(AfterPublish(Error::Internal("threw")), RowAction::kRecordFailureAndStop);
}

TEST(RelayPolicy, NextWaitTable) {
  RelayOptions options;
  options.batch_size = 10;
  options.poll_interval = 1000ms;
  options.backoff_initial = 100ms;
  options.backoff_max = 1000ms;
  options.linger = 20ms;
  struct Case {
    const char* name;
    BatchResult round;
    int failures_before;
    double random;
    milliseconds wait;
    bool wake_on_notify;
    int failures_after;
    milliseconds linger = 0ms;
  };
  const Case cases[] = {
      {"nothing to do: the next event goes at once", {0, 0, false, false}, 0, 0.5, 1000ms, true, 0},
      {"partial batch published", {3, 3, false, false}, 0, 0.5, 1000ms, true, 0, 20ms},
      {"full batch: go again now", {10, 10, false, false}, 0, 0.5, 0ms, true, 0},
      {"success resets failures", {1, 1, false, false}, 7, 0.5, 1000ms, true, 0, 20ms},
      {"first publish failure", {5, 0, true, false}, 0, 0.0, 50ms, false, 1},
      {"first failure, max jitter", {5, 0, true, false}, 0, 0.999, 99ms, false, 1},
      {"failure after partial publish", {5, 2, true, false}, 0, 0.0, 50ms, false, 1},
      {"second failure doubles", {5, 0, true, false}, 1, 0.0, 100ms, false, 2},
      {"third failure doubles again", {5, 0, true, false}, 2, 0.0, 200ms, false, 3},
      {"capped", {5, 0, true, false}, 10, 0.0, 500ms, false, 11},
      {"capped, max jitter", {5, 0, true, false}, 10, 0.999, 999ms, false, 11},
      {"database failure backs off too", {0, 0, false, true}, 0, 0.0, 50ms, false, 1},
      {"full batch that failed still backs off", {10, 9, true, false}, 0, 0.0, 50ms, false, 1},
  };
  for (const Case& c : cases) {
    int failures = c.failures_before;
    const Wait w = NextWait(options, failures, c.round, c.random);
    EXPECT_EQ(w.duration, c.wait) << c.name;
    EXPECT_EQ(w.wake_on_notify, c.wake_on_notify) << c.name;
    EXPECT_EQ(failures, c.failures_after) << c.name;
    EXPECT_EQ(w.linger, c.linger) << c.name;
  }
}

TEST(RelayPolicy, BackoffNeverOverflowsAndStaysInRange) {
  for (int failures : {1, 2, 5, 30, 64, 1000, 1'000'000}) {
    for (double r : {0.0, 0.25, 0.5, 0.999999}) {
      const auto d = Backoff(500ms, 30'000ms, failures, r);
      EXPECT_GE(d, 250ms) << failures;
      EXPECT_LE(d, 30'000ms) << failures;
    }
  }
  EXPECT_EQ(Backoff(500ms, 30'000ms, 0, 0.5), 0ms);
  EXPECT_EQ(Backoff(500ms, 30'000ms, 1'000'000, 0.0), 15'000ms);
}

TEST(RelayPolicy, CleanupDue) {
  const std::chrono::steady_clock::time_point t0{std::chrono::hours(10)};
  EXPECT_TRUE(CleanupDue(t0, std::nullopt, 1h));
  EXPECT_FALSE(CleanupDue(t0 + 59min, t0, 1h));
  EXPECT_TRUE(CleanupDue(t0 + 1h, t0, 1h));
}

}  // namespace
}  // namespace made0::outbox::detail
