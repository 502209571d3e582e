#include "connection.hpp"

#include <amqp_tcp_socket.h>

#include "properties.hpp"

namespace made0::amqp::internal {
namespace {

using std::chrono::milliseconds;

constexpr amqp_channel_t kChannel = 1;
constexpr int kFrameMax = 131072;

timeval ToTimeval(milliseconds d) {
  const long long ms = d.count() < 0 ? 0 : d.count();
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(ms / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((ms % 1000) * 1000);
  return tv;
}

amqp_table_t TableOf(std::vector<amqp_table_entry_t>& entries) {
  return amqp_table_t{static_cast<int>(entries.size()), entries.data()};
}

// FromReplyCode maps the broker's channel-close codes to made0's error codes.
Error FromReplyCode(int code, std::string message) {
  switch (code) {
    case 404:  // NOT_FOUND
      return Error::NotFound(std::move(message));
    case 406:  // PRECONDITION_FAILED: declared before with other arguments
      return Error::Conflict(std::move(message));
    case 403:  // ACCESS_REFUSED
      return Error{ErrorCode::kPermissionDenied, std::move(message), {}};
    default:
      return Error::Unavailable(std::move(message));
  }
}

}  // namespace

Connection::Connection(amqp_connection_state_t state, std::string where)
    : state_(state), where_(std::move(where)) {}

Connection::~Connection() {
  // A clean close lets the broker requeue unacked deliveries at once; it is bounded by the RPC
  // timeout. A broken connection is only torn down.
  if (!broken_) amqp_connection_close(state_, AMQP_REPLY_SUCCESS);
  amqp_destroy_connection(state_);
}

Result<std::unique_ptr<Connection>> Connection::Open(const AmqpUrl& url,
                                                     const ConnectOptions& opts) {
  amqp_connection_state_t state = amqp_new_connection();
  if (state == nullptr) return Error::Internal("amqp_new_connection failed");
  std::unique_ptr<Connection> conn(new Connection(state, Redacted(url)));
  conn->broken_ = true;  // not logged in yet: the destructor must not send connection.close
  amqp_socket_t* socket = amqp_tcp_socket_new(state);
  if (socket == nullptr) return Error::Internal("amqp_tcp_socket_new failed");
  const timeval tv = ToTimeval(opts.timeout);
  if (int rc = amqp_socket_open_noblock(socket, url.host.c_str(), url.port, &tv);
      rc != AMQP_STATUS_OK) {
    return Error::Unavailable("cannot connect to " + conn->where_ + ": " + amqp_error_string2(rc));
  }
  amqp_set_handshake_timeout(state, &tv);
  amqp_set_rpc_timeout(state, &tv);

  const StringPairs props{{"connection_name", opts.name}};
  auto entries = StringTable(props);
  amqp_table_t table = opts.name.empty() ? amqp_empty_table : TableOf(entries);
  const amqp_rpc_reply_t reply = amqp_login_with_properties(
      state, url.vhost.c_str(), 0, kFrameMax, opts.heartbeat_seconds, &table,
      AMQP_SASL_METHOD_PLAIN, url.user.c_str(), url.password.c_str());
  conn->broken_ = false;
  if (auto st = conn->CheckReply(reply, "login"); !st) {
    conn->broken_ = true;
    return st.error();
  }
  if (auto st = conn->OpenChannel(); !st) return st.error();
  return conn;
}

Status Connection::CheckReply(amqp_rpc_reply_t reply, const std::string& what) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return Status::Ok();
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return LibraryFailure(reply.library_error, what);
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
        return OnChannelClose(*static_cast<amqp_channel_close_t*>(reply.reply.decoded), what);
      }
      if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
        return OnConnectionClose(*static_cast<amqp_connection_close_t*>(reply.reply.decoded), what);
      }
      break;
    case AMQP_RESPONSE_NONE:
      break;
  }
  broken_ = true;
  return Error::Unavailable(what + " at " + where_ + ": unexpected reply from the broker");
}

