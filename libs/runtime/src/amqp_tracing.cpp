#include "made0/runtime/amqp_tracing.hpp"

#include "made0/core/trace_context.hpp"

namespace made0::runtime {

amqp::Handler TracedHandler(Identity identity, tracing::SpanSink& spans, Random& rng,
                            const Clock& clock, amqp::Handler handler) {
  return [identity = std::move(identity), &spans, &rng, &clock,
          handler = std::move(handler)](const amqp::Delivery& d) -> amqp::HandlerResult {
    const SystemTime received = clock.Now();
    std::optional<TraceContext> producer;
    if (auto it = d.message.headers.find("traceparent"); it != d.message.headers.end()) {
      producer = ParseTraceparent(it->second);
    }
    TraceContext parent = producer ? *producer : NewRoot(rng);
    if (producer && d.message.timestamp_ms > 0) {
      // The broker's share of the trace: from publish to this delivery.
      TraceContext broker = ChildOf(*producer, rng);
      const SystemTime published{std::chrono::milliseconds(d.message.timestamp_ms)};
      tracing::Span span;
      span.trace_id = broker.trace_id;
      span.span_id = broker.span_id;
      span.parent_span_id = broker.parent_span_id;
      span.name = "deliver " + d.message.routing_key;
      span.service = "rabbitmq";
      span.start = std::min(published, received);
      span.duration = std::chrono::duration_cast<std::chrono::microseconds>(received - span.start);
      span.kind = "internal";
      span.attributes = {{"messaging.message_id", d.message.message_id},
                         {"messaging.attempt", d.attempt}};
      spans.Record(std::move(span));
      parent = broker;
    }
    TraceContext ctx = ChildOf(parent, rng);
    const auto started = clock.Monotonic();
    amqp::HandlerResult result = amqp::HandlerResult::kRetry;
    {
      ScopedTraceContext scope(ctx);
      try {
        result = handler(d);
      } catch (const std::exception& e) {
        result = {amqp::HandlerResult::kRetry, e.what()};
      }
    }
    tracing::Span span;
    span.trace_id = ctx.trace_id;
    span.span_id = ctx.span_id;
    span.parent_span_id = ctx.parent_span_id;
    span.name = "consume " + d.message.routing_key;
    span.service = identity.service;
    span.instance = identity.instance;
    span.start = received;
    span.duration =
        std::chrono::duration_cast<std::chrono::microseconds>(clock.Monotonic() - started);
    span.error = result.kind != amqp::HandlerResult::kAck;
    span.kind = "consumer";
    span.attributes = {{"messaging.message_id", d.message.message_id},
                       {"messaging.attempt", d.attempt}};
    if (!result.error.empty()) span.attributes["error"] = result.error;
    spans.Record(std::move(span));
    return result;
  };
}

}  // namespace made0::runtime
