#include "made0/frontend/cookies.hpp"

#include <gtest/gtest.h>

namespace made0::frontend {
namespace {

TEST(Cookies, SessionCookieAttributes) {
  EXPECT_EQ(SetCookie("made0_session", "tok",
                      {.http_only = true, .secure = false, .max_age = std::chrono::seconds(60)}),
            "made0_session=tok; Path=/; SameSite=Lax; Max-Age=60; HttpOnly");
  EXPECT_EQ(SetCookie("made0_session", "",
                      {.http_only = true, .secure = true, .max_age = std::chrono::seconds(0)}),
            "made0_session=; Path=/; SameSite=Lax; Max-Age=0; HttpOnly; Secure");
  EXPECT_EQ(SetCookie("made0_csrf", "c", {}), "made0_csrf=c; Path=/; SameSite=Lax");
}

TEST(Csrf, Table) {
  struct Case {
    const char* method;
    std::optional<std::string_view> cookie;
    std::optional<std::string_view> header;
    bool allowed;
  };
  const Case cases[] = {
      {"GET", std::nullopt, std::nullopt, true},
      {"HEAD", std::nullopt, std::nullopt, true},
      {"POST", "abc", "abc", true},
      {"DELETE", "abc", "abc", true},
      {"POST", std::nullopt, std::nullopt, false},
      {"POST", "abc", std::nullopt, false},
      {"POST", std::nullopt, "abc", false},
      {"POST", "abc", "abd", false},
      {"PUT", "", "", false},
      {"PATCH", "abc", "ab", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CsrfAllows(c.method, c.cookie, c.header), c.allowed) << c.method;
  }
}

TEST(Csrf, SameOrigin) {
  EXPECT_TRUE(SameOrigin(std::nullopt, "127.0.0.1:3000"));
  EXPECT_TRUE(SameOrigin("http://127.0.0.1:3000", "127.0.0.1:3000"));
  EXPECT_TRUE(SameOrigin("https://made0.example", "made0.example"));
  EXPECT_FALSE(SameOrigin("http://evil.example", "127.0.0.1:3000"));
  EXPECT_FALSE(SameOrigin("http://127.0.0.1:3000.evil", "127.0.0.1:3000"));
  EXPECT_FALSE(SameOrigin("null", "127.0.0.1:3000"));
  EXPECT_FALSE(SameOrigin("http://127.0.0.1:3000", std::nullopt));
}

}  // namespace
}  // namespace made0::frontend
