#include "made0/ipam/allocator.hpp"

#include <gtest/gtest.h>

#include <random>

namespace made0::ipam {
namespace {

Cidr C(const char* text) { return *ParseCidr(text); }

TEST(CarveTopDown, GivesSeedFigureSixExactly) {
  const Cidr vpc = C("172.16.0.0/16");
  std::vector<Cidr> taken;
  for (int prefix : {17, 18, 19}) {
    auto subnet = CarveTopDown(vpc, prefix, taken);
    ASSERT_TRUE(subnet) << subnet.error().message;
    taken.push_back(*subnet);
  }
  EXPECT_EQ(taken[0].ToString(), "172.16.128.0/17");  // made0-us-east-1a
  EXPECT_EQ(taken[1].ToString(), "172.16.64.0/18");   // made0-us-east-1b
  EXPECT_EQ(taken[2].ToString(), "172.16.32.0/19");   // made0-us-east-1c
}

TEST(CarveTopDown, RefusesBadPrefixesAndReportsExhaustion) {
  const Cidr vpc = C("10.0.0.0/24");
  auto too_big = CarveTopDown(vpc, 23, {});
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().field, "prefix");
  EXPECT_FALSE(CarveTopDown(vpc, 33, {}));
  std::vector<Cidr> taken = {*CarveTopDown(vpc, 25, {})};
  taken.push_back(*CarveTopDown(vpc, 25, taken));
  auto full = CarveTopDown(vpc, 28, taken);
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::kConflict);
  EXPECT_NE(full.error().message.find("exhausted"), std::string::npos);
}

TEST(CheckExplicit, AcceptsAFreeBlockInsideAndNamesCollisions) {
  const Cidr vpc = C("172.16.0.0/16");
  const std::vector<Cidr> taken = {C("172.16.128.0/17")};
  EXPECT_TRUE(CheckExplicit(vpc, C("172.16.0.0/24"), taken));
  auto overlap = CheckExplicit(vpc, C("172.16.200.0/24"), taken);
  ASSERT_FALSE(overlap);
  EXPECT_EQ(overlap.error().code, ErrorCode::kConflict);
  EXPECT_NE(overlap.error().message.find("172.16.128.0/17"), std::string::npos);
  auto outside = CheckExplicit(vpc, C("10.0.0.0/24"), taken);
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().code, ErrorCode::kInvalid);
}

TEST(PickAddress, SkipsTheFirstFourAndTheLastLikeAws) {
  const Cidr subnet = C("172.16.32.0/28");
  auto range = UsableHosts(subnet);
  ASSERT_TRUE(range);
  EXPECT_EQ(FormatAddress(range->first), "172.16.32.4");
  EXPECT_EQ(FormatAddress(range->last), "172.16.32.14");
  std::set<std::uint32_t> used;
  for (int i = 0; i < 11; ++i) {
    auto a = PickAddress(subnet, used);
    ASSERT_TRUE(a) << i;
    used.insert(*a);
  }
  EXPECT_EQ(PickAddress(subnet, used).error().code, ErrorCode::kConflict);
  used.erase(range->first + 3);  // a released address is given out again
  EXPECT_EQ(*PickAddress(subnet, used), range->first + 3);
  EXPECT_FALSE(UsableHosts(C("172.16.32.0/29")));
}

// Brute force: is there any free aligned block of this prefix inside parent?
bool AnyFree(const Cidr& parent, int prefix, const std::vector<Cidr>& taken) {
  const std::uint64_t size = std::uint64_t{1} << (32 - prefix);
  for (std::uint64_t b = parent.base; b + size - 1 <= parent.Last(); b += size) {
    const Cidr block{static_cast<std::uint32_t>(b), prefix};
    bool clear = true;
    for (const Cidr& t : taken) clear = clear && !t.Overlaps(block);
    if (clear) return true;
  }
  return false;
}

TEST(CarveTopDown, RandomAllocateAndReleaseNeverOverlapsNorLosesSpace) {
  const Cidr vpc = C("10.20.0.0/20");
  std::mt19937 rng(20261203);
  for (int round = 0; round < 200; ++round) {
    std::vector<Cidr> taken;
    for (int step = 0; step < 60; ++step) {
      if (!taken.empty() && rng() % 3 == 0) {
        taken.erase(taken.begin() + static_cast<long>(rng() % taken.size()));
        continue;
      }
      const int prefix = 21 + static_cast<int>(rng() % 8);  // /21../28
      auto got = CarveTopDown(vpc, prefix, taken);
      // It fails exactly when no aligned block is free: no space is ever lost.
      ASSERT_EQ(got.ok(), AnyFree(vpc, prefix, taken)) << "round " << round << " /" << prefix;
      if (!got) continue;
      ASSERT_TRUE(vpc.Contains(*got));
      for (const Cidr& t : taken) ASSERT_FALSE(t.Overlaps(*got)) << got->ToString();
      taken.push_back(*got);
    }
    taken.clear();
    EXPECT_EQ(*CarveTopDown(vpc, 20, taken), vpc);  // everything released: the whole VPC again
  }
}

}  // namespace
}  // namespace made0::ipam
