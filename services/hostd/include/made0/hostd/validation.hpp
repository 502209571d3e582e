#pragma once
// Validation of request values that needs no state: the shape of IDs, CIDRs, zones, tags, ingress
// rules. Each failure is Invalid naming the request field ("cidr", "tags.Name",
// "rules[1].to_port"), so a caller learns exactly what to fix. Existence and conflicts (an unknown
// subnet, an address in use) are LocalCloud's job, as they depend on what hostd holds.

#include <vector>

#include "made0/cloud/provider.hpp"
#include "made0/core/status.hpp"
#include "made0/hostd/zones.hpp"

namespace made0::hostd {

Status ValidateRegion(const std::string& region, const Zones& zones);
Status ValidateVpcSpec(const cloud::VpcSpec& spec, const Zones& zones);
Status ValidateSubnetSpec(const cloud::SubnetSpec& spec, const Zones& zones);
Status ValidateSecurityGroupSpec(const cloud::SecurityGroupSpec& spec, const Zones& zones);
Status ValidateIngressRules(const std::vector<cloud::IngressRule>& rules);
Status ValidateRunInstanceSpec(const cloud::RunInstanceSpec& spec, const Zones& zones);

}  // namespace made0::hostd
