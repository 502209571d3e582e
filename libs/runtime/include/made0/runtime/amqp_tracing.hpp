#pragma once
// Traced consumers: a message's trace continues across RabbitMQ. TracedHandler reads the
// `traceparent` header the producer set, records the time the message spent in the broker as a
// span of service "rabbitmq" (from the publish timestamp to the delivery), then runs the handler
// inside a consumer span that is current for its logs and for the messages it publishes.
//
//   amqp::Consumer consumer(url, spec,
//       TracedHandler({"verification", id}, spans, rng, clock, [&](const amqp::Delivery& d) {
//         return OnRegistered(d);
//       }));
//
// TracedBatchHandler does the same for a batch consumer: each delivery gets its broker and
// consumer spans (the latter as long as the whole batch took, with messaging.batch_size; the
// broker span runs until the batch was handed over, so it includes the linger), and the handler
// gets each delivery's consumer context beside it, to make current (ScopedTraceContext) while it
// works on that message alone.

#include "made0/amqp/consumer.hpp"
#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/core/trace_context.hpp"
#include "made0/runtime/observability.hpp"
#include "made0/tracing/span.hpp"

namespace made0::runtime {

amqp::Handler TracedHandler(Identity identity, tracing::SpanSink& spans, Random& rng,
                            const Clock& clock, amqp::Handler handler);

using TracedBatch = std::function<std::vector<amqp::HandlerResult>(
    const std::vector<amqp::Delivery>&, const std::vector<TraceContext>&)>;
amqp::BatchHandler TracedBatchHandler(Identity identity, tracing::SpanSink& spans, Random& rng,
                                      const Clock& clock, TracedBatch handler);

}  // namespace made0::runtime
