#include "made0/runtime/amqp_tracing.hpp"

#include "made0/core/trace_context.hpp"

namespace made0::runtime {
namespace {

// Consumption is one delivery's trace on the consumer's side, from its arrival.
struct Consumption {
  TraceContext context;  // the consumer span's: current while the handler works on the message
  SystemTime received;
};

// Begin records the broker's share of the delivery's trace (from its publish to now) and makes
// the consumer span's context, a child of that, or a new root for a message without traceparent.
Consumption Begin(const amqp::Delivery& d, tracing::SpanSink& spans, Random& rng,
                  const Clock& clock) {
  const SystemTime received = clock.Now();
  std::optional<TraceContext> producer;
  if (auto it = d.message.headers.find("traceparent"); it != d.message.headers.end()) {
    producer = ParseTraceparent(it->second);
  }
  TraceContext parent = producer ? *producer : NewRoot(rng);
  if (producer && d.message.timestamp_ms > 0) {
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
  return {ChildOf(parent, rng), received};
}

// End records the consumer span: from the delivery's arrival for `duration`, with its result;
// batch_size > 1 says the handler worked on that many messages at once.
void End(const amqp::Delivery& d, const Consumption& c, std::chrono::microseconds duration,
         const amqp::HandlerResult& result, const Identity& identity, tracing::SpanSink& spans,
         std::size_t batch_size = 1) {
  tracing::Span span;
  span.trace_id = c.context.trace_id;
  span.span_id = c.context.span_id;
  span.parent_span_id = c.context.parent_span_id;
  span.name = "consume " + d.message.routing_key;
  span.service = identity.service;
  span.instance = identity.instance;
  span.start = c.received;
  span.duration = duration;
  span.error = result.kind != amqp::HandlerResult::kAck;
  span.kind = "consumer";
  span.attributes = {{"messaging.message_id", d.message.message_id},
                     {"messaging.attempt", d.attempt}};
  if (batch_size > 1) span.attributes["messaging.batch_size"] = batch_size;
  if (!result.error.empty()) span.attributes["error"] = result.error;
  spans.Record(std::move(span));
}

std::chrono::microseconds Since(const Clock& clock, std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(clock.Monotonic() - t);
}

}  // namespace

amqp::Handler TracedHandler(Identity identity, tracing::SpanSink& spans, Random& rng,
                            const Clock& clock, amqp::Handler handler) {
  return [identity = std::move(identity), &spans, &rng, &clock,
          handler = std::move(handler)](const amqp::Delivery& d) -> amqp::HandlerResult {
    const Consumption c = Begin(d, spans, rng, clock);
    const auto started = clock.Monotonic();
    amqp::HandlerResult result = amqp::HandlerResult::kRetry;
    {
      ScopedTraceContext scope(c.context);
      try {
        result = handler(d);
      } catch (const std::exception& e) {
        result = {amqp::HandlerResult::kRetry, e.what()};
      }
    }
    End(d, c, Since(clock, started), result, identity, spans);
    return result;
  };
}

amqp::BatchHandler TracedBatchHandler(Identity identity, tracing::SpanSink& spans, Random& rng,
                                      const Clock& clock, TracedBatch handler) {
  return [identity = std::move(identity), &spans, &rng, &clock, handler = std::move(handler)](
             const std::vector<amqp::Delivery>& ds) -> std::vector<amqp::HandlerResult> {
    std::vector<Consumption> cs;
    std::vector<TraceContext> contexts;
    cs.reserve(ds.size());
    contexts.reserve(ds.size());
    for (const amqp::Delivery& d : ds) {
      cs.push_back(Begin(d, spans, rng, clock));
      contexts.push_back(cs.back().context);
    }
    const auto started = clock.Monotonic();
    std::vector<amqp::HandlerResult> results;
    try {
      results = handler(ds, contexts);
    } catch (const std::exception& e) {
      results.assign(ds.size(), amqp::HandlerResult{amqp::HandlerResult::kRetry, e.what()});
    }
    results = amqp::CompleteResults(std::move(results), ds.size());
    const auto duration = Since(clock, started);
    for (std::size_t i = 0; i < ds.size(); ++i) {
      End(ds[i], cs[i], duration, results[i], identity, spans, ds.size());
    }
    return results;
  };
}

}  // namespace made0::runtime
