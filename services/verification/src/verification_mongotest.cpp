// The verification service against the real MongoDB stand-in and SMTP sink of the test stack:
// a redelivered sign-up is recognised by the link's record and its SMTP transaction abandoned
// before the end of data, so the sink keeps one mail, and the next mail goes out as usual.
#include <gtest/gtest.h>

#include <thread>

#include "made0/core/clock.hpp"
#include "made0/testing/stack_env.hpp"
#include "made0/testing/system.hpp"
#include "made0/tracing/span.hpp"
#include "made0/tracing/span_scope.hpp"
#include "made0/verification/mongo_link_store.hpp"
#include "made0/verification/smtp_mailer.hpp"
#include "made0/verification/verification_service.hpp"

namespace made0::verification {
namespace {

using std::chrono::seconds;

class NoPublisher final : public amqp::Publisher {
 public:
  Status Publish(const amqp::Message&) override { return Status::Ok(); }
};

class OpenGate final : public RateGate {
 public:
  Result<seconds> Check(const std::string&) override { return seconds(0); }
};

class VerificationMongo : public ::testing::Test {
 protected:
  static std::string MongoUrl(const MapEnv& env) {
    std::string url = env.Get("MADE0_MONGO_URL").value();
    return url.substr(0, url.rfind('/') + 1) + testing::UniqueName("verification_");
  }

  MapEnv env = testing::LoadStackEnv();
  MongoLinkStore store{MongoUrl(env)};
  SecureRandom rng;
  SystemClock clock;
  SmtpMailer mailer{env.Get("MADE0_SMTP_URL").value(), "made0 <no-reply@made0.local>",
                    "no-reply@made0.local", rng, clock};
  NoPublisher publisher;
  OpenGate gate;
  tracing::NullSpanSink spans;
  tracing::Tracer tracer{spans, clock, rng, "verification", "verification-test"};
  VerificationService svc{
      store, mailer, publisher, gate,
      rng,   clock,  tracer,    {std::chrono::hours(1), "http://127.0.0.1:3000"}};
  testing::Maildir maildir{env.Get("MADE0_MAILDIR").value()};
};

TEST_F(VerificationMongo, ARedeliveredSignUpSendsNoSecondMail) {
  ASSERT_TRUE(store.EnsureIndexes());
  const std::string ann = testing::UniqueEmail("ann");
  const SignUpEvent event{testing::UniqueName("msg-"), "u-ann", ann, false, false};
  ASSERT_TRUE(svc.OnSignUp(event));
  ASSERT_TRUE(svc.OnSignUp(event));  // redelivered: recorded already, abandoned before the end
  const auto first = maildir.WaitFor(ann, 1, std::chrono::seconds(5));
  ASSERT_EQ(first.size(), 1u);
  auto token = testing::Maildir::TokenIn(first[0]);
  ASSERT_TRUE(token);
  auto confirmed = svc.Confirm(*token);
  ASSERT_TRUE(confirmed) << confirmed.error().message;
  EXPECT_EQ(confirmed->user_id, "u-ann");

  // The abandoned transaction cost the kept connection; the next mail still goes out.
  const std::string bob = testing::UniqueEmail("bob");
  ASSERT_TRUE(svc.OnSignUp({testing::UniqueName("msg-"), "u-bob", bob, false, false}));
  EXPECT_EQ(maildir.WaitFor(bob, 1, std::chrono::seconds(5)).size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a late second mail would land
  EXPECT_EQ(maildir.For(ann).size(), 1u);
}

TEST_F(VerificationMongo, RecordsAreKeyedOnTheirSource) {
  const Link link =
      MakeLink(rng, clock, "u-1", "c@example.test", std::chrono::hours(1), "m-1").link;
  EXPECT_TRUE(store.RecordLinkMailed(link));
  const Link again =
      MakeLink(rng, clock, "u-1", "c@example.test", std::chrono::hours(1), "m-1").link;
  EXPECT_FALSE(store.RecordLinkMailed(again));
  EXPECT_TRUE(store.Find(link.id));
  EXPECT_FALSE(store.Find(again.id));
  store.ForgetLink(link.id);
  EXPECT_FALSE(store.Find(link.id));
  EXPECT_TRUE(store.RecordLinkMailed(again));  // a refused mail's record is gone: it may be sent

  EXPECT_TRUE(store.RecordMailed("notice-1", clock.Now()));
  EXPECT_FALSE(store.RecordMailed("notice-1", clock.Now()));
  store.ForgetMailed("notice-1");
  EXPECT_TRUE(store.RecordMailed("notice-1", clock.Now()));
}

}  // namespace
}  // namespace made0::verification
