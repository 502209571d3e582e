#include "made0/amqp/backoff.hpp"

#include <algorithm>
#include <cmath>

namespace made0::amqp {

std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy, int failures, double unit) {
  if (failures <= 0) return std::chrono::milliseconds{0};
  const double cap = static_cast<double>(std::max<long long>(0, policy.max.count()));
  const double multiplier = std::max(1.0, policy.multiplier);
  double delay = std::min(cap, static_cast<double>(std::max<long long>(0, policy.initial.count())));
  // Multiply step by step and stop at the cap, so a large failure count cannot overflow.
  for (int i = 1; i < failures && delay < cap; ++i) delay = std::min(cap, delay * multiplier);
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0);
  delay *= 1.0 - jitter * std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds{static_cast<long long>(std::llround(delay))};
}

std::chrono::milliseconds Backoff::Next() {
  if (failures_ < 1'000'000) ++failures_;
  return BackoffDelay(policy_, failures_, random_.UnitInterval());
}

std::chrono::milliseconds RetryGate::Remaining() const {
  const auto now = clock_.Monotonic();
  if (now >= next_attempt_) return std::chrono::milliseconds{0};
  return std::chrono::ceil<std::chrono::milliseconds>(next_attempt_ - now);
}

}  // namespace made0::amqp
