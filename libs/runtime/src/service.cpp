#include "made0/runtime/service.hpp"

#include <pthread.h>
#include <signal.h>

#include <condition_variable>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>
#include <vector>

#include "made0/core/log.hpp"
#include "made0/http/server.hpp"
#include "made0/pg/database.hpp"
#include "made0/redis/client.hpp"
#include "made0/redis/discovery.hpp"
#include "made0/redis/registry.hpp"
#include "made0/runtime/observability.hpp"
#include "made0/tracing/pg_span_writer.hpp"
#include "made0/tracing/span_scope.hpp"

namespace made0::runtime {
namespace {

struct Worker {
  std::string name;
  std::function<void()> start;
  std::function<void()> stop;
};

struct Check {
  std::string name;
  std::function<Status()> check;
};

struct Step {
  std::string name;
  std::function<Status()> run;
};

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  return set;
}

}  // namespace

struct ServiceRuntime::State {
  std::string service;
  std::string instance_id;
  SecureRandom rng;
  SystemClock clock;
  ConfigReader config;
  Metrics metrics;
  http::Router router;

  // Common configuration.
  std::string http_address;
  int http_port = 0;
  int http_workers = 0;
  int http_io_threads = 0;
  int body_limit = 0;
  std::string pg_url;
  int pg_pool = 0;
  std::string redis_url;
  std::string amqp_url;
  std::string log_level;
  std::chrono::milliseconds registry_ttl{};
  std::chrono::milliseconds shutdown_grace{};
  std::chrono::milliseconds trace_retention{};

  std::unique_ptr<pg::Database> pg;
  std::unique_ptr<redis::Client> redis;
  std::unique_ptr<redis::Discovery> discovery;
  std::unique_ptr<tracing::PgSpanWriter> spans;
  std::unique_ptr<tracing::Tracer> tracer;

  RouteFilter traced;
  std::vector<Worker> workers;
  std::vector<Check> checks;
  std::vector<Step> startup;

  std::mutex mu;
  std::condition_variable cv;
  bool stop_requested = false;

  State(std::string name, const Env& env)
      : service(std::move(name)), config(env), metrics(service) {}
};

