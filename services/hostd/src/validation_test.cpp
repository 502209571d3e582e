#include "made0/hostd/validation.hpp"

#include <gtest/gtest.h>

namespace made0::hostd {
namespace {

const Zones& TestZones() {
  static const Zones z = *ParseZones(kDefaultZones);
  return z;
}

TEST(Validation, VpcSpecs) {
  struct Case {
    cloud::VpcSpec spec;
    const char* field;  // nullptr: valid
  };
  const Case cases[] = {
      {{.region = "us-east-1", .cidr = "172.16.0.0/16"}, nullptr},
      {{.region = "", .cidr = "172.16.0.0/16"}, "region"},
      {{.region = "mars-1", .cidr = "172.16.0.0/16"}, "region"},
      {{.region = "us-east-1", .cidr = ""}, "cidr"},
      {{.region = "us-east-1", .cidr = "172.16.0.1/16"}, "cidr"},
      {{.region = "us-east-1", .cidr = "10.0.0.0/8"}, "cidr"},
      {{.region = "us-east-1", .cidr = "10.0.0.0/29"}, "cidr"},
      {{.region = "us-east-1", .cidr = "10.0.0.0/16", .name = std::string(300, 'n')}, "name"},
  };
  for (const auto& c : cases) {
    Status s = ValidateVpcSpec(c.spec, TestZones());
    if (c.field == nullptr) {
      EXPECT_TRUE(s) << c.spec.cidr << ": " << s.error().message;
    } else {
      ASSERT_FALSE(s) << c.field;
      EXPECT_EQ(s.error().code, ErrorCode::kInvalid);
      EXPECT_EQ(s.error().field, c.field) << s.error().message;
    }
  }
}

TEST(Validation, SubnetAndGroupSpecs) {
  const std::string vpc = "vpc-0123456789abcdef0";
  EXPECT_TRUE(ValidateSubnetSpec(
      {.region = "us-east-1", .vpc_id = vpc, .az = "us-east-1a", .cidr = "172.16.128.0/17"},
      TestZones()));
  EXPECT_EQ(
      ValidateSubnetSpec(
          {.region = "us-east-1", .vpc_id = "vpc-1", .az = "us-east-1a", .cidr = "172.16.128.0/17"},
          TestZones())
          .error()
          .field,
      "vpc_id");
  EXPECT_EQ(
      ValidateSubnetSpec(
          {.region = "us-east-1", .vpc_id = vpc, .az = "eu-west-1a", .cidr = "172.16.128.0/17"},
          TestZones())
          .error()
          .field,
      "az");
  EXPECT_EQ(
      ValidateSecurityGroupSpec({.region = "us-east-1", .vpc_id = vpc}, TestZones()).error().field,
      "name");
}

TEST(Validation, IngressRules) {
  struct Case {
    cloud::IngressRule rule;
    const char* field;
  };
  const Case cases[] = {
      {{.protocol = "tcp", .from_port = 22, .to_port = 22, .source_cidr = "0.0.0.0/0"}, nullptr},
      {{.protocol = "-1", .source_group_id = "sg-0123456789abcdef0"}, nullptr},
      {{.protocol = "sctp", .source_cidr = "0.0.0.0/0"}, "rules[0].protocol"},
      {{.protocol = "tcp", .from_port = -1, .to_port = 2, .source_cidr = "0.0.0.0/0"},
       "rules[0].from_port"},
      {{.protocol = "tcp", .from_port = 5, .to_port = 4, .source_cidr = "0.0.0.0/0"},
       "rules[0].to_port"},
      {{.protocol = "tcp", .from_port = 1, .to_port = 2}, "rules[0].source_cidr"},
      {{.protocol = "tcp",
        .from_port = 1,
        .to_port = 2,
        .source_cidr = "0.0.0.0/0",
        .source_group_id = "sg-0123456789abcdef0"},
       "rules[0].source_cidr"},
      {{.protocol = "udp", .from_port = 1, .to_port = 2, .source_cidr = "1.2.3.4/40"},
       "rules[0].source_cidr"},
      {{.protocol = "udp", .from_port = 1, .to_port = 2, .source_group_id = "sg-x"},
       "rules[0].source_group_id"},
  };
  for (const auto& c : cases) {
    Status s = ValidateIngressRules({c.rule});
    if (c.field == nullptr) {
      EXPECT_TRUE(s) << s.error().message;
    } else {
      ASSERT_FALSE(s) << c.field;
      EXPECT_EQ(s.error().field, c.field) << s.error().message;
    }
  }
}

TEST(Validation, RunInstanceTags) {
  cloud::RunInstanceSpec spec{.region = "us-east-1",
                              .az = "us-east-1a",
                              .subnet_id = "subnet-0123456789abcdef0",
                              .image = "test"};
  EXPECT_TRUE(ValidateRunInstanceSpec(spec, TestZones()));
  spec.tags[""] = "x";
  EXPECT_EQ(ValidateRunInstanceSpec(spec, TestZones()).error().field, "tags");
  spec.tags.clear();
  spec.tags["Name"] = std::string(300, 'x');
  EXPECT_EQ(ValidateRunInstanceSpec(spec, TestZones()).error().field, "tags.Name");
  spec.tags.clear();
  spec.security_group_ids = {"sg-0123456789abcdef0", "group"};
  EXPECT_EQ(ValidateRunInstanceSpec(spec, TestZones()).error().field, "security_group_ids[1]");
}

}  // namespace
}  // namespace made0::hostd
