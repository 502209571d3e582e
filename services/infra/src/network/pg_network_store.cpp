// PgNetworkStore: VPCs, subnets and addresses. Security groups are in pg_security_groups.cpp.
#include "made0/infra/network/pg_network_store.hpp"

#include <set>

#include "made0/infra/network/requests.hpp"
#include "made0/ipam/allocator.hpp"
#include "network/pg_rows.hpp"

namespace made0::infra::network {
namespace {

using detail::ConflictFromConstraint;

// RenameField points libs/ipam's "prefix" at this API's "prefix_length".
Error RenameField(Error e) {
  if (e.field == "prefix") e.field = "prefix_length";
  return e;
}

std::vector<ipam::Cidr> CidrsFrom(const pg::Rows& rows) {
  std::vector<ipam::Cidr> out;
  out.reserve(rows.size());
  for (const pg::Row& row : rows) out.push_back(detail::ParseStoredCidr(row.Get<std::string>(0)));
  return out;
}

Error NoSuchVpc(std::string_view id) {
  return Error::NotFound("no VPC with ID '" + std::string(id) + "'");
}
Error NoSuchSubnet(std::string_view id) {
  return Error::NotFound("no subnet with ID '" + std::string(id) + "'");
}
Error UnknownVpcField(std::string_view id) {
  return Error::Invalid("vpc_id", "no VPC with ID '" + std::string(id) + "'");
}

}  // namespace

PgNetworkStore::PgNetworkStore(pg::Database& db, const RegionSet& regions, Random& rng,
                               std::string schema)
    : db_(db), regions_(regions), rng_(rng), schema_(std::move(schema)) {}

std::string PgNetworkStore::T(std::string_view table) const {
  return schema_ + "." + std::string(table);
}

// ---- VPCs ------------------------------------------------------------------------------------

Result<Vpc> PgNetworkStore::CreateVpc(const CreateVpcRequest& req) {
  auto plan = ValidateVpcRequest(req, regions_);
  if (!plan) return plan.error();
  const ipam::Cidr pool = regions_.Find(plan->region)->pool;
  try {
    return db_.InTransaction([&](pg::Transaction& tx) -> Result<Vpc> {
      // Serialise allocations in the region on its row (created on first use).
      tx.Exec("INSERT INTO " + T("regions") + "(name) VALUES ($1) ON CONFLICT DO NOTHING",
              {plan->region});
      tx.Exec("SELECT 1 FROM " + T("regions") + " WHERE name = $1 FOR UPDATE", {plan->region});
      auto named = tx.Exec("SELECT id FROM " + T("vpcs") + " WHERE region = $1 AND name = $2",
                           {plan->region, plan->name});
      if (!named.empty()) {
        return Error{ErrorCode::kConflict,
                     "a VPC named " + plan->name + " already exists in " + plan->region + " (" +
                         named[0].Get<std::string>("id") + ")",
                     "name"};
      }
      ipam::Cidr block;
      if (plan->cidr) {
        // Explicit blocks are checked against VPCs of every region, not only this pool.
        auto taken =
            CidrsFrom(tx.Exec("SELECT cidr::text FROM " + T("vpcs") + " WHERE cidr && $1::cidr",
                              {plan->cidr->ToString()}));
        if (auto st = ipam::CheckExplicit(pool, *plan->cidr, taken); !st) return st.error();
        block = *plan->cidr;
      } else {
        auto taken = CidrsFrom(tx.Exec(
            "SELECT cidr::text FROM " + T("vpcs") + " WHERE cidr && $1::cidr", {pool.ToString()}));
        auto carved = ipam::CarveTopDown(pool, plan->prefix_length, taken);
        if (!carved) return RenameField(carved.error());
        block = *carved;
      }
      auto rows = tx.Exec("INSERT INTO " + T("vpcs") +
                              "(id, region, name, cidr) VALUES ($1, $2, $3, $4::cidr) RETURNING " +
                              detail::kVpcColumns,
                          {NewId(rng_, kVpcIdPrefix), plan->region, plan->name, block.ToString()});
      return detail::VpcFrom(rows[0]);
    });
  } catch (const pg::QueryError& e) {
    if (auto c = ConflictFromConstraint(e, "VPC " + plan->name, "cidr")) return *c;
    throw;
  }
}

Result<Vpc> PgNetworkStore::GetVpc(std::string_view id) {
  if (!IsId(id, kVpcIdPrefix)) return NoSuchVpc(id);
  auto rows = db_.Exec(
      std::string("SELECT ") + detail::kVpcColumns + " FROM " + T("vpcs") + " WHERE id = $1", {id});
  if (rows.empty()) return NoSuchVpc(id);
  return detail::VpcFrom(rows[0]);
}

std::vector<Vpc> PgNetworkStore::ListVpcs(std::optional<std::string> region) {
  auto rows = db_.Exec(std::string("SELECT ") + detail::kVpcColumns + " FROM " + T("vpcs") +
                           " WHERE $1::text IS NULL OR region = $1 ORDER BY created_at, id",
                       {region});
  std::vector<Vpc> out;
  for (const pg::Row& row : rows) out.push_back(detail::VpcFrom(row));
  return out;
}

Status PgNetworkStore::DeleteVpc(std::string_view id) {
  if (!IsId(id, kVpcIdPrefix)) return NoSuchVpc(id);
  try {
    return db_.InTransaction([&](pg::Transaction& tx) -> Status {
      auto vpc = tx.Exec("SELECT name FROM " + T("vpcs") + " WHERE id = $1 FOR UPDATE", {id});
      if (vpc.empty()) return NoSuchVpc(id);
      // Lock the subnets too, so an allocation running now either commits before the count
      // below (and is seen) or waits and then finds its subnet gone.
      tx.Exec("SELECT 1 FROM " + T("subnets") + " WHERE vpc_id = $1 FOR UPDATE", {id});
      auto in_use = tx.Exec("SELECT s.name, count(*) AS n FROM " + T("subnets") + " s JOIN " +
                                T("addresses") +
                                " a ON a.subnet_id = s.id WHERE s.vpc_id = $1 "
                                "GROUP BY s.name ORDER BY s.name",
                            {id});
      if (!in_use.empty()) {
        std::string list;
        for (const pg::Row& row : in_use) {
          list += (list.empty() ? "" : ", ") + row.Get<std::string>("name") + " (" +
                  std::to_string(row.Get<std::int64_t>("n")) + ")";
        }
        return Error::Conflict("VPC " + vpc[0].Get<std::string>("name") + " (" + std::string(id) +
                               ") has addresses in use in subnets: " + list);
      }
      tx.Exec("DELETE FROM " + T("vpcs") + " WHERE id = $1", {id});
      return Status::Ok();
    });
  } catch (const pg::QueryError& e) {
    if (auto c = ConflictFromConstraint(e, "VPC " + std::string(id), "")) return *c;
    throw;
  }
}

// ---- Subnets ---------------------------------------------------------------------------------

Result<Subnet> PgNetworkStore::CreateSubnet(const CreateSubnetRequest& req) {
  if (!IsId(req.vpc_id, kVpcIdPrefix)) return UnknownVpcField(req.vpc_id);
  std::string what = "subnet";
  try {
    return db_.InTransaction([&](pg::Transaction& tx) -> Result<Subnet> {
      // Serialise carving in this VPC on its row.
      auto vpc_rows = tx.Exec(std::string("SELECT ") + detail::kVpcColumns + " FROM " + T("vpcs") +
                                  " WHERE id = $1 FOR UPDATE",
                              {req.vpc_id});
      if (vpc_rows.empty()) return UnknownVpcField(req.vpc_id);
      const Vpc vpc = detail::VpcFrom(vpc_rows[0]);
      auto plan = ValidateSubnetRequest(req, vpc, regions_);
      if (!plan) return plan.error();
      what = "subnet " + plan->name;
      auto named = tx.Exec("SELECT id FROM " + T("subnets") + " WHERE vpc_id = $1 AND name = $2",
                           {vpc.id, plan->name});
      if (!named.empty()) {
        return Error{ErrorCode::kConflict,
                     "a subnet named " + plan->name + " already exists in " + vpc.name + " (" +
                         named[0].Get<std::string>("id") + ")",
                     "name"};
      }
      auto taken = CidrsFrom(
          tx.Exec("SELECT cidr::text FROM " + T("subnets") + " WHERE vpc_id = $1", {vpc.id}));
      ipam::Cidr block;
      if (plan->cidr) {
        if (auto st = ipam::CheckExplicit(vpc.cidr, *plan->cidr, taken); !st) return st.error();
        block = *plan->cidr;
      } else {
        auto carved = ipam::CarveTopDown(vpc.cidr, plan->prefix_length, taken);
        if (!carved) return RenameField(carved.error());
        block = *carved;
      }
      auto rows = tx.Exec("WITH s AS (INSERT INTO " + T("subnets") +
                              "(id, vpc_id, vpc_cidr, name, availability_zone, cidr) "
                              "VALUES ($1, $2, $3::cidr, $4, $5, $6::cidr) RETURNING *) "
                              "SELECT " +
                              detail::kSubnetColumns + ", 0::bigint AS addresses_in_use FROM s",
                          {NewId(rng_, kSubnetIdPrefix), vpc.id, vpc.cidr.ToString(), plan->name,
                           plan->availability_zone, block.ToString()});
      return detail::SubnetFrom(rows[0]);
    });
  } catch (const pg::QueryError& e) {
    if (auto c = ConflictFromConstraint(e, what, "cidr")) return *c;
    throw;
  }
}

Result<Subnet> PgNetworkStore::GetSubnet(std::string_view id) {
  if (!IsId(id, kSubnetIdPrefix)) return NoSuchSubnet(id);
  auto rows =
      db_.Exec(std::string("SELECT ") + detail::kSubnetColumns + ", (SELECT count(*) FROM " +
                   T("addresses") + " a WHERE a.subnet_id = s.id) AS addresses_in_use FROM " +
                   T("subnets") + " s WHERE s.id = $1",
               {id});
  if (rows.empty()) return NoSuchSubnet(id);
  return detail::SubnetFrom(rows[0]);
}

Result<std::vector<Subnet>> PgNetworkStore::ListSubnets(std::optional<std::string> vpc_id) {
  if (vpc_id) {
    auto vpc = GetVpc(*vpc_id);
    if (!vpc) return vpc.error();
  }
  auto rows = db_.Exec(std::string("SELECT ") + detail::kSubnetColumns +
                           ", (SELECT count(*) FROM " + T("addresses") +
                           " a WHERE a.subnet_id = s.id) AS addresses_in_use FROM " + T("subnets") +
                           " s WHERE $1::text IS NULL OR s.vpc_id = $1 ORDER BY s.vpc_id, s.name",
                       {vpc_id});
  std::vector<Subnet> out;
  for (const pg::Row& row : rows) out.push_back(detail::SubnetFrom(row));
  return out;
}

Status PgNetworkStore::DeleteSubnet(std::string_view id) {
  if (!IsId(id, kSubnetIdPrefix)) return NoSuchSubnet(id);
  try {
    return db_.InTransaction([&](pg::Transaction& tx) -> Status {
      auto subnet = tx.Exec("SELECT name FROM " + T("subnets") + " WHERE id = $1 FOR UPDATE", {id});
      if (subnet.empty()) return NoSuchSubnet(id);
      auto n =
          tx.Exec("SELECT count(*) AS n FROM " + T("addresses") + " WHERE subnet_id = $1", {id})[0]
              .Get<std::int64_t>("n");
      if (n > 0) {
        return Error::Conflict("subnet " + subnet[0].Get<std::string>("name") + " (" +
                               std::string(id) + ") has " + std::to_string(n) +
                               " address(es) in use");
      }
      tx.Exec("DELETE FROM " + T("subnets") + " WHERE id = $1", {id});
      return Status::Ok();
    });
  } catch (const pg::QueryError& e) {
    if (auto c = ConflictFromConstraint(e, "subnet " + std::string(id), "")) return *c;
    throw;
  }
}

// ---- Addresses -------------------------------------------------------------------------------

Result<AddressLease> PgNetworkStore::AllocateAddress(std::string_view subnet_id,
                                                     std::string_view owner) {
  if (auto st = ValidateOwner(owner); !st) return st.error();
  if (!IsId(subnet_id, kSubnetIdPrefix)) return NoSuchSubnet(subnet_id);
  return db_.InTransaction([&](pg::Transaction& tx) -> Result<AddressLease> {
    // Serialise allocations in this subnet on its row.
    auto subnet =
        tx.Exec("SELECT cidr::text AS cidr FROM " + T("subnets") + " WHERE id = $1 FOR UPDATE",
                {subnet_id});
    if (subnet.empty()) return NoSuchSubnet(subnet_id);
    const ipam::Cidr cidr = detail::ParseStoredCidr(subnet[0].Get<std::string>("cidr"));
    auto held = tx.Exec(std::string("SELECT ") + detail::kLeaseColumns + " FROM " + T("addresses") +
                            " WHERE subnet_id = $1 AND owner = $2",
                        {subnet_id, owner});
    if (!held.empty()) return detail::LeaseFrom(held[0]);  // a retry: same owner, same address
    std::set<std::uint32_t> used;
    for (const pg::Row& row :
         tx.Exec("SELECT host(address) FROM " + T("addresses") + " WHERE subnet_id = $1",
                 {subnet_id})) {
      used.insert(detail::ParseStoredAddress(row.Get<std::string>(0)));
    }
    auto address = ipam::PickAddress(cidr, used);
    if (!address) return address.error();
    auto rows = tx.Exec("INSERT INTO " + T("addresses") +
                            "(subnet_id, subnet_cidr, address, owner) "
                            "VALUES ($1, $2::cidr, $3::inet, $4) RETURNING " +
                            detail::kLeaseColumns,
                        {subnet_id, cidr.ToString(), ipam::FormatAddress(*address), owner});
    return detail::LeaseFrom(rows[0]);
  });
}

bool PgNetworkStore::ReleaseAddress(std::string_view subnet_id, std::string_view owner) {
  auto rows = db_.Exec("DELETE FROM " + T("addresses") + " WHERE subnet_id = $1 AND owner = $2",
                       {subnet_id, owner});
  return rows.affected_rows() > 0;
}

Result<std::vector<AddressLease>> PgNetworkStore::ListAddresses(std::string_view subnet_id) {
  if (!IsId(subnet_id, kSubnetIdPrefix)) return NoSuchSubnet(subnet_id);
  // One statement, so an absent subnet and an empty one are told apart consistently.
  auto rows = db_.Exec(std::string("SELECT s.id AS sid, a.subnet_id, host(a.address) AS address, "
                                   "a.owner, a.created_at FROM ") +
                           T("subnets") + " s LEFT JOIN " + T("addresses") +
                           " a ON a.subnet_id = s.id WHERE s.id = $1 ORDER BY a.address",
                       {subnet_id});
  if (rows.empty()) return NoSuchSubnet(subnet_id);
  std::vector<AddressLease> out;
  for (const pg::Row& row : rows) {
    if (row.IsNull("address")) continue;  // the subnet exists but holds no address
    out.push_back(detail::LeaseFrom(row));
  }
  return out;
}

}  // namespace made0::infra::network
