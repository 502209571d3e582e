#pragma once
// Registry: publishes this process in Redis so others can find it (frontend -> users, console ->
// everyone). Register once, Start heartbeating on a background thread, Stop on graceful shutdown:
//
//   Registry registry(*redis, {.service = "users", .address = "127.0.0.1", .port = port,
//                              .version = "1.4.0"});
//   log::SetIdentity("users", registry.id());
//   if (auto st = registry.Register(); !st) log::Warn("not registered yet", ...);  // retried
//   registry.Start();
//   ... serve until SIGTERM ...
//   registry.Stop();  // gone from Discovery at once
//
// Each heartbeat rewrites the whole entry with a fresh TTL (at most 10 s), so a process that dies
// without Stop (SIGKILL, power loss) vanishes from lookups within the TTL with nobody cleaning up,
// and an entry lost on the Redis side (restart without persistence) is recreated by the next
// heartbeat. Failed heartbeats are retried with backoff and logged. The heartbeat thread waits in
// real time; an injected Clock only stamps expiry and start times. Methods are thread-safe.

#include <chrono>
#include <memory>
#include <string>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/core/status.hpp"
#include "made0/redis/client.hpp"
#include "made0/redis/instance.hpp"

namespace made0::redis {

struct Registration {
  std::string service;  // [a-z0-9][a-z0-9_-]{0,62}
  std::string address;  // where the HTTP endpoint listens
  int port = 0;         // 1-65535
  std::string version;
  // id: empty to let the registry choose "<service>-<12 hex>"; a process that already uses its
  // ID elsewhere (log lines, spans) passes it here, in the same form.
  std::string id;
};

struct RegistryOptions {
  std::string key_prefix = kDefaultKeyPrefix;
  std::chrono::milliseconds ttl{10'000};  // > 0 and <= 10 s
  // heartbeat_interval: 0 means ttl / 3; must be below ttl.
  std::chrono::milliseconds heartbeat_interval{0};
};

class Registry {
 public:
  // Registry uses the real clock and a CSPRNG for the instance ID.
  Registry(Client& client, Registration registration, RegistryOptions options = {});
  // This overload injects time (expiry scores) and randomness (the ID); both must outlive it.
  Registry(Client& client, Registration registration, RegistryOptions options, const Clock& clock,
           Random& random);
  // ~Registry calls Stop().
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // id is chosen at construction: "<service>-<12 random hex digits>".
  const std::string& id() const;
  // instance is the entry as the next heartbeat writes it.
  Instance instance() const;

  // Register writes the entry once, now. Invalid for a bad registration or options; Unavailable
  // if Redis is unreachable (Start keeps trying).
  Status Register();
  // Start launches the heartbeat thread (its first beat is immediate unless Register just
  // succeeded). Invalid for a bad registration or options, Conflict if already started.
  Status Start();
  // Stop ends the heartbeats and deletes the entry; idempotent. Unavailable if Redis is
  // unreachable: the entry then lapses within the TTL.
  Status Stop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace made0::redis
