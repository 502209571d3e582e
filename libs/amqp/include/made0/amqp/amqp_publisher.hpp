#pragma once
// AmqpPublisher: the Publisher (made0/amqp/publisher.hpp) on RabbitMQ. One connection and one
// channel in confirm mode; each Publish waits for the broker's basic.ack. Thread-safe: concurrent
// Publish calls take turns on the connection.
//
//   AmqpPublisher publisher(url);                 // connects lazily, never throws
//   Message m{.exchange = kEventsExchange, .routing_key = "user.registered",
//             .message_id = id, .type = "user.registered", .body = json};
//   m.headers["traceparent"] = FormatTraceparent(span);
//   if (auto st = publisher.Publish(m); !st) keep m and retry later (the outbox does);
//
// On any connection error the connection is closed and the next Publish reconnects, declaring the
// made0 exchanges. Between failed attempts it waits a short backoff and, meanwhile, answers
// Unavailable at once instead of hammering a broker that is down. A Publish never hangs: each step
// of (re)connecting is bounded by connect_timeout, the wait for the ack by confirm_timeout.
// One message is in flight at a time (about one broker round trip each, ~1 ms on loopback).

#include <chrono>
#include <memory>
#include <string>

#include "made0/amqp/backoff.hpp"
#include "made0/amqp/publisher.hpp"
#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"

namespace made0::amqp {

struct PublisherOptions {
  std::chrono::milliseconds connect_timeout{2000};  // TCP connect and login
  std::chrono::milliseconds confirm_timeout{5000};  // from basic.publish to basic.ack
  BackoffPolicy reconnect{std::chrono::milliseconds{200}, std::chrono::seconds{5}, 2.0, 0.5};
  std::string connection_name = "made0-publisher";  // shown by rabbitmqctl list_connections
  const Clock* clock = nullptr;                     // nullptr: SystemClock (timestamps and backoff)
  Random* random = nullptr;                         // nullptr: SecureRandom (backoff jitter)
};

class AmqpPublisher final : public Publisher {
 public:
  explicit AmqpPublisher(std::string url, PublisherOptions options = {});
  ~AmqpPublisher() override;
  AmqpPublisher(const AmqpPublisher&) = delete;
  AmqpPublisher& operator=(const AmqpPublisher&) = delete;

  // Publisher: Invalid for a bad URL or a message without message_id; Unavailable for everything
  // the broker side can do wrong (down, unroutable, nack, no confirm in time).
  Status Publish(const Message& message) override;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace made0::amqp
