#include <gtest/gtest.h>

#include <random>
#include <thread>

#include "made0/core/testing/fake_clock.hpp"
#include "made0/redis/rate_limiter.hpp"
#include "made0/testing/stack_env.hpp"
#include "rate_limit_logic.hpp"
#include "redistest_support.hpp"

namespace made0::redis {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

class RateLimiterRedis : public ::testing::Test {
 protected:
  void TearDown() override { testing::DeleteKeys(*client_, prefix_); }
  RateLimiterOptions Options() const { return RateLimiterOptions{prefix_}; }

  std::unique_ptr<Client> client_ = MakeClient(testing::StackRedisOptions());
  std::string prefix_ = made0::testing::UniqueName("made0test:") + ":";
};

TEST_F(RateLimiterRedis, OnePerSecondThreePerFiveSecondsInRealTime) {
  RateLimiter limiter(*client_, Options());
  const std::vector<Window> windows = {{1, seconds(1)}, {3, seconds(5)}};
  const std::string key = "resend:alice@example.test";
  const auto t0 = steady_clock::now();
  auto d = limiter.Allow(key, windows);
  ASSERT_TRUE(d) << d.error().message;
  EXPECT_TRUE(d->allowed);
  EXPECT_EQ(d->retry_after, milliseconds(0));

  d = limiter.Allow(key, windows);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_GT(d->retry_after, milliseconds(800));
  EXPECT_LE(d->retry_after, milliseconds(1000));
  // Another key is not affected.
  EXPECT_TRUE(limiter.Allow("resend:bob@example.test", windows)->allowed);

  for (int k = 2; k <= 3; ++k) {
    std::this_thread::sleep_for(d->retry_after + milliseconds(20));
    d = limiter.Allow(key, windows);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->allowed) << k;
    d = limiter.Allow(key, windows);  // refused by the 1 s window, counts for nothing
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->allowed);
  }
  // Three allowed in about 2 s: the 5 s window holds until 5 s after the first.
  std::this_thread::sleep_for(milliseconds(1100));
  d = limiter.Allow(key, windows);
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  const auto first_leaves = t0 + seconds(5);
  const auto expected =
      std::chrono::duration_cast<milliseconds>(first_leaves - steady_clock::now());
  EXPECT_NEAR(static_cast<double>(d->retry_after.count()), static_cast<double>(expected.count()),
              150.0);
  std::this_thread::sleep_for(d->retry_after + milliseconds(20));
  EXPECT_TRUE(limiter.Allow(key, windows)->allowed);
}

TEST_F(RateLimiterRedis, ScriptAgreesWithTheModel) {
  made0::testing::FakeClock clock;
  SecureRandom random;
  RateLimiter limiter(*client_, Options(), clock, random);
  const std::vector<Window> windows = {{2, seconds(10)}, {5, seconds(60)}, {7, seconds(300)}};
  std::vector<long long> accepted;
  std::mt19937 gen(12345);
  std::uniform_int_distribution<int> step_ms(0, 9000);
  int allowed = 0;
  for (int k = 0; k < 300; ++k) {
    clock.Advance(milliseconds(step_ms(gen)));
    const long long now =
        std::chrono::duration_cast<milliseconds>(clock.Now().time_since_epoch()).count();
    const RateDecision want = internal::DecideRate(accepted, windows, now);
    auto got = limiter.Allow("model", windows);
    ASSERT_TRUE(got) << got.error().message;
    ASSERT_EQ(got->allowed, want.allowed) << "attempt " << k;
    ASSERT_EQ(got->retry_after, want.retry_after) << "attempt " << k;
    if (want.allowed) {
      accepted.push_back(now);
      ++allowed;
    }
  }
  EXPECT_GT(allowed, 10);
  EXPECT_LT(allowed, 290);
  // Same-millisecond attempts are distinct entries.
  clock.Advance(seconds(400));
  const std::vector<Window> three = {{3, seconds(1)}};
  for (int k = 0; k < 3; ++k) EXPECT_TRUE(limiter.Allow("burst", three)->allowed);
  EXPECT_FALSE(limiter.Allow("burst", three)->allowed);
}

TEST_F(RateLimiterRedis, ConcurrentAttemptsNeverOvershoot) {
  RateLimiter limiter(*client_, Options());
  const std::vector<Window> windows = {{5, seconds(30)}};
  std::atomic<int> allowed{0};
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int k = 0; k < 10; ++k) {
        auto d = limiter.Allow("shared", windows);
        if (!d)
          ++errors;
        else if (d->allowed)
          ++allowed;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(errors, 0);
  EXPECT_EQ(allowed, 5);
}

TEST_F(RateLimiterRedis, KeysAreHashedAndExpire) {
  RateLimiter limiter(*client_, Options());
  ASSERT_TRUE(limiter.Allow("resend:alice@example.test", {{1, seconds(2)}, {2, seconds(3)}}));
  auto keys = client_->Call({"KEYS", prefix_ + "*"});
  ASSERT_TRUE(keys);
  ASSERT_EQ(keys->elements().size(), 1u);
  const std::string& key = keys->elements()[0].text();
  EXPECT_EQ(key.find("alice"), std::string::npos);
  EXPECT_EQ(key, internal::RateLimitKey(prefix_, "resend:alice@example.test"));
  auto ttl = client_->Call({"PTTL", key});
  ASSERT_TRUE(ttl);
  EXPECT_GT(ttl->integer(), 2000);  // the longest window
  EXPECT_LE(ttl->integer(), 3000);
}

TEST_F(RateLimiterRedis, InvalidWindowsAndDownRedis) {
  RateLimiter limiter(*client_, Options());
  EXPECT_EQ(limiter.Allow("k", {}).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(limiter.Allow("k", {{0, seconds(1)}}).error().code, ErrorCode::kInvalid);

  ClientOptions down = testing::StackRedisOptions();
  down.url.port = testing::FreePort();
  auto client = MakeClient(down);
  RateLimiter unreachable(*client, Options());
  const auto start = steady_clock::now();
  auto d = unreachable.Allow("k", {{1, seconds(1)}});
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(steady_clock::now() - start, milliseconds(500));
}

}  // namespace
}  // namespace made0::redis
