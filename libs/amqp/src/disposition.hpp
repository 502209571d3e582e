#pragma once
// The consumer's decisions, pure: how a raw message becomes a Delivery, what a handler's result
// does with it, and the messages republished to Q.retry and Q.dead.

#include <string_view>

#include "made0/amqp/consumer.hpp"

namespace made0::amqp::internal {

enum class Disposition { kAck, kRetry, kDead };

// Decide maps a handler result to what happens: kRetry becomes kDead once attempt >= max_attempts.
Disposition Decide(HandlerResult::Kind kind, int attempt, int max_attempts);

// AttemptOf reads kAttemptHeader; absent or unreadable means 1.
int AttemptOf(const Message& raw);

// ToDelivery restores the original exchange and routing key of a message that went through
// Q.retry, sets the attempt, and removes the retry plumbing's headers (the consumer's own
// x-made0-*, the broker's x-first-death-* and x-last-death-*).
Delivery ToDelivery(Message raw, bool redelivered);

// ForRetry is the message to publish to Q.retry: attempt + 1, the original route in headers, the
// error that caused the retry.
Message ForRetry(const Delivery& d, std::string_view queue, std::string_view error);

// ForDead is the message to publish to Q.dead after `attempt` attempts. reason is "max-attempts"
// or "rejected".
Message ForDead(const Delivery& d, std::string_view queue, std::string_view reason,
                std::string_view error);

// kMaxErrorLength bounds the error text copied into a header.
inline constexpr std::size_t kMaxErrorLength = 1024;

}  // namespace made0::amqp::internal
