#include "wire.hpp"

#include <gtest/gtest.h>

namespace made0::http::internal {
namespace {

std::string Head(const Response& r, ConnectionHeader c = ConnectionHeader::kNone) {
  std::string out;
  AppendResponseHead(r, c, "Tue, 01 Dec 2026 10:00:00 GMT", out);
  return out;
}

TEST(WireTest, JsonResponseHead) {
  Response r = Response::Json(201, {{"id", "x"}});
  r.AddHeader("Set-Cookie", "a=1").AddHeader("Set-Cookie", "b=2");
  EXPECT_EQ(Head(r),
            "HTTP/1.1 201 Created\r\n"
            "Date: Tue, 01 Dec 2026 10:00:00 GMT\r\n"
            "Content-Type: application/json\r\n"
            "Content-Length: 10\r\n"
            "Set-Cookie: a=1\r\n"
            "Set-Cookie: b=2\r\n"
            "\r\n");
}

TEST(WireTest, ServerOwnedAndUnsafeHeadersAreSkipped) {
  Response r = Response::Text(200, "ok");
  r.AddHeader("content-length", "99")
      .AddHeader("Connection", "close")
      .AddHeader("X-Evil", "a\r\nSet-Cookie: x=1")
      .AddHeader("X-Fine", "yes");
  EXPECT_EQ(Head(r, ConnectionHeader::kClose),
            "HTTP/1.1 200 OK\r\n"
            "Date: Tue, 01 Dec 2026 10:00:00 GMT\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 2\r\n"
            "X-Fine: yes\r\n"
            "Connection: close\r\n"
            "\r\n");
  EXPECT_TRUE(WantsClose(r));
  EXPECT_FALSE(WantsClose(Response::Text(200, "ok")));
}

TEST(WireTest, NoContentLengthWithoutBody) {
  EXPECT_EQ(Head(Response::NoContent(), ConnectionHeader::kKeepAlive),
            "HTTP/1.1 204 No Content\r\n"
            "Date: Tue, 01 Dec 2026 10:00:00 GMT\r\n"
            "Connection: keep-alive\r\n"
            "\r\n");
  EXPECT_FALSE(BodyAllowed(304));
  EXPECT_FALSE(BodyAllowed(101));
  EXPECT_TRUE(BodyAllowed(404));
}

TEST(WireTest, StatusLine) {
  Response r;
  r.status = 422;
  EXPECT_TRUE(Head(r).starts_with("HTTP/1.1 422 Unprocessable Content\r\n"));
  r.status = 299;
  EXPECT_TRUE(Head(r).starts_with("HTTP/1.1 299 Unknown\r\n"));
  r.status = 7;  // nonsense from a handler
  EXPECT_TRUE(Head(r).starts_with("HTTP/1.1 500 Internal Server Error\r\n"));
}

TEST(WireTest, DateCacheFormat) {
  DateCache cache;
  std::string date(cache.Get());
  // "Sun, 06 Nov 1994 08:49:37 GMT"
  ASSERT_EQ(date.size(), 29u) << date;
  EXPECT_EQ(date.substr(3, 2), ", ");
  EXPECT_TRUE(date.ends_with(" GMT"));
}

}  // namespace
}  // namespace made0::http::internal
