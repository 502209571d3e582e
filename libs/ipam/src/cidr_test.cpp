#include "made0/ipam/cidr.hpp"

#include <gtest/gtest.h>

namespace made0::ipam {
namespace {

TEST(Cidr, ParsesAndFormats) {
  const char* ok[] = {"172.16.0.0/16", "10.0.0.0/8", "0.0.0.0/0", "192.168.1.7/32",
                      "172.16.128.0/17"};
  for (const char* text : ok) {
    auto c = ParseCidr(text);
    ASSERT_TRUE(c) << text << ": " << c.error().message;
    EXPECT_EQ(c->ToString(), text);
  }
  auto vpc = *ParseCidr("172.16.0.0/16");
  EXPECT_EQ(vpc.Size(), 65536u);
  EXPECT_EQ(FormatAddress(vpc.Last()), "172.16.255.255");
}

TEST(Cidr, RefusesWithAMessageNamingTheProblem) {
  struct Case {
    const char* text;
    const char* says;
  };
  const Case cases[] = {
      {"172.16.0.0", "not a CIDR block"},
      {"172.16.0/16", "not an IPv4 address"},
      {"172.16.0.256/24", "not an IPv4 address"},
      {"172.16.00.0/24", "not an IPv4 address"},
      {"a.b.c.d/8", "not an IPv4 address"},
      {"10.0.0.0/33", "from 0 to 32"},
      {"10.0.0.0/-1", "from 0 to 32"},
      {"10.0.0.0/", "from 0 to 32"},
      {"172.16.0.1/16", "did you mean 172.16.0.0/16?"},
  };
  for (const auto& c : cases) {
    auto r = ParseCidr(c.text, "vpc.cidr");
    ASSERT_FALSE(r) << c.text;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(r.error().field, "vpc.cidr");
    EXPECT_NE(r.error().message.find(c.says), std::string::npos) << r.error().message;
  }
}

TEST(Cidr, ContainmentAndOverlap) {
  const Cidr vpc = *ParseCidr("172.16.0.0/16");
  const Cidr a = *ParseCidr("172.16.128.0/17");
  const Cidr b = *ParseCidr("172.16.192.0/18");
  const Cidr other = *ParseCidr("172.17.0.0/16");
  EXPECT_TRUE(vpc.Contains(a));
  EXPECT_FALSE(a.Contains(vpc));
  EXPECT_TRUE(a.Overlaps(b));
  EXPECT_FALSE(vpc.Overlaps(other));
}

}  // namespace
}  // namespace made0::ipam
