#pragma once
// Discovery: finds live instances in the registry that Registry writes.
//
//   Discovery discovery(*redis);
//   std::set<std::string> tried;
//   for (int attempt = 0; attempt < 2; ++attempt) {
//     Result<Instance> users = discovery.Pick("users", tried);
//     if (!users) return users.error();                 // Unavailable: none alive
//     auto response = http.Get(users->address, users->port, "/api/...");
//     if (response.connection_failed()) {               // refused, reset, timed out
//       discovery.MarkDead(users->id);                  // skip it at once, for every caller
//       tried.insert(users->id);
//       continue;
//     }
//     return response;
//   }
//
// Pick serves from a short per-service cache (1 s by default) so a request does not cost a Redis
// round trip; while Redis is unreachable it keeps serving cached instances until their own expiry
// passes. Live and All always read Redis. Thread-safe.

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/clock.hpp"
#include "made0/core/status.hpp"
#include "made0/redis/client.hpp"
#include "made0/redis/instance.hpp"

namespace made0::redis {

struct DiscoveryOptions {
  std::string key_prefix = kDefaultKeyPrefix;
  std::chrono::milliseconds cache_ttl{1000};  // how long Pick trusts its last read
  // dead_for: how long MarkDead keeps an instance out of Pick (longer than a registry TTL, so a
  // crashed instance is gone from Redis before it would be tried again).
  std::chrono::milliseconds dead_for{15'000};
};

class Discovery {
 public:
  explicit Discovery(Client& client, DiscoveryOptions options = {});
  // This overload injects the clock (liveness, cache age, dead marks); it must outlive this.
  Discovery(Client& client, DiscoveryOptions options, const Clock& clock);
  ~Discovery();
  Discovery(const Discovery&) = delete;
  Discovery& operator=(const Discovery&) = delete;

  // Live returns service's live instances sorted by ID, and drops expired ones from the index.
  // Unavailable if Redis is unreachable.
  Result<std::vector<Instance>> Live(std::string_view service);
  // All returns every live instance of every service, sorted by service then ID (the console).
  Result<std::vector<Instance>> All();

  // Pick returns a live instance of service, round-robin, never one in exclude, and one marked
  // dead only when no other remains (a single instance that hiccuped is retried rather than
  // refused). Unavailable when there is none, or Redis is unreachable and nothing is cached.
  Result<Instance> Pick(std::string_view service, const std::set<std::string>& exclude = {});

  // MarkDead keeps id out of Pick for dead_for (see Pick), in this process only.
  void MarkDead(std::string_view id);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace made0::redis
