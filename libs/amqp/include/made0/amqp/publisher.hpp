#pragma once
// Publisher: sends a message and returns only once the broker has confirmed it (publisher
// confirms), so a caller that got Ok may forget the message, and one that got an error still owns
// it (the outbox relay retries it later).

#include "made0/amqp/message.hpp"
#include "made0/core/status.hpp"

namespace made0::amqp {

class Publisher {
 public:
  virtual ~Publisher() = default;
  // Publish sends persistently (delivery mode 2), mandatory unless message.mandatory is false;
  // Unavailable if the broker is unreachable, nacks, returns the message as unroutable, or does
  // not confirm in time.
  virtual Status Publish(const Message& message) = 0;
};

// IsUnroutable: the broker returned the message because no queue is bound to its route (for a
// reply, the caller's reply queue is gone). The error is still Unavailable, since for an event it
// usually means the topology is not declared yet.
bool IsUnroutable(const Error& error);

}  // namespace made0::amqp
