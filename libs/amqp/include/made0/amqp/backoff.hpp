#pragma once
// Backoff: exponential delays with jitter between reconnect attempts, so that a broker coming back
// is not hit by every client at the same instant. The arithmetic is the pure BackoffDelay; the
// stateful Backoff and RetryGate only count failures and draw the jitter from an injected Random.
//
//   Backoff backoff({.initial = 100ms, .max = 30s, .multiplier = 2, .jitter = 0.2}, rng);
//   while (!Connect()) Sleep(backoff.Next());   // ~100ms, ~200ms, ~400ms ... capped at 30s
//   backoff.Reset();
//
//   RetryGate gate(policy, rng, clock);         // fail fast instead of sleeping
//   if (!gate.MayAttempt()) return Error::Unavailable("reconnecting");
//   if (Connect()) gate.Succeeded(); else gate.Failed();

#include <chrono>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"

namespace made0::amqp {

struct BackoffPolicy {
  std::chrono::milliseconds initial{100};
  std::chrono::milliseconds max{30'000};
  double multiplier = 2.0;  // values below 1 count as 1
  double jitter = 0.2;      // up to this fraction of the delay is taken off at random; [0, 1]
};

// BackoffDelay is the delay after `failures` consecutive failures (1 = the first):
// min(max, initial * multiplier^(failures-1)) * (1 - jitter * unit), where unit is in [0, 1).
// Jitter only shortens the delay, so `max` is a hard upper bound. failures <= 0 gives 0.
std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy, int failures, double unit);

// Backoff counts consecutive failures; Next() records one and returns the delay to wait.
class Backoff {
 public:
  Backoff(BackoffPolicy policy, Random& random) : policy_(policy), random_(random) {}
  std::chrono::milliseconds Next();
  void Reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  BackoffPolicy policy_;
  Random& random_;
  int failures_ = 0;
};

// RetryGate tells a caller that must not block (a publisher) whether the backoff after the last
// failure has elapsed.
class RetryGate {
 public:
  RetryGate(BackoffPolicy policy, Random& random, const Clock& clock)
      : backoff_(policy, random), clock_(clock) {}
  bool MayAttempt() const { return clock_.Monotonic() >= next_attempt_; }
  // Remaining is how long until MayAttempt() turns true (0 if it is).
  std::chrono::milliseconds Remaining() const;
  void Failed() { next_attempt_ = clock_.Monotonic() + backoff_.Next(); }
  void Succeeded() {
    backoff_.Reset();
    next_attempt_ = {};
  }

 private:
  Backoff backoff_;
  const Clock& clock_;
  std::chrono::steady_clock::time_point next_attempt_{};
};

}  // namespace made0::amqp
