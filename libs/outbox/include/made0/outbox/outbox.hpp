#pragma once
// The transactional outbox (ARCHITECTURE.md, "Messaging"): a service writes the message it wants
// to publish into its own <schema>.outbox table in the same transaction as the change it
// describes, and a Relay (made0/outbox/relay.hpp) publishes it to RabbitMQ afterwards. The change
// and the message then happen both or neither, even when RabbitMQ is down at that moment.
//
//   // The service's migration list includes the outbox table:
//   const std::vector<pg::Migration> kMigrations = {{1, "accounts", "..."},
//                                                   outbox::OutboxMigration("users", 2)};
//
//   db.InTransaction([&](pg::Transaction& tx) {
//     tx.Exec("INSERT INTO users.accounts ...", {...});
//     outbox::Enqueue(tx, "users", amqp::Message{.exchange = amqp::kEventsExchange,
//                                                .routing_key = "user.registered",
//                                                .message_id = event_id, .type = "user.registered",
//                                                .body = payload.dump()});
//   });
//
// Delivery is at least once: consumers deduplicate on message_id.

#include <string>
#include <string_view>

#include "made0/amqp/message.hpp"
#include "made0/pg/database.hpp"
#include "made0/pg/migrations.hpp"

namespace made0::outbox {

// kNotMandatoryKey marks, in the stored headers, a message whose Message::mandatory is false;
// the relay turns it back into the flag and never sends it as a header.
inline constexpr const char* kNotMandatoryKey = "x-made0-outbox-not-mandatory";

// OutboxMigration creates <schema>.outbox(id bigserial, message_id text unique, exchange,
// routing_key, type, payload jsonb, headers jsonb, correlation_id, reply_to, created_at,
// attempts, last_error, published_at) and its indexes; `version` is the slot in the service's own
// migration list.
pg::Migration OutboxMigration(std::string_view schema, int version);

// Channel is the NOTIFY channel of a schema's outbox: "<schema>_outbox".
std::string Channel(std::string_view schema);

// Wakeup says how the relays learn of an enqueued message. kNotify sends a NOTIFY on
// Channel(schema) with the commit, which wakes the relay of every process that LISTENs on it.
// kNone sends nothing, for a producer that runs its own relay (RelayOptions::listen off) and
// wakes it with Relay::Wake() after the commit: PostgreSQL signals every LISTENing backend of the
// database for each NOTIFY, whatever its channel, so at a high rate of events that is a wakeup
// per listener per event. The relays of other processes still find the rows on their
// poll_interval, so a producer that dies before its relay ran loses nothing.
enum class Wakeup { kNotify, kNone };

// Enqueue inserts message into <schema>.outbox inside tx and, with kNotify, notifies the relays
// (PostgreSQL delivers the notification only if tx commits). message.body must be JSON (it is
// stored as jsonb, so key order and whitespace may change on the way). The published message's
// timestamp is the enqueue time. A second message with the same message_id throws
// pg::UniqueViolation, which makes retried producers idempotent. An empty message_id or an invalid
// schema name throws std::invalid_argument (a programming error).
void Enqueue(pg::Transaction& tx, std::string_view schema, const amqp::Message& message,
             Wakeup wakeup = Wakeup::kNotify);

// EnqueueWith runs `change`, one data-modifying statement with a RETURNING clause that writes
// at most one row (its parameters are $1.. in change_params), and enqueues message if and only if
// it wrote that row: both in one statement, so one round trip and one implicit transaction,
// where a Transaction takes four (BEGIN, change, Enqueue, COMMIT). It returns the change's
// RETURNING rows: empty if it wrote nothing (nothing was enqueued then). Errors as Enqueue's.
//
//   pg::Rows rows = outbox::EnqueueWith(
//       db, "users", "INSERT INTO users.accounts(id, email) VALUES ($1::uuid, $2) "
//                    "ON CONFLICT (email) DO NOTHING RETURNING id", {id, email}, event);
pg::Rows EnqueueWith(pg::Database& db, std::string_view schema, std::string_view change,
                     std::vector<pg::Param> change_params, const amqp::Message& message,
                     Wakeup wakeup = Wakeup::kNotify);

}  // namespace made0::outbox
