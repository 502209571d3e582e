#include "ec2_query.hpp"

#include <gtest/gtest.h>

#include "made0/core/encoding.hpp"

namespace made0::cloud::aws {
namespace {

TEST(FormEncode, JoinsInOrder) {
  EXPECT_EQ(FormEncode({{"Action", "CreateVpc"}, {"CidrBlock", "10.0.0.0/16"}, {"B", "x y"}}),
            "Action=CreateVpc&CidrBlock=10.0.0.0%2F16&B=x%20y");
  EXPECT_EQ(FormEncode({}), "");
}

TEST(TokenValue, KeepsShortTokensAndHashesOthersStably) {
  EXPECT_EQ(TokenValue("saga-1:runInstance"), "saga-1:runInstance");
  const std::string s64(64, 'a');
  EXPECT_EQ(TokenValue(s64), s64);
  const std::string s65(65, 'a');
  EXPECT_EQ(TokenValue(s65), Sha256Hex(s65));
  EXPECT_EQ(TokenValue(s65).size(), 64u);
  EXPECT_EQ(TokenValue("with space"), Sha256Hex("with space"));
  EXPECT_EQ(TokenValue("caf\xC3\xA9"), Sha256Hex("caf\xC3\xA9"));
}

struct ParamsCase {
  std::string name;
  Params got;
  Params want;
};

TEST(Params, EachActionInOrder) {
  const ParamsCase cases[] = {
      {"CreateVpc",
       CreateVpcParams({.region = "us-east-1",
                        .cidr = "172.16.0.0/16",
                        .name = "made0",
                        .idempotency_token = "saga-1:vpc"}),
       {{"Action", "CreateVpc"},
        {"Version", "2016-11-15"},
        {"CidrBlock", "172.16.0.0/16"},
        {"TagSpecification.1.ResourceType", "vpc"},
        {"TagSpecification.1.Tag.1.Key", "Name"},
        {"TagSpecification.1.Tag.1.Value", "made0"},
        {"TagSpecification.1.Tag.2.Key", "made0:idempotency-token"},
        {"TagSpecification.1.Tag.2.Value", "saga-1:vpc"}}},
      {"CreateVpc without a name",
       CreateVpcParams({.region = "r", .cidr = "10.0.0.0/8", .name = "", .idempotency_token = "t"}),
       {{"Action", "CreateVpc"},
        {"Version", "2016-11-15"},
        {"CidrBlock", "10.0.0.0/8"},
        {"TagSpecification.1.ResourceType", "vpc"},
        {"TagSpecification.1.Tag.1.Key", "made0:idempotency-token"},
        {"TagSpecification.1.Tag.1.Value", "t"}}},
      {"CreateSubnet",
       CreateSubnetParams({.region = "us-east-1",
                           .vpc_id = "vpc-1",
                           .az = "us-east-1a",
                           .cidr = "172.16.128.0/17",
                           .name = "made0-us-east-1a",
                           .idempotency_token = "s:1"}),
       {{"Action", "CreateSubnet"},
        {"Version", "2016-11-15"},
        {"VpcId", "vpc-1"},
        {"CidrBlock", "172.16.128.0/17"},
        {"AvailabilityZone", "us-east-1a"},
        {"TagSpecification.1.ResourceType", "subnet"},
        {"TagSpecification.1.Tag.1.Key", "Name"},
        {"TagSpecification.1.Tag.1.Value", "made0-us-east-1a"},
        {"TagSpecification.1.Tag.2.Key", "made0:idempotency-token"},
        {"TagSpecification.1.Tag.2.Value", "s:1"}}},
      {"CreateSecurityGroup without description uses the name",
       CreateSecurityGroupParams({.region = "us-east-1",
                                  .vpc_id = "vpc-1",
                                  .name = "etcd",
                                  .description = "",
                                  .idempotency_token = "g:1"}),
       {{"Action", "CreateSecurityGroup"},
        {"Version", "2016-11-15"},
        {"GroupName", "etcd"},
        {"GroupDescription", "etcd"},
        {"VpcId", "vpc-1"},
        {"TagSpecification.1.ResourceType", "security-group"},
        {"TagSpecification.1.Tag.1.Key", "Name"},
        {"TagSpecification.1.Tag.1.Value", "etcd"},
        {"TagSpecification.1.Tag.2.Key", "made0:idempotency-token"},
        {"TagSpecification.1.Tag.2.Value", "g:1"}}},
      {"DescribeVpcs by token",
       DescribeVpcsByTokenParams("saga-1:vpc"),
       {{"Action", "DescribeVpcs"},
        {"Version", "2016-11-15"},
        {"Filter.1.Name", "tag:made0:idempotency-token"},
        {"Filter.1.Value.1", "saga-1:vpc"}}},
      {"DescribeSubnets by token",
       DescribeSubnetsByTokenParams("s:1"),
       {{"Action", "DescribeSubnets"},
        {"Version", "2016-11-15"},
        {"Filter.1.Name", "tag:made0:idempotency-token"},
        {"Filter.1.Value.1", "s:1"}}},
      {"DescribeSecurityGroups by a long token (hashed as when tagged)",
       DescribeSecurityGroupsByTokenParams(std::string(70, 'x')),
       {{"Action", "DescribeSecurityGroups"},
        {"Version", "2016-11-15"},
        {"Filter.1.Name", "tag:made0:idempotency-token"},
        {"Filter.1.Value.1", Sha256Hex(std::string(70, 'x'))}}},
      {"AuthorizeSecurityGroupIngress",
       AuthorizeIngressParams("sg-1", {{.protocol = "tcp",
                                        .from_port = 2379,
                                        .to_port = 2380,
                                        .source_cidr = "10.0.0.0/8",
                                        .source_group_id = ""},
                                       {.protocol = "-1",
                                        .from_port = 0,
                                        .to_port = 0,
                                        .source_cidr = "",
                                        .source_group_id = "sg-2"}}),
       {{"Action", "AuthorizeSecurityGroupIngress"},
        {"Version", "2016-11-15"},
        {"GroupId", "sg-1"},
        {"IpPermissions.1.IpProtocol", "tcp"},
        {"IpPermissions.1.FromPort", "2379"},
        {"IpPermissions.1.ToPort", "2380"},
        {"IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/8"},
        {"IpPermissions.2.IpProtocol", "-1"},
        {"IpPermissions.2.Groups.1.GroupId", "sg-2"}}},
      {"RunInstances",
       RunInstancesParams({.region = "us-east-1",
                           .az = "us-east-1a",
                           .subnet_id = "subnet-1",
                           .image = "ami-1",
                           .instance_type = "t3.small",
                           .private_ip = "172.16.128.4",
                           .security_group_ids = {"sg-1", "sg-2"},
                           .tags = {{"Name", "etcd-0"}, {"made0:cluster", "abc"}},
                           .user_data = "#cloud-config\n",
                           .idempotency_token = "saga-1:runInstance"}),
       {{"Action", "RunInstances"},
        {"Version", "2016-11-15"},
        {"ImageId", "ami-1"},
        {"InstanceType", "t3.small"},
        {"MinCount", "1"},
        {"MaxCount", "1"},
        {"ClientToken", "saga-1:runInstance"},
        {"SubnetId", "subnet-1"},
        {"PrivateIpAddress", "172.16.128.4"},
        {"SecurityGroupId.1", "sg-1"},
        {"SecurityGroupId.2", "sg-2"},
        {"TagSpecification.1.ResourceType", "instance"},
        {"TagSpecification.1.Tag.1.Key", "Name"},
        {"TagSpecification.1.Tag.1.Value", "etcd-0"},
        {"TagSpecification.1.Tag.2.Key", "made0:cluster"},
        {"TagSpecification.1.Tag.2.Value", "abc"},
        {"UserData", "I2Nsb3VkLWNvbmZpZwo="}}},
      {"RunInstances, minimal",
       RunInstancesParams(
           {.region = "r", .subnet_id = "subnet-1", .image = "ami-1", .idempotency_token = "t"}),
       {{"Action", "RunInstances"},
        {"Version", "2016-11-15"},
        {"ImageId", "ami-1"},
        {"MinCount", "1"},
        {"MaxCount", "1"},
        {"ClientToken", "t"},
        {"SubnetId", "subnet-1"}}},
      {"DescribeInstances by ID",
       DescribeInstancesParams({"i-1", "i-2"}, ""),
       {{"Action", "DescribeInstances"},
        {"Version", "2016-11-15"},
        {"InstanceId.1", "i-1"},
        {"InstanceId.2", "i-2"}}},
      {"DescribeInstances, first page",
       DescribeInstancesParams({}, ""),
       {{"Action", "DescribeInstances"}, {"Version", "2016-11-15"}, {"MaxResults", "1000"}}},
      {"DescribeInstances, next page",
       DescribeInstancesParams({}, "tok"),
       {{"Action", "DescribeInstances"},
        {"Version", "2016-11-15"},
        {"MaxResults", "1000"},
        {"NextToken", "tok"}}},
      {"TerminateInstances",
       TerminateInstancesParams("i-1"),
       {{"Action", "TerminateInstances"}, {"Version", "2016-11-15"}, {"InstanceId.1", "i-1"}}},
  };
  for (const auto& c : cases) EXPECT_EQ(c.got, c.want) << c.name;
}

}  // namespace
}  // namespace made0::cloud::aws
