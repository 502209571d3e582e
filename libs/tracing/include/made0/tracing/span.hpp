#pragma once
// Span: one timed operation of a trace (an HTTP request served, a call made, a message published
// or consumed), and SpanSink, where finished spans go. Services record spans through a SpanSink
// (PgSpanWriter in production, made0/tracing/testing/recording_sink.hpp in tests), usually via
// SpanScope (made0/tracing/span_scope.hpp).
//
//   tracing::Span span;
//   span.trace_id = ctx.trace_id; span.span_id = ctx.span_id; span.parent_span_id = ...;
//   span.name = "POST /api/users"; span.kind = "server"; span.start = clock.Now(); ...
//   sink.Record(std::move(span));

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"

namespace made0::tracing {

struct Span {
  std::string trace_id;        // 32 lowercase hex digits
  std::string span_id;         // 16 lowercase hex digits
  std::string parent_span_id;  // empty for a root span
  std::string name;
  std::string service;
  std::string instance;
  SystemTime start{};
  std::chrono::microseconds duration{0};
  bool error = false;
  std::string kind = "internal";  // server, client, producer, consumer, internal
  nlohmann::json attributes = nlohmann::json::object();
};

// SpanSink receives finished spans. Record must be cheap and must never block on I/O or throw:
// it runs on the request path.
class SpanSink {
 public:
  virtual ~SpanSink() = default;
  virtual void Record(Span span) = 0;
};

// NullSpanSink discards spans (tools and tests that do not trace).
class NullSpanSink final : public SpanSink {
 public:
  void Record(Span) override {}
};

}  // namespace made0::tracing
