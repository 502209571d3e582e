#pragma once
// The registry's Lua scripts. Each keeps the index (a sorted set per service, scored by expiry in
// Unix ms) and the list of services consistent with the instance keys, atomically.

namespace made0::redis::internal {

// KEYS: instance key, service index, services set.
// ARGV: instance JSON, ttl ms, expiry ms, instance id, service, now ms.
// The index and the services set expire a TTL after the last heartbeat that touched them, so a
// service whose instances all died leaves nothing behind.
inline constexpr const char* kRegisterLua = R"lua(
local ttl = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[6])
redis.call('SADD', KEYS[3], ARGV[5])
for i = 2, 3 do
  if redis.call('PTTL', KEYS[i]) < ttl then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1
)lua";

// KEYS: instance key, service index, services set. ARGV: instance id, service.
inline constexpr const char* kDeregisterLua = R"lua(
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('EXISTS', KEYS[2]) == 0 then redis.call('SREM', KEYS[3], ARGV[2]) end
return 1
)lua";

// KEYS: service index, services set. ARGV: now ms, service.
// Readers trim what expired (nobody else will after a crash) and return {id, score, ...}.
inline constexpr const char* kLiveLua = R"lua(
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('SREM', KEYS[2], ARGV[2])
  return {}
end
return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
)lua";

}  // namespace made0::redis::internal
