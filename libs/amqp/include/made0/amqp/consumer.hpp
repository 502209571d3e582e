#pragma once
// Consumer: takes messages from one durable queue on its own thread, with manual acks, retries
// through a delay queue and a dead-letter queue (see made0/amqp/topology.hpp), and reconnects by
// itself with exponential backoff and jitter when the broker goes away, declaring the topology
// again each time.
//
//   QueueSpec spec{.name = "verification.user-registered", .exchange = kEventsExchange,
//                  .routing_keys = {"user.registered"}};
//   Consumer consumer(url, spec, [&](const Delivery& d) -> HandlerResult {
//     if (store.AlreadyProcessed(d.message.message_id)) return HandlerResult::kAck;
//     auto st = SendLink(d.message.body);
//     if (!st) return {HandlerResult::kRetry, st.error().message};   // transient
//     return HandlerResult::kAck;
//   });
//   if (auto st = consumer.Start(); !st) Fatal(st.error().message);
//   ...
//   consumer.Stop();   // on SIGTERM: finishes the handler in progress, acks it, closes
//
// Delivery is at least once. A message is delivered again if the process dies (or the connection
// drops) before its ack, so IDEMPOTENCY IS THE HANDLER'S JOB: record message_id in the service's
// own store, in the same transaction as the effect, and ack a message_id already recorded without
// acting again. `redelivered` is only a hint (it is false on a retry from Q.retry).
//
// What the handler's result does:
//   kAck     the message is done: basic.ack.
//   kRetry   transient failure: the message is published to Q.retry with attempt + 1, comes back
//            to Q after retry_delay; once attempt >= max_attempts it goes to Q.dead instead.
//   kReject  poison message: straight to Q.dead.
//   A handler that throws counts as kRetry with the exception's what() as the error.
// Every republish is confirmed by the broker before the original is acked, so a crash in between
// duplicates a message rather than losing it. Q.dead messages carry kAttemptHeader,
// kDeadReasonHeader ("max-attempts" or "rejected") and kErrorHeader.
//
// The handler runs on the consumer's thread, one message (or one batch: BatchHandler) at a time,
// and must not call Stop(). It should finish well within the heartbeat interval
// (ConsumerOptions::heartbeat), or the broker drops the connection and redelivers.
//
// Commands (ARCHITECTURE.md: infra's CreateInstance ...) are answered by publishing the reply to
// exchange "" with routing_key = d.message.reply_to and the same correlation_id; a request/reply
// client on top of Publisher and Consumer is future work.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "made0/amqp/backoff.hpp"
#include "made0/amqp/message.hpp"
#include "made0/amqp/topology.hpp"
#include "made0/core/random.hpp"
#include "made0/core/status.hpp"

namespace made0::amqp {

// Headers the consumer maintains on retried and dead messages. The x-made0-exchange and
// x-made0-routing-key headers keep the original route across Q.retry; Delivery shows the
// original route and hides these headers (and the broker's x-first-death-* / x-last-death-*).
inline constexpr const char* kAttemptHeader = "x-made0-attempt";
inline constexpr const char* kErrorHeader = "x-made0-error";
inline constexpr const char* kDeadReasonHeader = "x-made0-dead-reason";
inline constexpr const char* kOriginalExchangeHeader = "x-made0-exchange";
inline constexpr const char* kOriginalRoutingKeyHeader = "x-made0-routing-key";

// Delivery is a received message. The broker's delivery tag stays inside the Consumer.
struct Delivery {
  Message message;           // exchange and routing_key are those of the original publish
  bool redelivered = false;  // the broker delivered it before (without an ack)
  int attempt = 1;           // 1 on first delivery, +1 on each kRetry
};

// HandlerResult says what happens to a delivery. `return HandlerResult::kAck;` and
// `return {HandlerResult::kRetry, "db unavailable"};` both work.
struct HandlerResult {
  enum Kind { kAck, kRetry, kReject };
  HandlerResult(Kind k, std::string why = {}) : kind(k), error(std::move(why)) {}  // NOLINT
  Kind kind;
  std::string error;  // recorded in kErrorHeader when the message is retried or dead-lettered
};

using Handler = std::function<HandlerResult(const Delivery&)>;

// BatchHandler takes the deliveries that arrived together, oldest first, and returns one result
// for each, in the same order. It lets a handler share work across messages (one lookup for all
// of them, say); each message is still settled on its own result. A handler that throws, or
// returns too few results, gets kRetry for the messages without one.
using BatchHandler = std::function<std::vector<HandlerResult>(const std::vector<Delivery>&)>;

// CompleteResults makes a batch handler's results one per delivery: a handler that returned fewer
// than n leaves the rest to be retried, with an error saying so; extra results are dropped. The
// consumer applies it; so can a wrapper that needs every message's result (a tracer, say).
std::vector<HandlerResult> CompleteResults(std::vector<HandlerResult> results, std::size_t n);

struct ConsumerOptions {
  BackoffPolicy reconnect{std::chrono::milliseconds{100}, std::chrono::seconds{30}, 2.0, 0.5};
  std::chrono::milliseconds timeout{5000};  // connect, each broker RPC, each publish confirm
  std::chrono::seconds heartbeat{30};
  Random* random = nullptr;  // jitter source; nullptr uses an internal SecureRandom
  // A batch is the first delivery plus those that arrive within batch_linger of it, up to
  // batch_max (and the queue's prefetch). Only while deliveries stream in, though: a batch that
  // begins batch_idle_after or more after the previous one (or is the first) takes only what
  // has already arrived, so a lone message does not wait. With the defaults every batch holds one
  // delivery.
  int batch_max = 1;
  std::chrono::milliseconds batch_linger{0};
  std::chrono::milliseconds batch_idle_after{1000};
};

// ConsumerStats are running totals since Start(), for metrics.
struct ConsumerStats {
  std::uint64_t delivered = 0;
  std::uint64_t acked = 0;
  std::uint64_t retried = 0;
  std::uint64_t dead_lettered = 0;
  std::uint64_t connects = 0;  // successful (re)connections
};

class Consumer {
 public:
  Consumer(std::string url, QueueSpec spec, Handler handler, ConsumerOptions options = {});
  Consumer(std::string url, QueueSpec spec, BatchHandler handler, ConsumerOptions options = {});
  ~Consumer();  // Stop()
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Start validates the URL and spec (Invalid) and starts the thread. It does not wait for the
  // broker: a service starts while RabbitMQ is down and consumes once it is up.
  Status Start();
  // Stop stops taking deliveries, lets the handler in progress finish and settles it, closes the
  // connections (prefetched, unhandled messages go back to the queue) and joins the thread.
  void Stop();

  // Ready is true while connected with the topology declared and consuming (for /readyz).
  bool Ready() const;
  // WaitReady waits up to `timeout` for Ready().
  bool WaitReady(std::chrono::milliseconds timeout) const;
  ConsumerStats Stats() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace made0::amqp
