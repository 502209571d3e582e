#pragma once
// The network objects the infra service keeps (seed figures 2, 3 and 6): VPCs in a region,
// subnets in a VPC's availability zones, instance addresses leased from a subnet, and security
// groups with ingress rules. IDs look like AWS's ("vpc-" + 17 hex digits). provider_id is the
// cloud provider's own ID for the object, set once the provider layer has created it.
//
// The *Request structs are what callers ask for, as received (strings not yet parsed); the pure
// functions in requests.hpp validate them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "made0/core/clock.hpp"
#include "made0/ipam/cidr.hpp"

namespace made0::infra::network {

struct Vpc {
  std::string id;
  std::string region;
  std::string name;
  ipam::Cidr cidr;
  std::optional<std::string> provider_id;
  SystemTime created_at;
};

struct Subnet {
  std::string id;
  std::string vpc_id;
  std::string name;               // "<vpc name>-<availability zone>" unless given
  std::string availability_zone;  // "us-east-1a"
  ipam::Cidr cidr;
  std::optional<std::string> provider_id;
  SystemTime created_at;
  std::int64_t addresses_in_use = 0;
};

// AddressLease is one instance address handed out from a subnet to an owner (an idempotency key:
// the same owner asking again gets the same address).
struct AddressLease {
  std::string subnet_id;
  std::uint32_t address = 0;  // host order; ipam::FormatAddress renders it
  std::string owner;
  SystemTime created_at;
};

// IngressRule allows traffic into a security group. protocol is "tcp", "udp", "icmp" or "-1"
// (all). For tcp/udp the ports are a range (0..65535, from <= to); for icmp from_port is the
// ICMP type and to_port the code (-1 meaning any); for "-1" both are -1. Exactly one source.
struct IngressRule {
  std::string id;  // "sgr-" + 17 hex digits
  std::string protocol;
  int from_port = -1;
  int to_port = -1;
  std::optional<ipam::Cidr> source_cidr;
  std::optional<std::string> source_group_id;

  // SameRule ignores the ID: two rules that allow the same traffic are the same rule.
  bool SameRule(const IngressRule& o) const {
    return protocol == o.protocol && from_port == o.from_port && to_port == o.to_port &&
           source_cidr == o.source_cidr && source_group_id == o.source_group_id;
  }
};

struct SecurityGroup {
  std::string id;
  std::string vpc_id;
  std::string name;
  std::string description;
  std::vector<IngressRule> ingress;
  std::optional<std::string> provider_id;
  SystemTime created_at;
};

// CreateVpcRequest: a name unique in the region, and either an explicit cidr or a prefix length
// to allocate from the region's pool (default /16).
struct CreateVpcRequest {
  std::string region;
  std::string name;
  std::optional<std::string> cidr;
  std::optional<int> prefix_length;
};

// CreateSubnetRequest: either an explicit cidr or a prefix length carved top-down from the VPC.
struct CreateSubnetRequest {
  std::string vpc_id;
  std::string availability_zone;
  std::optional<std::string> cidr;
  std::optional<int> prefix_length;
  std::optional<std::string> name;
};

struct CreateSecurityGroupRequest {
  std::string vpc_id;
  std::string name;
  std::string description;
};

struct IngressRuleRequest {
  std::string protocol;
  std::optional<int> from_port;
  std::optional<int> to_port;
  std::optional<std::string> source_cidr;
  std::optional<std::string> source_group_id;
};

// AddRuleOutcome tells a caller whether the rule was new (201) or already there (200).
struct AddRuleOutcome {
  IngressRule rule;
  bool created = false;
};

// ObjectKind names what SetProviderId links.
enum class ObjectKind { kVpc, kSubnet, kSecurityGroup };

}  // namespace made0::infra::network
