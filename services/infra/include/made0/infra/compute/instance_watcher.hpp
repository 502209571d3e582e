#pragma once
// InstanceWatcher: keeps the saved instances true to the cloud. A running instance can die with
// no saga asking (its process killed, its availability zone down, an EC2 host failure): every
// interval the watcher describes each region's instances at the provider and records those the
// provider reports stopped or terminated, with the provider's reason, announcing
// `instance.failed` through the outbox in the same transaction. The record stays, so people
// see what happened; a TerminateInstance saga removes it and releases its address.
//
// Only `running` records are watched: `pending` and `shutting-down` belong to the saga that is
// creating or terminating the instance, and the store's compare-and-set (MarkLost) lets such a
// saga win a race. Several infra processes may watch at once: each change is made once.
//
//   InstanceWatcher watcher(instances, provider, clock, random, {.interval = 5s});
//   watcher.Start();  ...  watcher.Stop();
//   int changed = watcher.RunOnce();   // one round on the caller's thread (tests)

#include <chrono>
#include <optional>
#include <string>

#include "made0/cloud/provider.hpp"
#include "made0/core/clock.hpp"
#include "made0/core/periodic.hpp"
#include "made0/core/random.hpp"
#include "made0/infra/compute/instance_store.hpp"

namespace made0::infra::compute {

inline constexpr const char* kInstanceFailedKey = "instance.failed";

// Lost is what a running record becomes: the provider's state name and why.
struct Lost {
  std::string state;
  std::string reason;
  friend bool operator==(const Lost&, const Lost&) = default;
};

// JudgeRunning decides for one `running` record from what the provider described (nullptr: not
// among the region's instances). A missing instance counts only once the record is older than
// `grace`, since a cloud's listing may lag a launch (EC2's is eventually consistent).
std::optional<Lost> JudgeRunning(const InstanceRecord& saved, const cloud::Instance* seen,
                                 SystemTime now, std::chrono::milliseconds grace);

// FailedEvent is the instance.failed event for a record that became `lost`.
amqp::Message FailedEvent(InstanceRecord record, const Lost& lost);

struct WatcherOptions {
  std::chrono::milliseconds interval{5000};
  std::chrono::milliseconds grace{60000};
};

class InstanceWatcher {
 public:
  InstanceWatcher(PgInstanceStore& instances, cloud::Provider& provider, const Clock& clock,
                  Random& random, WatcherOptions options = {});
  ~InstanceWatcher();  // Stop()
  InstanceWatcher(const InstanceWatcher&) = delete;
  InstanceWatcher& operator=(const InstanceWatcher&) = delete;

  void Start();
  void Stop();
  // RunOnce checks every running record once; returns how many it marked. A region whose
  // provider call fails is skipped this round (and logged), never guessed at.
  int RunOnce();

 private:
  PgInstanceStore& instances_;
  cloud::Provider& provider_;
  const Clock& clock_;
  Random& random_;
  WatcherOptions options_;
  Periodic loop_;  // last: stopped before the rest goes away
};

}  // namespace made0::infra::compute
