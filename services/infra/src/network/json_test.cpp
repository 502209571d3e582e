#include "made0/infra/network/json.hpp"

#include <gtest/gtest.h>

namespace made0::infra::network {
namespace {

using nlohmann::json;

TEST(RequestJson, ReadsAVpcRequest) {
  auto req = CreateVpcRequestFrom(
      json::parse(R"({"region":"us-east-1","name":"made0","cidr":"172.16.0.0/16"})"));
  ASSERT_TRUE(req) << req.error().message;
  EXPECT_EQ(req->region, "us-east-1");
  EXPECT_EQ(*req->cidr, "172.16.0.0/16");
  EXPECT_FALSE(req->prefix_length);
  auto sized = CreateVpcRequestFrom(json::parse(R"({"region":"r-1","name":"n","prefix_length":20,
                                                    "cidr":null})"));
  ASSERT_TRUE(sized);
  EXPECT_EQ(*sized->prefix_length, 20);
  EXPECT_FALSE(sized->cidr);
}

struct BadBody {
  const char* body;
  ErrorCode code;
  const char* field;
};

TEST(RequestJson, RefusesBadVpcBodiesNamingTheField) {
  const BadBody cases[] = {
      {R"([1,2])", ErrorCode::kMalformed, ""},
      {R"({"name":"made0"})", ErrorCode::kInvalid, "region"},
      {R"({"region":"us-east-1"})", ErrorCode::kInvalid, "name"},
      {R"({"region":"us-east-1","name":7})", ErrorCode::kInvalid, "name"},
      {R"({"region":"us-east-1","name":"m","cidr":16})", ErrorCode::kInvalid, "cidr"},
      {R"({"region":"us-east-1","name":"m","prefix_length":"16"})", ErrorCode::kInvalid,
       "prefix_length"},
      {R"({"region":"us-east-1","name":"m","prefix_length":16.5})", ErrorCode::kInvalid,
       "prefix_length"},
      {R"({"region":"us-east-1","name":"m","prefix":16})", ErrorCode::kInvalid, "prefix"},
  };
  for (const BadBody& c : cases) {
    auto req = CreateVpcRequestFrom(json::parse(c.body));
    ASSERT_FALSE(req) << c.body;
    EXPECT_EQ(req.error().code, c.code) << c.body;
    EXPECT_EQ(req.error().field, c.field) << c.body;
  }
}

TEST(RequestJson, ReadsSubnetAndGroupAndRuleRequests) {
  auto subnet = CreateSubnetRequestFrom(json::parse(
      R"({"vpc_id":"vpc-0123456789abcdef0","availability_zone":"us-east-1a","prefix_length":17})"));
  ASSERT_TRUE(subnet) << subnet.error().message;
  EXPECT_EQ(*subnet->prefix_length, 17);
  EXPECT_FALSE(subnet->name);
  EXPECT_EQ(CreateSubnetRequestFrom(json::parse(R"({"vpc_id":"v"})")).error().field,
            "availability_zone");

  auto group = CreateSecurityGroupRequestFrom(
      json::parse(R"({"vpc_id":"vpc-0123456789abcdef0","name":"etcd"})"));
  ASSERT_TRUE(group);
  EXPECT_EQ(group->description, "");

  auto rule = IngressRuleRequestFrom(json::parse(R"({"protocol":-1,"source_cidr":"0.0.0.0/0"})"));
  ASSERT_TRUE(rule) << rule.error().message;
  EXPECT_EQ(rule->protocol, "-1");
  EXPECT_FALSE(rule->from_port);
  EXPECT_EQ(IngressRuleRequestFrom(json::parse(R"({"protocol":6})")).error().field, "protocol");
  EXPECT_EQ(
      IngressRuleRequestFrom(json::parse(R"({"protocol":"tcp","from_port":"22"})")).error().field,
      "from_port");
  EXPECT_EQ(IngressRuleRequestFrom(json::parse(R"({"protocol":"tcp","ports":22})")).error().field,
            "ports");
}

TEST(ObjectJson, RendersBlocksAndAddressesAsText) {
  Subnet s{"subnet-0123456789abcdef0",
           "vpc-0123456789abcdef0",
           "made0-us-east-1a",
           "us-east-1a",
           *ipam::ParseCidr("172.16.128.0/17"),
           std::nullopt,
           {}};
  s.addresses_in_use = 2;
  const json j = SubnetJson(s);
  EXPECT_EQ(j["cidr"], "172.16.128.0/17");
  EXPECT_EQ(j["addresses_in_use"], 2);
  EXPECT_TRUE(j["provider_id"].is_null());
  AddressLease lease{s.id, *ipam::ParseAddress("172.16.128.4"), "owner-1", {}};
  EXPECT_EQ(LeaseJson(lease)["address"], "172.16.128.4");
  IngressRule rule{"sgr-0123456789abcdef0", "tcp", 22, 22, *ipam::ParseCidr("10.0.0.0/8"), {}};
  const json r = RuleJson(rule);
  EXPECT_EQ(r["source_cidr"], "10.0.0.0/8");
  EXPECT_FALSE(r.contains("source_group_id"));
  const Region region{"us-east-1", *ipam::ParseCidr("172.16.0.0/13"), {"a", "b"}, true};
  EXPECT_EQ(RegionJson(region)["availability_zones"], json::array({"us-east-1a", "us-east-1b"}));
}

}  // namespace
}  // namespace made0::infra::network
