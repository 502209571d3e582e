#include "made0/ctl/resources.hpp"

#include <gtest/gtest.h>

namespace made0::ctl {
namespace {

TEST(ResolveKind, PluralsSingularsAndAliasesInAnyCase) {
  const std::pair<const char*, Kind> cases[] = {
      {"regions", Kind::kRegion},
      {"region", Kind::kRegion},
      {"vpcs", Kind::kVpc},
      {"vpc", Kind::kVpc},
      {"VPC", Kind::kVpc},
      {"subnets", Kind::kSubnet},
      {"subnet", Kind::kSubnet},
      {"security-groups", Kind::kSecurityGroup},
      {"security-group", Kind::kSecurityGroup},
      {"sg", Kind::kSecurityGroup},
      {"SGs", Kind::kSecurityGroup},
      {"securitygroups", Kind::kSecurityGroup},
      {"clusters", Kind::kCluster},
      {"cluster", Kind::kCluster},
      {"instances", Kind::kInstance},
      {"instance", Kind::kInstance},
      {"i", Kind::kInstance},
      {"sagas", Kind::kSaga},
      {"saga", Kind::kSaga},
  };
  for (const auto& [name, want] : cases) {
    auto got = ResolveKind(name);
    ASSERT_TRUE(got) << name;
    EXPECT_EQ(*got, want) << name;
  }
}

TEST(ResolveKind, UnknownNamesListTheResourceTypes) {
  for (const char* name : {"", "pods", "security_groups", "sagass"}) {
    auto got = ResolveKind(name);
    ASSERT_FALSE(got) << name;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(
        got.error().message,
        "unknown resource type \"" + std::string(name) +
            "\"; one of: regions, vpcs, subnets, security-groups, clusters, instances, sagas");
  }
}

TEST(ListPath, FiltersBecomeEncodedQueryParameters) {
  struct Case {
    Kind kind;
    Filters filters;
    std::string want;
  };
  const Case cases[] = {
      {Kind::kRegion, {}, "/v1/regions"},
      {Kind::kVpc, {}, "/v1/vpcs"},
      {Kind::kVpc, {.region = "us-east-1"}, "/v1/vpcs?region=us-east-1"},
      {Kind::kSubnet, {.vpc = "vpc-01110f3f8d068810e"}, "/v1/subnets?vpc_id=vpc-01110f3f8d068810e"},
      {Kind::kSecurityGroup, {.vpc = "vpc-1"}, "/v1/security-groups?vpc_id=vpc-1"},
      {Kind::kCluster, {.owner = "ann@example.test"}, "/v1/clusters?owner=ann%40example.test"},
      {Kind::kInstance,
       {.region = "eu-west-1", .cluster = "etcd", .owner = "u 1"},
       "/v1/instances?owner=u%201&cluster=etcd&region=eu-west-1"},
      {Kind::kSaga,
       {.status = "compensation_failed", .type = "CreateInstance", .limit = 5},
       "/v1/sagas?status=compensation_failed&type=CreateInstance&limit=5"},
      {Kind::kSaga, {.type = "a&b=c"}, "/v1/sagas?type=a%26b%3Dc"},
  };
  for (const Case& c : cases) {
    auto got = ListPath(c.kind, c.filters);
    ASSERT_TRUE(got) << c.want << ": " << got.error().message;
    EXPECT_EQ(*got, c.want);
  }
}

TEST(ListPath, AFilterTheKindLacksIsNamed) {
  struct Case {
    Kind kind;
    Filters filters;
    std::string field;
    std::string message;
  };
  const Case cases[] = {
      {Kind::kInstance,
       {.vpc = "v"},
       "--vpc",
       "--vpc does not apply to instances (it filters subnets, security-groups)"},
      {Kind::kRegion,
       {.region = "r"},
       "--region",
       "--region does not apply to regions (it filters vpcs, instances)"},
      {Kind::kVpc, {.limit = 3}, "--limit", "--limit does not apply to vpcs (it filters sagas)"},
      {Kind::kSubnet,
       {.status = "x"},
       "--status",
       "--status does not apply to subnets (it filters sagas)"},
      {Kind::kSaga,
       {.owner = "o"},
       "--owner",
       "--owner does not apply to sagas (it filters clusters, instances)"},
  };
  for (const Case& c : cases) {
    auto got = ListPath(c.kind, c.filters);
    ASSERT_FALSE(got) << c.message;
    EXPECT_EQ(got.error().field, c.field);
    EXPECT_EQ(got.error().message, c.message);
  }
}

TEST(ObjectPath, EncodesTheId) {
  EXPECT_EQ(ObjectPath(Kind::kSaga, "saga-0123456789abcdef"), "/v1/sagas/saga-0123456789abcdef");
  EXPECT_EQ(ObjectPath(Kind::kInstance, "i-1/../x"), "/v1/instances/i-1%2F..%2Fx");
  EXPECT_EQ(ObjectPath(Kind::kSecurityGroup, "sg-1"), "/v1/security-groups/sg-1");
}

TEST(QueryString, EmptyAndSeveral) {
  EXPECT_EQ(QueryString({}), "");
  EXPECT_EQ(QueryString({{"a", "1"}, {"b c", "x y"}}), "?a=1&b%20c=x%20y");
}

}  // namespace
}  // namespace made0::ctl
