#include <gtest/gtest.h>

#include <map>
#include <set>

#include "made0/core/testing/fake_clock.hpp"
#include "made0/outbox/outbox.hpp"
#include "made0/outbox/relay.hpp"
#include "made0/outbox/testing/recording_publisher.hpp"
#include "made0/pg/testing/test_database.hpp"

namespace made0::outbox {
namespace {

using namespace std::chrono_literals;
using pg::testing::Eventually;
using pg::testing::TestDatabase;
using testing::RecordingPublisher;

amqp::Message Event(const std::string& id) {
  amqp::Message m;
  m.exchange = amqp::kEventsExchange;
  m.routing_key = "user.registered";
  m.message_id = id;
  m.type = "user.registered";
  m.body = R"({"type":"user.registered","version":1,"id":")" + id + R"("})";
  m.headers["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  return m;
}

class OutboxPg : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pg::ApplyMigrations(t_.db(), t_.schema(), {OutboxMigration(t_.schema(), 1)}).ok());
  }
  void EnqueueCommitted(const std::vector<std::string>& ids) {
    t_.db().InTransaction([&](pg::Transaction& tx) {
      for (const auto& id : ids) Enqueue(tx, t_.schema(), Event(id));
    });
  }
  RelayOptions Options() {
    RelayOptions o;
    o.schema = t_.schema();
    o.backoff_initial = 20ms;
    o.backoff_max = 100ms;
    return o;
  }
  static std::vector<std::string> Ids(const std::vector<amqp::Message>& ms) {
    std::vector<std::string> out;
    for (const auto& m : ms) out.push_back(m.message_id);
    return out;
  }

  TestDatabase t_{"outbox_"};
  made0::testing::FakeClock clock_;
  SecureRandom rng_;
  RecordingPublisher publisher_;
};

TEST_F(OutboxPg, RolledBackEnqueueIsNeverRelayed) {
  EXPECT_THROW(t_.db().InTransaction([&](pg::Transaction& tx) {
    Enqueue(tx, t_.schema(), Event("m-rolled-back"));
    throw std::runtime_error("the business change failed");
  }),
               std::runtime_error);
  Relay relay(t_.db(), publisher_, Options(), clock_, rng_);
  const BatchResult r = relay.RunOnce();
  EXPECT_EQ(r.claimed, 0);
  EXPECT_EQ(publisher_.Calls(), 0);
  EXPECT_EQ(relay.PendingCount(), 0);
}

TEST_F(OutboxPg, AnEventNobodyMustReceiveKeepsItsFlagAndNoExtraHeader) {
  amqp::Message m = Event("m-optional");
  m.mandatory = false;
  t_.db().InTransaction([&](pg::Transaction& tx) { Enqueue(tx, t_.schema(), m); });
  Relay relay(t_.db(), publisher_, Options(), clock_, rng_);
  ASSERT_EQ(relay.RunOnce().claimed, 1);
  auto sent = publisher_.Messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_FALSE(sent[0].mandatory);
  EXPECT_EQ(sent[0].headers, m.headers);
}

TEST_F(OutboxPg, CommittedEnqueueIsRelayedOnceWithItsFields) {
  RelayOptions o = Options();
  o.poll_interval = 60s;  // only the NOTIFY can wake the relay within the test's patience
  Relay relay(t_.db(), publisher_, o, clock_, rng_);
  relay.Start();
  std::this_thread::sleep_for(200ms);  // first round done, listener connected, relay waiting
  amqp::Message m = Event("m-1");
  m.correlation_id = "corr-1";
  m.reply_to = "replies";
  t_.db().InTransaction([&](pg::Transaction& tx) { Enqueue(tx, t_.schema(), m); });
  ASSERT_TRUE(Eventually([&] { return publisher_.Messages().size() == 1; }, 5s));
  std::this_thread::sleep_for(200ms);
  relay.Stop();

  auto sent = publisher_.Messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message_id, "m-1");
  EXPECT_EQ(sent[0].exchange, amqp::kEventsExchange);
  EXPECT_EQ(sent[0].routing_key, "user.registered");
  EXPECT_EQ(sent[0].type, "user.registered");
  EXPECT_EQ(sent[0].correlation_id, "corr-1");
  EXPECT_EQ(sent[0].reply_to, "replies");
  EXPECT_EQ(nlohmann::json::parse(sent[0].body), nlohmann::json::parse(m.body));
  EXPECT_EQ(sent[0].headers, m.headers);
  EXPECT_TRUE(sent[0].mandatory);
  EXPECT_GT(sent[0].timestamp_ms, 0);
  EXPECT_EQ(relay.PendingCount(), 0);
  EXPECT_EQ(relay.GetCounters().published, 1u);
  auto row = t_.db().Exec("SELECT attempts, published_at FROM " + t_.schema() + ".outbox");
  EXPECT_EQ(row[0].Get<int>("attempts"), 1);
  EXPECT_FALSE(row[0].IsNull("published_at"));
}

