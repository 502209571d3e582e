#pragma once
// Engine: the saga executor. It claims due sagas from the store, asks the state machine what to
// do, persists each transition before acting on it, and runs the step handlers. Any number of
// engines (threads and processes) share one store; a claim's lease and epoch keep each saga in one
// engine's hands at a time.
//
//   saga::Engine engine(db, "infra", {.owner = rt.instance_id()});
//   engine.Register(CreateInstanceSaga(...));
//   engine.Start();                                   // worker threads
//   auto id = engine.StartSaga("CreateInstance", input, /*id=*/command.message_id);
//   engine.DeliverReply(correlation_id, reply);       // from the AMQP reply consumer
//   engine.Stop();
//
// After a crash nothing is lost: a saga whose engine died is claimed again once the lease runs
// out, and an attempt that was in progress is retried (handlers are idempotent by token).

#include <atomic>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/pg/database.hpp"
#include "made0/saga/definition.hpp"
#include "made0/saga/pg_saga_store.hpp"

namespace made0::pg {
class Listener;
}

namespace made0::saga {

// WritePoint: where an EngineOptions::observer is called, around each persisted transition.
enum class WritePoint { kBefore, kAfter };

// TransitionObserver sees every transition just before it is written and just after it was
// (saga ID, the step's name or "", the log entry). Crash tests use it to SIGKILL the process at
// an exact step boundary; it must not throw.
using TransitionObserver = std::function<void(WritePoint, const std::string& saga_id,
                                              const std::string& step, const LogEntry& entry)>;

struct EngineOptions {
  std::string owner = "engine";  // this engine's name in claims (the service instance ID)
  int workers = 4;               // sagas driven at once
  milliseconds lease{30'000};    // a claim lapses this long after its last renewal
  milliseconds idle_poll{500};   // longest sleep when nothing is due (NOTIFY wakes sooner)
  bool listen = true;            // LISTEN for new sagas and replies from other processes
  TransitionObserver observer;   // optional
};

struct EngineStats {
  long long transitions = 0;
  long long lost_claims = 0;
  long long errors = 0;
};

class Engine {
 public:
  Engine(pg::Database& db, std::string schema, EngineOptions options,
         const Clock& clock = DefaultClock(), Random* random = nullptr);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Register adds a saga type; before Start.
  void Register(Definition definition);

  // StartSaga creates a saga of `type` (ID "saga-" + 16 hex digits unless given) and returns its
  // ID; starting an ID that exists starts nothing and returns the same ID. Invalid for an
  // unknown type.
  Result<std::string> StartSaga(const std::string& type, nlohmann::json input, std::string id = {});
  // The same inside the caller's transaction (a consumer that records the command it handled).
  Result<std::string> StartSaga(pg::Transaction& tx, const std::string& type, nlohmann::json input,
                                std::string id);

  // DeliverReply hands an async step its reply; false when no saga waits for it.
  bool DeliverReply(const std::string& correlation_id, const nlohmann::json& reply);

  // Retry makes a compensation_failed saga compensate again; Conflict in any other status.
  Status Retry(const std::string& id);

  void Start();
  void Stop();  // finishes the handlers running now, then returns; idempotent

  // RunOnce claims one due saga and drives it until it has to wait; false if none was due.
  bool RunOnce();

  PgSagaStore& store() { return store_; }
  const Definition* Find(const std::string& type) const;
  EngineStats Stats() const;

 private:
  static const Clock& DefaultClock();
  void Worker();
  void Heartbeat();
  void Drive(Claim claim);
  void Wake();
  // WakeAt makes an idle worker look again at `at` (a retry's backoff, a poll, a reply's
  // deadline) instead of after a whole idle_poll.
  void WakeAt(SystemTime at);
  double Jitter();

  pg::Database& db_;
  PgSagaStore store_;
  EngineOptions options_;
  const Clock& clock_;
  std::unique_ptr<Random> own_random_;
  Random* random_;
  std::mutex random_mu_;

  std::map<std::string, Definition> definitions_;
  std::vector<std::string> types_;

  std::atomic<bool> running_{false};
  std::atomic<bool> stopping_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  long long wakeups_ = 0;
  std::optional<SystemTime> next_wake_;  // guarded by mu_: the earliest WakeAt still ahead
  std::set<std::string> in_flight_;      // guarded by mu_: sagas whose leases the heartbeat renews
  std::vector<std::thread> threads_;
  std::unique_ptr<pg::Listener> listener_;

  std::atomic<long long> transitions_{0};
  std::atomic<long long> lost_claims_{0};
  std::atomic<long long> errors_{0};
};

}  // namespace made0::saga
