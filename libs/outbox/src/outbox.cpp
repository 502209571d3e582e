#include "made0/outbox/outbox.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <stdexcept>

namespace made0::outbox {
namespace {

std::string Schema(std::string_view schema) {
  // The schema is spliced into SQL as an identifier (it cannot be a parameter), so only the
  // restricted identifier alphabet is accepted.
  if (!pg::IsValidIdentifier(schema)) {
    throw std::invalid_argument("outbox: invalid schema name " + std::string(schema));
  }
  return std::string(schema);
}

std::optional<std::string> OrNull(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return s;
}

}  // namespace

std::string Channel(std::string_view schema) { return Schema(schema) + "_outbox"; }

pg::Migration OutboxMigration(std::string_view schema, int version) {
  const std::string s = Schema(schema);
  return {version, "outbox",
          "CREATE TABLE " + s +
              ".outbox ("
              " id bigserial PRIMARY KEY,"
              " message_id text NOT NULL UNIQUE,"
              " exchange text NOT NULL,"
              " routing_key text NOT NULL,"
              " type text,"
              " payload jsonb NOT NULL,"
              " headers jsonb NOT NULL DEFAULT '{}',"
              " correlation_id text,"
              " reply_to text,"
              " created_at timestamptz NOT NULL DEFAULT now(),"
              " attempts int NOT NULL DEFAULT 0,"
              " last_error text,"
              " published_at timestamptz);"
              // The relay's claim reads only unpublished rows in id order; cleanup only published.
              "CREATE INDEX outbox_unpublished_idx ON " +
              s +
              ".outbox (id) WHERE published_at IS NULL;"
              "CREATE INDEX outbox_published_at_idx ON " +
              s + ".outbox (published_at) WHERE published_at IS NOT NULL;"};
}

void Enqueue(pg::Transaction& tx, std::string_view schema, const amqp::Message& message) {
  const std::string s = Schema(schema);
  if (message.message_id.empty()) {
    throw std::invalid_argument("outbox: a message needs a message_id");
  }
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [key, value] : message.headers) headers[key] = value;
  if (!message.mandatory) headers[kNotMandatoryKey] = "1";
  // One statement: the row, and the NOTIFY that wakes the relays (delivered at commit, folded
  // with the transaction's others).
  tx.Exec("WITH row AS (INSERT INTO " + s +
              ".outbox (message_id, exchange, routing_key, type, payload, headers, "
              "correlation_id, reply_to) VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8) "
              "RETURNING id) SELECT pg_notify($9, '') FROM row",
          {message.message_id, message.exchange, message.routing_key, OrNull(message.type),
           message.body, headers, OrNull(message.correlation_id), OrNull(message.reply_to),
           Channel(s)});
}

}  // namespace made0::outbox
