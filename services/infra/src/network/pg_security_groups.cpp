// PgNetworkStore: security groups, their ingress rules, and provider IDs.
#include <map>

#include "made0/infra/network/pg_network_store.hpp"
#include "made0/infra/network/requests.hpp"
#include "network/pg_rows.hpp"

namespace made0::infra::network {
namespace {

constexpr const char* kGroupColumns = "id, vpc_id, name, description, provider_id, created_at";

SecurityGroup GroupFrom(const pg::Row& row) {
  SecurityGroup g;
  g.id = row.Get<std::string>("id");
  g.vpc_id = row.Get<std::string>("vpc_id");
  g.name = row.Get<std::string>("name");
  g.description = row.Get<std::string>("description");
  g.provider_id = row.Get<std::optional<std::string>>("provider_id");
  g.created_at = row.Get<SystemTime>("created_at");
  return g;
}

Error NoSuchGroup(std::string_view id) {
  return Error::NotFound("no security group with ID '" + std::string(id) + "'");
}

// AttachRules distributes rules (ordered) to their groups.
void AttachRules(std::vector<SecurityGroup>& groups, const pg::Rows& rules) {
  std::map<std::string, SecurityGroup*, std::less<>> by_id;
  for (SecurityGroup& g : groups) by_id[g.id] = &g;
  for (const pg::Row& row : rules) {
    auto it = by_id.find(row.Get<std::string>("group_id"));
    if (it != by_id.end()) it->second->ingress.push_back(detail::RuleFrom(row));
  }
}

}  // namespace

Result<SecurityGroup> PgNetworkStore::CreateSecurityGroup(const CreateSecurityGroupRequest& req) {
  if (auto st = ValidateSecurityGroupRequest(req); !st) return st.error();
  try {
    return db_.InTransaction([&](pg::Transaction& tx) -> Result<SecurityGroup> {
      // FOR SHARE keeps the VPC from being deleted until this commits.
      auto vpc =
          tx.Exec("SELECT name FROM " + T("vpcs") + " WHERE id = $1 FOR SHARE", {req.vpc_id});
      if (vpc.empty()) return Error::Invalid("vpc_id", "no VPC with ID '" + req.vpc_id + "'");
      auto rows =
          tx.Exec("INSERT INTO " + T("security_groups") +
                      "(id, vpc_id, name, description) VALUES ($1, $2, $3, $4) "
                      "ON CONFLICT (vpc_id, name) DO NOTHING RETURNING " +
                      kGroupColumns,
                  {NewId(rng_, kSecurityGroupIdPrefix), req.vpc_id, req.name, req.description});
      if (rows.empty()) {
        return Error{ErrorCode::kConflict,
                     "a security group named " + req.name + " already exists in VPC " +
                         vpc[0].Get<std::string>("name"),
                     "name"};
      }
      return GroupFrom(rows[0]);
    });
  } catch (const pg::QueryError& e) {
    if (auto c = detail::ConflictFromConstraint(e, "security group " + req.name, "")) return *c;
    throw;
  }
}

Result<SecurityGroup> PgNetworkStore::GetSecurityGroup(std::string_view id) {
  if (!IsId(id, kSecurityGroupIdPrefix)) return NoSuchGroup(id);
  return db_.InTransaction([&](pg::Transaction& tx) -> Result<SecurityGroup> {
    auto rows = tx.Exec(
        std::string("SELECT ") + kGroupColumns + " FROM " + T("security_groups") + " WHERE id = $1",
        {id});
    if (rows.empty()) return NoSuchGroup(id);
    std::vector<SecurityGroup> groups = {GroupFrom(rows[0])};
    AttachRules(groups, tx.Exec(std::string("SELECT ") + detail::kRuleColumns + " FROM " +
                                    T("security_group_rules") +
                                    " WHERE group_id = $1 ORDER BY created_at, id",
                                {id}));
    return std::move(groups[0]);
  });
}

Result<std::vector<SecurityGroup>> PgNetworkStore::ListSecurityGroups(
    std::optional<std::string> vpc_id) {
  if (vpc_id) {
    auto vpc = GetVpc(*vpc_id);
    if (!vpc) return vpc.error();
  }
  return db_.InTransaction(
      pg::Isolation::kRepeatableRead,
      [&](pg::Transaction& tx) -> Result<std::vector<SecurityGroup>> {
        // One snapshot for groups and rules.
        std::vector<SecurityGroup> groups;
        for (const pg::Row& row :
             tx.Exec(std::string("SELECT ") + kGroupColumns + " FROM " + T("security_groups") +
                         " WHERE $1::text IS NULL OR vpc_id = $1 "
                         "ORDER BY vpc_id, name",
                     {vpc_id})) {
          groups.push_back(GroupFrom(row));
        }
        AttachRules(groups, tx.Exec(std::string("SELECT ") + detail::kRuleColumns + " FROM " +
                                        T("security_group_rules") +
                                        " WHERE $1::text IS NULL OR vpc_id = $1 "
                                        "ORDER BY created_at, id",
                                    {vpc_id}));
        return groups;
      });
}

Result<AddRuleOutcome> PgNetworkStore::AddIngressRule(std::string_view group_id,
                                                      const IngressRuleRequest& req) {
  if (!IsId(group_id, kSecurityGroupIdPrefix)) return NoSuchGroup(group_id);
  auto rule = ValidateIngressRule(req);
  if (!rule) return rule.error();
  try {
    return db_.InTransaction([&](pg::Transaction& tx) -> Result<AddRuleOutcome> {
      auto group = tx.Exec(
          "SELECT vpc_id FROM " + T("security_groups") + " WHERE id = $1 FOR UPDATE", {group_id});
      if (group.empty()) return NoSuchGroup(group_id);
      const std::string vpc_id = group[0].Get<std::string>("vpc_id");
      if (rule->source_group_id) {
        auto source = tx.Exec("SELECT vpc_id FROM " + T("security_groups") + " WHERE id = $1",
                              {*rule->source_group_id});
        if (source.empty() || source[0].Get<std::string>("vpc_id") != vpc_id) {
          return Error::Invalid("source_group_id",
                                "no security group '" + *rule->source_group_id + "' in " + vpc_id);
        }
      }
      std::optional<std::string> source_cidr;
      if (rule->source_cidr) source_cidr = rule->source_cidr->ToString();
      auto inserted =
          tx.Exec("INSERT INTO " + T("security_group_rules") +
                      "(id, group_id, vpc_id, protocol, from_port, to_port, source_cidr, "
                      "source_group_id) VALUES ($1, $2, $3, $4, $5, $6, $7::cidr, $8) "
                      "ON CONFLICT DO NOTHING RETURNING " +
                      detail::kRuleColumns,
                  {NewId(rng_, kRuleIdPrefix), group_id, vpc_id, rule->protocol, rule->from_port,
                   rule->to_port, source_cidr, rule->source_group_id});
      if (!inserted.empty()) return AddRuleOutcome{detail::RuleFrom(inserted[0]), true};
      // The same rule exists: adding it again is a no-op that returns it.
      auto existing = tx.Exec(std::string("SELECT ") + detail::kRuleColumns + " FROM " +
                                  T("security_group_rules") +
                                  " WHERE group_id = $1 AND protocol = $2 AND from_port = $3 "
                                  "AND to_port = $4 AND source_cidr IS NOT DISTINCT FROM $5::cidr "
                                  "AND source_group_id IS NOT DISTINCT FROM $6::text",
                              {group_id, rule->protocol, rule->from_port, rule->to_port,
                               source_cidr, rule->source_group_id});
      if (existing.empty()) return Error::Conflict("the rule changed concurrently; try again");
      return AddRuleOutcome{detail::RuleFrom(existing[0]), false};
    });
  } catch (const pg::QueryError& e) {
    if (auto c = detail::ConflictFromConstraint(e, "rule", "")) return *c;
    throw;
  }
}

Status PgNetworkStore::SetProviderId(ObjectKind kind, std::string_view id,
                                     std::string_view provider_id) {
  if (provider_id.empty() || provider_id.size() > 255) {
    return Error::Invalid("provider_id", "provider_id must be 1 to 255 characters");
  }
  const char* table = kind == ObjectKind::kVpc      ? "vpcs"
                      : kind == ObjectKind::kSubnet ? "subnets"
                                                    : "security_groups";
  auto rows =
      db_.Exec("UPDATE " + T(table) + " SET provider_id = $2 WHERE id = $1", {id, provider_id});
  if (rows.affected_rows() == 0)
    return Error::NotFound("no " + std::string(table) + " row '" + std::string(id) + "'");
  return Status::Ok();
}

}  // namespace made0::infra::network
