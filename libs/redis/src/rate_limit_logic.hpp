#pragma once
// The rate limiter's pure part: validation, key hashing, and DecideRate, the reference model of
// what the Lua script decides in Redis (the integration test checks the two agree).

#include <string>
#include <string_view>
#include <vector>

#include "made0/core/status.hpp"
#include "made0/redis/rate_limiter.hpp"
#include "made0/redis/reply.hpp"

namespace made0::redis::internal {

Status ValidateWindows(const std::vector<Window>& windows);

// RateLimitKey is <prefix>rl:<sha256 hex of key>: the caller's key (an email address) is never
// stored in clear.
std::string RateLimitKey(std::string_view prefix, std::string_view key);

// DecideRate: accepted_ms are the times of earlier allowed attempts. An attempt at t counts in
// window w at now while now - t < w.period. Refused when some window already holds limit
// attempts; retry_after is then the longest wait until every such window has room.
RateDecision DecideRate(const std::vector<long long>& accepted_ms,
                        const std::vector<Window>& windows, long long now_ms);

// RateScriptArgs: now, the new entry's member, the window count, then limit and period pairs.
std::vector<std::string> RateScriptArgs(long long now_ms, const std::string& member,
                                        const std::vector<Window>& windows);

// ParseRateReply reads the script's {allowed (0/1), retry_after ms}.
Result<RateDecision> ParseRateReply(const Reply& reply);

// The sliding-log script; see DecideRate for the rule it implements.
// KEYS: the log (a sorted set of attempt members scored by time in ms). ARGV: RateScriptArgs.
inline constexpr const char* kRateLimitLua = R"lua(
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[3])
local longest = 0
local wait = 0
for i = 0, n - 1 do
  local limit = tonumber(ARGV[4 + 2 * i])
  local period = tonumber(ARGV[5 + 2 * i])
  if period > longest then longest = period end
  local since = string.format('(%d', now - period)
  local count = redis.call('ZCOUNT', KEYS[1], since, '+inf')
  if count >= limit then
    -- The window has room again once its (count - limit + 1)-th oldest attempt leaves it.
    local e = redis.call('ZRANGEBYSCORE', KEYS[1], since, '+inf', 'WITHSCORES', 'LIMIT',
                         count - limit, 1)
    local w = tonumber(e[2]) + period - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return {0, wait} end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - longest))
redis.call('ZADD', KEYS[1], now, ARGV[2])
redis.call('PEXPIRE', KEYS[1], longest)
return {1, 0}
)lua";

}  // namespace made0::redis::internal
