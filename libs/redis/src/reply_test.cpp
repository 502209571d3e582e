#include <gtest/gtest.h>

#include <memory>

#include "hiredis_reply.hpp"

namespace made0::redis {
namespace {

// Parse runs real RESP bytes through hiredis's own reader, then our conversion.
Reply Parse(std::string_view resp) {
  std::unique_ptr<redisReader, decltype(&redisReaderFree)> reader(redisReaderCreate(),
                                                                  &redisReaderFree);
  EXPECT_EQ(redisReaderFeed(reader.get(), resp.data(), resp.size()), REDIS_OK);
  void* raw = nullptr;
  EXPECT_EQ(redisReaderGetReply(reader.get(), &raw), REDIS_OK);
  EXPECT_NE(raw, nullptr) << "incomplete reply";
  Reply r = internal::FromHiredis(static_cast<const redisReply*>(raw));
  freeReplyObject(raw);
  return r;
}

TEST(Reply, ScalarTypes) {
  EXPECT_EQ(Parse("$-1\r\n").type(), ReplyType::kNil);
  EXPECT_EQ(Parse(":-42\r\n"), Reply::MakeInteger(-42));
  EXPECT_EQ(Parse("+OK\r\n"), Reply::MakeStatus("OK"));
  EXPECT_EQ(Parse("-ERR wrong\r\n"), Reply::MakeError("ERR wrong"));
  EXPECT_EQ(Parse("$5\r\nhello\r\n"), Reply::MakeString("hello"));
}

TEST(Reply, StringsAreBinarySafe) {
  Reply r = Parse(std::string_view("$5\r\na\0\r\nb\r\n", 11));
  ASSERT_EQ(r.type(), ReplyType::kString);
  EXPECT_EQ(r.text(), std::string("a\0\r\nb", 5));
  EXPECT_EQ(r.DebugString(), "\"a\\x00\\x0d\\x0ab\"");
}

TEST(Reply, NestedArrays) {
  Reply r = Parse("*3\r\n:1\r\n*2\r\n$1\r\na\r\n$-1\r\n-NOSCRIPT x\r\n");
  ASSERT_EQ(r.type(), ReplyType::kArray);
  ASSERT_EQ(r.elements().size(), 3u);
  EXPECT_EQ(r.elements()[0].integer(), 1);
  EXPECT_EQ(r.elements()[1].elements().size(), 2u);
  EXPECT_TRUE(r.elements()[1].elements()[1].is_nil());
  EXPECT_TRUE(r.elements()[2].is_error());
  EXPECT_EQ(r.DebugString(), "[(integer) 1, [\"a\", (nil)], (error) NOSCRIPT x]");
  EXPECT_EQ(Parse("*-1\r\n").type(), ReplyType::kNil);
  EXPECT_EQ(Parse("*0\r\n"), Reply::MakeArray({}));
}

TEST(Reply, AsIntegerAndAsString) {
  EXPECT_EQ(Reply::MakeInteger(7).AsInteger(), 7);
  EXPECT_EQ(Reply::MakeString("1800000000123").AsInteger(), 1800000000123LL);
  EXPECT_EQ(Reply::MakeString("-3").AsInteger(), -3);
  EXPECT_FALSE(Reply::MakeString("1.5").AsInteger());
  EXPECT_FALSE(Reply::MakeString("").AsInteger());
  EXPECT_FALSE(Reply::MakeNil().AsInteger());
  EXPECT_FALSE(Reply::MakeError("1").AsInteger());
  EXPECT_EQ(Reply::MakeStatus("PONG").AsString(), "PONG");
  EXPECT_FALSE(Reply::MakeNil().AsString());
  EXPECT_FALSE(Reply::MakeError("ERR").AsString());
  EXPECT_FALSE(Reply::MakeInteger(1).AsString());
}

TEST(Reply, ErrorFromReplyMapsTransientStatesToUnavailable) {
  const std::pair<const char*, ErrorCode> cases[] = {
      {"LOADING Redis is loading the dataset in memory", ErrorCode::kUnavailable},
      {"BUSY Redis is busy running a script", ErrorCode::kUnavailable},
      {"MASTERDOWN Link with MASTER is down", ErrorCode::kUnavailable},
      {"TRYAGAIN", ErrorCode::kUnavailable},
      {"WRONGTYPE Operation against a key holding the wrong kind of value", ErrorCode::kInternal},
      {"ERR syntax error", ErrorCode::kInternal},
      {"BUSYKEY Target key name already exists", ErrorCode::kInternal},
  };
  for (const auto& [text, code] : cases) {
    Error e = ErrorFromReply(Reply::MakeError(text));
    EXPECT_EQ(e.code, code) << text;
    EXPECT_NE(e.message.find(text), std::string::npos);
  }
}

}  // namespace
}  // namespace made0::redis
