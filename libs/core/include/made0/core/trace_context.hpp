#pragma once
// W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` value carried on
// HTTP headers and AMQP message headers, and the current context of this thread, which log lines
// and new spans pick up.
//
//   auto ctx = ParseTraceparent(req.Header("traceparent"));   // nullopt if absent or invalid
//   TraceContext span = ctx ? ChildOf(*ctx, rng) : NewRoot(rng);
//   ScopedTraceContext scope(span);                            // logs now carry span.trace_id

#include <optional>
#include <string>
#include <string_view>

#include "made0/core/random.hpp"

namespace made0 {

struct TraceContext {
  std::string trace_id;        // 32 lowercase hex digits, not all zero
  std::string span_id;         // 16 lowercase hex digits, not all zero
  std::string parent_span_id;  // empty for a root span; not part of traceparent
  bool sampled = true;
};

// ParseTraceparent accepts version 00 exactly and, per the spec, future versions by their
// first four fields. Invalid input gives nullopt, and the caller starts a new trace.
std::optional<TraceContext> ParseTraceparent(std::string_view header);
std::string FormatTraceparent(const TraceContext& ctx);

TraceContext NewRoot(Random& rng);
// ChildOf keeps the trace ID and flags and makes a new span whose parent is `parent`.
TraceContext ChildOf(const TraceContext& parent, Random& rng);

// CurrentTraceContext is this thread's context, or nullptr.
const TraceContext* CurrentTraceContext();

// ScopedTraceContext sets this thread's context for its lifetime and restores the previous one.
class ScopedTraceContext {
 public:
  explicit ScopedTraceContext(TraceContext ctx);
  ~ScopedTraceContext();
  ScopedTraceContext(const ScopedTraceContext&) = delete;
  ScopedTraceContext& operator=(const ScopedTraceContext&) = delete;

 private:
  TraceContext ctx_;
  const TraceContext* previous_;
};

}  // namespace made0
