#include "made0/verification/verification_service.hpp"

#include <gtest/gtest.h>

#include <map>

#include "made0/core/testing/fake_clock.hpp"

namespace made0::verification {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

class FakeLinkStore final : public LinkStore {
 public:
  std::set<std::string> LinksMailedFor(const std::vector<std::string>& sources) override {
    ++lookups;
    if (down) throw UnavailableError("mongodb down");
    std::set<std::string> out;
    for (auto& [id, l] : links) {
      for (const auto& source : sources) {
        if (l.source == source && mailed_links.count(id) > 0) out.insert(source);
      }
    }
    return out;
  }
  void RecordLinkMailed(const Link& link) override {
    acks.push_back(Ack::kNoWait);
    Record(link);
  }
  void ConfirmLinksMailed(const std::vector<Link>& batch) override {
    if (batch.empty()) return;
    ++confirmations;
    if (confirm_down) throw UnavailableError("mongodb down");
    for (const Link& l : batch) {
      acks.push_back(Ack::kWait);
      Record(l);
    }
  }
  void Record(const Link& link) {
    if (links.emplace(link.id, link).second) mailed_links.insert(link.id);  // never overwrites
  }
  void ForgetLink(const Link& link) override {
    links.emplace(link.id, link);
    mailed_links.erase(link.id);
  }
  std::optional<Link> Find(const std::string& id) override {
    auto it = links.find(id);
    if (it == links.end()) return std::nullopt;
    return it->second;
  }
  bool MarkUsed(const std::string& id, SystemTime now) override {
    auto it = links.find(id);
    if (it == links.end() || it->second.used_at) return false;
    it->second.used_at = now;
    pending.insert(id);
    return true;
  }
  std::optional<Link> LatestForEmail(const std::string& email) override {
    std::optional<Link> best;
    for (auto& [id, l] : links) {
      if (l.email == email && (!best || l.created_at >= best->created_at)) best = l;
    }
    return best;
  }
  bool IsUserVerified(const std::string& user_id) override {
    for (auto& [id, l] : links) {
      if (l.user_id == user_id && l.used_at) return true;
    }
    return false;
  }
  bool WasMailed(const std::string& message_id) override { return mailed.count(message_id) > 0; }
  void RecordMailed(const std::string& message_id, SystemTime, Ack ack) override {
    acks.push_back(ack);
    mailed.insert(message_id);
  }
  void ForgetMailed(const std::string& message_id) override { mailed.erase(message_id); }
  std::vector<Link> PendingVerifiedEvents(SystemTime before, int) override {
    std::vector<Link> out;
    for (const auto& id : pending) {
      if (*links[id].used_at < before) out.push_back(links[id]);
    }
    return out;
  }
  void MarkVerifiedEventPublished(const std::string& id) override { pending.erase(id); }

  std::map<std::string, Link> links;
  std::set<std::string> pending;
  std::set<std::string> mailed;
  std::set<std::string> mailed_links;
  std::vector<Ack> acks;      // of the link and mail records, in order
  int lookups = 0;            // LinksMailedFor calls
  int confirmations = 0;      // ConfirmLinksMailed calls with links
  bool down = false;          // LinksMailedFor throws
  bool confirm_down = false;  // ConfirmLinksMailed throws
};

class FakeMailer final : public Mailer {
 public:
  // Send models the SMTP exchange: down fails before the message is handed over; refuse fails
  // after before_commit, as a server rejecting the message at the end of DATA would.
  Status Send(const Mail& mail, const std::function<Status()>& before_commit) override {
    if (down) return Error::Unavailable("smtp down");
    if (Status st = before_commit(); !st) return st;
    if (refuse || mail.to == refuse_to) return Error::Unavailable("554 refused");
    sent.push_back(mail);
    return Status::Ok();
  }
  bool refuse = false;
  std::string refuse_to;  // refuse mail to this address only
  // TokenOf extracts the token from the last mail's link.
  std::string LastToken() const {
    const std::string& text = sent.back().text;
    const auto at = text.find("token=") + 6;
    return text.substr(at, text.find('\n', at) - at);
  }
  bool down = false;
  std::vector<Mail> sent;
};

class FakePublisher final : public amqp::Publisher {
 public:
  Status Publish(const amqp::Message& m) override {
    if (down) return Error::Unavailable("broker down");
    published.push_back(m);
    return Status::Ok();
  }
  bool down = false;
  std::vector<amqp::Message> published;
};

class FakeGate final : public RateGate {
 public:
  Result<seconds> Check(const std::string&) override { return wait; }
  seconds wait{0};
};

class VerificationServiceTest : public ::testing::Test {
 protected:
  SignUpEvent Registered(std::string id = "m1") {
    return {std::move(id), "u1", "ann@example.test", false, false};
  }

