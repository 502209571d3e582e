#include "made0/hostd/ids.hpp"

#include <gtest/gtest.h>

namespace made0::hostd {
namespace {

TEST(CloudIds, NewIdsHaveThePrefixAnd17HexDigits) {
  SecureRandom rng;
  for (const char* prefix : {"vpc", "subnet", "sg", "i"}) {
    const std::string id = NewCloudId(prefix, rng);
    EXPECT_EQ(id.size(), std::string(prefix).size() + 1 + 17) << id;
    EXPECT_TRUE(IsCloudId(prefix, id)) << id;
  }
  EXPECT_NE(NewCloudId("i", rng), NewCloudId("i", rng));
}

TEST(CloudIds, RejectsOtherShapes) {
  struct Case {
    const char* prefix;
    const char* text;
    bool valid;
  };
  const Case cases[] = {
      {"i", "i-0123456789abcdef0", true},
      {"i", "i-0123456789abcdef", false},     // 16 digits
      {"i", "i-0123456789abcdef01", false},   // 18 digits
      {"i", "i-0123456789ABCDEF0", false},    // upper case
      {"i", "i-0123456789abcdefg", false},    // not hex
      {"i", "vpc-0123456789abcdef0", false},  // other kind
      {"i", "i_0123456789abcdef0", false},
      {"sg", "sg-0123456789abcdef0", true},
      {"subnet", "", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsCloudId(c.prefix, c.text), c.valid) << c.text;
}

}  // namespace
}  // namespace made0::hostd
