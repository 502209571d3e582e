#include "made0/infra/network/bootstrap.hpp"

#include <gtest/gtest.h>

namespace made0::infra::network {
namespace {

TEST(Bootstrap, DefaultIsSeedFigureSix) {
  auto plan = ParseBootstrap(kDefaultBootstrap);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->size(), 1u);
  const BootstrapVpc& vpc = (*plan)[0];
  EXPECT_EQ(vpc.region, "us-east-1");
  EXPECT_EQ(vpc.name, "made0");
  EXPECT_EQ(vpc.cidr, "172.16.0.0/16");
  ASSERT_EQ(vpc.subnets.size(), 3u);
  EXPECT_EQ(vpc.subnets[0].zone, "a");
  EXPECT_EQ(vpc.subnets[0].prefix_length, 17);
  EXPECT_EQ(vpc.subnets[1].prefix_length, 18);
  EXPECT_EQ(vpc.subnets[2].zone, "c");
  EXPECT_EQ(vpc.subnets[2].prefix_length, 19);
}

TEST(Bootstrap, EmptyMeansNothingAndSeveralAreJoined) {
  EXPECT_TRUE(ParseBootstrap("")->empty());
  auto plan = ParseBootstrap("us-east-1/a=10.0.0.0/16;eu-west-1/b=10.1.0.0/16:a/20");
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->size(), 2u);
  EXPECT_TRUE((*plan)[0].subnets.empty());
  EXPECT_EQ((*plan)[1].subnets.size(), 1u);
}

TEST(Bootstrap, MalformedPartsAreNamed) {
  for (const char* bad : {"made0=172.16.0.0/16", "us-east-1/made0", "us-east-1/=1.0.0.0/8",
                          "us-east-1/x=10.0.0.0/16:a", "us-east-1/x=10.0.0.0/16:a/x",
                          "us-east-1/x=10.0.0.0/16:/17", "us-east-1/x=10.0.0.0/16:a/17,"}) {
    auto plan = ParseBootstrap(bad);
    ASSERT_FALSE(plan) << bad;
    EXPECT_EQ(plan.error().field, kBootstrapVariable) << bad;
    EXPECT_EQ(plan.error().code, ErrorCode::kInvalid) << bad;
  }
}

}  // namespace
}  // namespace made0::infra::network
