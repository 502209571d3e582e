#pragma once
// Helpers for the integration tests (*_rmqtest.cpp) against a real RabbitMQ.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connection.hpp"
#include "made0/amqp/consumer.hpp"

namespace made0::amqp::testing {

// StackAmqpUrl is MADE0_AMQP_URL from the stack's env file.
std::string StackAmqpUrl();

// UniqueSpec is a queue bound to made0.events with a routing key no other test uses.
QueueSpec UniqueSpec(const std::string& prefix);

// AdminConnection opens a plain connection for inspecting and cleaning up.
std::unique_ptr<internal::Connection> AdminConnection();

// QueueCleanup deletes Q, Q.retry and Q.dead when the test ends, so reruns leave nothing behind.
class QueueCleanup {
 public:
  explicit QueueCleanup(std::string queue) : queue_(std::move(queue)) {}
  ~QueueCleanup();

 private:
  std::string queue_;
};

// Depth is the number of ready messages in queue (-1 if it cannot be read).
long long Depth(const std::string& queue);

// TakeOne removes and returns one message from queue, waiting up to `timeout` for one.
std::optional<internal::Incoming> TakeOne(const std::string& queue,
                                          std::chrono::milliseconds timeout);

// Eventually polls `condition` every 20 ms until it holds or `timeout` passes.
bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

// Recorder keeps the deliveries a handler saw, for assertions from the test thread.
class Recorder {
 public:
  void Add(const Delivery& d);
  std::vector<Delivery> All() const;
  std::size_t Count() const;
  bool WaitCount(std::size_t n, std::chrono::milliseconds timeout) const;

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  std::vector<Delivery> deliveries_;
};

// Sample is a message with every field set, routed on made0.events by routing_key.
Message Sample(const std::string& routing_key);

// RunStack runs `$MADE0_SOURCE_DIR/scripts/stack.sh <action> --dir <dir of MADE0_STACK_ENV>
// --only rabbit` and returns its exit status.
int RunStack(const std::string& action);

}  // namespace made0::amqp::testing
