#pragma once
// EC2's XML answers turned into made0's cloud structs. Pure functions over the response body,
// tested against the sample responses of the EC2 API reference (testdata/, ec2_xml_test.cpp).
// tinyxml2 stays inside ec2_xml.cpp.
//
//   auto vpc = ParseCreateVpc(body);   // kInternal when the body is not a CreateVpcResponse
//
// A malformed or unexpected body is kInternal: EC2 answered 200 with something made0 cannot
// read, which no retry will change.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "made0/cloud/provider.hpp"
#include "made0/core/status.hpp"

namespace made0::cloud::aws {

// Ec2Error is the <Response><Errors><Error> of a failed call.
struct Ec2Error {
  std::string code;  // "InvalidSubnetID.NotFound"
  std::string message;
  std::string request_id;
};

// ParseEc2Error reads the first <Error> of an error response; nullopt when body is not one.
std::optional<Ec2Error> ParseEc2Error(std::string_view body);

Result<Vpc> ParseCreateVpc(std::string_view body);
Result<std::vector<Vpc>> ParseDescribeVpcs(std::string_view body);
Result<Subnet> ParseCreateSubnet(std::string_view body);
Result<std::vector<Subnet>> ParseDescribeSubnets(std::string_view body);
// ParseCreateSecurityGroup returns the new group's ID.
Result<std::string> ParseCreateSecurityGroup(std::string_view body);
// ParseDescribeSecurityGroups flattens each ipPermissions item into one IngressRule per source
// (CIDR range or group).
Result<std::vector<SecurityGroup>> ParseDescribeSecurityGroups(std::string_view body);

// Instances come without a region (EC2 answers per region): the caller fills it in.
Result<Instance> ParseRunInstances(std::string_view body);
struct InstancePage {
  std::vector<Instance> instances;
  std::string next_token;  // empty on the last page
};
Result<InstancePage> ParseDescribeInstances(std::string_view body);

struct TerminatedInstance {
  std::string id;
  InstanceState state = InstanceState::kShuttingDown;
};
Result<std::vector<TerminatedInstance>> ParseTerminateInstances(std::string_view body);

// ParseEc2Time reads EC2's timestamps: "2016-11-15T17:37:05.000Z" (fraction optional, UTC).
std::optional<std::chrono::system_clock::time_point> ParseEc2Time(std::string_view text);

// kPortTagPrefix names the tags that carry an instance's endpoints ("made0:port:client" = 2379).
inline constexpr std::string_view kPortTagPrefix = "made0:port:";
// EndpointsFromTags gives name -> "<private_ip>:<port>" for each port tag with a valid port.
std::map<std::string, std::string> EndpointsFromTags(const std::map<std::string, std::string>& tags,
                                                     std::string_view private_ip);

}  // namespace made0::cloud::aws
