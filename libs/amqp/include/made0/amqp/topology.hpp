#pragma once
// Topology: the exchanges and queues made0 declares, all durable, so that services can start in
// any order. Exchanges: made0.events (topic) and made0.commands (direct). For a consumer queue Q:
//   Q        bound to spec.exchange with each routing key;
//   Q.retry  no consumer; a message waits there for retry_delay (per-message expiration), then the
//            broker dead-letters it back to Q (x-dead-letter-exchange "", -routing-key Q);
//   Q.dead   messages that were rejected or failed max_attempts times, for a person to inspect.
//
//   QueueSpec spec{.name = "verification.user-registered", .exchange = kEventsExchange,
//                  .routing_keys = {"user.registered"}};
//   if (auto st = DeclareTopology(url, spec); !st) ...      // Consumer::Start() does this itself
//   auto depth = QueueDepth(url, spec.name);                  // for a Prometheus gauge
//
// The retry delay travels on each message, not as a queue argument, so changing retry_delay needs
// no queue migration (a redeclare with different arguments would fail with PRECONDITION_FAILED).
// The broker expires messages only at the head of Q.retry, so after shortening retry_delay the new
// retries wait behind the older, longer ones until those have gone.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/status.hpp"

namespace made0::amqp {

struct QueueSpec {
  std::string name;
  std::string exchange;                   // "" binds nothing (publish to the queue by name)
  std::vector<std::string> routing_keys;  // topic patterns on made0.events, keys on made0.commands
  int max_attempts = 5;                   // deliveries before a retried message goes to Q.dead
  std::chrono::milliseconds retry_delay{1000};
  int prefetch = 16;  // unacknowledged deliveries the broker may push ahead (basic.qos)
};

std::string RetryQueueName(std::string_view queue);  // "<queue>.retry"
std::string DeadQueueName(std::string_view queue);   // "<queue>.dead"

// ValidateQueueSpec checks what the broker would otherwise reject later (Invalid, naming the
// field).
Status ValidateQueueSpec(const QueueSpec& spec);

// DeclareTopology declares both made0 exchanges and spec's three queues and bindings over a
// short-lived connection. Idempotent.
Status DeclareTopology(const std::string& url, const QueueSpec& spec,
                       std::chrono::milliseconds timeout = std::chrono::seconds{5});

struct QueueStats {
  std::uint32_t messages = 0;  // ready messages, not those delivered and unacknowledged
  std::uint32_t consumers = 0;
};

// QueueDepth reads a queue's counts with a passive queue.declare over a short-lived connection:
// NotFound if the queue does not exist, Unavailable if the broker cannot be reached.
Result<QueueStats> QueueDepth(const std::string& url, const std::string& queue,
                              std::chrono::milliseconds timeout = std::chrono::seconds{5});

}  // namespace made0::amqp
