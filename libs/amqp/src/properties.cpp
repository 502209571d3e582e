#include "properties.hpp"

#include <cinttypes>

namespace made0::amqp::internal {
namespace {

constexpr const char* kContentType = "application/json";
constexpr std::uint8_t kPersistent = 2;

amqp_table_entry_t StringEntry(const std::string& key, const std::string& value) {
  amqp_table_entry_t e{};
  e.key = Bytes(key);
  e.value.kind = AMQP_FIELD_KIND_UTF8;
  e.value.value.bytes = Bytes(value);
  return e;
}

std::optional<std::string> FieldText(const amqp_field_value_t& v) {
  switch (v.kind) {
    case AMQP_FIELD_KIND_UTF8:
    case AMQP_FIELD_KIND_BYTES:
      return ToString(v.value.bytes);
    case AMQP_FIELD_KIND_BOOLEAN:
      return v.value.boolean ? "true" : "false";
    case AMQP_FIELD_KIND_I8:
      return std::to_string(v.value.i8);
    case AMQP_FIELD_KIND_U8:
      return std::to_string(v.value.u8);
    case AMQP_FIELD_KIND_I16:
      return std::to_string(v.value.i16);
    case AMQP_FIELD_KIND_U16:
      return std::to_string(v.value.u16);
    case AMQP_FIELD_KIND_I32:
      return std::to_string(v.value.i32);
    case AMQP_FIELD_KIND_U32:
      return std::to_string(v.value.u32);
    case AMQP_FIELD_KIND_I64:
      return std::to_string(v.value.i64);
    case AMQP_FIELD_KIND_U64:
      return std::to_string(v.value.u64);
    default:
      return std::nullopt;
  }
}

}  // namespace

OutgoingProperties::OutgoingProperties(const Message& message, long long now_ms,
                                       std::optional<std::chrono::milliseconds> expiration) {
  props_._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG |
                  AMQP_BASIC_MESSAGE_ID_FLAG | AMQP_BASIC_TIMESTAMP_FLAG;
  props_.content_type = amqp_cstring_bytes(kContentType);
  props_.delivery_mode = kPersistent;
  props_.message_id = Bytes(message.message_id);
  const long long ms = message.timestamp_ms != 0 ? message.timestamp_ms : now_ms;
  props_.timestamp = static_cast<std::uint64_t>(ms < 0 ? 0 : ms / 1000);
  if (!message.correlation_id.empty()) {
    props_._flags |= AMQP_BASIC_CORRELATION_ID_FLAG;
    props_.correlation_id = Bytes(message.correlation_id);
  }
  if (!message.reply_to.empty()) {
    props_._flags |= AMQP_BASIC_REPLY_TO_FLAG;
    props_.reply_to = Bytes(message.reply_to);
  }
  if (!message.type.empty()) {
    props_._flags |= AMQP_BASIC_TYPE_FLAG;
    props_.type = Bytes(message.type);
  }
  if (expiration) {
    expiration_ = std::to_string(expiration->count() < 0 ? 0 : expiration->count());
    props_._flags |= AMQP_BASIC_EXPIRATION_FLAG;
    props_.expiration = Bytes(expiration_);
  }
  // AMQP's timestamp property has one-second resolution; traces need milliseconds.
  timestamp_ms_ = std::to_string(ms);
  headers_.reserve(message.headers.size() + 1);
  static const std::string kTimestampKey = kTimestampMsHeader;  // outlives every entry
  headers_.push_back(StringEntry(kTimestampKey, timestamp_ms_));
  for (const auto& [key, value] : message.headers) {
    if (key != kTimestampMsHeader) headers_.push_back(StringEntry(key, value));
  }
  props_._flags |= AMQP_BASIC_HEADERS_FLAG;
  props_.headers.num_entries = static_cast<int>(headers_.size());
  props_.headers.entries = headers_.data();
}

Message MessageFromAmqp(const amqp_basic_properties_t& props, amqp_bytes_t body,
                        amqp_bytes_t exchange, amqp_bytes_t routing_key) {
  Message m;
  m.exchange = ToString(exchange);
  m.routing_key = ToString(routing_key);
  m.body = ToString(body);
  const auto flags = props._flags;
  if (flags & AMQP_BASIC_MESSAGE_ID_FLAG) m.message_id = ToString(props.message_id);
  if (flags & AMQP_BASIC_CORRELATION_ID_FLAG) m.correlation_id = ToString(props.correlation_id);
  if (flags & AMQP_BASIC_REPLY_TO_FLAG) m.reply_to = ToString(props.reply_to);
  if (flags & AMQP_BASIC_TYPE_FLAG) m.type = ToString(props.type);
  if (flags & AMQP_BASIC_TIMESTAMP_FLAG) {
    m.timestamp_ms = static_cast<long long>(props.timestamp) * 1000;
  }
  if (flags & AMQP_BASIC_HEADERS_FLAG) {
    for (int i = 0; i < props.headers.num_entries; ++i) {
      const amqp_table_entry_t& e = props.headers.entries[i];
      if (auto text = FieldText(e.value)) m.headers[ToString(e.key)] = std::move(*text);
    }
  }
  if (auto it = m.headers.find(kTimestampMsHeader); it != m.headers.end()) {
    try {
      m.timestamp_ms = std::stoll(it->second);
    } catch (const std::exception&) {
      // Keep the property's second-resolution time.
    }
    m.headers.erase(it);
  }
  return m;
}

std::vector<amqp_table_entry_t> StringTable(
    const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<amqp_table_entry_t> entries;
  entries.reserve(pairs.size());
  for (const auto& [key, value] : pairs) entries.push_back(StringEntry(key, value));
  return entries;
}

}  // namespace made0::amqp::internal