TEST_F(OutboxPg, DuplicateMessageIdIsAUniqueViolation) {
  EnqueueCommitted({"dup"});
  EXPECT_THROW(EnqueueCommitted({"dup"}), pg::UniqueViolation);
  amqp::Message no_id = Event("");
  EXPECT_THROW(t_.db().InTransaction([&](pg::Transaction& tx) { Enqueue(tx, t_.schema(), no_id); }),
               std::invalid_argument);
}

// EnqueueWith: the change and its event in one statement, both or neither.
TEST_F(OutboxPg, EnqueueWithEnqueuesExactlyWhenTheChangeWritesItsRow) {
  const std::string s = t_.schema();
  t_.db().Exec("CREATE TABLE " + s + ".things (name text PRIMARY KEY, n int NOT NULL)");
  const std::string change = "INSERT INTO " + s +
                             ".things(name, n) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING "
                             "RETURNING name, n";
  pg::Rows first = EnqueueWith(t_.db(), s, change, {"a", 1}, Event("m-a"));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].Get<std::string>("name"), "a");
  EXPECT_EQ(first[0].Get<int>("n"), 1);
  // The change writes nothing: no event either.
  EXPECT_TRUE(EnqueueWith(t_.db(), s, change, {"a", 2}, Event("m-a-again")).empty());
  // The event cannot be stored (its message_id is taken): the change is not written either.
  EXPECT_THROW(EnqueueWith(t_.db(), s, change, {"b", 3}, Event("m-a")), pg::UniqueViolation);
  EXPECT_EQ(t_.db().Exec("SELECT count(*) AS n FROM " + s + ".things")[0].Get<int>("n"), 1);

  Relay relay(t_.db(), publisher_, Options(), clock_, rng_);
  EXPECT_EQ(relay.RunOnce().claimed, 1);
  const auto sent = publisher_.Messages();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].message_id, "m-a");
  EXPECT_EQ(nlohmann::json::parse(sent[0].body), nlohmann::json::parse(Event("m-a").body));
  EXPECT_EQ(sent[0].headers, Event("m-a").headers);
}

TEST_F(OutboxPg, EnqueueWithWakesTheRelay) {
  const std::string s = t_.schema();
  t_.db().Exec("CREATE TABLE " + s + ".things (name text PRIMARY KEY)");
  RelayOptions o = Options();
  o.poll_interval = 60s;  // only the NOTIFY can wake the relay within the test's patience
  Relay relay(t_.db(), publisher_, o, clock_, rng_);
  relay.Start();
  std::this_thread::sleep_for(200ms);  // first round done, listener connected, relay waiting
  EnqueueWith(t_.db(), s, "INSERT INTO " + s + ".things(name) VALUES ($1) RETURNING name", {"a"},
              Event("m-woken"));
  EXPECT_TRUE(Eventually([&] { return publisher_.Messages().size() == 1; }, 5s));
  relay.Stop();
}

// Wakeup::kNone: no NOTIFY reaches a listening relay, and the producer's Wake() does its work.
TEST_F(OutboxPg, WithoutANotifyTheProducerWakesItsRelay) {
  const std::string s = t_.schema();
  t_.db().Exec("CREATE TABLE " + s + ".things (name text PRIMARY KEY)");
  RelayOptions o = Options();
  o.poll_interval = 60s;
  Relay relay(t_.db(), publisher_, o, clock_, rng_);  // listening, as in EnqueueWithWakesTheRelay
  relay.Start();
  std::this_thread::sleep_for(200ms);
  EnqueueWith(t_.db(), s, "INSERT INTO " + s + ".things(name) VALUES ($1) RETURNING name", {"a"},
              Event("m-with"), Wakeup::kNone);
  t_.db().InTransaction([&](pg::Transaction& tx) { Enqueue(tx, s, Event("m-tx"), Wakeup::kNone); });
  // A NOTIFY wakes the relay within milliseconds (the test above); none was sent.
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(publisher_.Messages().empty());
  relay.Wake();
  EXPECT_TRUE(Eventually([&] { return publisher_.Messages().size() == 2; }, 5s));
  EXPECT_EQ(Ids(publisher_.Messages()), (std::vector<std::string>{"m-with", "m-tx"}));
  relay.Stop();
}

TEST_F(OutboxPg, FailedPublishKeepsTheRowAndRecordsTheError) {
  EnqueueCommitted({"a", "b", "c"});
  publisher_.FailNext(1);
  RelayOptions o = Options();
  Relay relay(t_.db(), publisher_, o, clock_, rng_);
  const BatchResult r = relay.RunOnce();
  EXPECT_EQ(r.claimed, 3);
  EXPECT_EQ(r.published, 0);
  EXPECT_TRUE(r.publish_failed);
  EXPECT_EQ(publisher_.Calls(), 1);  // the round stopped at the first failure
  auto rows = t_.db().Exec("SELECT message_id, attempts, last_error, published_at FROM " +
                           t_.schema() + ".outbox ORDER BY id");
  EXPECT_EQ(rows[0].Get<int>("attempts"), 1);
  EXPECT_EQ(rows[0].Get<std::string>("last_error"), "fake broker is down");
  for (const pg::Row& row : rows) EXPECT_TRUE(row.IsNull("published_at"));
  EXPECT_EQ(relay.PendingCount(), 3);
}

