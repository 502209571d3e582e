#pragma once
// Message: what made0 sends over RabbitMQ, independent of rabbitmq-c.
//
// Conventions (ARCHITECTURE.md, "Conventions"): JSON payloads with "type" and "version"; every
// message has a message_id; commands carry reply_to and correlation_id; the W3C traceparent
// travels in headers["traceparent"].

#include <map>
#include <string>

namespace made0::amqp {

// Exchange names shared by all services.
inline constexpr const char* kEventsExchange = "made0.events";      // topic
inline constexpr const char* kCommandsExchange = "made0.commands";  // direct

struct Message {
  std::string exchange;     // "" is the default exchange (routing_key names a queue)
  std::string routing_key;  // e.g. "user.registered"
  std::string message_id;   // required; consumers deduplicate on it
  std::string correlation_id;
  std::string reply_to;
  std::string type;  // the payload's "type", also set as the AMQP type property
  std::string body;  // JSON text
  std::map<std::string, std::string> headers;  // string headers, e.g. "traceparent"
  long long timestamp_ms = 0;                  // set by the publisher if 0
  // mandatory: the broker must route the message to a queue, or it is returned and Publish
  // fails (so an outbox retries it until its consumer declared its queue). An event nobody may
  // be subscribed to yet (instance.running before any operator runs) is not mandatory.
  bool mandatory = true;
};

// kTimestampMsHeader carries timestamp_ms on the wire (the AMQP timestamp property has only
// one-second resolution); consumers see it as timestamp_ms, not as a header.
inline constexpr const char* kTimestampMsHeader = "x-made0-timestamp-ms";

}  // namespace made0::amqp
