// Integration tests against a real RabbitMQ (MADE0_AMQP_URL from the stack env file).
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "made0/amqp/amqp_publisher.hpp"
#include "made0/amqp/consumer.hpp"
#include "made0/amqp/topology.hpp"
#include "made0/testing/stack_env.hpp"
#include "rmq_test_util.hpp"

namespace made0::amqp {
namespace {

using namespace std::chrono_literals;
using testing::Depth;
using testing::Eventually;
using testing::QueueCleanup;
using testing::Recorder;
using testing::StackAmqpUrl;

ConsumerOptions FastOptions() {
  ConsumerOptions o;
  o.reconnect = {50ms, 1s, 2.0, 0.5};
  return o;
}

TEST(AmqpRmq, PublishWithConfirmThenConsume) {
  const std::string url = StackAmqpUrl();
  QueueSpec spec = testing::UniqueSpec("roundtrip");
  QueueCleanup cleanup(spec.name);
  ASSERT_TRUE(DeclareTopology(url, spec));

  AmqpPublisher publisher(url);
  Message sent = testing::Sample(spec.routing_keys[0]);
  sent.timestamp_ms = 1'800'000'000'000;
  ASSERT_TRUE(publisher.Publish(sent));
  EXPECT_EQ(Depth(spec.name), 1);  // confirmed means enqueued

  Recorder seen;
  Consumer consumer(
      url, spec,
      [&](const Delivery& d) {
        seen.Add(d);
        return HandlerResult::kAck;
      },
      FastOptions());
  ASSERT_TRUE(consumer.Start());
  ASSERT_TRUE(seen.WaitCount(1, 10s));
  consumer.Stop();

  const Delivery d = seen.All().at(0);
  EXPECT_EQ(d.attempt, 1);
  EXPECT_FALSE(d.redelivered);
  EXPECT_EQ(d.message.exchange, kEventsExchange);
  EXPECT_EQ(d.message.routing_key, sent.routing_key);
  EXPECT_EQ(d.message.message_id, sent.message_id);
  EXPECT_EQ(d.message.correlation_id, sent.correlation_id);
  EXPECT_EQ(d.message.reply_to, sent.reply_to);
  EXPECT_EQ(d.message.type, sent.type);
  EXPECT_EQ(d.message.body, sent.body);
  EXPECT_EQ(d.message.headers, sent.headers);
  EXPECT_EQ(d.message.timestamp_ms, sent.timestamp_ms);
  EXPECT_EQ(Depth(spec.name), 0);
  EXPECT_EQ(consumer.Stats().acked, 1u);
}

TEST(AmqpRmq, PublisherSetsTheTimestamp) {
  const std::string url = StackAmqpUrl();
  QueueSpec spec = testing::UniqueSpec("props");
  QueueCleanup cleanup(spec.name);
  ASSERT_TRUE(DeclareTopology(url, spec));
  AmqpPublisher publisher(url);
  Message m = testing::Sample(spec.routing_keys[0]);  // timestamp 0: the publisher sets it
  ASSERT_TRUE(publisher.Publish(m));
  auto got = testing::TakeOne(spec.name, 5s);
  ASSERT_TRUE(got);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  EXPECT_NEAR(static_cast<double>(got->message.timestamp_ms), static_cast<double>(now_ms), 5000);
  EXPECT_EQ(got->message.message_id, m.message_id);
}

TEST(AmqpRmq, UnroutableMandatoryPublishIsAnError) {
  const std::string url = StackAmqpUrl();
  AmqpPublisher publisher(url);
  Message m = testing::Sample(made0::testing::UniqueName("nobody.listens."));
  auto st = publisher.Publish(m);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(st.error().message.find("NO_ROUTE"), std::string::npos) << st.error().message;
  EXPECT_TRUE(IsUnroutable(st.error()));
  m.mandatory = false;  // an event nobody has to receive: the broker drops it, and that is fine
  m.message_id += "-optional";
  EXPECT_TRUE(publisher.Publish(m));

  // A missing exchange closes the channel (404); the publisher reopens it.
  Message lost = testing::Sample("x");
  lost.exchange = made0::testing::UniqueName("no.such.exchange.");
  st = publisher.Publish(lost);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("NOT_FOUND"), std::string::npos) << st.error().message;

