#include "rate_limit_logic.hpp"

#include <gtest/gtest.h>

#include "made0/core/testing/fake_clock.hpp"

namespace made0::redis::internal {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

long long Ms(SystemTime t) {
  return std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count();
}

// Model plays the limiter against the pure decision with a FakeClock, recording allowed attempts
// exactly as the script does.
class Model {
 public:
  explicit Model(std::vector<Window> windows) : windows_(std::move(windows)) {}
  RateDecision Attempt() {
    RateDecision d = DecideRate(log_, windows_, Ms(clock.Now()));
    if (d.allowed) log_.push_back(Ms(clock.Now()));
    return d;
  }
  testing::FakeClock clock;

 private:
  std::vector<Window> windows_;
  std::vector<long long> log_;
};

TEST(RateLimitLogic, OnePerMinuteFivePerHour) {
  Model m({{1, minutes(1)}, {5, hours(1)}});
  EXPECT_TRUE(m.Attempt().allowed);
  m.clock.Advance(seconds(10));
  RateDecision refused = m.Attempt();
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, seconds(50));
  // Refused attempts count for nothing: the wait does not grow.
  m.clock.Advance(seconds(49));
  EXPECT_EQ(m.Attempt().retry_after, seconds(1));
  m.clock.Advance(seconds(1));
  EXPECT_TRUE(m.Attempt().allowed);  // 2nd, exactly one minute after the 1st
  for (int k = 3; k <= 5; ++k) {
    m.clock.Advance(minutes(1));
    EXPECT_TRUE(m.Attempt().allowed) << k;
  }
  // Five sent at t = 0, 1, 2, 3, 4 min; the hourly window is full until t = 60 min.
  m.clock.Advance(minutes(1));
  refused = m.Attempt();
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, minutes(55));
  m.clock.Advance(minutes(55) - milliseconds(1));
  EXPECT_FALSE(m.Attempt().allowed);
  m.clock.Advance(milliseconds(1));
  EXPECT_TRUE(m.Attempt().allowed);
  // The 6th took the slot the 1st freed; the next frees at t = 61 min, one minute later.
  refused = m.Attempt();
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, minutes(1));
}

TEST(RateLimitLogic, RetryAfterIsTheLongestWaitOverViolatedWindows) {
  const std::vector<Window> w = {{2, seconds(10)}, {3, seconds(100)}};
  // Attempts at 0 s, 50 s, 95 s; now = 99 s: 10 s window holds 1 (room), 100 s window holds 3.
  EXPECT_EQ(DecideRate({0, 50'000, 95'000}, w, 99'000).retry_after, seconds(1));
  // Attempts at 0, 91, 95; now 99: both full; 10 s frees at 101, 100 s at 100.
  RateDecision d = DecideRate({0, 91'000, 95'000}, w, 99'000);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after, seconds(2));
  // Unsorted input and the empty log.
  EXPECT_FALSE(DecideRate({95'000, 0, 91'000}, w, 99'000).allowed);
  EXPECT_TRUE(DecideRate({}, w, 0).allowed);
  EXPECT_EQ(DecideRate({}, w, 0).retry_after, milliseconds(0));
}

TEST(RateLimitLogic, ValidatesWindows) {
  EXPECT_TRUE(ValidateWindows({{1, minutes(1)}, {5, hours(1)}}));
  EXPECT_FALSE(ValidateWindows({}));
  EXPECT_FALSE(ValidateWindows({{0, minutes(1)}}));
  EXPECT_FALSE(ValidateWindows({{10'001, minutes(1)}}));
  EXPECT_FALSE(ValidateWindows({{1, milliseconds(0)}}));
  EXPECT_FALSE(ValidateWindows({{1, hours(24 * 31)}}));
  EXPECT_FALSE(ValidateWindows(std::vector<Window>(17, {1, seconds(1)})));
  EXPECT_EQ(ValidateWindows({}).error().code, ErrorCode::kInvalid);
}

TEST(RateLimitLogic, KeysAreHashed) {
  const std::string k = RateLimitKey("made0:", "resend:alice@example.test");
  EXPECT_EQ(k.find("alice"), std::string::npos);
  EXPECT_EQ(k.rfind("made0:rl:", 0), 0u);
  EXPECT_EQ(k.size(), std::string("made0:rl:").size() + 64);
  EXPECT_EQ(k, RateLimitKey("made0:", "resend:alice@example.test"));
  EXPECT_NE(k, RateLimitKey("made0:", "resend:bob@example.test"));
  EXPECT_EQ(RateLimitKey("p:", ""),
            "p:rl:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(RateLimitLogic, ScriptArgsAndReply) {
  EXPECT_EQ(RateScriptArgs(1000, "1000:ab", {{1, seconds(1)}, {3, seconds(5)}}),
            (std::vector<std::string>{"1000", "1000:ab", "2", "1", "1000", "3", "5000"}));
  auto allowed = ParseRateReply(Reply::MakeArray({Reply::MakeInteger(1), Reply::MakeInteger(0)}));
  ASSERT_TRUE(allowed);
  EXPECT_TRUE(allowed->allowed);
  auto refused =
      ParseRateReply(Reply::MakeArray({Reply::MakeInteger(0), Reply::MakeInteger(1234)}));
  ASSERT_TRUE(refused);
  EXPECT_FALSE(refused->allowed);
  EXPECT_EQ(refused->retry_after, milliseconds(1234));
  EXPECT_FALSE(ParseRateReply(Reply::MakeInteger(1)));
  EXPECT_FALSE(ParseRateReply(Reply::MakeArray({Reply::MakeInteger(1)})));
}

}  // namespace
}  // namespace made0::redis::internal
