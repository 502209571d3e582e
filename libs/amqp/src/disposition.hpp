#pragma once
// The consumer's decisions, pure: how a raw message becomes a Delivery, what a handler's result
// does with it, the messages republished to Q.retry and Q.dead, and how long a batch waits.

#include <chrono>
#include <optional>
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

// BatchLinger is how long a batch that begins at `now` waits for more deliveries: `linger` if the
// previous batch began less than idle_after ago (deliveries are streaming in, and gathering them
// saves work per message), nothing after a quiet spell or before the first batch (a lone message
// is handled at once).
std::chrono::milliseconds BatchLinger(std::optional<std::chrono::steady_clock::time_point> previous,
                                      std::chrono::steady_clock::time_point now,
                                      std::chrono::milliseconds linger,
                                      std::chrono::milliseconds idle_after);

// kMaxErrorLength bounds the error text copied into a header.
inline constexpr std::size_t kMaxErrorLength = 1024;

}  // namespace made0::amqp::internal
