#include "made0/users/password_hasher.hpp"

#include <argon2.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

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

TEST(Argon2id, InteroperatesWithTheReferenceEncoding) {
  // A hash made by libargon2's own encoder verifies here, and ours verifies there.
  SecureRandom rng;
  const Argon2Params p{.memory_kib = 1024, .iterations = 2};
  Argon2idHasher hasher(rng, p);
  const std::string salt = "0123456789abcdef";
  char reference[256];
  ASSERT_EQ(argon2id_hash_encoded(p.iterations, p.memory_kib, 1, "secret-pw", 9, salt.data(),
                                  salt.size(), 32, reference, sizeof reference),
            ARGON2_OK);
  EXPECT_TRUE(hasher.Verify("secret-pw", reference));
  EXPECT_FALSE(hasher.Verify("secret-pX", reference));
  const std::string ours = hasher.Hash("secret-pw");
  EXPECT_EQ(argon2id_verify(ours.c_str(), "secret-pw", 9), ARGON2_OK);
  auto phc = ParsePhc(reference);
  ASSERT_TRUE(phc);
  EXPECT_EQ(EncodePhc(*phc), reference);
  EXPECT_FALSE(ParsePhc("$argon2id$v=16$m=1024,t=2,p=1$c2FsdHNhbHQ$aGFzaA"));
  EXPECT_FALSE(ParsePhc("$argon2id$v=19$m=1024,t=2$c2FsdHNhbHQ$aGFzaA"));
}

TEST(Argon2id, ConcurrentHashesAreLimitedButAllComplete) {
  SecureRandom rng;
  Argon2idHasher hasher(rng, Argon2Params{.memory_kib = 256, .iterations = 1}, 2);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (hasher.Verify("pw", hasher.Hash("pw"))) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 8);
  EXPECT_EQ(hasher.Stats().count, 16u);  // a Hash and a Verify each
}

TEST(Argon2id, StatsCountEveryHashAndItsCpuTime) {
  SecureRandom rng;
  Argon2idHasher hasher(rng, Argon2Params{.memory_kib = 1024, .iterations = 2});
  EXPECT_EQ(hasher.Stats().count, 0u);
  EXPECT_EQ(hasher.Stats().cpu.count(), 0);
  const std::string stored = hasher.Hash("pw");
  EXPECT_TRUE(hasher.Verify("pw", stored));
  EXPECT_FALSE(hasher.Verify("pw", "not a phc string"));  // refused before any hash is computed
  const HashStats stats = hasher.Stats();
  EXPECT_EQ(stats.count, 2u);
  EXPECT_GT(stats.cpu.count(), 0);
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
