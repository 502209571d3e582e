#pragma once
// PgUserStore: UserStore over Postgres schema `users` (accounts, sessions, inbox, outbox).
//
//   if (auto st = pg::ApplyMigrations(db, "users", PgUserStore::Migrations()); !st) ...
//   PgUserStore store(db);
//
// Driver failures surface as made0::pg exceptions (ConnectionError when Postgres is down), which
// the HTTP boundary turns into 503 and the consumer into a retry.

#include <vector>

#include "made0/pg/database.hpp"
#include "made0/pg/migrations.hpp"
#include "made0/users/user_store.hpp"

namespace made0::users {

inline constexpr const char* kSchema = "users";

class PgUserStore final : public UserStore {
 public:
  explicit PgUserStore(pg::Database& db) : db_(db) {}

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
  pg::Database& db_;
};

}  // namespace made0::users
