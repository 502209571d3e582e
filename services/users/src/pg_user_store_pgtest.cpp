#include "made0/users/pg_user_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "made0/core/random.hpp"
#include "made0/pg/listener.hpp"
#include "made0/pg/testing/test_database.hpp"

namespace made0::users {
namespace {

using namespace std::chrono_literals;
using pg::testing::Eventually;
using pg::testing::TestDatabase;

amqp::Message EventFor(Random& rng, const User& user, bool created) {
  amqp::Message m;
  m.exchange = amqp::kEventsExchange;
  m.type = m.routing_key = created ? "user.registered" : "user.signup_repeated";
  m.message_id = RandomHex(rng, 16);
  m.body = R"({"user_id":")" + user.id + R"("})";
  return m;
}

// The store writes schema users itself (its statements name it), so this test uses the stack's
// users schema with addresses of its own; TestDatabase only lends the pool.
class PgUserStorePg : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pg::ApplyMigrations(t_.db(), kSchema, PgUserStore::Migrations()).ok());
    listener_.Start();
    // The Listener calls back once when its LISTEN takes effect.
    ASSERT_TRUE(Eventually([&] { return listener_.Listening() && notified_ == 1; }));
  }
  void TearDown() override { listener_.Stop(); }

  SignUpOutcome SignUp(PgUserStore& store, const std::string& email) {
    return store.SignUp(RandomUuid(rng_), email, "not-a-real-hash",
                        [&](const User& u, bool created) { return EventFor(rng_, u, created); });
  }
  std::string NewEmail() { return "pgtest-" + RandomHex(rng_, 8) + "@example.test"; }

  TestDatabase t_{"users_pgt_"};
  SecureRandom rng_;
  std::atomic<int> notified_{0};
  pg::Listener listener_{t_.url(), outbox::Channel(kSchema), [this] { ++notified_; }};
};

TEST_F(PgUserStorePg, WithAWakeCallbackEveryEnqueuedEventCallsItAndNothingIsNotified) {
  std::atomic<int> woken{0};
  PgUserStore store(t_.db(), [&] { ++woken; });
  const std::string email = NewEmail();
  EXPECT_TRUE(SignUp(store, email).created);
  EXPECT_EQ(woken, 1);
  EXPECT_FALSE(SignUp(store, email).created);  // user.signup_repeated, enqueued in a transaction
  EXPECT_EQ(woken, 2);
  std::this_thread::sleep_for(300ms);  // a NOTIFY reaches the listener within milliseconds
  EXPECT_EQ(notified_, 1);
}

TEST_F(PgUserStorePg, WithoutOneEachEventIsNotifiedToTheRelays) {
  PgUserStore store(t_.db());
  EXPECT_TRUE(SignUp(store, NewEmail()).created);
  EXPECT_TRUE(Eventually([&] { return notified_ == 2; }, 5s));
}

}  // namespace
}  // namespace made0::users