  FakeLinkStore store;
  FakeMailer mailer;
  FakePublisher publisher;
  FakeGate gate;
  SecureRandom rng;
  testing::FakeClock clock;
  tracing::NullSpanSink spans;
  tracing::Tracer tracer{spans, clock, rng, "verification", "verification-test"};
  VerificationService svc{store, mailer, publisher, gate,
                          rng,   clock,  tracer,    {hours(1), "http://127.0.0.1:3000"}};
};

TEST_F(VerificationServiceTest, SignUpMailsOneLinkEvenWhenRedelivered) {
  ASSERT_TRUE(svc.OnSignUp(Registered()));
  ASSERT_TRUE(svc.OnSignUp(Registered()));
  ASSERT_EQ(mailer.sent.size(), 1u);
  EXPECT_EQ(mailer.sent[0].to, "ann@example.test");
  EXPECT_NE(mailer.sent[0].text.find("http://127.0.0.1:3000/verify?token="), std::string::npos);
  ASSERT_EQ(store.links.size(), 1u);
  // Only the hash is stored.
  EXPECT_EQ(store.links.count(mailer.LastToken()), 0u);
  // Recorded without waiting just before the end of data, then confirmed once accepted; the
  // redelivery found the record and recorded nothing.
  EXPECT_EQ(store.acks, (std::vector<Ack>{Ack::kNoWait, Ack::kWait}));
}

TEST_F(VerificationServiceTest, ABatchIsLookedUpAndConfirmedOnceWithAMailEach) {
  ASSERT_TRUE(svc.OnSignUp(Registered("m0")));  // mailed before: a redelivery in the batch
  store.lookups = store.confirmations = 0;
  const std::vector<SignUpEvent> batch = {
      Registered("m1"),
      Registered("m0"),
      {"m2", "u2", "bob@example.test", false, false},
      Registered("m1")};  // m1 twice: the relay published it twice
  const std::vector<Status> out = svc.OnSignUps(batch, {});
  ASSERT_EQ(out.size(), 4u);
  for (const Status& st : out) EXPECT_TRUE(st);
  EXPECT_EQ(store.lookups, 1);
  EXPECT_EQ(store.confirmations, 1);
  ASSERT_EQ(mailer.sent.size(), 3u);  // m0 before, then m1 and m2 once each
  EXPECT_EQ(mailer.sent[1].to, "ann@example.test");
  EXPECT_EQ(mailer.sent[2].to, "bob@example.test");
  EXPECT_TRUE(store.LinkMailedFor("m1"));
  EXPECT_TRUE(store.LinkMailedFor("m2"));
}

TEST_F(VerificationServiceTest, InABatchOnlyTheFailedMailsAreRetried) {
  mailer.refuse_to = "bob@example.test";
  const std::vector<Status> out = svc.OnSignUps(
      {Registered("m1"), {"m2", "u2", "bob@example.test", false, false}, Registered("m3")}, {});
  EXPECT_TRUE(out[0]);
  EXPECT_FALSE(out[1]);
  EXPECT_TRUE(out[2]);
  EXPECT_FALSE(store.LinkMailedFor("m2"));  // refused at the end: recorded as not mailed
  EXPECT_EQ(mailer.sent.size(), 2u);
}

TEST_F(VerificationServiceTest, ABatchWhoseRecordsCannotBeConfirmedIsRetried) {
  store.confirm_down = true;
  const std::vector<Status> out = svc.OnSignUps({Registered("m1"), Registered("m2")}, {});
  EXPECT_FALSE(out[0]);
  EXPECT_FALSE(out[1]);
  // The unacknowledged records did land here, so the retries send nothing again.
  store.confirm_down = false;
  for (const Status& st : svc.OnSignUps({Registered("m1"), Registered("m2")}, {})) {
    EXPECT_TRUE(st);
  }
  EXPECT_EQ(mailer.sent.size(), 2u);

  store.down = true;  // the lookup fails before anything is mailed
  EXPECT_THROW(svc.OnSignUps({Registered("m3")}, {}), UnavailableError);
  EXPECT_EQ(mailer.sent.size(), 2u);
}

TEST_F(VerificationServiceTest, SmtpDownMeansRetryAndNothingIsMarkedSent) {
  mailer.down = true;
  auto st = svc.OnSignUp(Registered());
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  mailer.down = false;
  ASSERT_TRUE(svc.OnSignUp(Registered()));
  EXPECT_EQ(mailer.sent.size(), 1u);
}

TEST_F(VerificationServiceTest, AMailRefusedAtTheEndIsNotRecordedAsSent) {
  mailer.refuse = true;
  ASSERT_FALSE(svc.OnSignUp(Registered()));
  ASSERT_EQ(store.links.size(), 1u);
  EXPECT_TRUE(store.mailed_links.empty());  // recorded before the refusal, then undone
  mailer.refuse = false;
  ASSERT_TRUE(svc.OnSignUp(Registered()));
  EXPECT_EQ(mailer.sent.size(), 1u);
  EXPECT_TRUE(svc.OnSignUp(Registered()));  // a redelivery now sends nothing
  EXPECT_EQ(mailer.sent.size(), 1u);
}

TEST_F(VerificationServiceTest, ConfirmOnceThenRefuse) {
  ASSERT_TRUE(svc.OnSignUp(Registered()));
  const std::string token = mailer.LastToken();
  auto ok = svc.Confirm(token);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->user_id, "u1");
  ASSERT_EQ(publisher.published.size(), 1u);
  EXPECT_EQ(publisher.published[0].routing_key, "user.verified");
  EXPECT_TRUE(store.pending.empty());

