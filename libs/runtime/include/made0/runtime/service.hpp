#pragma once
// ServiceRuntime: what every made0 process shares, so a service's main is a few lines.
// It reads the common configuration, serves HTTP with /healthz, /readyz and /metrics, registers
// the instance in the Redis registry and heartbeats it, traces requests into Postgres schema
// `tracing`, and shuts down gracefully on SIGTERM or SIGINT: deregister, stop accepting, finish
// requests in flight, stop workers (consumers, relays) in reverse order, flush spans.
//
//   int main(int argc, char** argv) {
//     made0::ProcessEnv env;
//     made0::runtime::ServiceRuntime rt("users", env);      // construct first: blocks signals
//     auto ttl = rt.config().Duration("MADE0_SESSION_TTL", 168h, "session lifetime");
//     UsersApi api(rt, ...);
//     api.AddRoutes(rt.router());
//     rt.AddWorker("outbox-relay", [&] { relay.Start(); }, [&] { relay.Stop(); });
//     return rt.Run(argc, argv);                              // until SIGTERM
//   }
//
// Common configuration (all optional): MADE0_HTTP_ADDRESS, MADE0_HTTP_PORT (0: a free port,
// published in the registry), MADE0_HTTP_WORKERS, MADE0_HTTP_BODY_LIMIT, MADE0_PG_URL,
// MADE0_PG_POOL_SIZE, MADE0_REDIS_URL, MADE0_AMQP_URL, MADE0_LOG_LEVEL, MADE0_REGISTRY_TTL,
// MADE0_SHUTDOWN_GRACE. `<service> --help-config` lists them with defaults.

#include <functional>
#include <memory>
#include <string>

#include "made0/core/clock.hpp"
#include "made0/core/config.hpp"
#include "made0/core/random.hpp"
#include "made0/http/router.hpp"
#include "made0/runtime/metrics.hpp"

namespace made0::pg {
class Database;
}
namespace made0::redis {
class Client;
class Discovery;
}  // namespace made0::redis
namespace made0::tracing {
class SpanSink;
class Tracer;
}  // namespace made0::tracing

namespace made0::runtime {

class ServiceRuntime {
 public:
  // default_http_port is MADE0_HTTP_PORT's default (the frontend's is 3000, others pick one).
  ServiceRuntime(std::string service, const Env& env, int default_http_port = 0);
  ~ServiceRuntime();
  ServiceRuntime(const ServiceRuntime&) = delete;
  ServiceRuntime& operator=(const ServiceRuntime&) = delete;

  const std::string& service() const;
  // instance_id is "<service>-<12 hex>", fixed at construction.
  const std::string& instance_id() const;
  ConfigReader& config();
  http::Router& router();
  Metrics& metrics();
  Random& random();
  const Clock& clock();
  pg::Database& postgres();
  redis::Client& redis();
  redis::Discovery& discovery();
  tracing::SpanSink& spans();
  // tracer makes internal spans (tracing::SpanScope) for this service's instance.
  const tracing::Tracer& tracer();
  const std::string& amqp_url() const;

  // SetTraced limits which routes are traced (default: all but the probes); call before Run.
  void SetTraced(std::function<bool(std::string_view route)> traced);
  // AddReadinessCheck adds a check to /readyz (503 while any fails).
  void AddReadinessCheck(std::string name, std::function<Status()> check);
  // AddWorker adds background work started after the HTTP server and stopped before it.
  void AddWorker(std::string name, std::function<void()> start, std::function<void()> stop);
  // AddStartupStep runs before serving (migrations); it is retried with backoff until it
  // succeeds or the process is told to stop, so a dependency that is still starting is waited for.
  void AddStartupStep(std::string name, std::function<Status()> step);

  // Run serves until SIGTERM/SIGINT and returns the exit code. With --help-config it prints the
  // configuration surface read so far and returns 0.
  int Run(int argc, char** argv);

  // RequestStop makes Run return as if a signal had arrived (tests).
  void RequestStop();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace made0::runtime
