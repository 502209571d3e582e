#include "made0/infra/compute/instance_watcher.hpp"

#include <map>
#include <vector>

#include "made0/core/log.hpp"
#include "made0/core/trace_context.hpp"

namespace made0::infra::compute {

std::optional<Lost> JudgeRunning(const InstanceRecord& saved, const cloud::Instance* seen,
                                 SystemTime now, std::chrono::milliseconds grace) {
  if (saved.state != "running") return std::nullopt;
  if (seen == nullptr) {
    if (now - saved.updated_at < grace) return std::nullopt;
    return Lost{"terminated", "the provider no longer lists the instance"};
  }
  switch (seen->state) {
    case cloud::InstanceState::kPending:
    case cloud::InstanceState::kRunning:
      return std::nullopt;
    case cloud::InstanceState::kStopping:
    case cloud::InstanceState::kStopped:
    case cloud::InstanceState::kShuttingDown:
    case cloud::InstanceState::kTerminated:
      break;
  }
  std::string reason = seen->state_reason;
  if (reason.empty()) reason = "the provider reports it " + std::string(ToString(seen->state));
  return Lost{std::string(ToString(seen->state)), std::move(reason)};
}

amqp::Message FailedEvent(InstanceRecord record, const Lost& lost) {
  record.state = lost.state;
  record.state_reason = lost.reason;
  amqp::Message m;
  m.exchange = amqp::kEventsExchange;
  m.routing_key = kInstanceFailedKey;
  m.type = kInstanceFailedKey;
  // One per instance and state: a second watcher making the same change makes no second event.
  m.message_id = "watch:" + record.id + ":" + lost.state;
  m.mandatory = false;  // announced whether or not anyone subscribed yet
  m.body =
      nlohmann::json{{"type", kInstanceFailedKey}, {"version", 1}, {"instance", ToJson(record)}}
          .dump();
  return m;
}

InstanceWatcher::InstanceWatcher(PgInstanceStore& instances, cloud::Provider& provider,
                                 const Clock& clock, Random& random, WatcherOptions options)
    : instances_(instances),
      provider_(provider),
      clock_(clock),
      random_(random),
      options_(options),
      loop_("instance watcher", options_.interval, [this] { (void)RunOnce(); }) {}

InstanceWatcher::~InstanceWatcher() { Stop(); }

void InstanceWatcher::Start() { loop_.Start(); }

void InstanceWatcher::Stop() { loop_.Stop(); }

int InstanceWatcher::RunOnce() {
  // A round every few seconds would crowd out people's requests in the console's recent traces:
  // its calls carry an unsampled context, so neither they nor the provider's side are recorded.
  TraceContext round = NewRoot(random_);
  round.sampled = false;
  ScopedTraceContext scope(round);
  std::map<std::string, std::vector<InstanceRecord>> by_region;
  for (InstanceRecord& r : instances_.ListInstances({})) {
    if (r.state == "running" && r.provider == provider_.name()) {
      by_region[r.region].push_back(std::move(r));
    }
  }
  int changed = 0;
  for (const auto& [region, records] : by_region) {
    auto described = provider_.DescribeInstances(region, {});
    if (!described) {
      log::Warn("instance watcher: cannot describe the region's instances",
                {{"region", region}, {"error", described.error().message}});
      continue;
    }
    std::map<std::string, const cloud::Instance*> seen;
    for (const cloud::Instance& i : *described) seen[i.id] = &i;
    const SystemTime now = clock_.Now();
    for (const InstanceRecord& r : records) {
      auto it = seen.find(r.id);
      auto lost = JudgeRunning(r, it == seen.end() ? nullptr : it->second, now, options_.grace);
      if (!lost) continue;
      if (instances_.MarkLost(r.id, lost->state, lost->reason, FailedEvent(r, *lost))) {
        ++changed;
        log::Warn("instance lost", {{"instance_id", r.id},
                                    {"cluster", r.cluster},
                                    {"state", lost->state},
                                    {"reason", lost->reason}});
      }
    }
  }
  return changed;
}

}  // namespace made0::infra::compute
