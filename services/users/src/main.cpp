// users: accounts, password hashes and sessions. See made0/users/users_api.hpp.
#include "made0/amqp/amqp_publisher.hpp"
#include "made0/amqp/consumer.hpp"
#include "made0/outbox/relay.hpp"
#include "made0/runtime/amqp_tracing.hpp"
#include "made0/runtime/queue_metrics.hpp"
#include "made0/runtime/service.hpp"
#include "made0/users/pg_user_store.hpp"
#include "made0/users/users_api.hpp"

int main(int argc, char** argv) {
  using namespace made0;
  ProcessEnv env;
  runtime::ServiceRuntime rt("users", env);
  auto& config = rt.config();
  const auto session_ttl = config.Duration("MADE0_SESSION_TTL", std::chrono::hours(24 * 7),
                                           "how long a login session lasts");
  const auto outbox_linger = config.Duration(
      "MADE0_OUTBOX_LINGER", std::chrono::milliseconds(50),
      "how long the outbox relay gathers sign-up events before publishing them, while "
      "they stream in (after a quiet spell, one is published at once)");

  // The relay publishes this instance's events: the store wakes it after each commit rather than
  // NOTIFYing (see outbox::Wakeup). The relays of other instances find the rows of one that died
  // before publishing them within their poll interval.
  amqp::AmqpPublisher publisher(rt.amqp_url());
  outbox::Relay relay(
      rt.postgres(), publisher,
      outbox::RelayOptions{.schema = users::kSchema, .listen = false, .linger = outbox_linger});
  users::PgUserStore store(rt.postgres(), [&relay] { relay.Wake(); });
  users::Argon2idHasher hasher(rt.random());
  users::UsersService service(store, hasher, rt.random(), rt.clock(), rt.tracer(),
                              {std::chrono::duration_cast<std::chrono::seconds>(session_ttl)});
  users::UsersApi api(service);
  api.AddRoutes(rt.router());
  rt.AddStartupStep("users-schema", [&] {
    return pg::ApplyMigrations(rt.postgres(), users::kSchema, users::PgUserStore::Migrations());
  });

  rt.AddWorker(
      "outbox-relay", [&] { relay.Start(); }, [&] { relay.Stop(); });

  amqp::Consumer verified(
      rt.amqp_url(),
      {.name = "users.user-verified",
       .exchange = amqp::kEventsExchange,
       .routing_keys = {"user.verified"}},
      runtime::TracedHandler({rt.service(), rt.instance_id()}, rt.spans(), rt.random(), rt.clock(),
                             [&](const amqp::Delivery& d) { return api.OnUserVerified(d); }));
  rt.AddWorker(
      "user-verified-consumer", [&] { (void)verified.Start(); }, [&] { verified.Stop(); });
  runtime::AddQueueMetrics(rt.metrics(), rt.amqp_url(), "users.user-verified");
  rt.metrics().AddCollector([&hasher](runtime::Metrics& m) {
    const users::HashStats s = hasher.Stats();
    m.SetGauge("made0_password_hashes", {}, static_cast<double>(s.count));
    m.SetGauge("made0_password_hash_cpu_seconds", {}, std::chrono::duration<double>(s.cpu).count());
  });
  rt.AddReadinessCheck("rabbitmq", [&]() -> Status {
    if (verified.Ready()) return Status::Ok();
    return Error::Unavailable("not connected to RabbitMQ");
  });
  return rt.Run(argc, argv);
}
