#include "made0/users/password_hasher.hpp"

#include <gtest/gtest.h>

#include "made0/core/testing/fake_clock.hpp"
#include "made0/users/session.hpp"

namespace made0::users {
namespace {

TEST(Argon2id, HashesWithTheDocumentedParametersAndVerifies) {
  SecureRandom rng;
  Argon2idHasher hasher(rng);
  const std::string stored = hasher.Hash("correct horse battery");
  EXPECT_EQ(stored.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << stored;
  EXPECT_TRUE(hasher.Verify("correct horse battery", stored));
  EXPECT_FALSE(hasher.Verify("correct horse batterY", stored));
  EXPECT_FALSE(hasher.NeedsRehash(stored));
  // Same password, new salt: a different string.
  EXPECT_NE(hasher.Hash("correct horse battery"), stored);
}

TEST(Argon2id, RejectsMalformedAndWeakerHashes) {
  SecureRandom rng;
  Argon2idHasher weak(rng, Argon2Params{.memory_kib = 1024, .iterations = 1});
  Argon2idHasher strong(rng);
  const std::string old = weak.Hash("password1");
  EXPECT_TRUE(strong.Verify("password1", old));  // parameters are read from the hash
  EXPECT_TRUE(strong.NeedsRehash(old));
  EXPECT_FALSE(strong.Verify("password1", ""));
  EXPECT_FALSE(strong.Verify("password1", "$argon2i$v=19$m=1024,t=1,p=1$abc$def"));
  EXPECT_FALSE(strong.Verify("password1", "plain"));
}

TEST(Session, TokensAreOpaqueHashedAndExpire) {
  SecureRandom rng;
  testing::FakeClock clock;
  const auto s = MakeSession(rng, clock, std::chrono::hours(1));
  EXPECT_EQ(s.token.size(), 43u);
  EXPECT_EQ(SessionTokenHash(s.token), s.token_hash);
  EXPECT_NE(s.token_hash, s.token);
  EXPECT_TRUE(IsSessionLive(s.expires_at, clock.Now()));
  clock.Advance(std::chrono::hours(1));
  EXPECT_FALSE(IsSessionLive(s.expires_at, clock.Now()));
}

TEST(Session, MalformedTokensAreRejectedBeforeLookup) {
  EXPECT_FALSE(SessionTokenHash(""));
  EXPECT_FALSE(SessionTokenHash("abc"));
  EXPECT_FALSE(SessionTokenHash(std::string(43, '*')));
  EXPECT_FALSE(SessionTokenHash(std::string(44, 'A')));
}

}  // namespace
}  // namespace made0::users
