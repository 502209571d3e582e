#pragma once
// Conversions between made0's Message and rabbitmq-c's basic properties. Pure (no I/O), so the
// mapping is unit-tested without a broker.

#include <amqp.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "made0/amqp/message.hpp"

namespace made0::amqp::internal {

// Bytes views s without copying; s must outlive the result.
inline amqp_bytes_t Bytes(const std::string& s) {
  return amqp_bytes_t{s.size(), const_cast<char*>(s.data())};
}
inline std::string ToString(amqp_bytes_t b) {
  return b.len == 0 ? std::string() : std::string(static_cast<const char*>(b.bytes), b.len);
}

// OutgoingProperties are the properties of one publish: persistent, application/json, the
// message's IDs, type and string headers, the timestamp (seconds; timestamp_ms, or now_ms when
// that is 0) and, if given, a per-message expiration. They point into `message`, which must
// outlive them.
class OutgoingProperties {
 public:
  OutgoingProperties(const Message& message, long long now_ms,
                     std::optional<std::chrono::milliseconds> expiration = std::nullopt);
  OutgoingProperties(const OutgoingProperties&) = delete;
  OutgoingProperties& operator=(const OutgoingProperties&) = delete;

  const amqp_basic_properties_t* get() const { return &props_; }

 private:
  std::vector<amqp_table_entry_t> headers_;
  std::string expiration_;
  std::string timestamp_ms_;  // kTimestampMsHeader's value
  amqp_basic_properties_t props_{};
};

// MessageFromAmqp builds a Message from what the broker delivered. String headers are kept;
// integer and boolean headers become their decimal or true/false text; tables and arrays (such
// as the broker's x-death) are dropped.
Message MessageFromAmqp(const amqp_basic_properties_t& props, amqp_bytes_t body,
                        amqp_bytes_t exchange, amqp_bytes_t routing_key);

// StringTable views a list of string pairs as an AMQP table (for queue arguments and client
// properties); `pairs` must outlive the returned entries.
std::vector<amqp_table_entry_t> StringTable(
    const std::vector<std::pair<std::string, std::string>>& pairs);

}  // namespace made0::amqp::internal
