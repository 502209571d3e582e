#include "made0/runtime/amqp_tracing.hpp"

#include <gtest/gtest.h>

#include "made0/core/testing/fake_clock.hpp"
#include "made0/tracing/testing/recording_sink.hpp"

namespace made0::runtime {
namespace {

using std::chrono::milliseconds;

class AmqpTracingTest : public ::testing::Test {
 protected:
  // Published is a delivery whose producer span is `producer`, published 5 ms before now.
  amqp::Delivery Published(const TraceContext& producer, std::string id) {
    amqp::Delivery d;
    d.message.routing_key = "user.registered";
    d.message.message_id = std::move(id);
    d.message.headers["traceparent"] = FormatTraceparent(producer);
    d.message.timestamp_ms =
        std::chrono::duration_cast<milliseconds>(clock.Now().time_since_epoch()).count() - 5;
    return d;
  }
  std::vector<tracing::Span> Named(const std::string& name) const {
    std::vector<tracing::Span> out;
    for (const auto& s : sink.Spans()) {
      if (s.name == name) out.push_back(s);
    }
    return out;
  }

  SecureRandom rng;
  testing::FakeClock clock;
  tracing::testing::RecordingSpanSink sink;
  const Identity identity{"verification", "verification-abc"};
};

TEST_F(AmqpTracingTest, SingleHandlerRunsInTheMessagesTrace) {
  const TraceContext producer = NewRoot(rng);
  std::string seen;
  amqp::Handler h = TracedHandler(identity, sink, rng, clock, [&](const amqp::Delivery&) {
    seen = CurrentTraceContext() ? CurrentTraceContext()->trace_id : "";
    clock.Advance(milliseconds(3));
    return amqp::HandlerResult::kAck;
  });
  EXPECT_EQ(h(Published(producer, "m1")).kind, amqp::HandlerResult::kAck);
  EXPECT_EQ(seen, producer.trace_id);
  const auto broker = Named("deliver user.registered");
  const auto consume = Named("consume user.registered");
  ASSERT_EQ(broker.size(), 1u);
  ASSERT_EQ(consume.size(), 1u);
  EXPECT_EQ(broker[0].service, "rabbitmq");
  EXPECT_EQ(broker[0].parent_span_id, producer.span_id);
  EXPECT_EQ(broker[0].duration, milliseconds(5));
  EXPECT_EQ(consume[0].parent_span_id, broker[0].span_id);
  EXPECT_EQ(consume[0].duration, milliseconds(3));
  EXPECT_FALSE(consume[0].error);
  EXPECT_FALSE(consume[0].attributes.contains("messaging.batch_size"));
}

TEST_F(AmqpTracingTest, BatchHandlerGetsEachMessagesContext) {
  const TraceContext a = NewRoot(rng), b = NewRoot(rng);
  std::vector<std::string> traces;
  amqp::BatchHandler h = TracedBatchHandler(
      identity, sink, rng, clock,
      [&](const std::vector<amqp::Delivery>& ds, const std::vector<TraceContext>& contexts) {
        EXPECT_EQ(ds.size(), contexts.size());
        for (const auto& c : contexts) traces.push_back(c.trace_id);
        clock.Advance(milliseconds(4));
        return std::vector<amqp::HandlerResult>{amqp::HandlerResult::kAck,
                                                {amqp::HandlerResult::kRetry, "smtp down"}};
      });
  const auto results = h({Published(a, "m1"), Published(b, "m2")});
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[1].kind, amqp::HandlerResult::kRetry);
  EXPECT_EQ(traces, (std::vector<std::string>{a.trace_id, b.trace_id}));
  const auto consume = Named("consume user.registered");
  ASSERT_EQ(consume.size(), 2u);
  EXPECT_EQ(consume[0].trace_id, a.trace_id);
  EXPECT_EQ(consume[1].trace_id, b.trace_id);
  EXPECT_EQ(consume[0].duration, milliseconds(4));  // each as long as the batch
  EXPECT_FALSE(consume[0].error);
  EXPECT_TRUE(consume[1].error);
  EXPECT_EQ(consume[1].attributes.at("error"), "smtp down");
  EXPECT_EQ(consume[0].attributes.at("messaging.batch_size"), 2);
}

TEST_F(AmqpTracingTest, BatchHandlerThatThrowsOrFallsShortRetries) {
  amqp::BatchHandler throws =
      TracedBatchHandler(identity, sink, rng, clock,
                         [](const std::vector<amqp::Delivery>&,
                            const std::vector<TraceContext>&) -> std::vector<amqp::HandlerResult> {
                           throw std::runtime_error("mongodb down");
                         });
  const auto thrown = throws({Published(NewRoot(rng), "m1"), Published(NewRoot(rng), "m2")});
  ASSERT_EQ(thrown.size(), 2u);
  for (const auto& r : thrown) {
    EXPECT_EQ(r.kind, amqp::HandlerResult::kRetry);
    EXPECT_EQ(r.error, "mongodb down");
  }
  amqp::BatchHandler short_one =
      TracedBatchHandler(identity, sink, rng, clock,
                         [](const std::vector<amqp::Delivery>&, const std::vector<TraceContext>&) {
                           return std::vector<amqp::HandlerResult>{amqp::HandlerResult::kAck};
                         });
  const auto fell_short = short_one({Published(NewRoot(rng), "m3"), Published(NewRoot(rng), "m4")});
  ASSERT_EQ(fell_short.size(), 2u);
  EXPECT_EQ(fell_short[0].kind, amqp::HandlerResult::kAck);
  EXPECT_EQ(fell_short[1].kind, amqp::HandlerResult::kRetry);
}

}  // namespace
}  // namespace made0::runtime
