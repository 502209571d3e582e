#include "ec2_query.hpp"

#include <map>

#include "made0/core/encoding.hpp"

namespace made0::cloud::aws {
namespace {

// kDescribePageSize is DescribeInstances' MaxResults for a region-wide listing (EC2 allows
// 5..1000).
constexpr std::string_view kDescribePageSize = "1000";

Params Start(std::string_view action) {
  return {{"Action", std::string(action)}, {"Version", std::string(kEc2ApiVersion)}};
}

void Add(Params& p, std::string key, std::string value) {
  p.emplace_back(std::move(key), std::move(value));
}

// AddTags writes one TagSpecification for `resource_type` with every tag (std::map: in key
// order, so the request is deterministic).
void AddTags(Params& p, std::string_view resource_type,
             const std::map<std::string, std::string>& tags) {
  if (tags.empty()) return;
  Add(p, "TagSpecification.1.ResourceType", std::string(resource_type));
  int n = 1;
  for (const auto& [key, value] : tags) {
    const std::string prefix = "TagSpecification.1.Tag." + std::to_string(n++);
    Add(p, prefix + ".Key", key);
    Add(p, prefix + ".Value", value);
  }
}

std::map<std::string, std::string> NameAndToken(const std::string& name, std::string_view token) {
  std::map<std::string, std::string> tags{{std::string(kIdempotencyTagKey), TokenValue(token)}};
  if (!name.empty()) tags["Name"] = name;
  return tags;
}

Params DescribeByToken(std::string_view action, std::string_view token) {
  Params p = Start(action);
  Add(p, "Filter.1.Name", "tag:" + std::string(kIdempotencyTagKey));
  Add(p, "Filter.1.Value.1", TokenValue(token));
  return p;
}

}  // namespace

std::string FormEncode(const Params& params) {
  std::string out;
  for (const auto& [key, value] : params) {
    if (!out.empty()) out.push_back('&');
    out += PercentEncode(key);
    out.push_back('=');
    out += PercentEncode(value);
  }
  return out;
}

std::string TokenValue(std::string_view token) {
  bool fits = !token.empty() && token.size() <= 64;
  for (char c : token) {
    if (c < 0x21 || c > 0x7E) fits = false;  // printable ASCII, no spaces
  }
  return fits ? std::string(token) : Sha256Hex(token);
}

Params CreateVpcParams(const VpcSpec& spec) {
  Params p = Start("CreateVpc");
  Add(p, "CidrBlock", spec.cidr);
  AddTags(p, "vpc", NameAndToken(spec.name, spec.idempotency_token));
  return p;
}

Params CreateSubnetParams(const SubnetSpec& spec) {
  Params p = Start("CreateSubnet");
  Add(p, "VpcId", spec.vpc_id);
  Add(p, "CidrBlock", spec.cidr);
  if (!spec.az.empty()) Add(p, "AvailabilityZone", spec.az);
  AddTags(p, "subnet", NameAndToken(spec.name, spec.idempotency_token));
  return p;
}

Params CreateSecurityGroupParams(const SecurityGroupSpec& spec) {
  Params p = Start("CreateSecurityGroup");
  Add(p, "GroupName", spec.name);
  // EC2 requires a description; the name is the best stand-in.
  Add(p, "GroupDescription", spec.description.empty() ? spec.name : spec.description);
  Add(p, "VpcId", spec.vpc_id);
  AddTags(p, "security-group", NameAndToken(spec.name, spec.idempotency_token));
  return p;
}

Params DescribeVpcsByTokenParams(std::string_view token) {
  return DescribeByToken("DescribeVpcs", token);
}
Params DescribeSubnetsByTokenParams(std::string_view token) {
  return DescribeByToken("DescribeSubnets", token);
}
Params DescribeSecurityGroupsByTokenParams(std::string_view token) {
  return DescribeByToken("DescribeSecurityGroups", token);
}

Params AuthorizeIngressParams(std::string_view group_id, const std::vector<IngressRule>& rules) {
  Params p = Start("AuthorizeSecurityGroupIngress");
  Add(p, "GroupId", std::string(group_id));
  int n = 1;
  for (const IngressRule& r : rules) {
    const std::string prefix = "IpPermissions." + std::to_string(n++);
    Add(p, prefix + ".IpProtocol", r.protocol);
    if (r.protocol != "-1") {  // "all traffic" takes no ports
      Add(p, prefix + ".FromPort", std::to_string(r.from_port));
      Add(p, prefix + ".ToPort", std::to_string(r.to_port));
    }
    if (!r.source_cidr.empty()) Add(p, prefix + ".IpRanges.1.CidrIp", r.source_cidr);
    if (!r.source_group_id.empty()) Add(p, prefix + ".Groups.1.GroupId", r.source_group_id);
  }
  return p;
}

Params RunInstancesParams(const RunInstanceSpec& spec) {
  Params p = Start("RunInstances");
  Add(p, "ImageId", spec.image);
  if (!spec.instance_type.empty()) Add(p, "InstanceType", spec.instance_type);
  Add(p, "MinCount", "1");
  Add(p, "MaxCount", "1");
  Add(p, "ClientToken", TokenValue(spec.idempotency_token));
  // The subnet fixes the availability zone, so Placement.AvailabilityZone is not sent.
  Add(p, "SubnetId", spec.subnet_id);
  if (!spec.private_ip.empty()) Add(p, "PrivateIpAddress", spec.private_ip);
  int n = 1;
  for (const std::string& sg : spec.security_group_ids) {
    Add(p, "SecurityGroupId." + std::to_string(n++), sg);
  }
  AddTags(p, "instance", spec.tags);
  if (!spec.user_data.empty()) Add(p, "UserData", Base64Encode(spec.user_data));
  return p;
}

Params DescribeInstancesParams(const std::vector<std::string>& ids, std::string_view next_token) {
  Params p = Start("DescribeInstances");
  if (!ids.empty()) {
    // EC2 rejects MaxResults together with InstanceId: named instances come in one answer.
    int n = 1;
    for (const std::string& id : ids) Add(p, "InstanceId." + std::to_string(n++), id);
    return p;
  }
  Add(p, "MaxResults", std::string(kDescribePageSize));
  if (!next_token.empty()) Add(p, "NextToken", std::string(next_token));
  return p;
}

Params TerminateInstancesParams(std::string_view id) {
  Params p = Start("TerminateInstances");
  Add(p, "InstanceId.1", std::string(id));
  return p;
}

}  // namespace made0::cloud::aws
