#pragma once
// UserStore: the users service's persistence, as the operations the service needs (each atomic).
// PgUserStore (pg_user_store.hpp) is the real one over Postgres schema `users`; tests of the
// service logic use an in-memory fake.

#include <functional>
#include <optional>
#include <string>

#include "made0/amqp/message.hpp"
#include "made0/core/clock.hpp"

namespace made0::users {

struct User {
  std::string id;  // UUID
  std::string email;
  std::string password_hash;
  bool verified = false;
  SystemTime created_at;
};

struct SignUpOutcome {
  User user;
  bool created = false;  // false: the email already had an account
};

// EventFor builds the event to enqueue for a sign-up: user.registered for a new account, or
// user.signup_repeated for an existing one (so the owner gets an "already registered" mail).
using EventFor = std::function<amqp::Message(const User& user, bool created)>;

class UserStore {
 public:
  virtual ~UserStore() = default;
  // SignUp inserts the account, with the UUID `id`, unless the email exists, and in the same
  // transaction enqueues the event from `event_for` into the outbox: an account never exists
  // without its event. For an existing email, the outcome carries that account, not `id`.
  virtual SignUpOutcome SignUp(const std::string& id, const std::string& email,
                               const std::string& password_hash, const EventFor& event_for) = 0;
  virtual std::optional<User> FindByEmail(const std::string& email) = 0;
  virtual void CreateSession(const std::string& user_id, const std::string& token_hash,
                             SystemTime expires_at) = 0;
  // FindBySession returns the session's user if the session exists and has not expired.
  virtual std::optional<User> FindBySession(const std::string& token_hash, SystemTime now) = 0;
  virtual void DeleteSession(const std::string& token_hash) = 0;
  virtual void UpdatePasswordHash(const std::string& user_id, const std::string& hash) = 0;
  // MarkVerified records message_id in the inbox and marks the account verified, atomically.
  // False if message_id was seen before (a redelivery): nothing changes.
  virtual bool MarkVerified(const std::string& user_id, const std::string& message_id) = 0;
};

}  // namespace made0::users
