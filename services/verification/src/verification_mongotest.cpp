// The verification service against the real MongoDB stand-in and SMTP sink of the test stack:
// a redelivered sign-up is recognised by the link's record and sends no second mail, and the
// records of links hold whatever order their writes arrive in.
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
  ASSERT_TRUE(svc.OnSignUp(event));  // redelivered: recorded already
  const auto first = maildir.WaitFor(ann, 1, std::chrono::seconds(5));
  ASSERT_EQ(first.size(), 1u);
  auto token = testing::Maildir::TokenIn(first[0]);
  ASSERT_TRUE(token);
  auto confirmed = svc.Confirm(*token);
  ASSERT_TRUE(confirmed) << confirmed.error().message;
  EXPECT_EQ(confirmed->user_id, "u-ann");

  const std::string bob = testing::UniqueEmail("bob");
  ASSERT_TRUE(svc.OnSignUp({testing::UniqueName("msg-"), "u-bob", bob, false, false}));
  EXPECT_EQ(maildir.WaitFor(bob, 1, std::chrono::seconds(5)).size(), 1u);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // a late second mail would land
  EXPECT_EQ(maildir.For(ann).size(), 1u);
}

TEST_F(VerificationMongo, ARefusedMailStaysUnrecordedWhateverTheOrderOfItsWrites) {
  const Link a = MakeLink(rng, clock, "u-1", "c@example.test", std::chrono::hours(1), "m-1").link;
  EXPECT_FALSE(store.LinkMailedFor("m-1"));
  store.RecordLinkMailed(a);
  store.ConfirmLinksMailed({a});  // the confirmation changes nothing
  EXPECT_TRUE(store.LinkMailedFor("m-1"));
  ASSERT_TRUE(store.Find(a.id));
  EXPECT_EQ(store.Find(a.id)->user_id, "u-1");

  // Refused at the end: undone, also when the unacknowledged record arrives after the undo.
  const Link b = MakeLink(rng, clock, "u-2", "d@example.test", std::chrono::hours(1), "m-2").link;
  store.ConfirmLinksMailed({b});
  store.ForgetLink(b);
  EXPECT_FALSE(store.LinkMailedFor("m-2"));
  const Link c = MakeLink(rng, clock, "u-3", "e@example.test", std::chrono::hours(1), "m-3").link;
  store.ForgetLink(c);
  store.ConfirmLinksMailed({c});  // late
  EXPECT_FALSE(store.LinkMailedFor("m-3"));
  // A second attempt (a new link) is recorded as usual.
  const Link c2 = MakeLink(rng, clock, "u-3", "e@example.test", std::chrono::hours(1), "m-3").link;
  store.ConfirmLinksMailed({c2});
  EXPECT_TRUE(store.LinkMailedFor("m-3"));
}

TEST_F(VerificationMongo, BatchLookupAndConfirmation) {
  auto link = [&](const std::string& source) {
    return MakeLink(rng, clock, "u-" + source, source + "@example.test", std::chrono::hours(1),
                    testing::UniqueName(source))
        .link;
  };
  const Link a = link("a"), b = link("b"), c = link("c");
  store.RecordLinkMailed(a);
  store.ConfirmLinksMailed({a});
  // c was never recorded unacknowledged (as if that write were lost): the confirmation writes it.
  store.RecordLinkMailed(b);
  store.ConfirmLinksMailed({b, c});
  EXPECT_EQ(store.LinksMailedFor({a.source, b.source, c.source, "never-sent"}),
            (std::set<std::string>{a.source, b.source, c.source}));
  ASSERT_TRUE(store.Find(c.id));
  EXPECT_EQ(store.Find(c.id)->email, "c@example.test");
  store.ForgetLink(b);
  EXPECT_EQ(store.LinksMailedFor({a.source, b.source}), (std::set<std::string>{a.source}));
  EXPECT_TRUE(store.LinksMailedFor({}).empty());
}

}  // namespace
}  // namespace made0::verification
