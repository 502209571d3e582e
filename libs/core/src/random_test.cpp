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

// A scripted source: every byte it hands out is `byte`.
class ConstantRandom final : public Random {
 public:
  explicit ConstantRandom(std::uint8_t byte) : byte_(byte) {}
  void Fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = byte_;
  }

 private:
  std::uint8_t byte_;
};

TEST(Random, UuidsAreVersion4WithTheRfcVariant) {
  struct Case {
    std::uint8_t byte;
    const char* want;
  };
  for (const Case& c : {Case{0x00, "00000000-0000-4000-8000-000000000000"},
                        Case{0xff, "ffffffff-ffff-4fff-bfff-ffffffffffff"},
                        Case{0x5a, "5a5a5a5a-5a5a-4a5a-9a5a-5a5a5a5a5a5a"}}) {
    ConstantRandom rng(c.byte);
    EXPECT_EQ(RandomUuid(rng), c.want) << static_cast<int>(c.byte);
  }
  SecureRandom rng;
  EXPECT_NE(RandomUuid(rng), RandomUuid(rng));
}

}  // namespace
}  // namespace made0
