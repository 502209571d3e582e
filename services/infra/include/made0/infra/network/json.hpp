#pragma once
// JSON forms of the network objects and requests, as the HTTP API sends and receives them.
// Readers are pure: a body that is not the expected shape gives an Invalid error naming the
// field (422); the values themselves are checked later by requests.hpp.
//
//   auto req = CreateVpcRequestFrom(nlohmann::json::parse(R"({"region":"us-east-1",
//                                                            "name":"made0","cidr":"172.16.0.0/16"})"));
//   nlohmann::json body = VpcJson(*store.CreateVpc(*req));
//   // {"id":"vpc-...","region":"us-east-1","name":"made0","cidr":"172.16.0.0/16",
//   //  "provider_id":null,"created_at":"2026-12-03T18:16:09.123Z"}

#include <nlohmann/json.hpp>

#include "made0/core/status.hpp"
#include "made0/infra/network/model.hpp"
#include "made0/infra/network/regions.hpp"

namespace made0::infra::network {

nlohmann::json RegionJson(const Region& region);
nlohmann::json VpcJson(const Vpc& vpc);
nlohmann::json SubnetJson(const Subnet& subnet);
nlohmann::json LeaseJson(const AddressLease& lease);
nlohmann::json RuleJson(const IngressRule& rule);
nlohmann::json SecurityGroupJson(const SecurityGroup& group);

// {"region","name","cidr"?,"prefix_length"?}
Result<CreateVpcRequest> CreateVpcRequestFrom(const nlohmann::json& body);
// {"vpc_id","availability_zone","cidr"?,"prefix_length"?,"name"?}
Result<CreateSubnetRequest> CreateSubnetRequestFrom(const nlohmann::json& body);
// {"vpc_id","name","description"?}
Result<CreateSecurityGroupRequest> CreateSecurityGroupRequestFrom(const nlohmann::json& body);
// {"protocol","from_port"?,"to_port"?,"source_cidr"?,"source_group_id"?}; protocol may also be
// given as the number -1.
Result<IngressRuleRequest> IngressRuleRequestFrom(const nlohmann::json& body);

}  // namespace made0::infra::network
