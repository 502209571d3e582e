#pragma once
// Connection: one rabbitmq-c connection with one channel, the only place that calls the driver's
// I/O. Not thread-safe (neither is rabbitmq-c): one thread at a time. Every failure is a Status;
// after a connection-level failure broken() is true and the owner must drop the Connection. A
// channel-level failure (404, 406) reopens the channel and leaves the connection usable.

#include <amqp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "made0/amqp/message.hpp"
#include "made0/amqp/topology.hpp"
#include "made0/amqp/url.hpp"
#include "made0/core/status.hpp"

namespace made0::amqp::internal {

struct ConnectOptions {
  std::chrono::milliseconds timeout{5000};  // TCP connect, login, and each broker RPC
  int heartbeat_seconds = 0;                // 0: none (the caller bounds every wait itself)
  std::string name;                         // connection_name client property
};

// kUnroutablePrefix starts the error of a mandatory publish the broker returned (made0::amqp's
// IsUnroutable looks for it).
inline constexpr std::string_view kUnroutablePrefix = "unroutable message: ";

struct PublishOptions {
  bool mandatory = true;
  std::chrono::milliseconds confirm_timeout{5000};
  std::optional<std::chrono::milliseconds> expiration;  // per-message TTL
  long long now_ms = 0;                                 // timestamp for messages without one
};

// Incoming is a message read from the broker, with what is needed to settle it.
struct Incoming {
  Message message;
  bool redelivered = false;
  std::uint64_t delivery_tag = 0;
};

using StringPairs = std::vector<std::pair<std::string, std::string>>;

class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const AmqpUrl& url, const ConnectOptions& opts);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool broken() const { return broken_; }

  Status DeclareExchange(const std::string& name, const std::string& type);
  Status DeclareQueue(const std::string& name, const StringPairs& arguments = {});
  Status BindQueue(const std::string& queue, const std::string& exchange, const std::string& key);
  Result<QueueStats> InspectQueue(const std::string& name);  // passive declare
  Status DeleteQueue(const std::string& name);

  // EnableConfirms puts the channel in confirm mode; Publish then waits for basic.ack.
  Status EnableConfirms();
  Status Publish(const Message& message, const PublishOptions& options);

  Status Qos(int prefetch);
  Status Consume(const std::string& queue);
  // Next waits up to `timeout` for a delivery; nullopt if none came.
  Result<std::optional<Incoming>> Next(std::chrono::milliseconds timeout);
  // Ack settles delivery_tag, and with `multiple` every unsettled delivery before it too.
  Status Ack(std::uint64_t delivery_tag, bool multiple = false);
  // Get takes one message with basic.get and auto-ack (tests and tools); nullopt if empty.
  Result<std::optional<Incoming>> Get(const std::string& queue);

  // Poll handles what the broker sent while nobody was reading (a connection.close at broker
  // shutdown), so a dead connection is noticed before a publish is written into it.
  Status Poll();

 private:
  Connection(amqp_connection_state_t state, std::string where);
  Status CheckReply(amqp_rpc_reply_t reply, const std::string& what);
  Status LibraryFailure(int status, const std::string& what);
  Status OnChannelClose(const amqp_channel_close_t& close, const std::string& what);
  Status OnConnectionClose(const amqp_connection_close_t& close, const std::string& what);
  // HandleStrayMethod settles a method frame nobody asked for; error if it ends the channel.
  Status HandleStrayMethod(const amqp_frame_t& frame, const std::string& what);
  Status OpenChannel();
  Error Closed() const;
  Status AwaitConfirm(std::uint64_t seq, std::chrono::milliseconds timeout);

  amqp_connection_state_t state_;
  std::string where_;  // redacted URL, for error messages
  bool broken_ = false;
  bool confirms_ = false;
  bool consuming_ = false;
  std::uint64_t publish_seq_ = 0;  // delivery tag of the last publish on this channel
};

}  // namespace made0::amqp::internal
