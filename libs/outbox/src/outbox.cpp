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

namespace {

constexpr const char* kColumns =
    "(message_id, exchange, routing_key, type, payload, headers, correlation_id, reply_to)";
constexpr int kColumnCount = 8;

// Placeholders for kColumns from $first on, with the payload and headers cast to jsonb.
std::string Placeholders(int first) {
  std::string out;
  for (int i = 0; i < kColumnCount; ++i) {
    if (i > 0) out += ", ";
    out += "$" + std::to_string(first + i);
    if (i == 4 || i == 5) out += "::jsonb";
  }
  return out;
}

// Values are kColumns' parameters, followed by the NOTIFY channel's with kNotify.
std::vector<pg::Param> Values(const std::string& schema, const amqp::Message& message,
                              Wakeup wakeup) {
  if (message.message_id.empty()) {
    throw std::invalid_argument("outbox: a message needs a message_id");
  }
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& [key, value] : message.headers) headers[key] = value;
  if (!message.mandatory) headers[kNotMandatoryKey] = "1";
  std::vector<pg::Param> values = {message.message_id,
                                   message.exchange,
                                   message.routing_key,
                                   OrNull(message.type),
                                   message.body,
                                   headers,
                                   OrNull(message.correlation_id),
                                   OrNull(message.reply_to)};
  if (wakeup == Wakeup::kNotify) values.emplace_back(Channel(schema));
  return values;
}

}  // namespace

void Enqueue(pg::Transaction& tx, std::string_view schema, const amqp::Message& message,
             Wakeup wakeup) {
  const std::string s = Schema(schema);
  const std::string insert =
      "INSERT INTO " + s + ".outbox " + kColumns + " VALUES (" + Placeholders(1) + ")";
  if (wakeup == Wakeup::kNone) {
    tx.Exec(insert, Values(s, message, wakeup));
    return;
  }
  // One statement: the row, and the NOTIFY that wakes the relays (delivered at commit, folded
  // with the transaction's others).
  tx.Exec("WITH row AS (" + insert + " RETURNING id) SELECT pg_notify($9, '') FROM row",
          Values(s, message, wakeup));
}

pg::Rows EnqueueWith(pg::Database& db, std::string_view schema, std::string_view change,
                     std::vector<pg::Param> change_params, const amqp::Message& message,
                     Wakeup wakeup) {
  const std::string s = Schema(schema);
  const int first = static_cast<int>(change_params.size()) + 1;
  std::vector<pg::Param> params = std::move(change_params);
  for (pg::Param& p : Values(s, message, wakeup)) params.push_back(std::move(p));
  // The change, the row (once per row the change returned, so none if it wrote nothing) and,
  // with kNotify, the NOTIFY, in one statement and so in one implicit transaction: one round trip.
  const std::string notify = wakeup == Wakeup::kNotify
                                 ? ", pg_notify($" + std::to_string(first + kColumnCount) + ", '')"
                                 : std::string();
  return db.Exec("WITH change AS (" + std::string(change) + "), row AS (INSERT INTO " + s +
                     ".outbox " + kColumns + " SELECT " + Placeholders(first) +
                     " FROM change RETURNING id) SELECT change.*" + notify + " FROM change, row",
                 std::move(params));
}

}  // namespace made0::outbox
