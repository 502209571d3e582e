#pragma once
// Reading hostd's JSON request bodies into the provider interface's specs. Only types and sizes
// are checked here (a wrong type is Invalid naming the field); values are validated by
// made0/hostd/validation.hpp.

#include <nlohmann/json.hpp>

#include "made0/cloud/provider.hpp"
#include "made0/core/status.hpp"

namespace made0::hostd {

Result<cloud::VpcSpec> ParseVpcSpec(const nlohmann::json& body);
Result<cloud::SubnetSpec> ParseSubnetSpec(const nlohmann::json& body);
Result<cloud::SecurityGroupSpec> ParseSecurityGroupSpec(const nlohmann::json& body);
// ParseIngressRules reads body["rules"], an array of rule objects.
Result<std::vector<cloud::IngressRule>> ParseIngressRules(const nlohmann::json& body);
Result<cloud::RunInstanceSpec> ParseRunInstanceSpec(const nlohmann::json& body);

}  // namespace made0::hostd
