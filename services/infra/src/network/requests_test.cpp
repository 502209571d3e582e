#include "made0/infra/network/requests.hpp"

#include <gtest/gtest.h>

#include <set>

namespace made0::infra::network {
namespace {

const RegionSet& Regions() {
  static const RegionSet regions = *ParseRegionsCompact(kDefaultRegions);
  return regions;
}

Vpc Made0Vpc() {
  return Vpc{"vpc-0123456789abcdef0",           "us-east-1",  "made0",
             *ipam::ParseCidr("172.16.0.0/16"), std::nullopt, {}};
}

TEST(Ids, HaveTheAwsShape) {
  SecureRandom rng;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewId(rng, kVpcIdPrefix);
    EXPECT_EQ(id.size(), 4u + 17u);
    EXPECT_TRUE(IsId(id, kVpcIdPrefix)) << id;
    EXPECT_FALSE(IsId(id, kSubnetIdPrefix));
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_TRUE(IsId("subnet-0123456789abcdef0", kSubnetIdPrefix));
  EXPECT_FALSE(IsId("subnet-0123456789abcdef", kSubnetIdPrefix));   // 16 digits
  EXPECT_FALSE(IsId("subnet-0123456789ABCDEF0", kSubnetIdPrefix));  // upper case
  EXPECT_FALSE(IsId("subnet_0123456789abcdef0", kSubnetIdPrefix));
  EXPECT_FALSE(IsId("", kSubnetIdPrefix));
}

TEST(Names, ComposeIntoSubnetNames) {
  EXPECT_TRUE(IsName("made0"));
  EXPECT_TRUE(IsName("made0-us-east-1a"));
  EXPECT_TRUE(IsName(std::string(63, 'a')));
  EXPECT_FALSE(IsName(std::string(64, 'a')));
  EXPECT_FALSE(IsName(""));
  EXPECT_FALSE(IsName("-made0"));
  EXPECT_FALSE(IsName("made0-"));
  EXPECT_FALSE(IsName("Made0"));
  EXPECT_FALSE(IsName("made 0"));
  EXPECT_FALSE(IsName("made_0"));
}

TEST(ValidateVpcRequest, ExplicitCidrInsideThePool) {
  auto plan = ValidateVpcRequest({"us-east-1", "made0", "172.16.0.0/16", std::nullopt}, Regions());
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->cidr->ToString(), "172.16.0.0/16");
  EXPECT_EQ(plan->prefix_length, 16);
}

TEST(ValidateVpcRequest, DefaultsToASlash16FromThePool) {
  auto plan = ValidateVpcRequest({"eu-west-1", "data", std::nullopt, std::nullopt}, Regions());
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_FALSE(plan->cidr);
  EXPECT_EQ(plan->prefix_length, 16);
  auto sized = ValidateVpcRequest({"eu-west-1", "data", std::nullopt, 20}, Regions());
  ASSERT_TRUE(sized);
  EXPECT_EQ(sized->prefix_length, 20);
}

struct BadVpc {
  CreateVpcRequest req;
  const char* field;
  const char* message_part;
};

TEST(ValidateVpcRequest, RefusesBadInputNamingTheField) {
  const BadVpc cases[] = {
      {{"mars-1", "made0", std::nullopt, std::nullopt}, "region", "unknown region 'mars-1'"},
      {{"us-east-1", "", std::nullopt, std::nullopt}, "name", "1 to 63"},
      {{"us-east-1", "Made0", std::nullopt, std::nullopt}, "name", "1 to 63"},
      {{"us-east-1", "made0", "172.16.0.0", std::nullopt}, "cidr", "not a CIDR block"},
      {{"us-east-1", "made0", "172.16.0.1/16", std::nullopt}, "cidr", "host bits are set"},
      {{"us-east-1", "made0", "172.16.0.0/40", std::nullopt}, "cidr", "prefix length"},
      {{"us-east-1", "made0", "172.16.0.0/15", std::nullopt}, "cidr", "/16 to /28"},
      {{"us-east-1", "made0", "172.16.0.0/29", std::nullopt}, "cidr", "/16 to /28"},
      {{"us-east-1", "made0", "172.24.0.0/16", std::nullopt},
       "cidr",
       "not inside region us-east-1"},
      {{"us-east-1", "made0", "10.0.0.0/16", std::nullopt}, "cidr", "pool 172.16.0.0/13"},
      {{"us-east-1", "made0", "172.16.0.0/16", 16}, "prefix_length", "not both"},
      {{"us-east-1", "made0", std::nullopt, 15}, "prefix_length", "between 16 and 28"},
      {{"us-east-1", "made0", std::nullopt, 29}, "prefix_length", "between 16 and 28"},
      {{"us-east-1", "made0", std::nullopt, -1}, "prefix_length", "between 16 and 28"},
  };
  for (const BadVpc& c : cases) {
    auto plan = ValidateVpcRequest(c.req, Regions());
    ASSERT_FALSE(plan) << c.message_part;
    EXPECT_EQ(plan.error().code, ErrorCode::kInvalid) << c.message_part;
    EXPECT_EQ(plan.error().field, c.field) << plan.error().message;
    EXPECT_NE(plan.error().message.find(c.message_part), std::string::npos) << plan.error().message;
  }
}

TEST(ValidateSubnetRequest, NamesTheSubnetAfterVpcAndZone) {
  auto plan = ValidateSubnetRequest({"vpc-0123456789abcdef0", "us-east-1b", std::nullopt, 18},
                                    Made0Vpc(), Regions());
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->name, "made0-us-east-1b");
  EXPECT_EQ(plan->availability_zone, "us-east-1b");
  EXPECT_EQ(plan->prefix_length, 18);
  auto named = ValidateSubnetRequest(
      {"vpc-0123456789abcdef0", "us-east-1b", "172.16.0.0/24", std::nullopt, "etcd"}, Made0Vpc(),
      Regions());
  ASSERT_TRUE(named) << named.error().message;
  EXPECT_EQ(named->name, "etcd");
  EXPECT_EQ(named->cidr->ToString(), "172.16.0.0/24");
}

