#include "made0/redis/rate_limiter.hpp"

#include "rate_limit_logic.hpp"

namespace made0::redis {

RateLimiter::RateLimiter(Client& client, RateLimiterOptions options)
    : own_clock_(std::make_unique<SystemClock>()),
      own_random_(std::make_unique<SecureRandom>()),
      clock_(*own_clock_),
      random_(*own_random_),
      client_(client),
      options_(std::move(options)),
      script_(internal::kRateLimitLua) {}

RateLimiter::RateLimiter(Client& client, RateLimiterOptions options, const Clock& clock,
                         Random& random)
    : clock_(clock),
      random_(random),
      client_(client),
      options_(std::move(options)),
      script_(internal::kRateLimitLua) {}

RateLimiter::~RateLimiter() = default;

Result<RateDecision> RateLimiter::Allow(std::string_view key, const std::vector<Window>& windows) {
  if (auto st = internal::ValidateWindows(windows); !st) return st.error();
  const long long now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock_.Now().time_since_epoch())
          .count();
  // Members must be unique: two attempts in the same millisecond are two attempts.
  const std::string member = std::to_string(now_ms) + ":" + RandomHex(random_, 8);
  auto reply = script_.Run(client_, {internal::RateLimitKey(options_.key_prefix, key)},
                           internal::RateScriptArgs(now_ms, member, windows));
  if (!reply) return std::move(reply).error();
  return internal::ParseRateReply(*reply);
}

}  // namespace made0::redis
