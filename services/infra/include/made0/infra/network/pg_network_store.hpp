#pragma once
// PgNetworkStore: NetworkStore over Postgres schema `infra` (or another, for tests).
//
//   if (auto st = pg::ApplyMigrations(db, "infra", PgNetworkStore::Migrations()); !st) ...
//   SecureRandom rng;
//   PgNetworkStore store(db, regions, rng);             // schema defaults to "infra"
//
// How allocations stay disjoint: each one runs in a transaction that first locks its parent row
// (SELECT ... FOR UPDATE on the region, VPC or subnet), then reads what is taken, decides with
// libs/ipam's pure functions and inserts. The database backs this with constraints: GiST
// exclusion constraints (inet_ops, built into PostgreSQL, no extension needed) keep VPC blocks
// and subnet blocks from overlapping, subnets and addresses carry their parent's block in a
// composite foreign key with a CHECK that they lie inside it, and (subnet_id, address) and
// (subnet_id, owner) are unique. A subnet with addresses cannot be deleted (foreign key).
//
// The region rows exist only to be locked and referenced; the configuration stays the source of
// truth for pools and zones.

#include <string>
#include <vector>

#include "made0/core/random.hpp"
#include "made0/infra/network/network_store.hpp"
#include "made0/pg/database.hpp"
#include "made0/pg/migrations.hpp"

namespace made0::infra::network {

inline constexpr const char* kSchema = "infra";

class PgNetworkStore final : public NetworkStore {
 public:
  // regions and rng must outlive the store; rng must be safe to call from several threads
  // (SecureRandom is).
  PgNetworkStore(pg::Database& db, const RegionSet& regions, Random& rng,
                 std::string schema = kSchema);

  // Migrations are the network tables; apply them with pg::ApplyMigrations(db, schema, ...).
  // Versions 1..99 are reserved for the network part of the schema.
  static std::vector<pg::Migration> Migrations();

  // NetworkStore
  const RegionSet& Regions() const override { return regions_; }
  Result<Vpc> CreateVpc(const CreateVpcRequest& req) override;
  Result<Vpc> GetVpc(std::string_view id) override;
  std::vector<Vpc> ListVpcs(std::optional<std::string> region) override;
  Status DeleteVpc(std::string_view id) override;
  Result<Subnet> CreateSubnet(const CreateSubnetRequest& req) override;
  Result<Subnet> GetSubnet(std::string_view id) override;
  Result<std::vector<Subnet>> ListSubnets(std::optional<std::string> vpc_id) override;
  Status DeleteSubnet(std::string_view id) override;
  Result<AddressLease> AllocateAddress(std::string_view subnet_id, std::string_view owner) override;
  bool ReleaseAddress(std::string_view subnet_id, std::string_view owner) override;
  Result<std::vector<AddressLease>> ListAddresses(std::string_view subnet_id) override;
  Result<SecurityGroup> CreateSecurityGroup(const CreateSecurityGroupRequest& req) override;
  Result<SecurityGroup> GetSecurityGroup(std::string_view id) override;
  Result<std::vector<SecurityGroup>> ListSecurityGroups(std::optional<std::string> vpc_id) override;
  Result<AddRuleOutcome> AddIngressRule(std::string_view group_id,
                                        const IngressRuleRequest& req) override;
  Status SetProviderId(ObjectKind kind, std::string_view id, std::string_view provider_id) override;

 private:
  // T qualifies a table name with the schema.
  std::string T(std::string_view table) const;

  pg::Database& db_;
  const RegionSet& regions_;
  Random& rng_;
  std::string schema_;
};

}  // namespace made0::infra::network
