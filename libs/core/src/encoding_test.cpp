#include "made0/core/encoding.hpp"

#include <gtest/gtest.h>

namespace made0 {
namespace {

TEST(Encoding, HexRoundTrip) {
  EXPECT_EQ(HexEncode("\x01\xab\xff"), "01abff");
  EXPECT_EQ(HexDecode("01ABff"), std::string("\x01\xab\xff"));
  EXPECT_FALSE(HexDecode("abc"));
  EXPECT_FALSE(HexDecode("zz"));
}

TEST(Encoding, Base64KnownVectors) {
  // RFC 4648 section 10.
  const std::pair<std::string, std::string> cases[] = {{"", ""},
                                                       {"f", "Zg=="},
                                                       {"fo", "Zm8="},
                                                       {"foo", "Zm9v"},
                                                       {"foob", "Zm9vYg=="},
                                                       {"fooba", "Zm9vYmE="},
                                                       {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, enc] : cases) {
    EXPECT_EQ(Base64Encode(plain), enc);
    EXPECT_EQ(Base64Decode(enc), plain);
  }
  EXPECT_FALSE(Base64Decode("Zm9"));
  EXPECT_FALSE(Base64Decode("Zm9*"));
}

TEST(Encoding, Base64UrlRejectsNonCanonical) {
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(Base64UrlDecode("-_8"), std::string("\xfb\xff"));
  EXPECT_FALSE(Base64UrlDecode("-_9"));  // trailing bits set: a tampered token
  EXPECT_FALSE(Base64UrlDecode("a"));
  EXPECT_FALSE(Base64UrlDecode("ab+/"));
}

TEST(Encoding, Sha256) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Encoding, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

TEST(PercentEncode, KeepsOnlyUnreservedCharactersAndEncodesTheRestUpperCase) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},
      {"AZaz09-._~", "AZaz09-._~"},
      {"10.0.0.0/16", "10.0.0.0%2F16"},
      {"a b", "a%20b"},
      {"a+b=c&d", "a%2Bb%3Dc%26d"},
      {"?&=#/%", "%3F%26%3D%23%2F%25"},
      {"?#+ ", "%3F%23%2B%20"},
      {"tag:made0:idempotency-token", "tag%3Amade0%3Aidempotency-token"},
      {"\xC3\xA9", "%C3%A9"},
      {std::string("\0", 1), "%00"},
      {std::string("\0x", 2), "%00x"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(PercentEncode(in), want) << in;
}

}  // namespace
}  // namespace made0
