#include "made0/infra/network/regions.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace made0::infra::network {
namespace {

TEST(Regions, DefaultIsUsEastPrimaryAndEuWestWithThreeZonesEach) {
  auto regions = ParseRegionsCompact(kDefaultRegions);
  ASSERT_TRUE(regions) << regions.error().message;
  ASSERT_EQ(regions->regions().size(), 2u);
  EXPECT_EQ(regions->Primary().name, "us-east-1");
  const Region* us = regions->Find("us-east-1");
  ASSERT_NE(us, nullptr);
  EXPECT_EQ(us->pool.ToString(), "172.16.0.0/13");
  EXPECT_EQ(us->AvailabilityZones(),
            (std::vector<std::string>{"us-east-1a", "us-east-1b", "us-east-1c"}));
  // The control plane's own VPC of seed figure 6 fits the primary region's pool.
  EXPECT_TRUE(us->pool.Contains(*ipam::ParseCidr("172.16.0.0/16")));
  const Region* eu = regions->Find("eu-west-1");
  ASSERT_NE(eu, nullptr);
  EXPECT_FALSE(eu->primary);
  EXPECT_EQ(eu->pool.ToString(), "172.24.0.0/13");
  EXPECT_TRUE(eu->HasZone("eu-west-1c"));
  EXPECT_FALSE(eu->HasZone("eu-west-1d"));
  EXPECT_FALSE(eu->HasZone("us-east-1a"));
  EXPECT_FALSE(eu->HasZone("eu-west-1"));
  EXPECT_EQ(regions->Find("ap-south-1"), nullptr);
}

TEST(Regions, CompactFormToleratesSpacesAndATrailingSeparator) {
  auto regions = ParseRegionsCompact(" local-1 = 10.0.0.0/8 : a , b ; ");
  ASSERT_TRUE(regions) << regions.error().message;
  ASSERT_EQ(regions->regions().size(), 1u);
  EXPECT_EQ(regions->regions()[0].name, "local-1");
  EXPECT_EQ(regions->regions()[0].zones, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(regions->regions()[0].primary);
}

struct BadConfig {
  const char* text;
  const char* message_part;
};

TEST(Regions, RefusesBadConfigurationNamingTheProblem) {
  const BadConfig cases[] = {
      {"", "at least one region"},
      {"us-east-1", "is not <region>=<pool>:<zones>"},
      {"us-east-1=172.16.0.0/13", "is not <region>=<pool>:<zones>"},
      {"us-east-1=172.16.0.1/13:a", "host bits are set"},
      {"us-east-1=172.16.0.0/33:a", "prefix length"},
      {"us-east-1=nonsense:a", "not a CIDR block"},
      {"US-East-1=172.16.0.0/13:a", "region name 'US-East-1' is not valid"},
      {"us--east=172.16.0.0/13:a", "is not valid"},
      {"us-east-1=172.16.0.0/13:", "zone '' must be one lowercase letter"},
      {"us-east-1=172.16.0.0/13:ab", "zone 'ab' must be one lowercase letter"},
      {"us-east-1=172.16.0.0/13:a,a", "zone a is listed twice"},
      {"us-east-1=172.16.0.0/13:a;us-east-1=10.0.0.0/8:a", "listed twice"},
      {"us-east-1=172.16.0.0/29:a", "between /8 and /28"},
      {"us-east-1=0.0.0.0/0:a", "between /8 and /28"},
      // Overlapping pools would let two regions hand out the same VPC range.
      {"us-east-1=172.16.0.0/12:a;eu-west-1=172.24.0.0/13:a", "pools overlap: us-east-1"},
      {"us-east-1=10.0.0.0/16:a;eu-west-1=10.0.0.0/16:a", "pools overlap"},
  };
  for (const BadConfig& c : cases) {
    auto regions = ParseRegionsCompact(c.text);
    ASSERT_FALSE(regions) << c.text;
    EXPECT_EQ(regions.error().code, ErrorCode::kInvalid) << c.text;
    EXPECT_EQ(regions.error().field, "MADE0_INFRA_REGIONS") << c.text;
    EXPECT_NE(regions.error().message.find(c.message_part), std::string::npos)
        << c.text << ": " << regions.error().message;
  }
}

TEST(Regions, JsonFormWithExplicitPrimary) {
  auto regions = ParseRegionsJson(R"({"regions": [
      {"name": "eu-west-1", "pool": "172.24.0.0/13", "zones": ["a", "b"]},
      {"name": "us-east-1", "pool": "172.16.0.0/13", "zones": ["a", "b", "c"], "primary": true}]})");
  ASSERT_TRUE(regions) << regions.error().message;
  EXPECT_EQ(regions->Primary().name, "us-east-1");
  EXPECT_FALSE(regions->Find("eu-west-1")->primary);
}

