#pragma once
// The console's /api/infra/...: the infra service's reads (and a saga retry) passed through to
// infra's /v1/... for verified users. This is the pure part: which console routes exist, which
// upstream path each maps to, what a path ID must look like before it may travel upstream, and
// which query parameters are passed on. ConsoleApi does the I/O (console_api.cpp).
//
//   const InfraRoute& r = ...;  // {"GET", "/api/infra/subnets/{id}/addresses", ...}
//   auto path = InfraUpstreamPath(r, "subnet-0a1b2c3d4e5f60718");
//   // "/v1/subnets/subnet-0a1b2c3d4e5f60718/addresses"; "subnet-x" is Invalid naming subnet_id
//   auto query = InfraQuery(req.query);  // "?limit=20&region=us-east-1"; unknown names dropped

#include <span>
#include <string>
#include <string_view>

#include "made0/core/status.hpp"
#include "made0/http/message.hpp"

namespace made0::frontend {

// InfraIdKind is what a route's {id} names; kNone for routes without one.
enum class InfraIdKind { kNone, kSubnet, kInstance, kSaga };

// InfraRoute is one console route and its upstream on the infra service.
struct InfraRoute {
  std::string_view method;    // "GET" or "POST"
  std::string_view pattern;   // the console's, for the router: "/api/infra/sagas/{id}"
  std::string_view upstream;  // infra's, "{id}" replaced by the checked ID: "/v1/sagas/{id}"
  InfraIdKind id = InfraIdKind::kNone;
};

// InfraRoutes lists every route under /api/infra.
std::span<const InfraRoute> InfraRoutes();

// IsInfraRead: route (a matched pattern) is one of the GET routes above. The Infrastructure page
// polls them every second or few, so the service's main leaves them out of tracing, as it does
// /api/services and /api/traces.
bool IsInfraRead(std::string_view route);

// CheckInfraId accepts the IDs infra hands out: "subnet-" or "i-" and 17 lowercase hex digits,
// "saga-" and 16. Otherwise Invalid (422) naming the field: subnet_id, instance_id or saga_id.
Status CheckInfraId(InfraIdKind kind, std::string_view id);

// InfraUpstreamPath is route.upstream with its {id} checked (CheckInfraId) and put in place.
Result<std::string> InfraUpstreamPath(const InfraRoute& route, std::string_view id);

// kInfraQueryParams are the query parameters passed on; others are dropped.
inline constexpr std::string_view kInfraQueryParams[] = {"region", "vpc_id", "owner", "cluster",
                                                         "status", "type",   "limit"};

// InfraQuery is the query string to send upstream ("" or "?a=1&b=2", percent-encoded, in name
// order) made of the known, non-empty parameters of `query` (already decoded). A value over 256
// bytes is Invalid naming its parameter.
Result<std::string> InfraQuery(const http::StringMap& query);


}  // namespace made0::frontend
