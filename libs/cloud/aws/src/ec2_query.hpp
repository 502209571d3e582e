#pragma once
// The EC2 Query API's requests as data: each action's form parameters, in order, and their
// form encoding. Pure functions, tested from tables (ec2_query_test.cpp); the provider sends
// FormEncode(params) as the body of a signed POST.
//
//   Params p = RunInstancesParams(spec);   // {{"Action","RunInstances"},{"Version",...},...}
//   std::string body = FormEncode(p);      // "Action=RunInstances&Version=2016-11-15&..."

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "made0/cloud/provider.hpp"

namespace made0::cloud::aws {

using Params = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::string_view kEc2ApiVersion = "2016-11-15";
// kIdempotencyTagKey tags VPCs, subnets and security groups with the token that created them
// (EC2 has no ClientToken for those actions).
inline constexpr std::string_view kIdempotencyTagKey = "made0:idempotency-token";

// FormEncode joins params as k=v&k=v, both sides percent-encoded, in the given order.
std::string FormEncode(const Params& params);

// TokenValue is the form an idempotency token takes on EC2, both as ClientToken (at most 64
// ASCII characters) and as the made0:idempotency-token tag: the token itself when it fits, its
// SHA-256 in hex (64 characters) otherwise, so the same token always maps to the same value.
std::string TokenValue(std::string_view token);

Params CreateVpcParams(const VpcSpec& spec);
Params CreateSubnetParams(const SubnetSpec& spec);
Params CreateSecurityGroupParams(const SecurityGroupSpec& spec);
// Describe{Vpcs,Subnets,SecurityGroups}ByTokenParams find what an earlier call with the same
// idempotency token created (Filter.1.Name=tag:made0:idempotency-token).
Params DescribeVpcsByTokenParams(std::string_view token);
Params DescribeSubnetsByTokenParams(std::string_view token);
Params DescribeSecurityGroupsByTokenParams(std::string_view token);
// AuthorizeIngressParams adds rules as IpPermissions.N (one permission per rule).
Params AuthorizeIngressParams(std::string_view group_id, const std::vector<IngressRule>& rules);
Params RunInstancesParams(const RunInstanceSpec& spec);
// DescribeInstancesParams names ids (InstanceId.N), or lists the region page by page when ids
// is empty (MaxResults, and NextToken after the first page).
Params DescribeInstancesParams(const std::vector<std::string>& ids, std::string_view next_token);
Params TerminateInstancesParams(std::string_view id);

}  // namespace made0::cloud::aws
