#include "registry_logic.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace made0::redis::internal {

long long UnixMillis(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

SystemTime FromUnixMillis(long long ms) {
  return SystemTime{
      std::chrono::duration_cast<SystemTime::duration>(std::chrono::milliseconds(ms))};
}

std::string InstanceKey(std::string_view prefix, std::string_view id) {
  return std::string(prefix) + "instance:" + std::string(id);
}
std::string ServiceKey(std::string_view prefix, std::string_view service) {
  return std::string(prefix) + "service:" + std::string(service);
}
std::string ServicesKey(std::string_view prefix) { return std::string(prefix) + "services"; }

Status ValidateServiceName(std::string_view service) {
  // Names become key suffixes and ID prefixes: keep them plain.
  auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  };
  if (service.empty() || service.size() > 63 || service.front() == '-' || service.front() == '_' ||
      !std::all_of(service.begin(), service.end(), ok_char)) {
    return Error::Invalid("service", "service name must match [a-z0-9][a-z0-9_-]{0,62}");
  }
  return Status::Ok();
}

Status ValidateRegistration(const Registration& r) {
  if (auto st = ValidateServiceName(r.service); !st) return st;
  if (r.address.empty()) return Error::Invalid("address", "address must not be empty");
  if (r.port < 1 || r.port > 65535) return Error::Invalid("port", "port must be 1-65535");
  if (!r.id.empty() && (r.id.size() > 128 || r.id.rfind(r.service + "-", 0) != 0)) {
    return Error::Invalid("id", "instance id must be <service>-<suffix>, at most 128 characters");
  }
  return Status::Ok();
}

Status ValidateRegistryOptions(const RegistryOptions& o) {
  using std::chrono::milliseconds;
  if (o.ttl <= milliseconds(0) || o.ttl > milliseconds(10'000)) {
    return Error::Invalid("ttl", "registry TTL must be in (0, 10s]");
  }
  if (o.heartbeat_interval < milliseconds(0) || o.heartbeat_interval >= o.ttl) {
    return Error::Invalid("heartbeat_interval", "heartbeat interval must be below the TTL");
  }
  return Status::Ok();
}

std::chrono::milliseconds HeartbeatInterval(const RegistryOptions& o) {
  if (o.heartbeat_interval > std::chrono::milliseconds(0)) return o.heartbeat_interval;
  return std::max(std::chrono::milliseconds(1), o.ttl / 3);
}

std::string NewInstanceId(std::string_view service, Random& random) {
  return std::string(service) + "-" + RandomHex(random, 6);
}

std::string InstanceToJson(const Instance& i) {
  nlohmann::json j = {{"id", i.id},
                      {"service", i.service},
                      {"address", i.address},
                      {"port", i.port},
                      {"version", i.version},
                      {"started_at", FormatRfc3339(i.started_at)},
                      {"started_at_ms", UnixMillis(i.started_at)}};
  return j.dump();
}

std::optional<Instance> InstanceFromJson(std::string_view json, SystemTime expires_at) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  auto str = [&](const char* k) -> const nlohmann::json* {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? &*it : nullptr;
  };
  auto num = [&](const char* k) -> const nlohmann::json* {
    auto it = j.find(k);
    return it != j.end() && it->is_number_integer() ? &*it : nullptr;
  };
  const auto *id = str("id"), *service = str("service"), *address = str("address");
  const auto *port = num("port"), *started = num("started_at_ms");
  if (!id || !service || !address || !port || !started) return std::nullopt;
  Instance i;
  i.id = id->get<std::string>();
  i.service = service->get<std::string>();
  i.address = address->get<std::string>();
  const auto p = port->get<long long>();
  if (p < 1 || p > 65535) return std::nullopt;
  i.port = static_cast<int>(p);
  i.started_at = FromUnixMillis(started->get<long long>());
  if (const auto* v = str("version")) i.version = v->get<std::string>();
  i.expires_at = expires_at;
  return i;
}

bool IsLive(SystemTime expires_at, SystemTime now) { return now < expires_at; }

std::vector<Instance> AssembleInstances(std::string_view service,
                                        const std::vector<std::pair<std::string, long long>>& index,
                                        const std::vector<std::optional<std::string>>& json,
                                        SystemTime now) {
  std::vector<Instance> out;
  for (std::size_t k = 0; k < index.size() && k < json.size(); ++k) {
    if (!json[k]) continue;  // deregistered or expired between the two reads
    const SystemTime expires = FromUnixMillis(index[k].second);
    if (!IsLive(expires, now)) continue;
    auto i = InstanceFromJson(*json[k], expires);
    if (!i || i->id != index[k].first || i->service != service) continue;
    out.push_back(std::move(*i));
  }
  std::sort(out.begin(), out.end(),
            [](const Instance& a, const Instance& b) { return a.id < b.id; });
  return out;
}

std::chrono::milliseconds NextHeartbeatDelay(int consecutive_failures,
                                             std::chrono::milliseconds interval) {
  if (consecutive_failures <= 0) return interval;
  const int doublings = std::min(consecutive_failures - 1, 20);
  return std::min(interval, std::chrono::milliseconds(250L << doublings));
}

std::chrono::milliseconds FirstHeartbeatDelay(std::optional<Steady> last_success, Steady now,
                                              std::chrono::milliseconds interval) {
  if (!last_success || now < *last_success) return std::chrono::milliseconds(0);
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(now - *last_success);
  return elapsed >= interval ? std::chrono::milliseconds(0) : interval - elapsed;
}

bool ShouldLogHeartbeatFailure(int consecutive_failures) {
  return consecutive_failures == 1 || (consecutive_failures > 0 && consecutive_failures % 10 == 0);
}

bool CacheFresh(Steady fetched_at, Steady now, std::chrono::milliseconds cache_ttl) {
  return now >= fetched_at && now - fetched_at < cache_ttl;
}

void PruneDeadMarks(DeadMarks& marks, Steady now) {
  std::erase_if(marks, [&](const auto& m) { return m.second <= now; });
}

std::optional<std::size_t> ChooseInstance(const std::vector<Instance>& instances, SystemTime now,
                                          const std::set<std::string>& exclude,
                                          const DeadMarks& dead, Steady steady_now,
                                          std::uint64_t turn) {
  std::vector<std::size_t> healthy;
  std::vector<std::size_t> marked;
  for (std::size_t k = 0; k < instances.size(); ++k) {
    const Instance& i = instances[k];
    if (!IsLive(i.expires_at, now) || exclude.contains(i.id)) continue;
    auto mark = dead.find(i.id);
    (mark != dead.end() && mark->second > steady_now ? marked : healthy).push_back(k);
  }
  const auto& pool = healthy.empty() ? marked : healthy;
  if (pool.empty()) return std::nullopt;
  return pool[turn % pool.size()];
}

}  // namespace made0::redis::internal
