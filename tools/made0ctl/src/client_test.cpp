#include "made0/ctl/client.hpp"

#include <gtest/gtest.h>

namespace made0::ctl {
namespace {

TEST(ErrorFromResponse, TheStandardErrorBody) {
  const Error e = ErrorFromResponse(
      422, R"({"error":{"code":"invalid","message":"unknown region","field":"region"}})");
  EXPECT_EQ(e.code, ErrorCode::kInvalid);
  EXPECT_EQ(e.message, "unknown region");
  EXPECT_EQ(e.field, "region");
  EXPECT_EQ(FormatError(e), "error: unknown region (field: region)");
}

TEST(ErrorFromResponse, Table) {
  struct Case {
    int status;
    std::string body;
    ErrorCode code;
    std::string formatted;
  };
  const Case cases[] = {
      {404, R"({"error":{"code":"not_found","message":"no saga saga-1"}})", ErrorCode::kNotFound,
       "error: no saga saga-1"},
      {409, R"({"error":{"code":"conflict","message":"busy","field":""}})", ErrorCode::kConflict,
       "error: busy"},
      {503, R"({"error":{"code":"unavailable","message":"postgres is down"}})",
       ErrorCode::kUnavailable, "error: postgres is down"},
      {418, R"({"error":{"code":"teapot"}})", ErrorCode::kInternal,
       "error: infra answered HTTP 418"},
      {502, "<html>\nBad Gateway\n</html>", ErrorCode::kInternal,
       "error: infra answered HTTP 502: <html> Bad Gateway </html>"},
      {404, "", ErrorCode::kNotFound, "error: infra answered HTTP 404"},
      {503, "[1,2]", ErrorCode::kUnavailable, "error: infra answered HTTP 503: [1,2]"},
      {500, std::string(300, 'x'), ErrorCode::kInternal,
       "error: infra answered HTTP 500: " + std::string(200, 'x') + "..."},
  };
  for (const Case& c : cases) {
    const Error e = ErrorFromResponse(c.status, c.body);
    EXPECT_EQ(e.code, c.code) << c.body;
    EXPECT_EQ(FormatError(e), c.formatted) << c.body;
  }
}

TEST(ErrorCodeFromString, InvertsToString) {
  for (ErrorCode c : {ErrorCode::kMalformed, ErrorCode::kNotFound, ErrorCode::kConflict,
                      ErrorCode::kTooLarge, ErrorCode::kInvalid, ErrorCode::kUnavailable}) {
    EXPECT_EQ(ErrorCodeFromString(ToString(c)), c);
  }
  EXPECT_EQ(ErrorCodeFromString("whatever"), ErrorCode::kInternal);
}

}  // namespace
}  // namespace made0::ctl
