#pragma once
// `made0ctl describe` for the network and compute objects: their fields, labelled and aligned as
// kubectl describe does, with the related objects the API gives (a VPC's subnets, a subnet's
// address leases, a security group's ingress rules, an instance's endpoints). Sagas are in
// saga_view.hpp.
//
//   out << DescribeSubnet(subnet, *infra.Call("GET", path + "/addresses"), clock.Now());
//   // Name:                made0-us-east-1a
//   // ID:                  subnet-0b5bd0eff5408f927
//   // ...
//
// Pure: the objects and "now" are inputs.

#include <string>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"

namespace made0::ctl {

// DescribeVpc: subnets is the answer of GET /v1/subnets?vpc_id= (null to leave the section out).
std::string DescribeVpc(const nlohmann::json& vpc, const nlohmann::json& subnets, SystemTime now);
// DescribeSubnet: addresses is the answer of GET /v1/subnets/{id}/addresses (or null).
std::string DescribeSubnet(const nlohmann::json& subnet, const nlohmann::json& addresses,
                           SystemTime now);
std::string DescribeSecurityGroup(const nlohmann::json& group, SystemTime now);
std::string DescribeInstance(const nlohmann::json& instance, SystemTime now);

}  // namespace made0::ctl