Status Connection::LibraryFailure(int status, const std::string& what) {
  broken_ = true;  // rabbitmq-c closes the socket on its own errors and timeouts
  return Error::Unavailable(what + " at " + where_ + ": " + amqp_error_string2(status));
}

Status Connection::OnChannelClose(const amqp_channel_close_t& close, const std::string& what) {
  Error error = FromReplyCode(close.reply_code, what + ": " + ToString(close.reply_text));
  amqp_channel_close_ok_t ok{};
  if (amqp_send_method(state_, kChannel, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok) != AMQP_STATUS_OK) {
    broken_ = true;
  } else if (consuming_) {
    broken_ = true;  // the consumer went with the channel; the owner starts over
  } else if (!OpenChannel()) {
    broken_ = true;
  }
  return error;
}

Status Connection::OnConnectionClose(const amqp_connection_close_t& close,
                                     const std::string& what) {
  Error error = Error::Unavailable(what + ": broker at " + where_ +
                                   " closed the connection: " + ToString(close.reply_text));
  amqp_connection_close_ok_t ok{};
  amqp_send_method(state_, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
  broken_ = true;
  return error;
}

Status Connection::HandleStrayMethod(const amqp_frame_t& frame, const std::string& what) {
  void* decoded = frame.payload.method.decoded;
  switch (frame.payload.method.id) {
    case AMQP_CHANNEL_CLOSE_METHOD:
      return OnChannelClose(*static_cast<amqp_channel_close_t*>(decoded), what);
    case AMQP_CONNECTION_CLOSE_METHOD:
      return OnConnectionClose(*static_cast<amqp_connection_close_t*>(decoded), what);
    case AMQP_BASIC_CANCEL_METHOD:
      broken_ = true;
      return Error::Unavailable(what + ": the broker cancelled the consumer (queue deleted?)");
    case AMQP_BASIC_RETURN_METHOD: {  // its content follows; read and drop it
      amqp_message_t message{};
      const amqp_rpc_reply_t reply = amqp_read_message(state_, frame.channel, &message, 0);
      if (reply.reply_type != AMQP_RESPONSE_NORMAL) return CheckReply(reply, what);
      amqp_destroy_message(&message);
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

Status Connection::OpenChannel() {
  amqp_channel_open(state_, kChannel);
  if (auto st = CheckReply(amqp_get_rpc_reply(state_), "channel.open"); !st) {
    broken_ = true;
    return st;
  }
  publish_seq_ = 0;
  if (confirms_) {
    amqp_confirm_select(state_, kChannel);
    if (auto st = CheckReply(amqp_get_rpc_reply(state_), "confirm.select"); !st) {
      broken_ = true;
      return st;
    }
  }
  return Status::Ok();
}

Error Connection::Closed() const {
  return Error::Unavailable("connection to " + where_ + " is closed");
}

Status Connection::DeclareExchange(const std::string& name, const std::string& type) {
  if (broken_) return Closed();
  amqp_exchange_declare(state_, kChannel, Bytes(name), Bytes(type), 0, 1, 0, 0, amqp_empty_table);
  return CheckReply(amqp_get_rpc_reply(state_), "declare exchange " + name);
}

Status Connection::DeclareQueue(const std::string& name, const StringPairs& arguments) {
  if (broken_) return Closed();
  auto entries = StringTable(arguments);
  amqp_queue_declare(state_, kChannel, Bytes(name), 0, 1, 0, 0, TableOf(entries));
  return CheckReply(amqp_get_rpc_reply(state_), "declare queue " + name);
}

Status Connection::BindQueue(const std::string& queue, const std::string& exchange,
                             const std::string& key) {
  if (broken_) return Closed();
  amqp_queue_bind(state_, kChannel, Bytes(queue), Bytes(exchange), Bytes(key), amqp_empty_table);
  return CheckReply(amqp_get_rpc_reply(state_), "bind " + queue + " to " + exchange + " " + key);
}

Result<QueueStats> Connection::InspectQueue(const std::string& name) {
  if (broken_) return Closed();
  amqp_queue_declare_ok_t* ok =
      amqp_queue_declare(state_, kChannel, Bytes(name), 1, 0, 0, 0, amqp_empty_table);
  if (auto st = CheckReply(amqp_get_rpc_reply(state_), "inspect queue " + name); !st) {
    return st.error();
  }
  return QueueStats{ok->message_count, ok->consumer_count};
}

Status Connection::DeleteQueue(const std::string& name) {
  if (broken_) return Closed();
  amqp_queue_delete(state_, kChannel, Bytes(name), 0, 0);
  return CheckReply(amqp_get_rpc_reply(state_), "delete queue " + name);
}

Status Connection::EnableConfirms() {
  if (broken_) return Closed();
  amqp_confirm_select(state_, kChannel);
  if (auto st = CheckReply(amqp_get_rpc_reply(state_), "confirm.select"); !st) return st;
  confirms_ = true;
  publish_seq_ = 0;  // confirm delivery tags count from 1 after confirm.select
  return Status::Ok();
}

Status Connection::Publish(const Message& message, const PublishOptions& options) {
  if (broken_) return Closed();
  amqp_maybe_release_buffers(state_);
  const OutgoingProperties props(message, options.now_ms, options.expiration);
  const int rc =
      amqp_basic_publish(state_, kChannel, Bytes(message.exchange), Bytes(message.routing_key),
                         options.mandatory ? 1 : 0, 0, props.get(), Bytes(message.body));
  if (rc != AMQP_STATUS_OK) return LibraryFailure(rc, "publish");
  ++publish_seq_;
  if (!confirms_) return Status::Ok();
  return AwaitConfirm(publish_seq_, options.confirm_timeout);
}

Status Connection::AwaitConfirm(std::uint64_t seq, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<std::string> returned;  // reply text of a basic.return for this publish
  for (;;) {
    const auto left = std::chrono::ceil<milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      // A late confirm would be indistinguishable from the next publish's: start afresh.
      broken_ = true;
      return Error::Unavailable("no publisher confirm from " + where_ + " within " +
                                std::to_string(timeout.count()) + " ms");
    }
    const timeval tv = ToTimeval(left);
    amqp_frame_t frame{};
    const int rc = amqp_simple_wait_frame_noblock(state_, &frame, &tv);
    if (rc == AMQP_STATUS_TIMEOUT) continue;
    if (rc != AMQP_STATUS_OK) return LibraryFailure(rc, "waiting for publisher confirm");
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;
    const void* decoded = frame.payload.method.decoded;
    switch (frame.payload.method.id) {
      case AMQP_BASIC_ACK_METHOD: {
        const auto* ack = static_cast<const amqp_basic_ack_t*>(decoded);
        if (ack->delivery_tag < seq) continue;  // an earlier publish's (cannot happen singly)
        if (returned) return Error::Unavailable(std::string(kUnroutablePrefix) + *returned);
        return Status::Ok();
      }
      case AMQP_BASIC_NACK_METHOD: {
        const auto* nack = static_cast<const amqp_basic_nack_t*>(decoded);
        if (nack->delivery_tag < seq) continue;
        return Error::Unavailable("the broker at " + where_ + " refused the message (nack)");
      }
      case AMQP_BASIC_RETURN_METHOD: {
        const auto* ret = static_cast<const amqp_basic_return_t*>(decoded);
        returned = std::to_string(ret->reply_code) + " " + ToString(ret->reply_text) +
                   " (exchange '" + ToString(ret->exchange) + "', routing key '" +
                   ToString(ret->routing_key) + "')";
        if (auto st = HandleStrayMethod(frame, "publish"); !st) return st;
        continue;
      }
      default:
        if (auto st = HandleStrayMethod(frame, "publish"); !st) return st;
    }
  }
}

Status Connection::Qos(int prefetch) {
  if (broken_) return Closed();
  amqp_basic_qos(state_, kChannel, 0, static_cast<std::uint16_t>(prefetch), 0);
  return CheckReply(amqp_get_rpc_reply(state_), "basic.qos");
}

Status Connection::Consume(const std::string& queue) {
  if (broken_) return Closed();
  amqp_basic_consume(state_, kChannel, Bytes(queue), amqp_empty_bytes, 0, 0, 0, amqp_empty_table);
  if (auto st = CheckReply(amqp_get_rpc_reply(state_), "consume " + queue); !st) return st;
  consuming_ = true;
  return Status::Ok();
}

Result<std::optional<Incoming>> Connection::Next(milliseconds timeout) {
  if (broken_) return Closed();
  amqp_maybe_release_buffers(state_);
  amqp_envelope_t envelope{};
  const timeval tv = ToTimeval(timeout);
  const amqp_rpc_reply_t reply = amqp_consume_message(state_, &envelope, &tv, 0);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
    Incoming in;
    in.message = MessageFromAmqp(envelope.message.properties, envelope.message.body,
                                 envelope.exchange, envelope.routing_key);
    in.redelivered = envelope.redelivered != 0;
    in.delivery_tag = envelope.delivery_tag;
    amqp_destroy_envelope(&envelope);
    return std::optional<Incoming>(std::move(in));
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION) {
    if (reply.library_error == AMQP_STATUS_TIMEOUT) return std::optional<Incoming>();
    if (reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
      // Something other than a delivery is waiting (a close, a cancel, a stray frame).
      amqp_frame_t frame{};
      const int rc = amqp_simple_wait_frame_noblock(state_, &frame, &tv);
      if (rc == AMQP_STATUS_TIMEOUT) return std::optional<Incoming>();
      if (rc != AMQP_STATUS_OK) return LibraryFailure(rc, "consume").error();
      if (frame.frame_type == AMQP_FRAME_METHOD) {
        if (auto st = HandleStrayMethod(frame, "consume"); !st) return st.error();
      }
      return std::optional<Incoming>();
    }
  }
  if (auto st = CheckReply(reply, "consume"); !st) return st.error();
  return std::optional<Incoming>();
}

Status Connection::Ack(std::uint64_t delivery_tag, bool multiple) {
  if (broken_) return Closed();
  const int rc = amqp_basic_ack(state_, kChannel, delivery_tag, multiple ? 1 : 0);
  if (rc != AMQP_STATUS_OK) return LibraryFailure(rc, "ack");
  return Status::Ok();
}

Result<std::optional<Incoming>> Connection::Get(const std::string& queue) {
  if (broken_) return Closed();
  amqp_maybe_release_buffers(state_);
  amqp_rpc_reply_t reply = amqp_basic_get(state_, kChannel, Bytes(queue), 1);
  if (auto st = CheckReply(reply, "get from " + queue); !st) return st.error();
  if (reply.reply.id != AMQP_BASIC_GET_OK_METHOD) return std::optional<Incoming>();
  const auto* ok = static_cast<const amqp_basic_get_ok_t*>(reply.reply.decoded);
  const std::string exchange = ToString(ok->exchange);
  const std::string routing_key = ToString(ok->routing_key);
  Incoming in;
  in.redelivered = ok->redelivered != 0;
  in.delivery_tag = ok->delivery_tag;
  amqp_message_t message{};
  reply = amqp_read_message(state_, kChannel, &message, 0);
  if (auto st = CheckReply(reply, "get from " + queue); !st) return st.error();
  in.message =
      MessageFromAmqp(message.properties, message.body, Bytes(exchange), Bytes(routing_key));
  amqp_destroy_message(&message);
  return std::optional<Incoming>(std::move(in));
}

Status Connection::Poll() {
  if (broken_) return Closed();
  for (;;) {
    const timeval zero{};
    amqp_frame_t frame{};
    const int rc = amqp_simple_wait_frame_noblock(state_, &frame, &zero);
    if (rc == AMQP_STATUS_TIMEOUT) return Status::Ok();
    if (rc != AMQP_STATUS_OK) return LibraryFailure(rc, "poll");
    if (frame.frame_type == AMQP_FRAME_METHOD) {
      if (auto st = HandleStrayMethod(frame, "poll"); !st) return st;
    }
  }
}

}  // namespace made0::amqp::internal
