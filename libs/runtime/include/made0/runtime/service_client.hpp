#pragma once
// ServiceClient: calls another made0 service by name. It picks a live instance from the registry,
// continues the current trace (a client span, and `traceparent` on the request), and when an
// instance cannot be reached at all it marks it dead and tries another live one, so a crashed
// instance costs a caller one failed connection, not an error.
//
//   ServiceClient users(rt.discovery(), http_client, rt.spans(), identity, rt.random(),
//   rt.clock()); auto r = users.Call("users", {.method = "POST", .path = "/v1/users", .body =
//   json.dump()}); if (!r) return Response::Error(r.error());          // Unavailable: no live
//   instance answered

#include <string>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/http/client.hpp"
#include "made0/runtime/observability.hpp"
#include "made0/tracing/span.hpp"

namespace made0::redis {
class Discovery;
}

namespace made0::runtime {

struct ServiceCall {
  std::string method = "GET";
  std::string path;  // "/v1/users"
  http::Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};
  // repeatable: the call may be sent again after an exchange broke midway (a reset connection,
  // typically to an instance that just died), because doing it twice is harmless. A call whose
  // connection was never made is always retried elsewhere; one that timed out never is.
  bool repeatable = false;
};

// ShouldTryAnotherInstance is the retry decision, kept pure for tests.
bool ShouldTryAnotherInstance(const Error& error, bool repeatable);

class ServiceClient {
 public:
  ServiceClient(redis::Discovery& discovery, http::Client& client, tracing::SpanSink& spans,
                Identity identity, Random& rng, const Clock& clock, int max_instances = 3);

  Result<http::ClientResponse> Call(const std::string& service, const ServiceCall& call);

 private:
  redis::Discovery& discovery_;
  http::Client& client_;
  tracing::SpanSink& spans_;
  Identity identity_;
  Random& rng_;
  const Clock& clock_;
  int max_instances_;
};

}  // namespace made0::runtime