struct BadSubnet {
  CreateSubnetRequest req;
  const char* field;
  const char* message_part;
};

TEST(ValidateSubnetRequest, RefusesBadInputNamingTheField) {
  const std::string v = "vpc-0123456789abcdef0";
  const BadSubnet cases[] = {
      {{v, "us-east-1d", std::nullopt, 20}, "availability_zone", "unknown availability zone"},
      {{v, "eu-west-1a", std::nullopt, 20}, "availability_zone", "us-east-1a, us-east-1b"},
      {{v, "", std::nullopt, 20}, "availability_zone", "unknown availability zone"},
      {{v, "us-east-1a", std::nullopt, std::nullopt}, "prefix_length", "either cidr or"},
      {{v, "us-east-1a", "172.16.0.0/20", 20}, "prefix_length", "not both"},
      {{v, "us-east-1a", std::nullopt, 15}, "prefix_length", "between 16 and 28"},
      {{v, "us-east-1a", std::nullopt, 29}, "prefix_length", "between 16 and 28"},
      {{v, "us-east-1a", "172.17.0.0/20", std::nullopt}, "cidr", "not inside made0"},
      {{v, "us-east-1a", "172.16.0.0/29", std::nullopt}, "cidr", "/28 or larger"},
      {{v, "us-east-1a", "172.16.0.8/20", std::nullopt}, "cidr", "host bits"},
      {{v, "us-east-1a", "x", std::nullopt}, "cidr", "not a CIDR"},
      {{v, "us-east-1a", std::nullopt, 20, "Bad Name"}, "name", "1 to 63"},
  };
  for (const BadSubnet& c : cases) {
    auto plan = ValidateSubnetRequest(c.req, Made0Vpc(), Regions());
    ASSERT_FALSE(plan) << c.message_part;
    EXPECT_EQ(plan.error().field, c.field) << plan.error().message;
    EXPECT_NE(plan.error().message.find(c.message_part), std::string::npos) << plan.error().message;
  }
}

