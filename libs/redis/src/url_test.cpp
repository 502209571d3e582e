#include <gtest/gtest.h>

#include "made0/redis/client.hpp"

namespace made0::redis {
namespace {

TEST(RedisUrl, ParsesHostPortDb) {
  auto u = ParseRedisUrl("redis://127.0.0.1:56379/3");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 56379);
  EXPECT_EQ(u->db, 3);
  EXPECT_EQ(u->password, "");
}

TEST(RedisUrl, Defaults) {
  auto u = ParseRedisUrl("redis://cache.internal");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->host, "cache.internal");
  EXPECT_EQ(u->port, 6379);
  EXPECT_EQ(u->db, 0);
  auto slash = ParseRedisUrl("redis://h:1/");
  ASSERT_TRUE(slash);
  EXPECT_EQ(slash->db, 0);
}

TEST(RedisUrl, CredentialsAndIpv6) {
  auto u = ParseRedisUrl("redis://app:s%40cr%3At@[::1]:7000/1");
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->user, "app");
  EXPECT_EQ(u->password, "s@cr:t");
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 7000);
  EXPECT_EQ(u->db, 1);
  auto pw_only = ParseRedisUrl("redis://:secret@h");
  ASSERT_TRUE(pw_only);
  EXPECT_EQ(pw_only->user, "");
  EXPECT_EQ(pw_only->password, "secret");
}

TEST(RedisUrl, ToStringMasksPassword) {
  auto u = ParseRedisUrl("redis://app:secret@[::1]:7000/1");
  ASSERT_TRUE(u);
  EXPECT_EQ(u->ToString(), "redis://app:***@[::1]:7000/1");
  EXPECT_EQ(ParseRedisUrl("redis://h")->ToString(), "redis://h:6379/0");
}

TEST(RedisUrl, RejectsMalformed) {
  for (const char* bad : {"", "http://h:1", "redis://", "redis://:1", "redis://h:", "redis://h:0",
                          "redis://h:65536", "redis://h:12x", "redis://h/db", "redis://h/-1",
                          "redis://[::1", "redis://[::1]x", "redis://u:%zz@h", "redis://u:%4@h"}) {
    auto u = ParseRedisUrl(bad);
    EXPECT_FALSE(u) << bad;
    if (!u) {
      EXPECT_EQ(u.error().code, ErrorCode::kMalformed) << bad;
      EXPECT_EQ(u.error().message.find("secret"), std::string::npos);
    }
  }
}

TEST(RedisUrl, ErrorNeverEchoesPassword) {
  auto u = ParseRedisUrl("redis://u:secret@h:99999");
  ASSERT_FALSE(u);
  EXPECT_EQ(u.error().message.find("secret"), std::string::npos);
}

TEST(ClientOptions, ReadFromConfig) {
  MapEnv env{{"MADE0_REDIS_URL", "redis://10.0.0.5:6400/2"},
             {"MADE0_REDIS_POOL_SIZE", "3"},
             {"MADE0_REDIS_COMMAND_TIMEOUT", "250ms"}};
  ConfigReader reader(env);
  auto o = ReadClientOptions(reader);
  ASSERT_TRUE(o) << o.error().message;
  ASSERT_TRUE(reader.Finish());
  EXPECT_EQ(o->url.host, "10.0.0.5");
  EXPECT_EQ(o->url.db, 2);
  EXPECT_EQ(o->pool_size, 3u);
  EXPECT_EQ(o->connect_timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(o->command_timeout, std::chrono::milliseconds(250));
}

TEST(ClientOptions, BadUrlFromConfigIsMalformed) {
  MapEnv env{{"MADE0_REDIS_URL", "redis://h:0"}};
  ConfigReader reader(env);
  auto o = ReadClientOptions(reader);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().field, "MADE0_REDIS_URL");
}

}  // namespace
}  // namespace made0::redis
