#include "made0/users/pg_user_store.hpp"

#include "made0/outbox/outbox.hpp"

namespace made0::users {
namespace {

constexpr const char* kUserColumns =
    "id::text AS id, email, password_hash, "
    "verified_at IS NOT NULL AS verified, created_at";

User UserFrom(const pg::Row& row) {
  return User{row.Get<std::string>("id"), row.Get<std::string>("email"),
              row.Get<std::string>("password_hash"), row.Get<bool>("verified"),
              row.Get<SystemTime>("created_at")};
}

}  // namespace

std::vector<pg::Migration> PgUserStore::Migrations() {
  return {
      {1, "accounts",
       "CREATE TABLE accounts ("
       "  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),"
       "  email text NOT NULL UNIQUE CHECK (length(email) <= 254),"
       "  password_hash text NOT NULL,"
       "  verified_at timestamptz,"
       "  created_at timestamptz NOT NULL DEFAULT now());"
       "CREATE TABLE sessions ("
       "  token_hash text PRIMARY KEY,"
       "  user_id uuid NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,"
       "  created_at timestamptz NOT NULL DEFAULT now(),"
       "  expires_at timestamptz NOT NULL);"
       "CREATE INDEX sessions_expires_at ON sessions(expires_at);"
       "CREATE TABLE inbox ("
       "  message_id text PRIMARY KEY,"
       "  received_at timestamptz NOT NULL DEFAULT now());"},
      outbox::OutboxMigration(kSchema, 2),
  };
}

SignUpOutcome PgUserStore::SignUp(const std::string& id, const std::string& email,
                                  const std::string& password_hash, const EventFor& event_for) {
  // A new address, the common case: the account and its event in one statement. ON CONFLICT DO
  // NOTHING makes concurrent sign-ups with one email safe: exactly one inserts (and enqueues).
  const User fresh{id, email, password_hash, false, {}};
  pg::Rows inserted = outbox::EnqueueWith(
      db_, kSchema,
      std::string("INSERT INTO users.accounts(id, email, password_hash) VALUES ($1::uuid, $2, $3) "
                  "ON CONFLICT (email) DO NOTHING RETURNING ") +
          kUserColumns,
      {id, email, password_hash}, event_for(fresh, true), EventWakeup());
  if (!inserted.empty()) {
    AfterEnqueue();
    return {UserFrom(inserted[0]), true};
  }
  // The address has an account (accounts are never deleted): its own event, for its owner.
  SignUpOutcome out = db_.InTransaction([&](pg::Transaction& tx) {
    auto existing = tx.Exec(
        std::string("SELECT ") + kUserColumns + " FROM users.accounts WHERE email = $1", {email});
    SignUpOutcome found{UserFrom(existing[0]), false};
    outbox::Enqueue(tx, kSchema, event_for(found.user, found.created), EventWakeup());
    return found;
  });
  AfterEnqueue();
  return out;
}

std::optional<User> PgUserStore::FindByEmail(const std::string& email) {
  auto rows = db_.Exec(
      std::string("SELECT ") + kUserColumns + " FROM users.accounts WHERE email = $1", {email});
  if (rows.empty()) return std::nullopt;
  return UserFrom(rows[0]);
}

void PgUserStore::CreateSession(const std::string& user_id, const std::string& token_hash,
                                SystemTime expires_at) {
  db_.Exec("INSERT INTO users.sessions(token_hash, user_id, expires_at) VALUES ($1, $2::uuid, $3)",
           {token_hash, user_id, expires_at});
}

std::optional<User> PgUserStore::FindBySession(const std::string& token_hash, SystemTime now) {
  auto rows =
      db_.Exec(std::string("SELECT a.id::text AS id, a.email, a.password_hash, "
                           "a.verified_at IS NOT NULL AS verified, a.created_at "
                           "FROM users.sessions s JOIN users.accounts a ON a.id = s.user_id "
                           "WHERE s.token_hash = $1 AND s.expires_at > $2"),
               {token_hash, now});
  if (rows.empty()) return std::nullopt;
  return UserFrom(rows[0]);
}

void PgUserStore::DeleteSession(const std::string& token_hash) {
  db_.Exec("DELETE FROM users.sessions WHERE token_hash = $1", {token_hash});
}

void PgUserStore::UpdatePasswordHash(const std::string& user_id, const std::string& hash) {
  db_.Exec("UPDATE users.accounts SET password_hash = $2 WHERE id = $1::uuid", {user_id, hash});
}

bool PgUserStore::MarkVerified(const std::string& user_id, const std::string& message_id) {
  return db_.InTransaction([&](pg::Transaction& tx) {
    auto seen = tx.Exec(
        "INSERT INTO users.inbox(message_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1",
        {message_id});
    if (seen.empty()) return false;
    tx.Exec(
        "UPDATE users.accounts SET verified_at = coalesce(verified_at, now()) "
        "WHERE id = $1::uuid",
        {user_id});
    return true;
  });
}

std::int64_t PgUserStore::DeleteExpiredSessions(SystemTime now) {
  auto rows = db_.Exec("DELETE FROM users.sessions WHERE expires_at <= $1 RETURNING 1", {now});
  return static_cast<std::int64_t>(rows.size());
}

}  // namespace made0::users