TEST(Regions, JsonFormRefusesBadShapesAndTwoPrimaries) {
  const char* cases[] = {
      "not json",
      "[]",
      R"({"regions": {}})",
      R"({"regions": [{"name": "us-east-1", "pool": "172.16.0.0/13"}]})",
      R"({"regions": [{"name": "us-east-1", "pool": 5, "zones": ["a"]}]})",
      R"({"regions": [{"name": "us-east-1", "pool": "172.16.0.0/13", "zones": [1]}]})",
      R"({"regions": [{"name": "us-east-1", "pool": "172.16.0.0/13", "zones": ["a"],
                       "primary": "yes"}]})",
      R"({"regions": [{"name": "a-1", "pool": "10.0.0.0/16", "zones": ["a"], "primary": true},
                      {"name": "b-1", "pool": "10.1.0.0/16", "zones": ["a"], "primary": true}]})",
  };
  for (const char* text : cases) {
    auto regions = ParseRegionsJson(text);
    ASSERT_FALSE(regions) << text;
    EXPECT_EQ(regions.error().field, "MADE0_INFRA_REGIONS") << text;
  }
}

TEST(Regions, ReadRegionsUsesTheDefaultTheVariableOrAJsonFile) {
  {
    MapEnv env{};
    ConfigReader reader(env);
    auto regions = ReadRegions(reader);
    ASSERT_TRUE(regions) << regions.error().message;
    EXPECT_EQ(regions->regions().size(), 2u);
    ASSERT_EQ(reader.Vars().size(), 1u);
    EXPECT_EQ(reader.Vars()[0].name, "MADE0_INFRA_REGIONS");
    EXPECT_EQ(reader.Vars()[0].default_value, kDefaultRegions);
  }
  {
    MapEnv env{{"MADE0_INFRA_REGIONS", "local-1=10.0.0.0/8:a"}};
    ConfigReader reader(env);
    auto regions = ReadRegions(reader);
    ASSERT_TRUE(regions) << regions.error().message;
    EXPECT_EQ(regions->Primary().name, "local-1");
  }
  {
    const std::string path = ::testing::TempDir() + "/made0_regions_test.json";
    std::ofstream(path) << R"({"regions":[{"name":"local-1","pool":"10.0.0.0/8","zones":["z"]}]})";
    MapEnv env{{"MADE0_INFRA_REGIONS", path}};
    ConfigReader reader(env);
    auto regions = ReadRegions(reader);
    std::remove(path.c_str());
    ASSERT_TRUE(regions) << regions.error().message;
    EXPECT_TRUE(regions->Primary().HasZone("local-1z"));
  }
  {
    MapEnv env{{"MADE0_INFRA_REGIONS", "/nonexistent/regions.json"}};
    ConfigReader reader(env);
    auto regions = ReadRegions(reader);
    ASSERT_FALSE(regions);
    EXPECT_NE(regions.error().message.find("cannot read"), std::string::npos);
  }
}

}  // namespace
}  // namespace made0::infra::network
