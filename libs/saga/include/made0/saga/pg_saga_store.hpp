#pragma once
// PgSagaStore: the saga log in Postgres, in the owning service's schema (infra.sagas and
// infra.saga_events for the infra service). Each transition is one statement that updates the saga
// row and appends its event, fenced by the claim's lease epoch: an engine that lost its claim (its
// lease ran out while it was stalled) can no longer write, so two engines never both advance one
// saga.
//
//   auto migrations = saga::SagaMigrations(10);   // versions 10, 11, ... in the caller's schema
//   saga::PgSagaStore store(db, "infra");
//   if (auto c = store.ClaimDue("infra-3f2a", now, lease, {"CreateInstance"})) ...

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"
#include "made0/pg/database.hpp"
#include "made0/pg/migrations.hpp"
#include "made0/saga/machine.hpp"

namespace made0::saga {

// SagaMigrations: the tables, as migrations numbered from first_version in the caller's schema.
std::vector<pg::Migration> SagaMigrations(int first_version);

struct Claim {
  SagaRecord record;
  std::int64_t epoch = 0;
};

// EventView is one persisted transition.
struct EventView {
  std::int64_t seq = 0;
  SystemTime at{};
  std::string kind;
  int step = -1;
  std::string step_name;
  int attempt = 0;
  std::optional<double> duration_ms;
  std::string error;
  nlohmann::json detail;
};

struct SagaSummary {
  std::string id;
  std::string type;
  SagaStatus status = SagaStatus::kRunning;
  Phase phase = Phase::kReady;
  int step = 0;
  int attempt = 0;
  std::string error;
  std::string owner;  // the engine holding it now, if any
  SystemTime created_at{};
  SystemTime updated_at{};
};

struct SagaView {
  SagaSummary summary;
  SagaRecord record;
  std::vector<EventView> events;
};

struct ListOptions {
  std::optional<SagaStatus> status;
  std::string type;       // empty: all
  std::string id_prefix;  // empty: all
  int limit = 50;
};

// Logged is one transition's log entry as Write stores it: the entry, its step's name and how
// long the attempt it ends took.
struct Logged {
  const LogEntry* log = nullptr;
  std::string step_name;
  std::optional<double> duration_ms;
};

class PgSagaStore {
 public:
  PgSagaStore(pg::Database& db, std::string schema);

  // Insert creates a saga, ready now, in the caller's transaction; false if one with this ID
  // exists already (a redelivered command starts nothing new). Wakes engines on commit.
  bool Insert(pg::Transaction& tx, const SagaRecord& saga, SystemTime now);
  bool Insert(const SagaRecord& saga, SystemTime now);

  // ClaimDue takes the most overdue saga of one of `types` that nobody holds (or whose holder's
  // lease ran out), for `lease`.
  std::optional<Claim> ClaimDue(const std::string& owner, SystemTime now,
                                std::chrono::milliseconds lease,
                                const std::vector<std::string>& types);

  // Write persists a transition if the claim is still ours: false means it was lost and the
  // caller must drop the saga. keep_lease keeps holding it (the engine goes on at once).
  bool Write(const Claim& claim, const SagaRecord& next, const LogEntry& log,
             const std::string& step_name, std::optional<double> duration_ms, bool keep_lease,
             SystemTime now, std::chrono::milliseconds lease, const std::string& owner);
  // Write with several entries persists a saga's state after consecutive transitions (a step's
  // outcome and the next attempt's start) in one statement, their entries in order.
  bool Write(const Claim& claim, const SagaRecord& next, const std::vector<Logged>& logs,
             bool keep_lease, SystemTime now, std::chrono::milliseconds lease,
             const std::string& owner);
  // Release gives a held saga back (an async step's command went out).
  void Release(const Claim& claim);
  // ExtendLeases renews the leases of sagas this owner is working on.
  void ExtendLeases(const std::string& owner, const std::vector<std::string>& ids,
                    SystemTime until);

  // DeliverReply stores the reply for the saga awaiting correlation_id and makes it due; false if
  // no saga waits for it (a late reply to an earlier attempt, or a duplicate).
  bool DeliverReply(const std::string& correlation_id, const nlohmann::json& reply, SystemTime now);

  // Load reads a saga row (for operator actions such as a retry), locked in tx.
  std::optional<Claim> LoadForUpdate(pg::Transaction& tx, const std::string& id);
  void WriteIn(pg::Transaction& tx, const Claim& claim, const SagaRecord& next, const LogEntry& log,
               const std::string& step_name, SystemTime now);

  std::optional<SagaView> Get(const std::string& id);
  std::vector<SagaSummary> List(const ListOptions& options);

  // channel is the NOTIFY channel engines listen on.
  const std::string& channel() const { return channel_; }
  pg::Database& db() { return db_; }

 private:
  pg::Database& db_;
  std::string schema_;
  std::string channel_;
};

}  // namespace made0::saga
