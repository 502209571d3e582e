#include "made0/amqp/amqp_publisher.hpp"

#include <mutex>

#include "connection.hpp"
#include "declare.hpp"
#include "made0/amqp/url.hpp"
#include "made0/core/log.hpp"

namespace made0::amqp {

struct AmqpPublisher::State {
  State(std::string url_text, PublisherOptions opts)
      : parsed_(ParseAmqpUrl(url_text)),
        options_(std::move(opts)),
        clock_(options_.clock != nullptr ? *options_.clock : own_clock_),
        random_(options_.random != nullptr ? *options_.random : own_random_),
        gate_(options_.reconnect, random_, clock_) {}

  // Connect opens a connection in confirm mode with the made0 exchanges declared.
  Result<std::unique_ptr<internal::Connection>> Connect() {
    auto opened = internal::Connection::Open(
        *parsed_, {options_.connect_timeout, 0, options_.connection_name});
    if (!opened) return opened.error();
    if (auto st = internal::DeclareExchanges(**opened); !st) return st.error();
    if (auto st = (*opened)->EnableConfirms(); !st) return st.error();
    return opened;
  }

  Result<AmqpUrl> parsed_;
  PublisherOptions options_;
  SystemClock own_clock_;
  SecureRandom own_random_;
  const Clock& clock_;
  Random& random_;

  std::mutex mu_;
  RetryGate gate_;                              // guarded by mu_
  std::unique_ptr<internal::Connection> conn_;  // guarded by mu_
  bool failing_ = false;                        // guarded by mu_; to log transitions only
};

AmqpPublisher::AmqpPublisher(std::string url, PublisherOptions options)
    : state_(std::make_unique<State>(std::move(url), std::move(options))) {}

AmqpPublisher::~AmqpPublisher() = default;

bool IsUnroutable(const Error& error) {
  return error.message.rfind(internal::kUnroutablePrefix, 0) == 0;
}

Status AmqpPublisher::Publish(const Message& message) {
  if (message.message_id.empty()) return Error::Invalid("message_id", "message_id is required");
  State& s = *state_;
  if (!s.parsed_) return s.parsed_.error();
  std::lock_guard lock(s.mu_);

  // A connection the broker closed while we were idle is noticed here, before anything is
  // written to it, so reconnecting at once cannot duplicate a message.
  if (s.conn_ && !s.conn_->Poll()) s.conn_.reset();
  if (!s.conn_) {
    if (!s.gate_.MayAttempt()) {
      return Error::Unavailable("RabbitMQ unavailable; next connection attempt in " +
                                std::to_string(s.gate_.Remaining().count()) + " ms");
    }
    auto opened = s.Connect();
    if (!opened) {
      s.gate_.Failed();
      if (!s.failing_) {
        log::Warn("amqp publisher cannot connect", {{"error", opened.error().message}});
      }
      s.failing_ = true;
      return Error::Unavailable(opened.error().message);
    }
    s.gate_.Succeeded();
    if (s.failing_) log::Info("amqp publisher connected", {{"url", Redacted(*s.parsed_)}});
    s.failing_ = false;
    s.conn_ = std::move(*opened);
  }

  const long long now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(s.clock_.Now().time_since_epoch())
          .count();
  internal::PublishOptions opts;
  opts.mandatory = message.mandatory;
  opts.confirm_timeout = s.options_.confirm_timeout;
  opts.now_ms = now_ms;
  auto st = s.conn_->Publish(message, opts);
  if (st) return st;
  if (s.conn_->broken()) {
    log::Warn("amqp publisher lost its connection", {{"error", st.error().message}});
    s.conn_.reset();
    s.gate_.Failed();
    s.failing_ = true;
  }
  // The interface promises Unavailable for every broker-side failure, including a channel error
  // such as a missing exchange (404), which leaves the connection usable.
  return Error::Unavailable(st.error().message);
}

}  // namespace made0::amqp
