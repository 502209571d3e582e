#include "made0/amqp/topology.hpp"

#include "connection.hpp"
#include "declare.hpp"
#include "made0/amqp/message.hpp"
#include "made0/amqp/url.hpp"

namespace made0::amqp {
namespace {

constexpr std::size_t kMaxName = 255;  // AMQP short string
constexpr std::string_view kRetrySuffix = ".retry";
constexpr std::string_view kDeadSuffix = ".dead";

Result<std::unique_ptr<internal::Connection>> OpenShortLived(const std::string& url,
                                                             std::chrono::milliseconds timeout) {
  auto parsed = ParseAmqpUrl(url);
  if (!parsed) return parsed.error();
  return internal::Connection::Open(*parsed, {timeout, 0, "made0-admin"});
}

}  // namespace

std::string RetryQueueName(std::string_view queue) {
  return std::string(queue) + std::string(kRetrySuffix);
}
std::string DeadQueueName(std::string_view queue) {
  return std::string(queue) + std::string(kDeadSuffix);
}

Status ValidateQueueSpec(const QueueSpec& spec) {
  if (spec.name.empty()) return Error::Invalid("name", "queue name is empty");
  if (spec.name.size() + kRetrySuffix.size() > kMaxName) {
    return Error::Invalid("name", "queue name is longer than " +
                                      std::to_string(kMaxName - kRetrySuffix.size()) + " bytes");
  }
  if (spec.name.starts_with("amq.")) {
    return Error::Invalid("name", "queue names starting with amq. are reserved by the broker");
  }
  if (spec.exchange.empty() != spec.routing_keys.empty()) {
    return Error::Invalid("routing_keys",
                          "give an exchange and at least one routing key, or neither");
  }
  for (const auto& key : spec.routing_keys) {
    if (key.size() > kMaxName) return Error::Invalid("routing_keys", "routing key too long");
  }
  if (spec.max_attempts < 1) return Error::Invalid("max_attempts", "must be at least 1");
  if (spec.retry_delay.count() < 0) return Error::Invalid("retry_delay", "must not be negative");
  if (spec.prefetch < 1 || spec.prefetch > 65535) {
    return Error::Invalid("prefetch", "must be from 1 to 65535");
  }
  return Status::Ok();
}

namespace internal {

Status DeclareExchanges(Connection& conn) {
  if (auto st = conn.DeclareExchange(kEventsExchange, "topic"); !st) return st;
  return conn.DeclareExchange(kCommandsExchange, "direct");
}

Status DeclareQueues(Connection& conn, const QueueSpec& spec) {
  if (auto st = DeclareExchanges(conn); !st) return st;
  if (auto st = conn.DeclareQueue(spec.name); !st) return st;
  // Q.retry has no consumer: an expired message goes back to Q through the default exchange.
  const StringPairs retry_args{{"x-dead-letter-exchange", ""},
                               {"x-dead-letter-routing-key", spec.name}};
  if (auto st = conn.DeclareQueue(RetryQueueName(spec.name), retry_args); !st) return st;
  if (auto st = conn.DeclareQueue(DeadQueueName(spec.name)); !st) return st;
  for (const auto& key : spec.routing_keys) {
    if (auto st = conn.BindQueue(spec.name, spec.exchange, key); !st) return st;
  }
  return Status::Ok();
}

}  // namespace internal

Status DeclareTopology(const std::string& url, const QueueSpec& spec,
                       std::chrono::milliseconds timeout) {
  if (auto st = ValidateQueueSpec(spec); !st) return st;
  auto conn = OpenShortLived(url, timeout);
  if (!conn) return conn.error();
  return internal::DeclareQueues(**conn, spec);
}

Result<QueueStats> QueueDepth(const std::string& url, const std::string& queue,
                              std::chrono::milliseconds timeout) {
  auto conn = OpenShortLived(url, timeout);
  if (!conn) return conn.error();
  return (*conn)->InspectQueue(queue);
}

}  // namespace made0::amqp
