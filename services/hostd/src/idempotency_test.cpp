#include "made0/hostd/idempotency.hpp"

#include <gtest/gtest.h>

namespace made0::hostd {
namespace {

TEST(Idempotency, LookupTable) {
  TokenIndex index;
  index.Remember("instance", "tok-1", "fp-a", "i-1");
  index.Remember("vpc", "tok-1", "fp-v", "vpc-1");
  index.Remember("instance", "", "fp-a", "i-2");  // no token: not recorded

  struct Case {
    const char* kind;
    const char* token;
    const char* fingerprint;
    const char* want_id;  // nullptr: new; "!": conflict
  };
  const Case cases[] = {
      {"instance", "tok-1", "fp-a", "i-1"},    // the same call again
      {"instance", "tok-1", "fp-b", "!"},      // same token, other parameters
      {"vpc", "tok-1", "fp-v", "vpc-1"},       // tokens are per kind
      {"subnet", "tok-1", "fp-a", nullptr},    // unused for this kind
      {"instance", "tok-2", "fp-a", nullptr},  // a new token
      {"instance", "", "fp-a", nullptr},       // no token: always new
  };
  for (const auto& c : cases) {
    auto r = index.Lookup(c.kind, c.token, c.fingerprint);
    SCOPED_TRACE(std::string(c.kind) + "/" + c.token + "/" + c.fingerprint);
    if (c.want_id && std::string(c.want_id) == "!") {
      ASSERT_FALSE(r);
      EXPECT_EQ(r.error().code, ErrorCode::kConflict);
      EXPECT_NE(r.error().message.find("IdempotentParameterMismatch"), std::string::npos);
    } else if (c.want_id) {
      ASSERT_TRUE(r);
      ASSERT_TRUE(r->has_value());
      EXPECT_EQ(**r, c.want_id);
    } else {
      ASSERT_TRUE(r);
      EXPECT_FALSE(r->has_value());
    }
  }
  index.Forget("instance", "tok-1");
  EXPECT_FALSE(index.Lookup("instance", "tok-1", "fp-a")->has_value());
}

TEST(Idempotency, FingerprintIgnoresTokenAndKeyOrder) {
  const auto a = nlohmann::json::parse(R"({"region":"r","image":"test","idempotency_token":"x"})");
  const auto b = nlohmann::json::parse(R"({"image":"test","region":"r","idempotency_token":"y"})");
  const auto c = nlohmann::json::parse(R"({"image":"etcd","region":"r","idempotency_token":"x"})");
  EXPECT_EQ(Fingerprint(a), Fingerprint(b));
  EXPECT_NE(Fingerprint(a), Fingerprint(c));
}

TEST(Idempotency, TokenValidation) {
  EXPECT_TRUE(ValidateToken(""));
  EXPECT_TRUE(ValidateToken("saga-123:runInstance:2"));
  EXPECT_TRUE(ValidateToken(std::string(64, 'a')));
  EXPECT_FALSE(ValidateToken(std::string(65, 'a')));
  EXPECT_FALSE(ValidateToken("has space"));
  EXPECT_EQ(ValidateToken("tab\t").error().field, "idempotency_token");
}

}  // namespace
}  // namespace made0::hostd
