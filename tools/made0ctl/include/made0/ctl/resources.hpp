#pragma once
// The resources made0ctl knows, the names people may call them by (kubectl-like singulars and
// short forms), and the infra API paths that read them (docs/infra-api.md).
//
//   auto kind = ResolveKind("sg");                         // Kind::kSecurityGroup
//   auto path = ListPath(*kind, {.vpc = "vpc-0123"});      // "/v1/security-groups?vpc_id=vpc-0123"
//   ObjectPath(Kind::kSaga, "saga-0123456789abcdef")       // "/v1/sagas/saga-0123456789abcdef"
//
// Pure: no I/O.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "made0/core/status.hpp"

namespace made0::ctl {

enum class Kind { kRegion, kVpc, kSubnet, kSecurityGroup, kCluster, kInstance, kSaga };

// KindInfo describes one resource kind.
struct KindInfo {
  Kind kind;
  std::string_view plural;    // "security-groups": the canonical name, as in the API's path
  std::string_view singular;  // "security-group"
  std::string_view list_key;  // the list's key in the API's answer: "security_groups"
  std::vector<std::string_view> aliases;  // further accepted names: "sg", "sgs"
};

// AllKinds lists every kind, in the order of `made0ctl get --help`.
const std::vector<KindInfo>& AllKinds();
const KindInfo& InfoOf(Kind kind);

// ResolveKind accepts the plural, the singular or an alias, in any case; otherwise an Invalid
// error naming the accepted resource types.
Result<Kind> ResolveKind(std::string_view name);

// Filters are `get`'s flags; each applies to some kinds only.
struct Filters {
  std::optional<std::string> region;   // vpcs, instances
  std::optional<std::string> vpc;      // subnets, security-groups (the API's vpc_id)
  std::optional<std::string> cluster;  // instances
  std::optional<std::string> owner;    // clusters, instances
  std::optional<std::string> status;   // sagas
  std::optional<std::string> type;     // sagas
  std::optional<int> limit;            // sagas
};

// ListPath is the GET path listing kind with filters; a filter the kind does not have is an
// Invalid error naming the flag (the CLI reports it as bad usage).
Result<std::string> ListPath(Kind kind, const Filters& filters);

// ObjectPath is /v1/<plural>/<id> with id percent-encoded.
std::string ObjectPath(Kind kind, std::string_view id);


// QueryString renders "?a=1&b=x%20y", or "" when params is empty.
std::string QueryString(const std::vector<std::pair<std::string, std::string>>& params);

}  // namespace made0::ctl
