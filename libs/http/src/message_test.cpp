#include "made0/http/message.hpp"

#include <gtest/gtest.h>

namespace made0::http {
namespace {

using nlohmann::json;

TEST(StatusForTest, MapsEveryCode) {
  const std::pair<ErrorCode, int> cases[] = {
      {ErrorCode::kMalformed, 400},        {ErrorCode::kUnauthenticated, 401},
      {ErrorCode::kPermissionDenied, 403}, {ErrorCode::kNotFound, 404},
      {ErrorCode::kConflict, 409},         {ErrorCode::kGone, 410},
      {ErrorCode::kTooLarge, 413},         {ErrorCode::kInvalid, 422},
      {ErrorCode::kRateLimited, 429},      {ErrorCode::kInternal, 500},
      {ErrorCode::kUnavailable, 503},
  };
  for (auto [code, status] : cases) EXPECT_EQ(StatusFor(code), status) << ToString(code);
}

TEST(ResponseTest, ErrorHasStandardShapeWithField) {
  Response r = Response::Error(made0::Error::Invalid("email", "email is required"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(json::parse(r.body),
            json::parse(R"({"error":{"code":"invalid","message":"email is required",
                            "field":"email"}})"));
}

TEST(ResponseTest, ErrorOmitsEmptyField) {
  Response r = Response::Error(made0::Error::NotFound("no such user"));
  EXPECT_EQ(r.status, 404);
  json body = json::parse(r.body);
  EXPECT_EQ(body, json::parse(R"({"error":{"code":"not_found","message":"no such user"}})"));
  EXPECT_FALSE(body["error"].contains("field"));
}

TEST(ResponseTest, JsonReplacesInvalidUtf8InsteadOfThrowing) {
  Response r;
  ASSERT_NO_THROW(r = Response::Json(200, {{"path", std::string("/a\xff")}}));
  EXPECT_EQ(json::parse(r.body)["path"], "/a\xef\xbf\xbd");
}

TEST(ResponseTest, TextAndHeaders) {
  Response r = Response::Text(200, "ok");
  EXPECT_EQ(r.body, "ok");
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  r.AddHeader("Set-Cookie", "a=1").AddHeader("Set-Cookie", "b=2").SetHeader("X-A", "1");
  r.SetHeader("x-a", "2");
  EXPECT_EQ(r.headers.size(), 3u);
  EXPECT_EQ(r.Header("X-A"), "2");
  EXPECT_EQ(r.Header("set-cookie"), "a=1");
}

TEST(RequestTest, HeaderLookupIgnoresCase) {
  Request req;
  req.headers = {{"Content-Type", "application/json"}, {"X-Trace", "t"}};
  EXPECT_EQ(req.Header("content-type"), "application/json");
  EXPECT_EQ(req.Header("X-TRACE"), "t");
  EXPECT_EQ(req.Header("missing"), std::nullopt);
}

TEST(RequestTest, Cookie) {
  Request req;
  req.headers = {{"cookie", "theme=dark;  session=\"abc def\" ; empty=; flag"}};
  EXPECT_EQ(req.Cookie("session"), "abc def");
  EXPECT_EQ(req.Cookie("theme"), "dark");
  EXPECT_EQ(req.Cookie("empty"), "");
  EXPECT_EQ(req.Cookie("flag"), std::nullopt);
  EXPECT_EQ(req.Cookie("sess"), std::nullopt);
  Request none;
  EXPECT_EQ(none.Cookie("session"), std::nullopt);
}

TEST(ParseJsonBodyTest, Cases) {
  struct Case {
    std::string body;
    bool ok;
    std::string message;
  } cases[] = {
      {R"({"a":1})", true, ""},
      {"{}", true, ""},
      {"", false, "request body is not valid JSON"},
      {"{", false, "request body is not valid JSON"},
      {R"({"a":1} trailing)", false, "request body is not valid JSON"},
      {"[1,2]", false, "request body must be a JSON object"},
      {"\"text\"", false, "request body must be a JSON object"},
      {"null", false, "request body must be a JSON object"},
  };
  for (const Case& c : cases) {
    Request req;
    req.body = c.body;
    auto r = ParseJsonBody(req);
    EXPECT_EQ(r.ok(), c.ok) << c.body;
    if (!r.ok()) {
      EXPECT_EQ(r.error().code, ErrorCode::kMalformed) << c.body;
      EXPECT_EQ(r.error().message, c.message) << c.body;
      EXPECT_EQ(StatusFor(r.error().code), 400);
    }
  }
}

TEST(RequireStringTest, Cases) {
  json obj =
      json::parse(R"({"name":"etcd","empty":"","num":5,"nil":null,"long":"abcdef","arr":["x"]})");
  struct Case {
    std::string field;
    std::size_t max_len;
    std::optional<std::string> value;  // nullopt: an Invalid error is expected
    std::string message;
  } cases[] = {
      {"name", 4, "etcd", ""},
      {"name", 3, std::nullopt, "name must be at most 3 bytes"},
      {"missing", 10, std::nullopt, "missing is required"},
      {"empty", 10, std::nullopt, "empty is required"},
      {"nil", 10, std::nullopt, "nil is required"},
      {"num", 10, std::nullopt, "num must be a string"},
      {"arr", 10, std::nullopt, "arr must be a string"},
      {"long", 6, "abcdef", ""},
  };
  for (const Case& c : cases) {
    auto r = RequireString(obj, c.field, c.max_len);
    if (c.value) {
      ASSERT_TRUE(r.ok()) << c.field << ": " << r.error().message;
      EXPECT_EQ(*r, *c.value);
    } else {
      ASSERT_FALSE(r.ok()) << c.field;
      EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
      EXPECT_EQ(r.error().field, c.field);
      EXPECT_EQ(r.error().message, c.message);
    }
  }
}

TEST(OptionalStringTest, AbsentNullAndPresent) {
  json obj = json::parse(R"({"a":"x","b":null,"c":"","d":1})");
  EXPECT_EQ(*OptionalString(obj, "a", 5), std::optional<std::string>("x"));
  EXPECT_EQ(*OptionalString(obj, "b", 5), std::nullopt);
  EXPECT_EQ(*OptionalString(obj, "c", 5), std::optional<std::string>(""));
  EXPECT_EQ(*OptionalString(obj, "zz", 5), std::nullopt);
  auto bad = OptionalString(obj, "d", 5);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "d");
}

}  // namespace
}  // namespace made0::http