ServiceRuntime::ServiceRuntime(std::string service, const Env& env, int default_http_port)
    : state_(std::make_unique<State>(std::move(service), env)) {
  // Block the stop signals before any thread exists, so every thread inherits the mask and Run
  // receives them synchronously with sigwait.
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  State& s = *state_;
  s.instance_id = s.service + "-" + RandomHex(s.rng, 6);
  auto& c = s.config;
  s.http_address = c.String("MADE0_HTTP_ADDRESS", "127.0.0.1", "address the HTTP server binds");
  s.http_port = c.Int("MADE0_HTTP_PORT", default_http_port, 0, 65535,
                      "HTTP port; 0 picks a free port, published in the registry");
  s.http_workers = c.Int("MADE0_HTTP_WORKERS", 8, 1, 256, "threads for blocking request handlers");
  s.http_io_threads =
      c.Int("MADE0_HTTP_IO_THREADS", 1, 1, 64, "threads for socket I/O and non-blocking handlers");
  s.body_limit = c.Int("MADE0_HTTP_BODY_LIMIT", 64 * 1024, 1024, 64 * 1024 * 1024,
                       "largest accepted request body in bytes (413 above)");
  s.pg_url = c.String("MADE0_PG_URL", "postgresql://made0@127.0.0.1:5432/made0",
                      "PostgreSQL connection URL");
  s.pg_pool = c.Int("MADE0_PG_POOL_SIZE", 8, 1, 256, "PostgreSQL connections per process");
  s.redis_url = c.String("MADE0_REDIS_URL", "redis://127.0.0.1:6379", "Redis URL (registry)");
  s.amqp_url = c.String("MADE0_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672", "RabbitMQ URL");
  s.log_level = c.String("MADE0_LOG_LEVEL", "info", "debug, info, warn or error");
  s.registry_ttl = c.Duration("MADE0_REGISTRY_TTL", std::chrono::seconds(10),
                              "registry entry TTL (at most 10s); heartbeats every TTL/3");
  s.shutdown_grace = c.Duration("MADE0_SHUTDOWN_GRACE", std::chrono::seconds(10),
                                "how long requests in flight may finish after SIGTERM");
  s.trace_retention = c.Duration("MADE0_TRACE_RETENTION", std::chrono::hours(24 * 7),
                                 "how long spans are kept in PostgreSQL; 0s keeps them all");
  log::SetIdentity(s.service, s.instance_id);
  if (auto level = log::ParseLevel(s.log_level)) log::SetMinLevel(*level);

  s.pg = std::make_unique<pg::Database>(s.pg_url, s.pg_pool);
  auto redis_options = redis::ParseClientOptions(s.redis_url);
  if (!redis_options) {
    // Reported by Run through config validation; keep a client that will fail cleanly.
    redis_options = redis::ParseClientOptions("redis://127.0.0.1:6379");
  }
  s.redis = redis::MakeClient(*redis_options);
  s.discovery = std::make_unique<redis::Discovery>(*s.redis);
  s.spans = std::make_unique<tracing::PgSpanWriter>(
      *s.pg, tracing::PgSpanWriterOptions{.retention = s.trace_retention});
  s.tracer = std::make_unique<tracing::Tracer>(*s.spans, s.clock, s.rng, s.service, s.instance_id);

  s.router.Use(ObservabilityMiddleware({s.service, s.instance_id}, *s.spans, s.metrics, s.rng,
                                       s.clock, &s.traced));
  s.router.Add("GET", "/healthz", [](http::Request&) { return http::Response::Text(200, "ok\n"); },
               {.blocking = false});
  s.router.Add("GET", "/metrics", [this](http::Request&) {
    return http::Response::Text(200, state_->metrics.Serialize(),
                                "text/plain; version=0.0.4; charset=utf-8");
  });
  s.router.Add("GET", "/readyz", [this](http::Request&) {
    nlohmann::json checks = nlohmann::json::object();
    bool ready = true;
    for (const auto& check : state_->checks) {
      Status st = check.check();
      checks[check.name] = st ? "ok" : st.error().message;
      ready = ready && st.ok();
    }
    return http::Response::Json(ready ? 200 : 503,
                                {{"status", ready ? "ready" : "not_ready"}, {"checks", checks}});
  });
  AddReadinessCheck("postgres", [this] { return state_->pg->Ping(); });
  AddReadinessCheck("redis", [this] { return state_->redis->Ping(); });
  // Ready means callers can find this instance, not only that it answers.
  AddReadinessCheck("registry", [this]() -> Status {
    auto live = state_->discovery->Live(state_->service);
    if (!live) return live.error();
    for (const auto& i : *live) {
      if (i.id == state_->instance_id) return Status::Ok();
    }
    return Error::Unavailable("not registered yet");
  });
  AddStartupStep("tracing-schema", [this] { return tracing::ApplyTracingSchema(*state_->pg); });
}

ServiceRuntime::~ServiceRuntime() = default;

const std::string& ServiceRuntime::service() const { return state_->service; }
const std::string& ServiceRuntime::instance_id() const { return state_->instance_id; }
ConfigReader& ServiceRuntime::config() { return state_->config; }
http::Router& ServiceRuntime::router() { return state_->router; }
Metrics& ServiceRuntime::metrics() { return state_->metrics; }
Random& ServiceRuntime::random() { return state_->rng; }
const Clock& ServiceRuntime::clock() { return state_->clock; }
pg::Database& ServiceRuntime::postgres() { return *state_->pg; }
redis::Client& ServiceRuntime::redis() { return *state_->redis; }
redis::Discovery& ServiceRuntime::discovery() { return *state_->discovery; }
tracing::SpanSink& ServiceRuntime::spans() { return *state_->spans; }
const tracing::Tracer& ServiceRuntime::tracer() { return *state_->tracer; }
const std::string& ServiceRuntime::amqp_url() const { return state_->amqp_url; }

void ServiceRuntime::SetTraced(std::function<bool(std::string_view route)> traced) {
  state_->traced = std::move(traced);
}

