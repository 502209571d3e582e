// verification: verification links in MongoDB, mail over SMTP, user.verified events.
// See made0/verification/verification_api.hpp.
#include "made0/amqp/amqp_publisher.hpp"
#include "made0/core/log.hpp"
#include "made0/redis/rate_limiter.hpp"
#include "made0/runtime/amqp_tracing.hpp"
#include "made0/runtime/queue_metrics.hpp"
#include "made0/runtime/service.hpp"
#include "made0/verification/mongo_link_store.hpp"
#include "made0/verification/smtp_mailer.hpp"
#include "made0/verification/verification_api.hpp"

#include <atomic>
#include <condition_variable>
#include <thread>

int main(int argc, char** argv) {
  using namespace made0;
  ProcessEnv env;
  runtime::ServiceRuntime rt("verification", env);
  auto& config = rt.config();
  const std::string mongo_url = config.String("MADE0_MONGO_URL", "mongodb://127.0.0.1:27017/made0",
                                              "MongoDB URL (database in the path)");
  const std::string smtp_url =
      config.String("MADE0_SMTP_URL", "smtp://127.0.0.1:2525", "SMTP server for outgoing mail");
  const std::string mail_from = config.String("MADE0_MAIL_FROM", "made0 <no-reply@made0.local>",
                                              "From header of outgoing mail");
  const std::string envelope_from =
      config.String("MADE0_MAIL_ENVELOPE_FROM", "no-reply@made0.local", "SMTP envelope sender");
  const std::string console_url = config.String("MADE0_CONSOLE_URL", "http://127.0.0.1:3000",
                                                "console address used in mailed links");
  const auto link_ttl =
      config.Duration("MADE0_LINK_TTL", std::chrono::hours(1), "verification link lifetime");
  const int per_minute =
      config.Int("MADE0_RESEND_PER_MINUTE", 1, 1, 1000, "resends allowed per address per minute");
  const int per_hour =
      config.Int("MADE0_RESEND_PER_HOUR", 5, 1, 10000, "resends allowed per address per hour");
  const int signup_batch = config.Int("MADE0_SIGNUP_BATCH", 16, 1, 16,
                                      "sign-up events handled together (one MongoDB lookup and "
                                      "one acknowledged record for all of them)");
  const auto signup_linger = config.Duration(
      "MADE0_SIGNUP_LINGER", std::chrono::milliseconds(50),
      "how long a batch of sign-up events waits for more after its first, while they "
      "stream in (after a quiet second, one is handled at once)");

  verification::MongoLinkStore store(mongo_url);
  verification::SmtpMailer mailer(smtp_url, mail_from, envelope_from, rt.random(), rt.clock());
  amqp::AmqpPublisher publisher(rt.amqp_url());
  redis::RateLimiter limiter(rt.redis());
  verification::RedisRateGate gate(
      limiter, {{per_minute, std::chrono::minutes(1)}, {per_hour, std::chrono::hours(1)}});
  verification::VerificationService service(store, mailer, publisher, gate, rt.random(), rt.clock(),
                                            rt.tracer(), {link_ttl, console_url});
  verification::VerificationApi api(service);
  api.AddRoutes(rt.router());
  rt.AddStartupStep("mongo-indexes", [&] { return store.EnsureIndexes(); });
  rt.AddReadinessCheck("mongodb", [&] { return store.Ping(); });

  amqp::ConsumerOptions batching;
  batching.batch_max = signup_batch;
  batching.batch_linger = signup_linger;
  amqp::Consumer consumer(
      rt.amqp_url(),
      // An SMTP or MongoDB outage is retried for about ten minutes before a message is parked
      // in verification.sign-ups.dead.
      {.name = "verification.sign-ups",
       .exchange = amqp::kEventsExchange,
       .routing_keys = {"user.registered", "user.signup_repeated"},
       .max_attempts = 120,
       .retry_delay = std::chrono::seconds(5)},
      runtime::TracedBatchHandler(
          {rt.service(), rt.instance_id()}, rt.spans(), rt.random(), rt.clock(),
          [&](const std::vector<amqp::Delivery>& ds, const std::vector<TraceContext>& traces) {
            return api.OnSignUps(ds, traces);
          }),
      batching);
  rt.AddWorker(
      "sign-up-consumer", [&] { (void)consumer.Start(); }, [&] { consumer.Stop(); });
  runtime::AddQueueMetrics(rt.metrics(), rt.amqp_url(), "verification.sign-ups");
  rt.AddReadinessCheck("rabbitmq", [&]() -> Status {
    if (consumer.Ready()) return Status::Ok();
    return Error::Unavailable("not connected to RabbitMQ");
  });

  // Confirmations whose user.verified event the broker has not confirmed yet are republished.
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  std::thread republisher;
  rt.AddWorker(
      "verified-event-republisher",
      [&] {
        republisher = std::thread([&] {
          std::unique_lock lock(mu);
          while (!cv.wait_for(lock, std::chrono::seconds(2), [&] { return stopping; })) {
            lock.unlock();
            try {
              if (int n = service.PublishPendingEvents(); n > 0) {
                log::Info("republished user.verified events", {{"count", n}});
              }
            } catch (const std::exception& e) {
              log::Warn("republishing user.verified failed", {{"error", e.what()}});
            }
            lock.lock();
          }
        });
      },
      [&] {
        {
          std::lock_guard lock(mu);
          stopping = true;
        }
        cv.notify_all();
        if (republisher.joinable()) republisher.join();
      });
  return rt.Run(argc, argv);
}
