#include "made0/verification/link.hpp"

#include <gtest/gtest.h>

#include "made0/core/testing/fake_clock.hpp"
#include "made0/verification/mail.hpp"

namespace made0::verification {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

TEST(Link, TokenIsOpaqueAndOnlyItsHashIsKept) {
  SecureRandom rng;
  testing::FakeClock clock;
  auto l = MakeLink(rng, clock, "u1", "ann@example.test", hours(1), "msg-1");
  EXPECT_EQ(l.token.size(), 43u);
  EXPECT_EQ(l.link.id.size(), 64u);
  EXPECT_EQ(LinkTokenHash(l.token), l.link.id);
  EXPECT_EQ(l.link.expires_at - l.link.created_at, hours(1));
}

TEST(Link, TamperedOrMalformedTokensHaveNoHash) {
  SecureRandom rng;
  testing::FakeClock clock;
  auto l = MakeLink(rng, clock, "u1", "a@b.test", hours(1), "m");
  std::string tampered = l.token;
  tampered[5] = tampered[5] == 'A' ? 'B' : 'A';
  EXPECT_NE(LinkTokenHash(tampered), l.link.id);  // well-formed but a different token
  EXPECT_FALSE(LinkTokenHash(l.token.substr(1)));
  EXPECT_FALSE(LinkTokenHash(l.token + "A"));
  EXPECT_FALSE(LinkTokenHash("not a token"));
  EXPECT_FALSE(LinkTokenHash(""));
}

TEST(Link, VerdictTable) {
  testing::FakeClock clock;
  const SystemTime now = clock.Now();
  auto make = [](SystemTime expires_at, std::optional<SystemTime> used_at) {
    Link l;
    l.expires_at = expires_at;
    l.used_at = used_at;
    return l;
  };
  const Link valid = make(now + minutes(1), std::nullopt);
  const Link used = make(now + minutes(1), now - minutes(1));
  const Link expired = make(now, std::nullopt);
  const Link used_and_expired = make(now - minutes(1), now - minutes(2));
  struct Case {
    std::optional<Link> link;
    LinkVerdict want;
    int status_code;  // the ErrorCode's HTTP status, as the frontend will map it
  };
  const Case cases[] = {
      {std::nullopt, LinkVerdict::kUnknown, 404},
      {valid, LinkVerdict::kValid, 0},
      {used, LinkVerdict::kUsed, 409},
      {expired, LinkVerdict::kExpired, 410},
      {used_and_expired, LinkVerdict::kUsed, 409},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Judge(c.link, now), c.want);
    if (c.want == LinkVerdict::kValid) continue;
    const Error e = VerdictError(c.want);
    EXPECT_EQ(e.field, "token");
    const ErrorCode want_code = c.status_code == 404   ? ErrorCode::kNotFound
                                : c.status_code == 409 ? ErrorCode::kConflict
                                                       : ErrorCode::kGone;
    EXPECT_EQ(e.code, want_code);
  }
}

TEST(Mail, ValidityTextUsesTheLargestWholeUnit) {
  using std::chrono::milliseconds;
  const struct {
    milliseconds ttl;
    const char* want;
  } cases[] = {
      {hours(1), "1 hour"},
      {hours(24), "24 hours"},
      {std::chrono::minutes(90), "90 minutes"},
      {std::chrono::minutes(1), "1 minute"},
      {std::chrono::seconds(61), "61 seconds"},
      {std::chrono::seconds(2), "2 seconds"},
      {milliseconds(1500), "1 second"},
      {milliseconds(0), "0 seconds"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ValidityText(c.ttl), c.want) << c.ttl.count() << " ms";
  }
}

TEST(Mail, RendersBothPartsWithCrlfAndTheLink) {
  const std::string url = "http://127.0.0.1:3000/verify?token=abc_-123";
  Mail m = VerificationMail("ann@example.test", url, hours(1));
  m.message_id = "<x@made0>";
  testing::FakeClock clock;
  const std::string wire = RenderMime(m, "made0 <no-reply@made0.local>", clock.Now(), "b1");
  EXPECT_NE(wire.find("To: <ann@example.test>\r\n"), std::string::npos);
  EXPECT_NE(wire.find("multipart/alternative; boundary=\"b1\""), std::string::npos);
  EXPECT_NE(wire.find("text/plain"), std::string::npos);
  EXPECT_NE(wire.find("text/html"), std::string::npos);
  EXPECT_NE(wire.find("href=\"" + url + "\""), std::string::npos);
  EXPECT_NE(wire.find("expires in 1 hour."), std::string::npos);
  EXPECT_NE(wire.find("--b1--\r\n"), std::string::npos);
  for (std::size_t i = wire.find('\n'); i != std::string::npos; i = wire.find('\n', i + 1)) {
    ASSERT_EQ(wire[i - 1], '\r');
  }
}

}  // namespace
}  // namespace made0::verification