TEST(ValidateIngressRule, NormalisesGoodRules) {
  auto tcp = ValidateIngressRule({"tcp", 2379, 2380, "172.16.0.0/16", std::nullopt});
  ASSERT_TRUE(tcp) << tcp.error().message;
  EXPECT_EQ(tcp->from_port, 2379);
  EXPECT_EQ(tcp->source_cidr->ToString(), "172.16.0.0/16");
  auto all =
      ValidateIngressRule({"-1", std::nullopt, std::nullopt, std::nullopt, "sg-0123456789abcdef0"});
  ASSERT_TRUE(all) << all.error().message;
  EXPECT_EQ(all->from_port, -1);
  EXPECT_EQ(all->to_port, -1);
  EXPECT_EQ(*all->source_group_id, "sg-0123456789abcdef0");
  auto ping = ValidateIngressRule({"icmp", 8, std::nullopt, "0.0.0.0/0", std::nullopt});
  ASSERT_TRUE(ping) << ping.error().message;
  EXPECT_EQ(ping->from_port, 8);
  EXPECT_EQ(ping->to_port, -1);
  auto any_icmp = ValidateIngressRule({"icmp", std::nullopt, std::nullopt, "10.0.0.0/8", {}});
  ASSERT_TRUE(any_icmp);
  EXPECT_EQ(any_icmp->from_port, -1);
}

struct BadRule {
  IngressRuleRequest req;
  const char* field;
};

TEST(ValidateIngressRule, RefusesBadRulesNamingTheField) {
  const std::optional<std::string> none;
  const std::optional<std::string> any = "0.0.0.0/0";
  const BadRule cases[] = {
      {{"sctp", 1, 2, any, none}, "protocol"},
      {{"TCP", 1, 2, any, none}, "protocol"},
      {{"", 1, 2, any, none}, "protocol"},
      {{"tcp", std::nullopt, 22, any, none}, "from_port"},
      {{"tcp", 22, std::nullopt, any, none}, "to_port"},
      {{"tcp", -1, 22, any, none}, "from_port"},
      {{"udp", 53, 65536, any, none}, "to_port"},
      {{"tcp", 443, 80, any, none}, "to_port"},
      {{"icmp", 256, -1, any, none}, "from_port"},
      {{"icmp", -1, 0, any, none}, "to_port"},
      {{"-1", 0, 65535, any, none}, "from_port"},
      {{"tcp", 22, 22, none, none}, "source_cidr"},
      {{"tcp", 22, 22, any, "sg-0123456789abcdef0"}, "source_cidr"},
      {{"tcp", 22, 22, "10.0.0.1/8", none}, "source_cidr"},
      {{"tcp", 22, 22, none, "vpc-0123456789abcdef0"}, "source_group_id"},
  };
  for (const BadRule& c : cases) {
    auto rule = ValidateIngressRule(c.req);
    ASSERT_FALSE(rule) << c.field;
    EXPECT_EQ(rule.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(rule.error().field, c.field) << rule.error().message;
  }
}

TEST(ValidateSecurityGroupRequest, ChecksVpcIdNameAndDescription) {
  const std::string v = "vpc-0123456789abcdef0";
  EXPECT_TRUE(ValidateSecurityGroupRequest({v, "etcd", "etcd peers and clients"}));
  EXPECT_EQ(ValidateSecurityGroupRequest({"vpc-1", "etcd", ""}).error().field, "vpc_id");
  EXPECT_EQ(ValidateSecurityGroupRequest({v, "Etcd", ""}).error().field, "name");
  EXPECT_EQ(ValidateSecurityGroupRequest({v, "etcd", std::string(256, 'x')}).error().field,
            "description");
  EXPECT_EQ(ValidateSecurityGroupRequest({v, "etcd", "a\nb"}).error().field, "description");
}

TEST(ValidateOwner, AcceptsIdempotencyKeys) {
  EXPECT_TRUE(ValidateOwner("saga-1f2e/step-allocate-address"));
  EXPECT_FALSE(ValidateOwner(""));
  EXPECT_FALSE(ValidateOwner("has space"));
  EXPECT_FALSE(ValidateOwner(std::string(201, 'k')));
  EXPECT_EQ(ValidateOwner("").error().field, "owner");
}

}  // namespace
}  // namespace made0::infra::network