TEST_F(OutboxPg, PublisherFailingThenRecoveringPublishesEachOnceInOrder) {
  std::vector<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.push_back("m-" + std::to_string(i));
  EnqueueCommitted(ids);
  publisher_.FailNext(4);
  RelayOptions o = Options();
  o.batch_size = 7;
  Relay relay(t_.db(), publisher_, o, clock_, rng_);
  relay.Start();
  ASSERT_TRUE(Eventually([&] { return publisher_.Messages().size() == ids.size(); }, 10s));
  ASSERT_TRUE(Eventually([&] { return relay.PendingCount() == 0; }, 5s));
  relay.Stop();
  EXPECT_EQ(Ids(publisher_.Messages()), ids);
  EXPECT_EQ(publisher_.Calls(), 24);
  const auto c = relay.GetCounters();
  EXPECT_EQ(c.published, 20u);
  EXPECT_EQ(c.publish_failures, 4u);
  auto first = t_.db().Exec("SELECT attempts, last_error FROM " + t_.schema() +
                            ".outbox WHERE message_id = 'm-0'");
  EXPECT_EQ(first[0].Get<int>("attempts"), 5);
  EXPECT_FALSE(first[0].IsNull("last_error"));
}

TEST_F(OutboxPg, TwoRelaysPublishEveryRowExactlyOnce) {
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) ids.push_back("r-" + std::to_string(i));
  for (std::size_t i = 0; i < ids.size(); i += 50) {
    EnqueueCommitted(std::vector<std::string>(ids.begin() + static_cast<long>(i),
                                              ids.begin() + static_cast<long>(i + 50)));
  }
  publisher_.SetDelay(1ms);  // keeps both relays in their rounds at the same time
  RelayOptions o = Options();
  o.batch_size = 10;
  pg::Database other_db(t_.url(), 4);  // as if in another process
  Relay a(t_.db(), publisher_, o, clock_, rng_);
  SecureRandom rng_b;
  Relay b(other_db, publisher_, o, clock_, rng_b);
  a.Start();
  b.Start();
  ASSERT_TRUE(Eventually([&] { return a.PendingCount() == 0; }, 30s));
  a.Stop();
  b.Stop();
  const auto sent = Ids(publisher_.Messages());
  EXPECT_EQ(sent.size(), ids.size());
  EXPECT_EQ(std::set<std::string>(sent.begin(), sent.end()),
            std::set<std::string>(ids.begin(), ids.end()));
  EXPECT_GT(a.GetCounters().published, 0u);
  EXPECT_GT(b.GetCounters().published, 0u);
  EXPECT_EQ(a.GetCounters().published + b.GetCounters().published, ids.size());
}

TEST_F(OutboxPg, CleanupDeletesOnlyOldPublishedRows) {
  EnqueueCommitted({"old-published", "old-pending", "new-published"});
  const std::string tbl = t_.schema() + ".outbox";
  t_.db().Exec("UPDATE " + tbl +
               " SET published_at = now() - interval '8 days'"
               " WHERE message_id = 'old-published'");
  t_.db().Exec("UPDATE " + tbl +
               " SET created_at = now() - interval '8 days'"
               " WHERE message_id = 'old-pending'");
  t_.db().Exec("UPDATE " + tbl + " SET published_at = now() WHERE message_id = 'new-published'");
  Relay relay(t_.db(), publisher_, Options(), clock_, rng_);
  EXPECT_EQ(relay.Cleanup(), 1);
  auto left = t_.db().Exec("SELECT message_id FROM " + tbl + " ORDER BY id");
  ASSERT_EQ(left.size(), 2u);
  EXPECT_EQ(left[0].Get<std::string>(0), "old-pending");
  EXPECT_EQ(left[1].Get<std::string>(0), "new-published");
  EXPECT_EQ(relay.GetCounters().cleaned, 1u);
}

TEST_F(OutboxPg, DatabaseDownIsADbFailureNotAPublish) {
  pg::Database down("postgresql://made0@127.0.0.1:1/made0", 1);
  RelayOptions o = Options();
  o.listen = false;
  Relay relay(down, publisher_, o, clock_, rng_);
  const BatchResult r = relay.RunOnce();
  EXPECT_TRUE(r.db_failed);
  EXPECT_EQ(publisher_.Calls(), 0);
  EXPECT_EQ(relay.GetCounters().db_failures, 1u);
}

}  // namespace
}  // namespace made0::outbox
