#pragma once
// Script: a Lua script run atomically by Redis, for logic over several keys that must not
// interleave with other clients (the registry's index, the rate limiter's windows). It is sent by
// SHA1 (EVALSHA) and only sent in full when the server does not know it yet (NOSCRIPT: first use,
// after a restart or SCRIPT FLUSH).
//
//   const Script kIncrCapped("local v = redis.call('INCR', KEYS[1]) ...");
//   Result<Reply> r = kIncrCapped.Run(client, {"made0:counter"}, {"10"});
//
// Scripts must name every key they touch in KEYS, as Redis requires for cluster compatibility.

#include <string>
#include <vector>

#include "made0/core/status.hpp"
#include "made0/redis/client.hpp"
#include "made0/redis/reply.hpp"

namespace made0::redis {

class Script {
 public:
  explicit Script(std::string source);

  const std::string& source() const { return source_; }
  const std::string& sha1() const { return sha1_; }  // 40 lowercase hex digits

  // Run evaluates the script; an error reply (the script raised, or a Redis error inside it)
  // becomes an Error (see ErrorFromReply), Unavailable if Redis is unreachable.
  Result<Reply> Run(Client& client, const std::vector<std::string>& keys,
                    const std::vector<std::string>& args) const;

 private:
  std::string source_;
  std::string sha1_;
};

}  // namespace made0::redis