void ServiceRuntime::AddReadinessCheck(std::string name, std::function<Status()> check) {
  state_->checks.push_back({std::move(name), std::move(check)});
}

void ServiceRuntime::AddWorker(std::string name, std::function<void()> start,
                               std::function<void()> stop) {
  state_->workers.push_back({std::move(name), std::move(start), std::move(stop)});
}

void ServiceRuntime::AddStartupStep(std::string name, std::function<Status()> step) {
  state_->startup.push_back({std::move(name), std::move(step)});
}

void ServiceRuntime::RequestStop() {
  std::lock_guard lock(state_->mu);
  state_->stop_requested = true;
  state_->cv.notify_all();
}

int ServiceRuntime::Run(int argc, char** argv) {
  State& s = *state_;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--help-config") == 0) {
      std::cout << FormatConfigHelp(s.config.Vars());
      return 0;
    }
  }
  if (Status st = s.config.Finish(); !st) {
    log::Error("invalid configuration",
               {{"variable", st.error().field}, {"error", st.error().message}});
    return 2;
  }
  if (auto r = redis::ParseClientOptions(s.redis_url); !r) {
    log::Error("invalid configuration",
               {{"variable", "MADE0_REDIS_URL"}, {"error", r.error().message}});
    return 2;
  }

  // The signal thread turns SIGTERM/SIGINT into a stop request.
  std::thread signals([this] {
    sigset_t set = StopSignals();
    int sig = 0;
    sigwait(&set, &sig);
    log::Info("signal received, stopping", {{"signal", sig}});
    RequestStop();
  });
  auto stopped = [&s] {
    std::lock_guard lock(s.mu);
    return s.stop_requested;
  };
  auto finish_signals = [&signals] {
    pthread_kill(signals.native_handle(), SIGTERM);  // wakes sigwait if RequestStop came first
    signals.join();
  };

  for (const auto& step : s.startup) {
    auto delay = std::chrono::milliseconds(200);
    for (;;) {
      Status st = step.run();
      if (st) break;
      log::Warn(
          "startup step failed, retrying",
          {{"step", step.name}, {"error", st.error().message}, {"retry_in_ms", delay.count()}});
      std::unique_lock lock(s.mu);
      if (s.cv.wait_for(lock, delay, [&s] { return s.stop_requested; })) break;
      delay = std::min(delay * 2, std::chrono::milliseconds(5000));
    }
    if (stopped()) {
      s.spans->Stop();
      finish_signals();
      return 0;
    }
  }

  http::Server server({.address = s.http_address,
                       .port = s.http_port,
                       .io_threads = s.http_io_threads,
                       .worker_threads = s.http_workers,
                       .body_limit = static_cast<std::size_t>(s.body_limit)},
                      s.router);
  if (Status st = server.Start(); !st) {
    log::Error("cannot start HTTP server", {{"error", st.error().message}});
    s.spans->Stop();
    finish_signals();
    return 1;
  }
  for (auto& w : s.workers) {
    log::Info("starting worker", {{"worker", w.name}});
    w.start();
  }
  redis::Registry registry(*s.redis,
                           {.service = s.service,
                            .address = s.http_address,
                            .port = server.Port(),
                            .version = "0.1.0",
                            .id = s.instance_id},
                           {.ttl = s.registry_ttl}, s.clock, s.rng);
  if (Status st = registry.Register(); !st) {
    log::Warn("registry not reachable yet; heartbeats will retry", {{"error", st.error().message}});
  }
  (void)registry.Start();
  log::Info("serving", {{"address", s.http_address}, {"port", server.Port()}});

  {
    std::unique_lock lock(s.mu);
    s.cv.wait(lock, [&s] { return s.stop_requested; });
  }
  // Leave the registry first so callers stop picking this instance, then drain.
  (void)registry.Stop();
  server.Stop(s.shutdown_grace);
  for (auto it = s.workers.rbegin(); it != s.workers.rend(); ++it) {
    log::Info("stopping worker", {{"worker", it->name}});
    it->stop();
  }
  s.spans->Stop();
  finish_signals();
  log::Info("stopped");
  return 0;
}

}  // namespace made0::runtime
