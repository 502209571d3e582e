#pragma once
// InstanceStore: the infra service's clusters (named groups of instances, owned by a user and
// fixed to a region) and the instances it has saved, in Postgres schema `infra`.
//
//   auto c = store.EnsureCluster({.owner = "u-1", .name = "abc", .region = "us-east-1",
//                                 .vpc_id = vpc.id});   // Conflict if "abc" is in another region
//   store.SaveInstance(record);                         // idempotent (by instance ID)
//   auto per_zone = store.CountByZone("u-1", "abc");    // for spreading across zones

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/amqp/message.hpp"
#include "made0/core/clock.hpp"
#include "made0/core/status.hpp"
#include "made0/infra/network/regions.hpp"
#include "made0/pg/database.hpp"
#include "made0/pg/migrations.hpp"

namespace made0::infra::compute {

struct Cluster {
  std::string owner;
  std::string name;
  std::string region;
  std::string vpc_id;
  std::string security_group_id;  // the members' group, once ensured
  SystemTime created_at{};
};

struct InstanceRecord {
  std::string id;  // the provider's instance ID ("i-...")
  std::string saga_id;
  std::string owner;
  std::string cluster;
  std::string region;
  std::string availability_zone;
  std::string subnet_id;
  std::string private_ip;
  std::string address_owner;  // the IPAM lease key, released when the instance goes
  std::string instance_type;
  std::string image;
  std::string state;
  std::string state_reason;  // why the provider stopped or terminated it, if it did on its own
  nlohmann::json endpoints = nlohmann::json::object();
  std::string provider;
  SystemTime created_at{};
  SystemTime updated_at{};
};

nlohmann::json ToJson(const InstanceRecord& r);
nlohmann::json ToJson(const Cluster& c);

struct InstanceFilter {
  std::string owner;    // empty: all
  std::string cluster;  // empty: all
  std::string region;   // empty: all
};

class PgInstanceStore {
 public:
  PgInstanceStore(pg::Database& db, std::string schema = "infra");

  // Migrations: versions 200..299 of the schema are the compute tables (the outbox, which
  // Announce writes to, is the service's to add).
  static std::vector<pg::Migration> Migrations();

  Result<Cluster> EnsureCluster(const Cluster& c);
  Result<Cluster> GetCluster(const std::string& owner, const std::string& name);
  std::vector<Cluster> ListClusters(const std::string& owner);
  Status SetClusterSecurityGroup(const std::string& owner, const std::string& name,
                                 const std::string& group_id);

  void SaveInstance(const InstanceRecord& r);
  // DeleteInstance: true if a record was deleted.
  bool DeleteInstance(const std::string& id);
  std::optional<InstanceRecord> GetInstance(const std::string& id);
  std::vector<InstanceRecord> ListInstances(const InstanceFilter& filter);
  std::map<std::string, int> CountByZone(const std::string& owner, const std::string& cluster);

  // ReserveZone records the availability zone of the instance saga_id makes for cluster (owner,
  // name): `requested` if given, otherwise the region's zone holding the fewest of the cluster's
  // reservations (ChooseZone), decided under a lock on the cluster's row so that sagas running at
  // once still spread. Idempotent per saga: asking again returns the zone reserved first.
  // A reservation lasts as long as the instance; ReleaseZone (idempotent) ends it.
  Result<std::string> ReserveZone(const network::Region& region, const std::string& owner,
                                  const std::string& cluster, const std::string& saga_id,
                                  const std::string& requested);
  void ReleaseZone(const std::string& saga_id);

  // Announce puts an event in the schema's outbox (the service's relay publishes it), once per
  // message_id: announcing again is a no-op.
  void Announce(const amqp::Message& event);
  void UpdateState(const std::string& id, const std::string& state,
                   const nlohmann::json& endpoints);
  // MarkLost records that the provider reports a saved running instance as `state` (terminated,
  // stopped, ...) for `reason` though no saga asked: only while the record still says running
  // (a saga that changed it meanwhile wins), in one transaction with `event` in the outbox. True
  // if this call changed the record.
  bool MarkLost(const std::string& id, const std::string& state, const std::string& reason,
                const amqp::Message& event);

 private:
  std::string T(const char* table) const { return schema_ + "." + table; }
  pg::Database& db_;
  std::string schema_;
};

}  // namespace made0::infra::compute
