#pragma once
// Pure validation of network requests, before anything touches the database: every failure is an
// Error naming the field at fault (422, or 409 for what only the store can know). The store calls
// these first, so nothing is written for bad input whichever way a request arrives (HTTP, saga,
// benchmark).
//
//   auto plan = ValidateVpcRequest({.region = "us-east-1", .name = "made0",
//                                   .cidr = "172.16.0.0/16"}, regions);
//   plan->cidr;            // 172.16.0.0/16, inside us-east-1's pool
//
//   auto rule = ValidateIngressRule({.protocol = "tcp", .from_port = 2379, .to_port = 2380,
//                                    .source_cidr = "172.16.0.0/16"});

#include <optional>
#include <string>
#include <string_view>

#include "made0/core/random.hpp"
#include "made0/core/status.hpp"
#include "made0/infra/network/model.hpp"
#include "made0/infra/network/regions.hpp"

namespace made0::infra::network {

// AWS's limits: VPCs and subnets from /16 to /28.
inline constexpr int kMinVpcPrefix = 16;
inline constexpr int kMaxBlockPrefix = 28;
inline constexpr int kDefaultVpcPrefix = 16;
inline constexpr std::size_t kMaxNameLength = 63;
inline constexpr std::size_t kMaxDescriptionLength = 255;
inline constexpr std::size_t kMaxOwnerLength = 200;

// ID prefixes, as on AWS.
inline constexpr std::string_view kVpcIdPrefix = "vpc";
inline constexpr std::string_view kSubnetIdPrefix = "subnet";
inline constexpr std::string_view kSecurityGroupIdPrefix = "sg";
inline constexpr std::string_view kRuleIdPrefix = "sgr";

// NewId returns prefix + "-" + 17 random lowercase hex digits ("vpc-0a1b2c3d4e5f60718").
std::string NewId(Random& rng, std::string_view prefix);
// IsId checks that shape.
bool IsId(std::string_view id, std::string_view prefix);

// IsName accepts 1..max_len characters of [a-z0-9-], starting with a letter or digit and not
// ending with '-', so that names compose ("made0" + "-" + "us-east-1a").
bool IsName(std::string_view name, std::size_t max_len = kMaxNameLength);

// VpcPlan is a validated CreateVpcRequest: cidr when explicit (already known to lie in the
// region's pool), otherwise the prefix length to allocate.
struct VpcPlan {
  std::string region;
  std::string name;
  std::optional<ipam::Cidr> cidr;
  int prefix_length = kDefaultVpcPrefix;
};
Result<VpcPlan> ValidateVpcRequest(const CreateVpcRequest& req, const RegionSet& regions);

// SubnetPlan is a validated CreateSubnetRequest for a known VPC: the zone belongs to the VPC's
// region, an explicit cidr lies inside the VPC, a prefix length fits in it.
struct SubnetPlan {
  std::string name;
  std::string availability_zone;
  std::optional<ipam::Cidr> cidr;
  int prefix_length = 0;
};
Result<SubnetPlan> ValidateSubnetRequest(const CreateSubnetRequest& req, const Vpc& vpc,
                                         const RegionSet& regions);

Status ValidateSecurityGroupRequest(const CreateSecurityGroupRequest& req);

// ValidateIngressRule normalises a rule (see IngressRule for the port conventions; "-1" gets
// ports -1/-1) and leaves its id empty. Whether a source group exists is the store's to check.
Result<IngressRule> ValidateIngressRule(const IngressRuleRequest& req);

// ValidateOwner checks an address lease's owner key: 1..kMaxOwnerLength printable ASCII.
Status ValidateOwner(std::string_view owner);

}  // namespace made0::infra::network
