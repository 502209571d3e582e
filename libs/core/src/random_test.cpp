#include "made0/core/random.hpp"

#include <gtest/gtest.h>

#include <set>

namespace made0 {
namespace {

TEST(Random, TokensHaveTheRequestedEntropyAndDiffer) {
  SecureRandom rng;
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    auto t = RandomToken(rng, 32);
    EXPECT_EQ(t.size(), 43u);  // 256 bits in unpadded base64url
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
  EXPECT_EQ(RandomHex(rng, 8).size(), 16u);
}

TEST(Random, UniformStaysInBounds) {
  SecureRandom rng;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_LT(rng.Uniform(7), 7u);
    const double u = rng.UnitInterval();
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
  }
}

}  // namespace
}  // namespace made0
