#pragma once
// ConsoleApi: the console's /api, on the console's own origin. It authenticates through the
// session cookie, enforces CSRF on every state-changing request, and calls the users,
// verification and infra services through the registry (runtime::ServiceClient), passing their
// answers through. The contract is documented in docs/console-api.md; the /api/infra routes and
// their checks are in infra_routes.hpp.

#include <functional>

#include "made0/frontend/infra_routes.hpp"
#include "made0/http/router.hpp"
#include "made0/runtime/service_client.hpp"

namespace made0::redis {
class Discovery;
}
namespace made0::tracing {
class TraceQuery;
}

namespace made0::frontend {

struct ConsoleOptions {
  bool secure_cookies = false;  // the console is served over https
};

class ConsoleApi {
 public:
  ConsoleApi(runtime::ServiceClient& services, redis::Discovery& discovery,
             tracing::TraceQuery& traces, Random& rng, ConsoleOptions options);

  // AddRoutes registers /api/* and the CSRF middleware (which must run for /api only).
  void AddRoutes(http::Router& router);

  http::Response Csrf(http::Request& req);
  http::Response SignUp(http::Request& req);
  http::Response Login(http::Request& req);
  http::Response Logout(http::Request& req);
  http::Response Me(http::Request& req);
  http::Response Verify(http::Request& req);
  http::Response Resend(http::Request& req);
  http::Response Services(http::Request& req);
  http::Response Traces(http::Request& req);
  http::Response Trace(http::Request& req);
  // Infra passes one of InfraRoutes() through to the infra service (verified users only).
  http::Response Infra(const InfraRoute& route, http::Request& req);

 private:
  // Forward sends the request's JSON body to service+path and passes the answer through.
  http::Response Forward(const std::string& service, const std::string& method,
                         const std::string& path, const http::Request& req, bool repeatable);
  // RequireVerifiedUser answers 401/403 unless the session belongs to a verified user.
  std::optional<http::Response> RequireVerifiedUser(const http::Request& req);

  runtime::ServiceClient& services_;
  redis::Discovery& discovery_;
  tracing::TraceQuery& traces_;
  Random& rng_;
  ConsoleOptions options_;
};

}  // namespace made0::frontend