  auto again = svc.Confirm(token);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_EQ(publisher.published.size(), 1u);
}

TEST_F(VerificationServiceTest, ExpiredTamperedAndMalformedTokensAreRefused) {
  ASSERT_TRUE(svc.OnSignUp(Registered()));
  std::string token = mailer.LastToken();
  std::string tampered = token;
  tampered[0] = tampered[0] == 'A' ? 'B' : 'A';
  EXPECT_EQ(svc.Confirm(tampered).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(svc.Confirm("x").error().code, ErrorCode::kInvalid);
  EXPECT_EQ(svc.Confirm("").error().code, ErrorCode::kInvalid);
  clock.Advance(hours(1));
  EXPECT_EQ(svc.Confirm(token).error().code, ErrorCode::kGone);
  EXPECT_TRUE(publisher.published.empty());
}

TEST_F(VerificationServiceTest, AConfirmationIsNeverLostWhenTheBrokerIsDown) {
  ASSERT_TRUE(svc.OnSignUp(Registered()));
  publisher.down = true;
  ASSERT_TRUE(svc.Confirm(mailer.LastToken()));
  EXPECT_EQ(store.pending.size(), 1u);
  EXPECT_EQ(svc.PublishPendingEvents(), 0);  // too recent: a confirmation may be in progress
  clock.Advance(seconds(3));
  EXPECT_EQ(svc.PublishPendingEvents(), 0);  // still down
  publisher.down = false;
  EXPECT_EQ(svc.PublishPendingEvents(), 1);
  ASSERT_EQ(publisher.published.size(), 1u);
  EXPECT_EQ(publisher.published[0].message_id.rfind("verified-", 0), 0u);
  EXPECT_EQ(svc.PublishPendingEvents(), 0);
}

TEST_F(VerificationServiceTest, RepeatedSignUp) {
  // Unverified owner: a fresh link. Verified owner: a notice, once per message.
  ASSERT_TRUE(svc.OnSignUp(Registered("m1")));
  ASSERT_TRUE(svc.OnSignUp({"m2", "u1", "ann@example.test", false, true}));
  ASSERT_TRUE(svc.OnSignUp({"m2", "u1", "ann@example.test", false, true}));  // redelivered
  ASSERT_EQ(mailer.sent.size(), 2u);
  EXPECT_EQ(mailer.sent[1].subject, "Confirm your email address for made0");
  ASSERT_TRUE(svc.Confirm(mailer.LastToken()));
  ASSERT_TRUE(svc.OnSignUp({"m3", "u1", "ann@example.test", true, true}));
  ASSERT_TRUE(svc.OnSignUp({"m3", "u1", "ann@example.test", true, true}));
  ASSERT_EQ(mailer.sent.size(), 3u);
  EXPECT_EQ(mailer.sent[2].subject, "You already have a made0 account");
  // A notice refused at the end is not recorded, so its redelivery sends it.
  mailer.refuse = true;
  ASSERT_FALSE(svc.OnSignUp({"m4", "u1", "ann@example.test", true, true}));
  mailer.refuse = false;
  ASSERT_TRUE(svc.OnSignUp({"m4", "u1", "ann@example.test", true, true}));
  EXPECT_EQ(mailer.sent.size(), 4u);
}

TEST_F(VerificationServiceTest, ResendOnlyForPendingAddressesAndWithinTheLimit) {
  auto unknown = svc.Resend("nobody@example.test");
  ASSERT_TRUE(unknown);
  EXPECT_FALSE(unknown->rate_limited);
  EXPECT_TRUE(mailer.sent.empty());

  ASSERT_TRUE(svc.OnSignUp(Registered()));
  const std::string first = mailer.LastToken();
  ASSERT_TRUE(svc.Resend("ANN@example.test"));
  ASSERT_EQ(mailer.sent.size(), 2u);
  // Both links work until one is used.
  EXPECT_NE(mailer.LastToken(), first);
  gate.wait = seconds(42);
  auto limited = svc.Resend("ann@example.test");
  ASSERT_TRUE(limited);
  EXPECT_TRUE(limited->rate_limited);
  EXPECT_EQ(limited->retry_after, seconds(42));
  EXPECT_EQ(mailer.sent.size(), 2u);
  gate.wait = seconds(0);
  ASSERT_TRUE(svc.Confirm(first));
  ASSERT_TRUE(svc.Resend("ann@example.test"));
  EXPECT_EQ(mailer.sent.size(), 2u);  // verified: nothing more to send
  EXPECT_EQ(svc.Resend("bad").error().field, "email");
}

}  // namespace
}  // namespace made0::verification
