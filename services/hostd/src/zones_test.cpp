#include "made0/hostd/zones.hpp"

#include <gtest/gtest.h>

namespace made0::hostd {
namespace {

TEST(Zones, DefaultsParse) {
  auto z = ParseZones(kDefaultZones);
  ASSERT_TRUE(z);
  EXPECT_TRUE(z->Has("us-east-1", "us-east-1a"));
  EXPECT_TRUE(z->Has("eu-west-1", "eu-west-1c"));
  EXPECT_FALSE(z->Has("us-east-1", "eu-west-1a"));
  EXPECT_EQ(z->RegionOf("us-east-1b"), "us-east-1");
  EXPECT_EQ(z->RegionOf("eu-west-1a"), "eu-west-1");
  EXPECT_EQ(z->RegionOf("ap-south-1a"), std::nullopt);
  EXPECT_EQ(z->ByRegion().size(), 2u);
}

TEST(Zones, RejectsBadLists) {
  for (const char* bad : {"", ",", "us-east-1a,us-east-1a", "US-EAST-1A", "a", "us-east-1"}) {
    auto z = ParseZones(bad);
    EXPECT_FALSE(z) << bad;
    if (!z) {
      EXPECT_EQ(z.error().field, "MADE0_HOSTD_ZONES");
    }
  }
  EXPECT_TRUE(ParseZones("local-a,local-b"));
}

}  // namespace
}  // namespace made0::hostd