  // The same publisher still delivers routable messages, straight to a queue by name.
  QueueSpec spec{made0::testing::UniqueName("test.direct."), "", {}};
  QueueCleanup cleanup(spec.name);
  ASSERT_TRUE(DeclareTopology(url, spec));
  Message direct = testing::Sample(spec.name);
  direct.exchange = "";
  ASSERT_TRUE(publisher.Publish(direct));
  EXPECT_EQ(Depth(spec.name), 1);
}

TEST(AmqpRmq, InvalidInputIsRejectedBeforeTheBroker) {
  AmqpPublisher bad_url("http://nope");
  Message m = testing::Sample("k");
  EXPECT_EQ(bad_url.Publish(m).error().code, ErrorCode::kInvalid);
  AmqpPublisher publisher(StackAmqpUrl());
  m.message_id.clear();
  EXPECT_EQ(publisher.Publish(m).error().field, "message_id");
  Consumer consumer(StackAmqpUrl(), QueueSpec{},
                    [](const Delivery&) { return HandlerResult::kAck; });
  EXPECT_EQ(consumer.Start().error().field, "name");
}

TEST(AmqpRmq, WrongCredentialsOrVhostAreReportedNotHung) {
  auto url = ParseAmqpUrl(StackAmqpUrl());
  ASSERT_TRUE(url);
  AmqpUrl wrong_password = *url;
  wrong_password.password = "not-the-password";
  AmqpUrl wrong_vhost = *url;
  wrong_vhost.vhost = made0::testing::UniqueName("no-such-vhost-");
  for (const AmqpUrl& bad : {wrong_password, wrong_vhost}) {
    const std::string text = "amqp://" + bad.user + ":" + bad.password + "@" + bad.host + ":" +
                             std::to_string(bad.port) + (bad.vhost == "/" ? "" : "/" + bad.vhost);
    const auto begin = std::chrono::steady_clock::now();
    auto st = QueueDepth(text, "q", 3s);
    ASSERT_FALSE(st) << text;
    EXPECT_EQ(st.error().code, ErrorCode::kUnavailable) << st.error().message;
    EXPECT_EQ(st.error().message.find("not-the-password"), std::string::npos) << "leaked";
    EXPECT_LT(std::chrono::steady_clock::now() - begin, 4s);
    AmqpPublisher publisher(text);
    EXPECT_FALSE(publisher.Publish(testing::Sample("k")));
  }
}

TEST(AmqpRmq, QueueDepthCountsReadyMessages) {
  const std::string url = StackAmqpUrl();
  QueueSpec spec = testing::UniqueSpec("depth");
  QueueCleanup cleanup(spec.name);
  ASSERT_TRUE(DeclareTopology(url, spec));
  AmqpPublisher publisher(url);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(publisher.Publish(testing::Sample(spec.routing_keys[0])));
  auto stats = QueueDepth(url, spec.name);
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->messages, 3u);
  EXPECT_EQ(stats->consumers, 0u);
  auto missing = QueueDepth(url, made0::testing::UniqueName("no.such.queue."));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  auto down = QueueDepth("amqp://guest:guest@127.0.0.1:1", spec.name, 1s);
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);
}

TEST(AmqpRmq, RetryUntilMaxAttemptsEndsInDeadWithAttemptsHeader) {
  const std::string url = StackAmqpUrl();
  QueueSpec spec = testing::UniqueSpec("retry");
  spec.max_attempts = 3;
  spec.retry_delay = 100ms;
  QueueCleanup cleanup(spec.name);
  Recorder seen;
  Consumer consumer(
      url, spec,
      [&](const Delivery& d) {
        seen.Add(d);
        return HandlerResult{HandlerResult::kRetry, "db down #" + std::to_string(d.attempt)};
      },
      FastOptions());
  ASSERT_TRUE(consumer.Start());
  ASSERT_TRUE(consumer.WaitReady(10s));
  AmqpPublisher publisher(url);
  const Message sent = testing::Sample(spec.routing_keys[0]);
  ASSERT_TRUE(publisher.Publish(sent));

  auto dead = testing::TakeOne(DeadQueueName(spec.name), 15s);
  ASSERT_TRUE(dead) << "nothing in " << DeadQueueName(spec.name);
  EXPECT_EQ(dead->message.message_id, sent.message_id);
  EXPECT_EQ(dead->message.body, sent.body);
  EXPECT_EQ(dead->message.headers.at(kAttemptHeader), "3");
  EXPECT_EQ(dead->message.headers.at(kDeadReasonHeader), "max-attempts");
  EXPECT_EQ(dead->message.headers.at(kErrorHeader), "db down #3");
  EXPECT_EQ(dead->message.headers.at(kOriginalRoutingKeyHeader), sent.routing_key);
  EXPECT_EQ(dead->message.headers.at("traceparent"), sent.headers.at("traceparent"));

  std::this_thread::sleep_for(300ms);  // nothing comes back after dead-lettering
  consumer.Stop();
  const auto all = seen.All();
  ASSERT_EQ(all.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(all[i].attempt, i + 1);
    EXPECT_EQ(all[i].message.message_id, sent.message_id);
    EXPECT_EQ(all[i].message.exchange, kEventsExchange);  // the original route, not Q.retry's
    EXPECT_EQ(all[i].message.routing_key, sent.routing_key);
    EXPECT_EQ(all[i].message.headers, sent.headers);  // x-made0-* headers hidden
  }
  EXPECT_EQ(Depth(spec.name), 0);
  EXPECT_EQ(Depth(RetryQueueName(spec.name)), 0);
  EXPECT_EQ(Depth(DeadQueueName(spec.name)), 0);  // taken above
  EXPECT_EQ(consumer.Stats().retried, 2u);
  EXPECT_EQ(consumer.Stats().dead_lettered, 1u);
}

