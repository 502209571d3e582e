#include "disposition.hpp"

#include <algorithm>
#include <charconv>
#include <string>

namespace made0::amqp::internal {
namespace {

constexpr std::string_view kInternalPrefix = "x-made0-";
// The broker records each dead-lettering (here: every pass through Q.retry) in x-death (a table,
// already dropped) and x-first-death-* / x-last-death-* strings; they describe our retry plumbing,
// not the message.
constexpr std::string_view kBrokerDeathPrefixes[] = {"x-first-death-", "x-last-death-"};

bool IsPlumbingHeader(const std::string& key) {
  if (key.starts_with(kInternalPrefix)) return true;
  for (auto prefix : kBrokerDeathPrefixes) {
    if (key.starts_with(prefix)) return true;
  }
  return false;
}

Message Republished(const Delivery& d, std::string routing_key, std::string_view error) {
  Message m = d.message;
  m.headers[kOriginalExchangeHeader] = d.message.exchange;
  m.headers[kOriginalRoutingKeyHeader] = d.message.routing_key;
  m.headers[kErrorHeader] = std::string(error.substr(0, kMaxErrorLength));
  m.exchange.clear();  // the default exchange routes by queue name
  m.routing_key = std::move(routing_key);
  return m;
}

}  // namespace

Disposition Decide(HandlerResult::Kind kind, int attempt, int max_attempts) {
  switch (kind) {
    case HandlerResult::kAck:
      return Disposition::kAck;
    case HandlerResult::kRetry:
      return attempt >= max_attempts ? Disposition::kDead : Disposition::kRetry;
    case HandlerResult::kReject:
      return Disposition::kDead;
  }
  return Disposition::kDead;
}

int AttemptOf(const Message& raw) {
  const auto it = raw.headers.find(kAttemptHeader);
  if (it == raw.headers.end()) return 1;
  const std::string& text = it->second;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < 1) return 1;
  return value;
}

Delivery ToDelivery(Message raw, bool redelivered) {
  Delivery d;
  d.attempt = AttemptOf(raw);
  d.redelivered = redelivered;
  if (auto it = raw.headers.find(kOriginalExchangeHeader); it != raw.headers.end()) {
    raw.exchange = it->second;
  }
  if (auto it = raw.headers.find(kOriginalRoutingKeyHeader); it != raw.headers.end()) {
    raw.routing_key = it->second;
  }
  std::erase_if(raw.headers, [](const auto& kv) { return IsPlumbingHeader(kv.first); });
  d.message = std::move(raw);
  return d;
}

Message ForRetry(const Delivery& d, std::string_view queue, std::string_view error) {
  Message m = Republished(d, RetryQueueName(queue), error);
  m.headers[kAttemptHeader] = std::to_string(d.attempt + 1);
  return m;
}

Message ForDead(const Delivery& d, std::string_view queue, std::string_view reason,
                std::string_view error) {
  Message m = Republished(d, DeadQueueName(queue), error);
  m.headers[kAttemptHeader] = std::to_string(d.attempt);
  m.headers[kDeadReasonHeader] = std::string(reason);
  return m;
}

std::chrono::milliseconds BatchLinger(std::optional<std::chrono::steady_clock::time_point> previous,
                                      std::chrono::steady_clock::time_point now,
                                      std::chrono::milliseconds linger,
                                      std::chrono::milliseconds idle_after) {
  if (!previous || now - *previous >= idle_after) return std::chrono::milliseconds(0);
  return linger;
}

}  // namespace made0::amqp::internal

namespace made0::amqp {

std::vector<HandlerResult> CompleteResults(std::vector<HandlerResult> results, std::size_t n) {
  const std::size_t got = results.size();
  results.resize(std::min(got, n), HandlerResult::kRetry);
  while (results.size() < n) {
    results.emplace_back(HandlerResult::kRetry, "batch handler returned " + std::to_string(got) +
                                                    " results for " + std::to_string(n) +
                                                    " messages");
  }
  return results;
}

}  // namespace made0::amqp
