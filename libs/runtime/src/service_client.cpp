#include "made0/runtime/service_client.hpp"

#include <set>

#include "made0/core/log.hpp"
#include "made0/core/trace_context.hpp"
#include "made0/redis/discovery.hpp"

namespace made0::runtime {

bool ShouldTryAnotherInstance(const Error& error, bool repeatable) {
  if (error.code != ErrorCode::kUnavailable) return false;
  if (http::IsConnectFailure(error)) return true;
  return repeatable && !http::IsTimeout(error);
}

ServiceClient::ServiceClient(redis::Discovery& discovery, http::Client& client,
                             tracing::SpanSink& spans, Identity identity, Random& rng,
                             const Clock& clock, int max_instances)
    : discovery_(discovery),
      client_(client),
      spans_(spans),
      identity_(std::move(identity)),
      rng_(rng),
      clock_(clock),
      max_instances_(max_instances) {}

Result<http::ClientResponse> ServiceClient::Call(const std::string& service,
                                                 const ServiceCall& call) {
  const TraceContext* current = CurrentTraceContext();
  TraceContext ctx = current ? ChildOf(*current, rng_) : NewRoot(rng_);
  const SystemTime started = clock_.Now();
  const auto started_mono = clock_.Monotonic();

  std::set<std::string> tried;
  Result<http::ClientResponse> result = Error::Unavailable("no live instance of " + service);
  std::string instance_id;
  for (int attempt = 0; attempt < max_instances_; ++attempt) {
    auto instance = discovery_.Pick(service, tried);
    if (!instance) {
      if (attempt == 0) result = instance.error();
      break;
    }
    instance_id = instance->id;
    http::ClientRequest req;
    req.method = call.method;
    req.url = "http://" + instance->address + ":" + std::to_string(instance->port) + call.path;
    req.headers = call.headers;
    req.headers.emplace_back("traceparent", FormatTraceparent(ctx));
    if (!call.body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    req.body = call.body;
    req.timeout = call.timeout;
    result = client_.Send(req);
    if (result || !ShouldTryAnotherInstance(result.error(), call.repeatable)) break;
    log::Warn(
        "instance unreachable, trying another",
        {{"service", service}, {"instance", instance->id}, {"error", result.error().message}});
    discovery_.MarkDead(instance->id);
    tried.insert(instance->id);
  }

  tracing::Span span;
  span.trace_id = ctx.trace_id;
  span.span_id = ctx.span_id;
  span.parent_span_id = ctx.parent_span_id;
  span.name = call.method + " " + service + " " + call.path;
  span.service = identity_.service;
  span.instance = identity_.instance;
  span.start = started;
  span.duration =
      std::chrono::duration_cast<std::chrono::microseconds>(clock_.Monotonic() - started_mono);
  span.kind = "client";
  span.error = !result || result->status >= 500;
  span.attributes = {{"peer.service", service}, {"peer.instance", instance_id}};
  if (result) span.attributes["http.status"] = result->status;
  if (ctx.sampled) spans_.Record(std::move(span));
  return result;
}

}  // namespace made0::runtime
