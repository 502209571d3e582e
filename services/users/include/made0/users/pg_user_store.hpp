#pragma once
// PgUserStore: UserStore over Postgres schema `users` (accounts, sessions, inbox, outbox).
//
//   if (auto st = pg::ApplyMigrations(db, "users", PgUserStore::Migrations()); !st) ...
//   PgUserStore store(db);
//
// Driver failures surface as made0::pg exceptions (ConnectionError when Postgres is down), which
// the HTTP boundary turns into 503 and the consumer into a retry.

#include <functional>
#include <vector>

#include "made0/outbox/outbox.hpp"
#include "made0/pg/database.hpp"
#include "made0/pg/migrations.hpp"
#include "made0/users/user_store.hpp"

namespace made0::users {

inline constexpr const char* kSchema = "users";

class PgUserStore final : public UserStore {
 public:
  // enqueued, when given, runs after each commit that enqueued an event: the service wakes its
  // own outbox relay with it, and the events go without a NOTIFY (outbox::Wakeup::kNone), which
  // PostgreSQL would signal to every LISTENing backend of the database. Without it, each event
  // is NOTIFYed to the relays.
  explicit PgUserStore(pg::Database& db, std::function<void()> enqueued = {})
      : db_(db), enqueued_(std::move(enqueued)) {}

  static std::vector<pg::Migration> Migrations();

  // UserStore
  SignUpOutcome SignUp(const std::string& id, const std::string& email,
                       const std::string& password_hash, const EventFor& event_for) override;
  std::optional<User> FindByEmail(const std::string& email) override;
  void CreateSession(const std::string& user_id, const std::string& token_hash,
                     SystemTime expires_at) override;
  std::optional<User> FindBySession(const std::string& token_hash, SystemTime now) override;
  void DeleteSession(const std::string& token_hash) override;
  void UpdatePasswordHash(const std::string& user_id, const std::string& hash) override;
  bool MarkVerified(const std::string& user_id, const std::string& message_id) override;

  // DeleteExpiredSessions removes sessions past expiry; returns how many.
  std::int64_t DeleteExpiredSessions(SystemTime now);

 private:
  // EventWakeup is how this store's events reach a relay; AfterEnqueue reports a committed one.
  outbox::Wakeup EventWakeup() const {
    return enqueued_ ? outbox::Wakeup::kNone : outbox::Wakeup::kNotify;
  }
  void AfterEnqueue() const {
    if (enqueued_) enqueued_();
  }

  pg::Database& db_;
  std::function<void()> enqueued_;
};

}  // namespace made0::users
