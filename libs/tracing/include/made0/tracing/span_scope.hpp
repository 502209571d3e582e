#pragma once
// SpanScope: RAII for a span of work in this thread. It starts a child of the thread's current
// TraceContext (made0/core/trace_context.hpp), or a new trace if there is none, makes it current
// for its lifetime (so log lines and nested SpanScopes pick it up), and records it to the
// Tracer's SpanSink with its duration when it ends.
//
//   tracing::Tracer tracer(sink, clock, rng, "users", instance_id);
//   {
//     tracing::SpanScope span(tracer, "hash password");
//     span.SetAttribute("algorithm", "argon2id");
//     if (!ok) span.SetError("hash failed");
//   }   // recorded here; an exception leaving the scope marks the span as an error
//
// A span whose parent is not sampled is not recorded, but its context still propagates.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/core/trace_context.hpp"
#include "made0/tracing/span.hpp"

namespace made0::tracing {

// Tracer bundles what every span needs: where it goes, the time, span IDs, and who records it.
// The referenced objects must outlive the Tracer and its spans; Random must be safe to use from
// every thread that opens spans (SecureRandom is).
class Tracer {
 public:
  Tracer(SpanSink& sink, const Clock& clock, Random& random, std::string service,
         std::string instance)
      : sink_(sink),
        clock_(clock),
        random_(random),
        service_(std::move(service)),
        instance_(std::move(instance)) {}

  SpanSink& sink() const { return sink_; }
  const Clock& clock() const { return clock_; }
  Random& random() const { return random_; }
  const std::string& service() const { return service_; }
  const std::string& instance() const { return instance_; }

 private:
  SpanSink& sink_;
  const Clock& clock_;
  Random& random_;
  std::string service_;
  std::string instance_;
};

class SpanScope {
 public:
  // SpanScope starts a child of the current context of this thread, or a new root.
  SpanScope(const Tracer& tracer, std::string name, std::string kind = "internal");
  // SpanScope starts a child of parent (say, from an incoming traceparent), or a new root when
  // parent is nullptr; the thread's current context is ignored.
  SpanScope(const Tracer& tracer, std::string name, std::string kind, const TraceContext* parent);
  ~SpanScope();
  SpanScope(const SpanScope&) = delete;
  SpanScope& operator=(const SpanScope&) = delete;

  // SetError marks the span failed; a non-empty message goes to the "error.message" attribute.
  void SetError(std::string_view message = {});
  void SetAttribute(const std::string& key, nlohmann::json value);
  // context is this span's context, e.g. for FormatTraceparent on an outgoing call.
  const TraceContext& context() const { return ctx_; }

 private:
  const Tracer& tracer_;
  TraceContext ctx_;
  Span span_;
  std::chrono::steady_clock::time_point started_;
  int uncaught_exceptions_;
  std::optional<ScopedTraceContext> scope_;
};

}  // namespace made0::tracing
