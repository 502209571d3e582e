#pragma once
// RateLimiter: caps attempts per key under several windows at once, shared by every process
// through Redis. Resending a verification mail at most once a minute and 5 times an hour:
//
//   RateLimiter limiter(*redis);
//   auto d = limiter.Allow("resend:" + email, {{1, std::chrono::minutes(1)},
//                                              {5, std::chrono::hours(1)}});
//   if (!d) return d.error();                         // Redis down: the caller decides
//   if (!d->allowed) return TooManyRequests(d->retry_after);
//
// Sliding log, not fixed windows: each allowed attempt is recorded with its time, and a window
// {limit, period} refuses when limit attempts happened in the last period. Fixed windows would let
// "1 per minute" through twice in two seconds across a minute boundary; the log costs one sorted
// set entry per recent attempt, which is small for the limits this is meant for (tens, not
// thousands, per period: mail, logins, sign-ups). The decision is one Lua script, so concurrent
// attempts on one key from many processes cannot overshoot. An allowed attempt counts against
// every window; a refused one counts against none. Keys are stored as SHA-256 hashes, so email
// addresses never appear in Redis. Time comes from the injected clock (servers are assumed
// NTP-synchronised; skew only shifts windows by the skew).

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/core/status.hpp"
#include "made0/redis/client.hpp"
#include "made0/redis/script.hpp"

namespace made0::redis {

struct Window {
  int limit = 1;                     // 1-10000 attempts
  std::chrono::milliseconds period;  // 1 ms to 30 days
};

struct RateDecision {
  bool allowed = false;
  // retry_after: when refused, how long until an attempt would be allowed (0 when allowed).
  std::chrono::milliseconds retry_after{0};
};

struct RateLimiterOptions {
  std::string key_prefix = "made0:";  // keys are <prefix>rl:<sha256 hex of key>
};

class RateLimiter {
 public:
  explicit RateLimiter(Client& client, RateLimiterOptions options = {});
  // This overload injects the clock and the randomness that makes concurrent entries distinct;
  // both must outlive the limiter.
  RateLimiter(Client& client, RateLimiterOptions options, const Clock& clock, Random& random);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  // Allow decides one attempt on key. Invalid for no windows or a window out of range;
  // Unavailable if Redis is unreachable. Use the same windows for a key on every call.
  Result<RateDecision> Allow(std::string_view key, const std::vector<Window>& windows);

 private:
  std::unique_ptr<Clock> own_clock_;  // set only by the overload without a clock
  std::unique_ptr<Random> own_random_;
  const Clock& clock_;
  Random& random_;
  Client& client_;
  RateLimiterOptions options_;
  Script script_;
};

}  // namespace made0::redis
