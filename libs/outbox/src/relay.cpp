#include "made0/outbox/relay.hpp"

#include <stdexcept>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/core/log.hpp"
#include "made0/outbox/outbox.hpp"
#include "made0/pg/retention.hpp"
#include "relay_policy.hpp"

namespace made0::outbox {
namespace {

amqp::Message ToMessage(const pg::Row& row) {
  amqp::Message m;
  m.exchange = row.Get<std::string>("exchange");
  m.routing_key = row.Get<std::string>("routing_key");
  m.message_id = row.Get<std::string>("message_id");
  m.type = row.Get<std::optional<std::string>>("type").value_or("");
  m.correlation_id = row.Get<std::optional<std::string>>("correlation_id").value_or("");
  m.reply_to = row.Get<std::optional<std::string>>("reply_to").value_or("");
  m.body = row.Get<std::string>("payload");
  const auto headers = row.Get<nlohmann::json>("headers");
  for (const auto& [key, value] : headers.items()) {
    if (key == kNotMandatoryKey) {
      m.mandatory = false;
    } else if (value.is_string()) {
      m.headers[key] = value.get<std::string>();
    }
  }
  m.timestamp_ms = UnixMicros(row.Get<SystemTime>("created_at")) / 1000;
  return m;
}

}  // namespace

Relay::Relay(pg::Database& db, amqp::Publisher& publisher, RelayOptions options, const Clock& clock,
             Random& random)
    : db_(db), publisher_(publisher), options_(std::move(options)), clock_(clock), random_(random) {
  Init();
}

Relay::Relay(pg::Database& db, amqp::Publisher& publisher, RelayOptions options)
    : Relay(db, publisher, std::move(options), std::make_unique<SystemClock>(),
            std::make_unique<SecureRandom>()) {}

Relay::Relay(pg::Database& db, amqp::Publisher& publisher, std::string schema)
    : Relay(db, publisher, RelayOptions{.schema = std::move(schema)}) {}

Relay::Relay(pg::Database& db, amqp::Publisher& publisher, RelayOptions options,
             std::unique_ptr<Clock> clock, std::unique_ptr<Random> random)
    : owned_clock_(std::move(clock)),
      owned_random_(std::move(random)),
      db_(db),
      publisher_(publisher),
      options_(std::move(options)),
      clock_(*owned_clock_),
      random_(*owned_random_) {
  Init();
}

void Relay::Init() {
  if (!pg::IsValidIdentifier(options_.schema)) {
    throw std::invalid_argument("outbox::Relay: invalid schema name " + options_.schema);
  }
  if (options_.batch_size < 1) throw std::invalid_argument("outbox::Relay: batch_size < 1");
  if (options_.listen) {
    listener_ =
        std::make_unique<pg::Listener>(db_.url(), Channel(options_.schema), [this] { Wake(); });
  }
}

Relay::~Relay() { Stop(); }

void Relay::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
  if (listener_) listener_->Start();
}

void Relay::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (listener_) listener_->Stop();
  if (thread_.joinable()) thread_.join();
}

void Relay::Wake() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_all();
}

BatchResult Relay::RunOnce() {
  const std::string& s = options_.schema;
  BatchResult result;
  std::uint64_t published = 0, failures = 0;
  try {
    db_.InTransaction([&](pg::Transaction& tx) {
      result = BatchResult{};  // the body may run again after a serialization failure
      published = failures = 0;
      pg::Rows rows = tx.Exec(
          "SELECT id, message_id, exchange, routing_key, type, payload::text AS payload,"
          " headers::text AS headers, correlation_id, reply_to, created_at FROM " +
              s + ".outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED",
          {options_.batch_size});
      result.claimed = static_cast<int>(rows.size());
      std::vector<std::int64_t> done;
      for (const pg::Row& row : rows) {
        const auto id = row.Get<std::int64_t>("id");
        Status status;
        try {
          status = publisher_.Publish(ToMessage(row));
        } catch (const std::exception& e) {  // a publisher must not throw; treat it as a failure
          status = Error::Internal(std::string("publisher threw: ") + e.what());
        }
        if (detail::AfterPublish(status) == detail::RowAction::kMarkPublished) {
          done.push_back(id);
          continue;
        }
        ++failures;
        result.publish_failed = true;
        tx.Exec(
            "UPDATE " + s + ".outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1",
            {id, status.error().message});
        log::Warn("outbox publish failed; backing off",
                  {{"schema", s},
                   {"message_id", row.Get<std::string>("message_id")},
                   {"error", status.error().message}});
        break;
      }
      if (!done.empty()) {
        tx.Exec("UPDATE " + s +
                    ".outbox SET published_at = now(), attempts = attempts + 1"
                    " WHERE id = ANY($1::bigint[])",
                {pg::Param::Array({done.begin(), done.end()})});
      }
      published = done.size();
    });
    result.published = static_cast<int>(published);
    published_ += published;
  } catch (const pg::Error& e) {
    // Nothing was marked: the rows stay unpublished and are retried (some may be sent twice).
    result.db_failed = true;
    result.published = 0;
    ++db_failures_;
    log::Warn("outbox relay database error; backing off", {{"schema", s}, {"error", e.what()}});
  }
  publish_failures_ += failures;
  return result;
}

std::int64_t Relay::Cleanup() {
  const std::int64_t n =
      pg::DeleteOlderThan(db_, options_.schema, "outbox", "published_at", options_.retention);
  cleaned_ += static_cast<std::uint64_t>(n);
  return n;
}

void Relay::MaybeCleanup() {
  const auto now = clock_.Monotonic();
  if (!detail::CleanupDue(now, last_cleanup_, options_.cleanup_interval)) return;
  last_cleanup_ = now;
  try {
    if (auto n = Cleanup(); n > 0)
      log::Info("outbox cleanup", {{"schema", options_.schema}, {"deleted", n}});
  } catch (const pg::Error& e) {
    log::Warn("outbox cleanup failed", {{"schema", options_.schema}, {"error", e.what()}});
  }
}

void Relay::Loop() {
  int consecutive_failures = 0;
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
      notified_ = false;  // a NOTIFY from now on means rows this round may not have seen
    }
    const BatchResult round = RunOnce();
    MaybeCleanup();
    const detail::Wait wait =
        detail::NextWait(options_, consecutive_failures, round, random_.UnitInterval());
    std::unique_lock lock(mu_);
    const bool woken = cv_.wait_for(
        lock, wait.duration, [&] { return stopping_ || (wait.wake_on_notify && notified_); });
    if (woken && wait.linger.count() > 0) {
      cv_.wait_for(lock, wait.linger, [&] { return stopping_; });
    }
  }
}

Relay::Counters Relay::GetCounters() const {
  return {published_.load(), publish_failures_.load(), db_failures_.load(), cleaned_.load()};
}

std::int64_t Relay::PendingCount() {
  return db_
      .Exec("SELECT count(*) FROM " + options_.schema + ".outbox WHERE published_at IS NULL")[0]
      .Get<std::int64_t>(0);
}

}  // namespace made0::outbox
