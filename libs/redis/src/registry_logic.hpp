#pragma once
// The registry's decisions, free of I/O so they are tested from tables with a FakeClock: key
// names, validation, the stored JSON, liveness, heartbeat timing, and which instance to pick.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/core/status.hpp"
#include "made0/redis/instance.hpp"
#include "made0/redis/registry.hpp"

namespace made0::redis::internal {

using Steady = std::chrono::steady_clock::time_point;

long long UnixMillis(SystemTime t);
SystemTime FromUnixMillis(long long ms);

std::string InstanceKey(std::string_view prefix, std::string_view id);
std::string ServiceKey(std::string_view prefix, std::string_view service);
std::string ServicesKey(std::string_view prefix);

Status ValidateServiceName(std::string_view service);
Status ValidateRegistration(const Registration& r);
Status ValidateRegistryOptions(const RegistryOptions& o);
// HeartbeatInterval resolves the 0 default to ttl / 3.
std::chrono::milliseconds HeartbeatInterval(const RegistryOptions& o);

// NewInstanceId is "<service>-<12 hex digits>".
std::string NewInstanceId(std::string_view service, Random& random);

// InstanceToJson omits expires_at, which lives in the sorted set's score.
std::string InstanceToJson(const Instance& i);
// InstanceFromJson: nullopt when the text is not an instance (corrupt or foreign data).
std::optional<Instance> InstanceFromJson(std::string_view json, SystemTime expires_at);

// IsLive: an entry is live strictly before its expiry.
bool IsLive(SystemTime expires_at, SystemTime now);

// AssembleInstances joins the index (ID, expiry ms) with the stored JSON (nullopt: the key is
// gone), keeping entries that are live, parse, and agree on ID and service; sorted by ID.
std::vector<Instance> AssembleInstances(std::string_view service,
                                        const std::vector<std::pair<std::string, long long>>& index,
                                        const std::vector<std::optional<std::string>>& json,
                                        SystemTime now);

// NextHeartbeatDelay: the interval while beats succeed; after n consecutive failures a backoff
// from 250 ms doubling, capped at the interval, so a short Redis outage is bridged quickly.
std::chrono::milliseconds NextHeartbeatDelay(int consecutive_failures,
                                             std::chrono::milliseconds interval);
// FirstHeartbeatDelay: Start need not beat at once if Register just succeeded.
std::chrono::milliseconds FirstHeartbeatDelay(std::optional<Steady> last_success, Steady now,
                                              std::chrono::milliseconds interval);
// ShouldLogHeartbeatFailure: the first failure and every tenth, so an outage is visible without
// flooding the log.
bool ShouldLogHeartbeatFailure(int consecutive_failures);

// CacheFresh: a cached read taken at fetched_at may serve Pick at now.
bool CacheFresh(Steady fetched_at, Steady now, std::chrono::milliseconds cache_ttl);

using DeadMarks = std::map<std::string, Steady, std::less<>>;  // id -> skip until

// PruneDeadMarks drops marks that have run out.
void PruneDeadMarks(DeadMarks& marks, Steady now);

// ChooseInstance picks among live instances not in exclude, preferring those without a running
// dead mark, round-robin by turn; nullopt when none qualifies. Returns an index into instances.
std::optional<std::size_t> ChooseInstance(const std::vector<Instance>& instances, SystemTime now,
                                          const std::set<std::string>& exclude,
                                          const DeadMarks& dead, Steady steady_now,
                                          std::uint64_t turn);

}  // namespace made0::redis::internal
