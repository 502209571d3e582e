#pragma once
// Server-side observability in one middleware: it continues the caller's trace from the
// `traceparent` header (or starts a new one), makes the request's span current so log lines and
// outgoing calls carry it, records the span to the SpanSink when the response is ready, and counts
// the request in Metrics. Probes (/healthz, /readyz, /metrics) are counted but not traced.
//
//   router.Use(ObservabilityMiddleware({"users", instance_id}, spans, metrics, rng, clock));

#include <functional>
#include <string>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/http/router.hpp"
#include "made0/runtime/metrics.hpp"
#include "made0/tracing/span.hpp"

namespace made0::runtime {

struct Identity {
  std::string service;
  std::string instance;
};

// IsProbeRoute is true for the routes that load balancers and Prometheus poll.
bool IsProbeRoute(std::string_view route);

// RouteFilter says whether requests on a route are traced (all are counted in metrics).
using RouteFilter = std::function<bool(std::string_view route)>;

// ObservabilityMiddleware traces every route but the probes and those `traced` refuses; `traced`
// is read on each request and may be empty (trace all).
http::Middleware ObservabilityMiddleware(Identity identity, tracing::SpanSink& spans,
                                         Metrics& metrics, Random& rng, const Clock& clock,
                                         const RouteFilter* traced = nullptr);

}  // namespace made0::runtime
