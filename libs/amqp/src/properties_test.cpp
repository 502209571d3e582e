#include "properties.hpp"

#include <gtest/gtest.h>

namespace made0::amqp::internal {
namespace {

// WireRoundTrip encodes a headers table as rabbitmq-c sends it and decodes it as it receives it.
class WireRoundTrip {
 public:
  WireRoundTrip() { init_amqp_pool(&pool_, 4096); }
  ~WireRoundTrip() { empty_amqp_pool(&pool_); }
  amqp_table_t Through(amqp_table_t table) {
    buffer_.assign(65536, '\0');
    amqp_bytes_t out{buffer_.size(), buffer_.data()};
    std::size_t offset = 0;
    EXPECT_EQ(amqp_encode_table(out, &table, &offset), AMQP_STATUS_OK);
    amqp_bytes_t in{offset, buffer_.data()};
    amqp_table_t decoded{};
    std::size_t read = 0;
    EXPECT_EQ(amqp_decode_table(in, &pool_, &decoded, &read), AMQP_STATUS_OK);
    EXPECT_EQ(read, offset);
    return decoded;
  }

 private:
  amqp_pool_t pool_;
  std::string buffer_;
};

Message Sample() {
  Message m;
  m.exchange = "made0.events";
  m.routing_key = "user.registered";
  m.message_id = "m-1";
  m.correlation_id = "c-1";
  m.reply_to = "infra.replies";
  m.type = "user.registered";
  m.body = R"({"type":"user.registered","version":1})";
  m.headers = {{"traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"},
               {"empty", ""}};
  m.timestamp_ms = 1'800'000'123'456;
  return m;
}

TEST(Properties, OutgoingCarriesEveryField) {
  const Message m = Sample();
  OutgoingProperties out(m, 0);
  const amqp_basic_properties_t& p = *out.get();
  EXPECT_EQ(p.delivery_mode, 2);
  EXPECT_EQ(ToString(p.content_type), "application/json");
  EXPECT_EQ(ToString(p.message_id), "m-1");
  EXPECT_EQ(ToString(p.correlation_id), "c-1");
  EXPECT_EQ(ToString(p.reply_to), "infra.replies");
  EXPECT_EQ(ToString(p.type), "user.registered");
  EXPECT_EQ(p.timestamp, 1'800'000'123u);  // AMQP timestamps are seconds...
  EXPECT_FALSE(p._flags & AMQP_BASIC_EXPIRATION_FLAG);
  EXPECT_EQ(p.headers.num_entries, 3);  // ...so milliseconds travel in a header too
}

TEST(Properties, RoundTripThroughTheWireEncoding) {
  const Message m = Sample();
  OutgoingProperties out(m, 0);
  amqp_basic_properties_t received = *out.get();
  WireRoundTrip wire;
  received.headers = wire.Through(received.headers);
  const std::string exchange = m.exchange, key = m.routing_key, body = m.body;
  Message back = MessageFromAmqp(received, Bytes(body), Bytes(exchange), Bytes(key));
  Message want = m;  // milliseconds survive through kTimestampMsHeader, which is hidden again
  EXPECT_EQ(back.exchange, want.exchange);
  EXPECT_EQ(back.routing_key, want.routing_key);
  EXPECT_EQ(back.message_id, want.message_id);
  EXPECT_EQ(back.correlation_id, want.correlation_id);
  EXPECT_EQ(back.reply_to, want.reply_to);
  EXPECT_EQ(back.type, want.type);
  EXPECT_EQ(back.body, want.body);
  EXPECT_EQ(back.headers, want.headers);
  EXPECT_EQ(back.timestamp_ms, want.timestamp_ms);
}

TEST(Properties, OptionalFieldsAreOmittedAndTimestampDefaultsToNow) {
  Message m;
  m.message_id = "m-2";
  OutgoingProperties out(m, 42'999, std::chrono::milliseconds{1500});
  const amqp_basic_properties_t& p = *out.get();
  EXPECT_FALSE(p._flags & AMQP_BASIC_CORRELATION_ID_FLAG);
  EXPECT_FALSE(p._flags & AMQP_BASIC_REPLY_TO_FLAG);
  EXPECT_FALSE(p._flags & AMQP_BASIC_TYPE_FLAG);
  EXPECT_EQ(p.headers.num_entries, 1);  // only the millisecond timestamp
  EXPECT_EQ(p.timestamp, 42u);
  ASSERT_TRUE(p._flags & AMQP_BASIC_EXPIRATION_FLAG);
  EXPECT_EQ(ToString(p.expiration), "1500");

  const std::string empty;
  Message back = MessageFromAmqp(p, Bytes(empty), Bytes(empty), Bytes(empty));
  EXPECT_EQ(back.message_id, "m-2");
  EXPECT_TRUE(back.correlation_id.empty());
  EXPECT_TRUE(back.headers.empty());
  EXPECT_EQ(back.timestamp_ms, 42'999);
}

TEST(Properties, NonStringHeadersBecomeTextOrAreDropped) {
  std::string k_int = "count", k_bool = "flag", k_table = "x-death", k_long = "big";
  amqp_table_entry_t entries[4]{};
  entries[0].key = Bytes(k_int);
  entries[0].value.kind = AMQP_FIELD_KIND_I32;
  entries[0].value.value.i32 = -7;
  entries[1].key = Bytes(k_bool);
  entries[1].value.kind = AMQP_FIELD_KIND_BOOLEAN;
  entries[1].value.value.boolean = 1;
  entries[2].key = Bytes(k_table);
  entries[2].value.kind = AMQP_FIELD_KIND_TABLE;
  entries[2].value.value.table = amqp_empty_table;
  entries[3].key = Bytes(k_long);
  entries[3].value.kind = AMQP_FIELD_KIND_I64;
  entries[3].value.value.i64 = 1'234'567'890'123;
  amqp_basic_properties_t p{};
  p._flags = AMQP_BASIC_HEADERS_FLAG;
  p.headers = {4, entries};
  WireRoundTrip wire;
  p.headers = wire.Through(p.headers);
  const std::string empty;
  Message back = MessageFromAmqp(p, Bytes(empty), Bytes(empty), Bytes(empty));
  const std::map<std::string, std::string> want{
      {"count", "-7"}, {"flag", "true"}, {"big", "1234567890123"}};
  EXPECT_EQ(back.headers, want);
}

TEST(Properties, StringTableViewsPairs) {
  const std::vector<std::pair<std::string, std::string>> args{{"x-dead-letter-exchange", ""},
                                                              {"x-dead-letter-routing-key", "q"}};
  auto entries = StringTable(args);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(ToString(entries[0].key), "x-dead-letter-exchange");
  EXPECT_EQ(entries[0].value.kind, AMQP_FIELD_KIND_UTF8);
  EXPECT_EQ(ToString(entries[0].value.value.bytes), "");
  EXPECT_EQ(ToString(entries[1].value.value.bytes), "q");
}

}  // namespace
}  // namespace made0::amqp::internal