TEST(AmqpRmq, RejectGoesStraightToDead) {
  const std::string url = StackAmqpUrl();
  QueueSpec spec = testing::UniqueSpec("reject");
  QueueCleanup cleanup(spec.name);
  Recorder seen;
  Consumer consumer(
      url, spec,
      [&](const Delivery& d) {
        seen.Add(d);
        return HandlerResult{HandlerResult::kReject, "not json"};
      },
      FastOptions());
  ASSERT_TRUE(consumer.Start());
  ASSERT_TRUE(consumer.WaitReady(10s));
  AmqpPublisher publisher(url);
  const Message sent = testing::Sample(spec.routing_keys[0]);
  ASSERT_TRUE(publisher.Publish(sent));
  auto dead = testing::TakeOne(DeadQueueName(spec.name), 10s);
  ASSERT_TRUE(dead);
  EXPECT_EQ(dead->message.message_id, sent.message_id);
  EXPECT_EQ(dead->message.headers.at(kAttemptHeader), "1");
  EXPECT_EQ(dead->message.headers.at(kDeadReasonHeader), "rejected");
  EXPECT_EQ(dead->message.headers.at(kErrorHeader), "not json");
  consumer.Stop();
  EXPECT_EQ(seen.Count(), 1u);
}

TEST(AmqpRmq, FailsOnceThenSucceedsIsProcessedExactlyOnceMore) {
  const std::string url = StackAmqpUrl();
  QueueSpec spec = testing::UniqueSpec("once");
  spec.retry_delay = 100ms;
  QueueCleanup cleanup(spec.name);
  Recorder seen;
  Consumer consumer(
      url, spec,
      [&](const Delivery& d) -> HandlerResult {
        seen.Add(d);
        if (d.attempt == 1) throw std::runtime_error("transient");  // a throw counts as kRetry
        return HandlerResult::kAck;
      },
      FastOptions());
  ASSERT_TRUE(consumer.Start());
  ASSERT_TRUE(consumer.WaitReady(10s));
  AmqpPublisher publisher(url);
  ASSERT_TRUE(publisher.Publish(testing::Sample(spec.routing_keys[0])));
  ASSERT_TRUE(seen.WaitCount(2, 10s));
  std::this_thread::sleep_for(500ms);  // long enough for a wrong third delivery to show up
  consumer.Stop();
  const auto all = seen.All();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].attempt, 1);
  EXPECT_EQ(all[1].attempt, 2);
  EXPECT_EQ(all[1].message.message_id, all[0].message.message_id);
  EXPECT_EQ(Depth(spec.name), 0);
  EXPECT_EQ(Depth(RetryQueueName(spec.name)), 0);
  EXPECT_EQ(Depth(DeadQueueName(spec.name)), 0);
  const ConsumerStats stats = consumer.Stats();
  EXPECT_EQ(stats.delivered, 2u);
  EXPECT_EQ(stats.retried, 1u);
  EXPECT_EQ(stats.acked, 1u);
}

TEST(AmqpRmq, StopWhileHandlerRunsFinishesItAndAcks) {
  const std::string url = StackAmqpUrl();
  QueueSpec spec = testing::UniqueSpec("stop");
  QueueCleanup cleanup(spec.name);
  ASSERT_TRUE(DeclareTopology(url, spec));
  AmqpPublisher publisher(url);
  ASSERT_TRUE(publisher.Publish(testing::Sample(spec.routing_keys[0])));
  ASSERT_TRUE(publisher.Publish(testing::Sample(spec.routing_keys[0])));

  std::atomic<int> started{0}, finished{0};
  Consumer consumer(
      url, spec,
      [&](const Delivery&) {
        ++started;
        std::this_thread::sleep_for(1s);
        ++finished;
        return HandlerResult::kAck;
      },
      FastOptions());
  ASSERT_TRUE(consumer.Start());
  ASSERT_TRUE(Eventually([&] { return started == 1; }, 10s));
  consumer.Stop();  // during the first handler
  EXPECT_EQ(started, 1);
  EXPECT_EQ(finished, 1);
  // The first was acked; the second, prefetched but never handled, is back in the queue.
  EXPECT_TRUE(Eventually([&] { return Depth(spec.name) == 1; }, 5s)) << Depth(spec.name);
  EXPECT_EQ(Depth(DeadQueueName(spec.name)), 0);
  EXPECT_FALSE(consumer.Ready());
}

