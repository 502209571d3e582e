#include "made0/amqp/backoff.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "made0/core/testing/fake_clock.hpp"

namespace made0::amqp {
namespace {

using std::chrono::milliseconds;

// FixedRandom always draws the same 64-bit value, so UnitInterval() is value / 2^53.
class FixedRandom final : public Random {
 public:
  explicit FixedRandom(std::uint64_t value) : value_(value) {}
  void Fill(std::span<std::uint8_t> out) override {
    for (std::size_t i = 0; i < out.size(); i += sizeof value_) {
      std::memcpy(out.data() + i, &value_, std::min(sizeof value_, out.size() - i));
    }
  }

 private:
  std::uint64_t value_;
};

constexpr std::uint64_t kHalf = std::uint64_t{1} << 52;  // UnitInterval() == 0.5

TEST(Backoff, DelayTable) {
  const BackoffPolicy p{milliseconds{100}, milliseconds{1000}, 2.0, 0.5};
  struct Case {
    BackoffPolicy policy;
    int failures;
    double unit;
    long long want_ms;
  };
  const Case cases[] = {
      {p, 0, 0.0, 0},
      {p, -3, 0.0, 0},
      {p, 1, 0.0, 100},
      {p, 2, 0.0, 200},
      {p, 3, 0.0, 400},
      {p, 4, 0.0, 800},
      {p, 5, 0.0, 1000},  // capped
      {p, 1'000'000, 0.0, 1000},
      {p, 1, 0.5, 75},    // jitter 0.5 * 0.5 takes a quarter off
      {p, 5, 0.99, 505},  // never below (1 - jitter) * cap ...
      {p, 5, 2.0, 500},   // ... even for an out-of-range unit
      {{milliseconds{100}, milliseconds{1000}, 0.5, 0.0}, 4, 0.0, 100},  // multiplier < 1 is 1
      {{milliseconds{100}, milliseconds{1000}, 3.0, 0.0}, 3, 0.0, 900},
      {{milliseconds{100}, milliseconds{1000}, 2.0, 1.0}, 2, 0.5, 100},    // full jitter
      {{milliseconds{100}, milliseconds{1000}, 2.0, 7.0}, 2, 0.5, 100},    // jitter clamped to 1
      {{milliseconds{5000}, milliseconds{1000}, 2.0, 0.0}, 1, 0.0, 1000},  // initial above max
      {{milliseconds{-5}, milliseconds{1000}, 2.0, 0.0}, 3, 0.0, 0},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(BackoffDelay(c.policy, c.failures, c.unit).count(), c.want_ms)
        << "failures=" << c.failures << " unit=" << c.unit << " mult=" << c.policy.multiplier
        << " jitter=" << c.policy.jitter;
  }
}

TEST(Backoff, NextCountsFailuresAndResetStartsOver) {
  FixedRandom rng(kHalf);
  Backoff b({milliseconds{100}, milliseconds{350}, 2.0, 0.2}, rng);
  EXPECT_EQ(b.Next(), milliseconds{90});
  EXPECT_EQ(b.Next(), milliseconds{180});
  EXPECT_EQ(b.Next(), milliseconds{315});  // 350 capped, minus 10%
  EXPECT_EQ(b.failures(), 3);
  b.Reset();
  EXPECT_EQ(b.failures(), 0);
  EXPECT_EQ(b.Next(), milliseconds{90});
}

TEST(Backoff, RetryGateFailsFastUntilTheDelayHasPassed) {
  FixedRandom rng(0);
  testing::FakeClock clock;
  RetryGate gate({milliseconds{200}, milliseconds{1000}, 2.0, 0.2}, rng, clock);
  EXPECT_TRUE(gate.MayAttempt());
  gate.Failed();
  EXPECT_FALSE(gate.MayAttempt());
  EXPECT_EQ(gate.Remaining(), milliseconds{200});
  clock.Advance(milliseconds{199});
  EXPECT_FALSE(gate.MayAttempt());
  clock.Advance(milliseconds{1});
  EXPECT_TRUE(gate.MayAttempt());
  EXPECT_EQ(gate.Remaining(), milliseconds{0});
  gate.Failed();  // second failure in a row doubles the delay
  EXPECT_EQ(gate.Remaining(), milliseconds{400});
  clock.Advance(milliseconds{400});
  gate.Succeeded();
  EXPECT_TRUE(gate.MayAttempt());
  gate.Failed();  // after a success the delay starts over
  EXPECT_EQ(gate.Remaining(), milliseconds{200});
}

}  // namespace
}  // namespace made0::amqp
