#include "made0/infra/compute/placement.hpp"

#include <gtest/gtest.h>

namespace made0::infra::compute {
namespace {

network::Region UsEast() {
  auto regions = network::ParseRegionsCompact("us-east-1=172.16.0.0/13:a,b,c");
  return regions->regions().front();
}

TEST(Placement, ChooseZoneTable) {
  struct Row {
    const char* name;
    std::string requested;
    std::map<std::string, int> counts;
    std::vector<std::string> unavailable;
    std::string want;
  };
  const std::vector<Row> rows = {
      {"empty cluster starts in the first zone", "", {}, {}, "us-east-1a"},
      {"fewest instances wins", "", {{"us-east-1a", 1}, {"us-east-1b", 1}}, {}, "us-east-1c"},
      {"ties go to the first by name", "", {{"us-east-1a", 1}}, {}, "us-east-1b"},
      {"requested zone is kept", "us-east-1a", {{"us-east-1a", 5}}, {}, "us-east-1a"},
      {"a zone that is down is skipped", "", {}, {"us-east-1a"}, "us-east-1b"},
      {"all down: still choose", "", {}, {"us-east-1a", "us-east-1b", "us-east-1c"}, "us-east-1a"},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    auto z = ChooseZone(UsEast(), row.requested, row.counts, row.unavailable);
    ASSERT_TRUE(z.ok()) << z.error().message;
    EXPECT_EQ(*z, row.want);
  }
}

TEST(Placement, SpreadsAClusterEvenly) {
  std::map<std::string, int> counts;
  for (int i = 0; i < 9; ++i) ++counts[*ChooseZone(UsEast(), "", counts)];
  EXPECT_EQ(counts,
            (std::map<std::string, int>{{"us-east-1a", 3}, {"us-east-1b", 3}, {"us-east-1c", 3}}));
}

TEST(Placement, UnknownZoneIsInvalid) {
  auto z = ChooseZone(UsEast(), "eu-west-1a", {});
  ASSERT_FALSE(z.ok());
  EXPECT_EQ(z.error().field, "availability_zone");
}

TEST(Placement, Categories) {
  EXPECT_EQ(ResolveCategory("")->instance_type, "t3.small");
  EXPECT_EQ(ResolveCategory("large")->instance_type, "m6i.large");
  auto bad = ResolveCategory("huge");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "category");
  EXPECT_NE(bad.error().message.find("small, medium, large"), std::string::npos);
}

}  // namespace
}  // namespace made0::infra::compute