TEST(AmqpRmq, BatchConsumerGathersAStreamSettlesEachMessageAndLetsALoneOneThrough) {
  const std::string url = StackAmqpUrl();
  QueueSpec spec = testing::UniqueSpec("batch");
  spec.max_attempts = 1;  // a retry goes straight to Q.dead, where it can be counted
  QueueCleanup cleanup(spec.name);
  ASSERT_TRUE(DeclareTopology(url, spec));
  AmqpPublisher publisher(url);

  std::mutex mu;
  std::vector<std::vector<std::string>> batches;
  ConsumerOptions o = FastOptions();
  o.batch_max = 4;
  o.batch_linger = 3s;  // long enough that a batch which waited for it cannot go unnoticed
  Consumer consumer(
      url, spec,
      [&](const std::vector<Delivery>& ds) {
        std::vector<HandlerResult> results;
        std::lock_guard lock(mu);
        batches.emplace_back();
        for (const Delivery& d : ds) {
          batches.back().push_back(d.message.message_id);
          // The second message of every batch fails; the others succeed.
          results.push_back(results.size() == 1 ? HandlerResult{HandlerResult::kReject, "bad"}
                                                : HandlerResult{HandlerResult::kAck});
        }
        return results;
      },
      o);
  ASSERT_TRUE(consumer.Start());
  ASSERT_TRUE(consumer.WaitReady(10s));

  // A lone message after a quiet spell is handled at once, not after the linger.
  std::vector<Message> sent{testing::Sample(spec.routing_keys[0])};
  const auto published = std::chrono::steady_clock::now();
  ASSERT_TRUE(publisher.Publish(sent.back()));
  ASSERT_TRUE(Eventually([&] { return consumer.Stats().delivered == 1; }, 10s));
  EXPECT_LT(std::chrono::steady_clock::now() - published, 2s);

  // Then a stream: each batch waits for more, and fills up to batch_max.
  for (int i = 0; i < 8; ++i) {
    sent.push_back(testing::Sample(spec.routing_keys[0]));
    ASSERT_TRUE(publisher.Publish(sent.back()));
  }
  ASSERT_TRUE(Eventually([&] { return consumer.Stats().delivered == 9; }, 10s));
  consumer.Stop();

  std::lock_guard lock(mu);
  ASSERT_EQ(batches.size(), 3u);
  EXPECT_EQ(batches[0].size(), 1u);
  EXPECT_EQ(batches[1].size(), 4u);
  EXPECT_EQ(batches[2].size(), 4u);
  std::vector<std::string> order;
  for (const auto& b : batches) order.insert(order.end(), b.begin(), b.end());
  ASSERT_EQ(order.size(), sent.size());
  for (std::size_t i = 0; i < sent.size(); ++i) EXPECT_EQ(order[i], sent[i].message_id);
  // Every message was settled by its own result: all acknowledged, two of them dead-lettered.
  EXPECT_EQ(Depth(spec.name), 0);
  EXPECT_EQ(Depth(DeadQueueName(spec.name)), 2);
  EXPECT_EQ(consumer.Stats().acked, 7u);
  EXPECT_EQ(consumer.Stats().dead_lettered, 2u);
}

TEST(AmqpRmq, ConcurrentPublishesAreAllConfirmed) {
  const std::string url = StackAmqpUrl();
  QueueSpec spec = testing::UniqueSpec("concurrent");
  QueueCleanup cleanup(spec.name);
  ASSERT_TRUE(DeclareTopology(url, spec));
  AmqpPublisher publisher(url);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i)
        ok += publisher.Publish(testing::Sample(spec.routing_keys[0])) ? 1 : 0;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok, 100);
  EXPECT_EQ(Depth(spec.name), 100);
}

TEST(AmqpRmq, ConsumerWaitsForABrokerThatIsNotThere) {
  QueueSpec spec = testing::UniqueSpec("nobroker");
  ConsumerOptions o = FastOptions();
  o.timeout = 500ms;
  Consumer consumer(
      "amqp://guest:guest@127.0.0.1:1", spec, [](const Delivery&) { return HandlerResult::kAck; },
      o);
  ASSERT_TRUE(consumer.Start());
  EXPECT_FALSE(consumer.WaitReady(300ms));
  const auto begin = std::chrono::steady_clock::now();
  consumer.Stop();  // interrupts the backoff sleep
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
}

}  // namespace
}  // namespace made0::amqp
