// Broker restart: stops and starts RabbitMQ through scripts/stack.sh (RUN_SERIAL in ctest).
#include <gtest/gtest.h>

#include <thread>

#include "made0/amqp/amqp_publisher.hpp"
#include "made0/amqp/consumer.hpp"
#include "made0/amqp/topology.hpp"
#include "rmq_test_util.hpp"

namespace made0::amqp {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(AmqpRestartRmq, PublisherFailsFastAndBothRecoverAfterBrokerRestart) {
  const std::string url = testing::StackAmqpUrl();
  QueueSpec spec = testing::UniqueSpec("restart");
  testing::QueueCleanup cleanup(spec.name);

  testing::Recorder seen;
  ConsumerOptions copts;
  copts.reconnect = {100ms, 1s, 2.0, 0.5};
  copts.timeout = 2s;
  Consumer consumer(
      url, spec,
      [&](const Delivery& d) {
        seen.Add(d);
        return HandlerResult::kAck;
      },
      copts);
  ASSERT_TRUE(consumer.Start());
  ASSERT_TRUE(consumer.WaitReady(10s));

  PublisherOptions popts;
  popts.connect_timeout = 1s;
  popts.confirm_timeout = 2s;
  popts.reconnect = {200ms, 1s, 2.0, 0.5};
  AmqpPublisher publisher(url, popts);
  const Message before = testing::Sample(spec.routing_keys[0]);
  ASSERT_TRUE(publisher.Publish(before));
  ASSERT_TRUE(seen.WaitCount(1, 10s));

  // A message nobody consumes yet must survive the restart: durable queue, delivery mode 2.
  QueueSpec parked = testing::UniqueSpec("parked");
  testing::QueueCleanup parked_cleanup(parked.name);
  ASSERT_TRUE(DeclareTopology(url, parked));
  const Message kept = testing::Sample(parked.routing_keys[0]);
  ASSERT_TRUE(publisher.Publish(kept));

  // Whatever fails below, the broker is left running for the tests that come after.
  struct StartAgainOnExit {
    bool needed = true;
    ~StartAgainOnExit() {
      if (needed) (void)testing::RunStack("start");
    }
  } start_again;
  ASSERT_EQ(testing::RunStack("stop"), 0);
  const auto t0 = Clock::now();
  auto st = publisher.Publish(testing::Sample(spec.routing_keys[0]));
  const auto took = Clock::now() - t0;
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable) << st.error().message;
  EXPECT_LT(took, popts.connect_timeout + popts.confirm_timeout + 500ms);
  // Within the backoff the publisher answers at once, without touching the network.
  const auto t1 = Clock::now();
  st = publisher.Publish(testing::Sample(spec.routing_keys[0]));
  EXPECT_FALSE(st);
  EXPECT_LT(Clock::now() - t1, 100ms);
  EXPECT_TRUE(testing::Eventually([&] { return !consumer.Ready(); }, 5s));

  start_again.needed = false;
  ASSERT_EQ(testing::RunStack("start"), 0);
  const Message after = testing::Sample(spec.routing_keys[0]);
  const bool published = testing::Eventually([&] { return publisher.Publish(after).ok(); }, 30s);
  ASSERT_TRUE(published);
  // The consumer reconnects by itself, declares again and gets the new message.
  ASSERT_TRUE(consumer.WaitReady(30s));
  ASSERT_TRUE(testing::Eventually(
      [&] {
        for (const auto& d : seen.All()) {
          if (d.message.message_id == after.message_id) return true;
        }
        return false;
      },
      30s));
  EXPECT_GE(consumer.Stats().connects, 2u);
  auto survivor = testing::TakeOne(parked.name, 5s);
  ASSERT_TRUE(survivor);
  EXPECT_EQ(survivor->message.message_id, kept.message_id);
  EXPECT_EQ(survivor->message.headers, kept.headers);
  consumer.Stop();
}

}  // namespace
}  // namespace made0::amqp
