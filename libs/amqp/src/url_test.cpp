#include "made0/amqp/url.hpp"

#include <gtest/gtest.h>

namespace made0::amqp {
namespace {

TEST(AmqpUrl, ParsesValidUrls) {
  struct Case {
    const char* text;
    AmqpUrl want;
  };
  const Case cases[] = {
      {"amqp://guest:guest@127.0.0.1:45672", {"guest", "guest", "127.0.0.1", 45672, "/"}},
      {"amqp://u:p@h:1/", {"u", "p", "h", 1, "/"}},
      {"amqp://u:p@h:65535/prod", {"u", "p", "h", 65535, "prod"}},
      {"amqp://u:p@h/%2f", {"u", "p", "h", 5672, "/"}},
      {"amqp://u:p@h/a%2Fb", {"u", "p", "h", 5672, "a/b"}},
      {"amqp://h", {"guest", "guest", "h", 5672, "/"}},
      {"amqp://", {"guest", "guest", "localhost", 5672, "/"}},
      {"AMQP://alice@h:5673", {"alice", "guest", "h", 5673, "/"}},
      {"amqp://alice:@h", {"alice", "", "h", 5672, "/"}},
      {"amqp://al%40ce:p%3Ass%40@h", {"al@ce", "p:ss@", "h", 5672, "/"}},
      {"amqp://u:p@w@h", {"u", "p@w", "h", 5672, "/"}},  // the last @ ends the userinfo
      {"amqp://u:p@[::1]:5672/v", {"u", "p", "::1", 5672, "v"}},
      {"amqp://[::1]", {"guest", "guest", "::1", 5672, "/"}},
  };
  for (const auto& c : cases) {
    auto got = ParseAmqpUrl(c.text);
    ASSERT_TRUE(got) << c.text << ": " << got.error().message;
    EXPECT_EQ(*got, c.want) << c.text;
  }
}

TEST(AmqpUrl, RejectsInvalidUrls) {
  const char* bad[] = {
      "",
      "http://h",
      "amqps://h",
      "amqp://h:0",
      "amqp://h:65536",
      "amqp://h:",
      "amqp://h:12x",
      "amqp://h:-1",
      "amqp://@h",
      "amqp://u:p@h/a/b",
      "amqp://u:p@h/%zz",
      "amqp://u:p@h/%2",
      "amqp://u%4:p@h",
      "amqp://h/?heartbeat=10",
      "amqp://[::1",
      "amqp://[::1]x",
  };
  for (const char* text : bad) {
    auto got = ParseAmqpUrl(text);
    ASSERT_FALSE(got) << text;
    EXPECT_EQ(got.error().code, ErrorCode::kInvalid) << text;
    EXPECT_EQ(got.error().field, kUrlVariable) << text;
  }
}

TEST(AmqpUrl, RedactedHidesThePassword) {
  EXPECT_EQ(Redacted({"u", "secret", "h", 5672, "/"}), "amqp://u:***@h:5672");
  EXPECT_EQ(Redacted({"u", "secret", "::1", 1, "a/b"}), "amqp://u:***@[::1]:1/a%2fb");
  auto round = ParseAmqpUrl(Redacted({"u", "secret", "h", 7, "a/b"}));
  ASSERT_TRUE(round);
  EXPECT_EQ(round->vhost, "a/b");
}

}  // namespace
}  // namespace made0::amqp
