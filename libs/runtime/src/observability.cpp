#include "made0/runtime/observability.hpp"

#include "made0/core/log.hpp"
#include "made0/core/trace_context.hpp"

namespace made0::runtime {

bool IsProbeRoute(std::string_view route) {
  return route == "/healthz" || route == "/readyz" || route == "/metrics";
}

http::Middleware ObservabilityMiddleware(Identity identity, tracing::SpanSink& spans,
                                         Metrics& metrics, Random& rng, const Clock& clock,
                                         const RouteFilter* traced) {
  return [identity = std::move(identity), &spans, &metrics, &rng, &clock, traced](
             http::Request& req, const http::Handler& next) -> http::Response {
    const auto started_mono = clock.Monotonic();
    if (IsProbeRoute(req.route) || (traced != nullptr && *traced && !(*traced)(req.route))) {
      http::Response resp = next(req);
      metrics.ObserveHttp(req.method, req.route, resp.status,
                          std::chrono::duration<double>(clock.Monotonic() - started_mono).count());
      return resp;
    }
    std::optional<TraceContext> parent;
    if (auto h = req.Header("traceparent")) parent = ParseTraceparent(*h);
    TraceContext ctx = parent ? ChildOf(*parent, rng) : NewRoot(rng);
    const SystemTime started = clock.Now();
    http::Response resp;
    {
      ScopedTraceContext scope(ctx);
      resp = next(req);
      if (resp.status >= 500) {
        log::Warn("request failed",
                  {{"method", req.method}, {"path", req.path}, {"status", resp.status}});
      }
    }
    const auto elapsed = clock.Monotonic() - started_mono;
    metrics.ObserveHttp(req.method, req.route, resp.status,
                        std::chrono::duration<double>(elapsed).count());
    tracing::Span span;
    span.trace_id = ctx.trace_id;
    span.span_id = ctx.span_id;
    span.parent_span_id = ctx.parent_span_id;
    span.name = req.method + " " + (req.route.empty() ? std::string("unmatched") : req.route);
    span.service = identity.service;
    span.instance = identity.instance;
    span.start = started;
    span.duration = std::chrono::duration_cast<std::chrono::microseconds>(elapsed);
    span.error = resp.status >= 500;
    span.kind = "server";
    span.attributes = {{"http.status", resp.status}, {"http.path", req.path}};
    if (ctx.sampled) spans.Record(std::move(span));  // an unsampled caller's trace stays unrecorded
    resp.SetHeader("X-Trace-Id", ctx.trace_id);
    return resp;
  };
}

}  // namespace made0::runtime
