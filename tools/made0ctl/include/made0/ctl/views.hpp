#pragma once
// The tables of `made0ctl get`: which columns each resource shows (and which only with
// `-o wide`), filled from the infra API's list answers.
//
//   auto answer = infra.Call("GET", "/v1/subnets");
//   auto table = ListTable(Kind::kSubnet, *answer, clock.Now());
//   out << RenderTable(*table, /*wide=*/false);
//   // NAME               SUBNET ID                  STATE       VPC                     AZ  ...
//   // made0-us-east-1a   subnet-0b5bd0eff5408f927   available   vpc-01110f3f8d068810e   ...
//
// Pure: the answer and "now" are inputs.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"
#include "made0/core/status.hpp"
#include "made0/ctl/format.hpp"
#include "made0/ctl/resources.hpp"

namespace made0::ctl {

// ListTable builds `get kind`'s table from the API's answer ({"subnets": [...]}, ...). An answer
// without the expected list is an Internal error (a server that is not infra, or a newer API).
Result<Table> ListTable(Kind kind, const nlohmann::json& answer, SystemTime now);

// FindObject picks from a list (an array of objects) the one whose "id" is ref, or else the one
// whose "name" is: NotFound when none is, Conflict naming the IDs when the name is not unique.
// what names the kind in messages ("subnet").
Result<nlohmann::json> FindObject(const nlohmann::json& list, std::string_view ref,
                                  std::string_view what);

// UsableAddresses is how many instance addresses an IPv4 CIDR holds: its size minus the five
// that AWS reserves (network, router, DNS, future use, broadcast); nullopt if not IPv4 CIDR.
std::optional<long long> UsableAddresses(std::string_view cidr);

// AddressUse renders a subnet's "in use/usable", e.g. "3/32763".
std::string AddressUse(const nlohmann::json& subnet);

// FormatRule renders an ingress rule: "tcp 2379-2380 from 172.16.0.0/16", "all from sg-...".
std::string FormatRule(const nlohmann::json& rule);

// FormatPorts renders a rule's port range: "22", "2379-2380", or "all".
std::string FormatPorts(const nlohmann::json& rule);

// FormatEndpoints renders {"client":"127.0.0.1:40123"} as "client=127.0.0.1:40123".
std::string FormatEndpoints(const nlohmann::json& endpoints);

}  // namespace made0::ctl
