#include "made0/redis/discovery.hpp"

#include <algorithm>
#include <map>
#include <mutex>

#include "made0/redis/script.hpp"
#include "registry_logic.hpp"
#include "registry_scripts.hpp"

namespace made0::redis {

using internal::Steady;

struct Discovery::State {
  State(Client& c, DiscoveryOptions o, const Clock* clk)
      : own_clock(clk ? nullptr : std::make_unique<SystemClock>()),
        clock(clk ? *clk : *own_clock),
        client(c),
        options(std::move(o)),
        live_script(internal::kLiveLua) {}

  // Fetch reads service's live instances from Redis and refreshes the cache.
  Result<std::vector<Instance>> Fetch(std::string_view service) {
    if (auto st = internal::ValidateServiceName(service); !st) return st.error();
    const std::string& prefix = options.key_prefix;
    const SystemTime now = clock.Now();
    auto index = live_script.Run(
        client, {internal::ServiceKey(prefix, service), internal::ServicesKey(prefix)},
        {std::to_string(internal::UnixMillis(now)), std::string(service)});
    if (!index) return std::move(index).error();

    std::vector<std::pair<std::string, long long>> ids;
    const auto& flat = index->elements();
    for (std::size_t k = 0; k + 1 < flat.size(); k += 2) {
      // Scores come back as decimal text; the registry writes whole milliseconds.
      auto score = flat[k + 1].AsInteger();
      if (score) ids.emplace_back(flat[k].text(), *score);
    }
    std::vector<std::optional<std::string>> json;
    if (!ids.empty()) {
      std::vector<std::string> mget = {"MGET"};
      for (const auto& [id, expiry] : ids) mget.push_back(internal::InstanceKey(prefix, id));
      auto values = client.Call(std::move(mget));
      if (!values) return std::move(values).error();
      for (const Reply& v : values->elements()) json.push_back(v.AsString());
    }
    std::vector<Instance> live = internal::AssembleInstances(service, ids, json, now);

    std::lock_guard lock(mu);
    cache[std::string(service)] = Cached{live, clock.Monotonic()};
    return live;
  }

  struct Cached {
    std::vector<Instance> instances;
    Steady fetched_at;
  };

  std::unique_ptr<Clock> own_clock;
  const Clock& clock;
  Client& client;
  const DiscoveryOptions options;
  const Script live_script;

  std::mutex mu;
  std::map<std::string, Cached, std::less<>> cache;
  internal::DeadMarks dead;
  std::uint64_t turn = 0;
};

Discovery::Discovery(Client& client, DiscoveryOptions options)
    : state_(std::make_unique<State>(client, std::move(options), nullptr)) {}

Discovery::Discovery(Client& client, DiscoveryOptions options, const Clock& clock)
    : state_(std::make_unique<State>(client, std::move(options), &clock)) {}

Discovery::~Discovery() = default;

Result<std::vector<Instance>> Discovery::Live(std::string_view service) {
  return state_->Fetch(service);
}

Result<std::vector<Instance>> Discovery::All() {
  auto services =
      state_->client.Call({"SMEMBERS", internal::ServicesKey(state_->options.key_prefix)});
  if (!services) return std::move(services).error();
  std::vector<std::string> names;
  for (const Reply& r : services->elements()) names.push_back(r.text());
  std::sort(names.begin(), names.end());
  std::vector<Instance> all;
  for (const std::string& name : names) {
    if (!internal::ValidateServiceName(name)) continue;  // not written by Registry
    auto live = state_->Fetch(name);
    if (!live) return std::move(live).error();
    all.insert(all.end(), live->begin(), live->end());
  }
  return all;
}

Result<Instance> Discovery::Pick(std::string_view service, const std::set<std::string>& exclude) {
  State& s = *state_;
  std::optional<std::vector<Instance>> instances;
  {
    std::lock_guard lock(s.mu);
    auto it = s.cache.find(service);
    if (it != s.cache.end() &&
        internal::CacheFresh(it->second.fetched_at, s.clock.Monotonic(), s.options.cache_ttl)) {
      instances = it->second.instances;
    }
  }
  if (!instances) {
    // Redis I/O happens outside the lock so one slow read does not stall every other Pick.
    auto fresh = s.Fetch(service);
    if (fresh) {
      instances = std::move(*fresh);
    } else {
      std::lock_guard lock(s.mu);
      auto it = s.cache.find(service);
      if (it == s.cache.end()) return std::move(fresh).error();
      instances = it->second.instances;  // stale, but ChooseInstance still checks each expiry
    }
  }
  std::lock_guard lock(s.mu);
  const Steady steady_now = s.clock.Monotonic();
  internal::PruneDeadMarks(s.dead, steady_now);
  auto k =
      internal::ChooseInstance(*instances, s.clock.Now(), exclude, s.dead, steady_now, s.turn++);
  if (!k) {
    return Error::Unavailable("no live instance of " + std::string(service) +
                              (exclude.empty() ? "" : " besides those already tried"));
  }
  return (*instances)[*k];
}

void Discovery::MarkDead(std::string_view id) {
  std::lock_guard lock(state_->mu);
  state_->dead[std::string(id)] = state_->clock.Monotonic() + state_->options.dead_for;
}

}  // namespace made0::redis
