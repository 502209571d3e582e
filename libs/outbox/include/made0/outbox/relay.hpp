#pragma once
// Relay: publishes the rows of <schema>.outbox (made0/outbox/outbox.hpp) to RabbitMQ.
//
//   outbox::Relay relay(db, publisher, "users");   // or (db, publisher, options, clock, random)
//   relay.Start();            // background thread; wakes on NOTIFY <schema>_outbox or Wake()
//                             // (then waits options.linger for more) or every 1 s
//   ...
//   relay.Stop();             // finishes the batch in hand, then returns
//
// Each round claims up to batch_size unpublished rows in id order with FOR UPDATE SKIP LOCKED (so
// several relay processes can run side by side without publishing a row twice), publishes them one
// by one (Publish returns after the broker's confirm), and in the same transaction marks the
// published ones. The first failed publish records attempts and last_error on that row, ends the
// round, and the relay backs off (exponential with jitter, capped) before trying that row again.
// A row is never dropped and never marked published unless Publish returned Ok.
//
// Delivery is AT LEAST ONCE: a crash (or a failed commit) after the broker confirmed but before
// the row was marked re-sends the message later. Consumers deduplicate on message_id.
// Order: one relay publishes in id (insert) order and retries a failed row before any later one.
// Not guaranteed: the order of rows from concurrent transactions (a later id may commit first),
// and, with several relays, the order of rows claimed by different relays.
// A message the broker always refuses (say, unroutable) blocks the rows after it until fixed;
// pending_count and last_error show it.
//
// Published rows older than `retention` are deleted every cleanup_interval.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "made0/amqp/publisher.hpp"
#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/pg/database.hpp"
#include "made0/pg/listener.hpp"

namespace made0::outbox {

struct RelayOptions {
  std::string schema;
  int batch_size = 100;
  // poll_interval is the safety net for a lost NOTIFY (the Listener was reconnecting).
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{30'000};
  // listen: LISTEN on Channel(schema) to wake as soon as an enqueue commits. Off for a relay that
  // its own process wakes with Wake() (outbox::Wakeup::kNone).
  bool listen = true;
  // linger is how long a round woken by NOTIFY or Wake() waits before it claims, so that the
  // rows committed meanwhile go in the same round (a round costs four round trips to PostgreSQL
  // whatever its size). Only a relay that found rows in its last round lingers: one that found
  // none was idle, and the first event after a quiet spell is published at once. It adds up to
  // linger to a message's latency under a stream of events; 0 claims at once.
  std::chrono::milliseconds linger{0};
  std::chrono::hours retention{24 * 7};
  std::chrono::milliseconds cleanup_interval{std::chrono::hours(1)};
};

// BatchResult is what one round observed.
struct BatchResult {
  int claimed = 0;              // rows claimed
  int published = 0;            // rows published and marked
  bool publish_failed = false;  // a Publish failed; the round stopped at that row
  bool db_failed = false;       // the database failed; nothing from this round was marked
};

class Relay {
 public:
  // clock decides when cleanup is due; random is the backoff jitter and is used only from the
  // relay's thread. db, publisher, clock and random must outlive the Relay.
  Relay(pg::Database& db, amqp::Publisher& publisher, RelayOptions options, const Clock& clock,
        Random& random);
  // Relay with the system clock and a SecureRandom; the second with default options.
  Relay(pg::Database& db, amqp::Publisher& publisher, RelayOptions options);
  Relay(pg::Database& db, amqp::Publisher& publisher, std::string schema);
  ~Relay();  // Stop()
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  void Start();
  // Stop lets the round in progress finish (each Publish is bounded by the publisher's confirm
  // timeout), then joins the thread; idempotent.
  void Stop();
  // Wake asks for a round now (unless backing off). The Listener calls it on NOTIFY; a producer
  // that enqueues with Wakeup::kNone calls it after its commits.
  void Wake();

  // RunOnce runs one round on the caller's thread (tests; also what the thread runs).
  BatchResult RunOnce();
  // Cleanup deletes published rows older than retention (at most 10000 per call); returns count.
  std::int64_t Cleanup();

  struct Counters {
    std::uint64_t published = 0;         // messages confirmed by the broker and marked
    std::uint64_t publish_failures = 0;  // failed Publish calls
    std::uint64_t db_failures = 0;       // rounds that failed on the database
    std::uint64_t cleaned = 0;           // rows deleted by cleanup
  };
  Counters GetCounters() const;
  // PendingCount queries the number of unpublished rows (a gauge); throws pg errors.
  std::int64_t PendingCount();

 private:
  Relay(pg::Database& db, amqp::Publisher& publisher, RelayOptions options,
        std::unique_ptr<Clock> clock, std::unique_ptr<Random> random);
  void Init();
  void Loop();
  void MaybeCleanup();

  std::unique_ptr<Clock> owned_clock_;    // only with the convenience constructor
  std::unique_ptr<Random> owned_random_;  // likewise

  pg::Database& db_;
  amqp::Publisher& publisher_;
  const RelayOptions options_;
  const Clock& clock_;
  Random& random_;
  std::unique_ptr<pg::Listener> listener_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool notified_ = false;
  std::thread thread_;
  std::optional<std::chrono::steady_clock::time_point> last_cleanup_;  // relay thread only

  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::uint64_t> publish_failures_{0};
  std::atomic<std::uint64_t> db_failures_{0};
  std::atomic<std::uint64_t> cleaned_{0};
};

}  // namespace made0::outbox
