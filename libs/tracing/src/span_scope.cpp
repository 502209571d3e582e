#include "made0/tracing/span_scope.hpp"

#include <exception>

namespace made0::tracing {

SpanScope::SpanScope(const Tracer& tracer, std::string name, std::string kind)
    : SpanScope(tracer, std::move(name), std::move(kind), CurrentTraceContext()) {}

SpanScope::SpanScope(const Tracer& tracer, std::string name, std::string kind,
                     const TraceContext* parent)
    : tracer_(tracer),
      ctx_(parent ? ChildOf(*parent, tracer.random()) : NewRoot(tracer.random())),
      started_(tracer.clock().Monotonic()),
      uncaught_exceptions_(std::uncaught_exceptions()) {
  span_.trace_id = ctx_.trace_id;
  span_.span_id = ctx_.span_id;
  span_.parent_span_id = ctx_.parent_span_id;
  span_.name = std::move(name);
  span_.kind = std::move(kind);
  span_.service = tracer.service();
  span_.instance = tracer.instance();
  span_.start = tracer.clock().Now();
  scope_.emplace(ctx_);
}

SpanScope::~SpanScope() {
  scope_.reset();  // the parent is current again, whatever happens below
  try {
    // Unwinding past the scope means the work it covers failed.
    if (std::uncaught_exceptions() > uncaught_exceptions_) span_.error = true;
    span_.duration = std::chrono::duration_cast<std::chrono::microseconds>(
        tracer_.clock().Monotonic() - started_);
    if (ctx_.sampled) tracer_.sink().Record(std::move(span_));
  } catch (...) {
    // A span is never worth an exception from a destructor.
  }
}

void SpanScope::SetError(std::string_view message) {
  span_.error = true;
  if (!message.empty()) span_.attributes["error.message"] = std::string(message);
}

void SpanScope::SetAttribute(const std::string& key, nlohmann::json value) {
  span_.attributes[key] = std::move(value);
}

}  // namespace made0::tracing
