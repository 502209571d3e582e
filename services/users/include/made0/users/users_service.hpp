#pragma once
// UsersService: sign-up, login, logout and the current user, independent of HTTP and storage.
//
// Sign-up answers the same whether or not the email has an account (the existing owner gets an
// "already registered" mail instead of a link), and always pays for one argon2id hash, so
// neither the answer nor its timing tells anyone which addresses are registered. Login with an
// unknown email also verifies against a dummy hash for the same reason.

#include <chrono>
#include <string>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/core/status.hpp"
#include "made0/tracing/span_scope.hpp"
#include "made0/users/password_hasher.hpp"
#include "made0/users/session.hpp"
#include "made0/users/user_store.hpp"

namespace made0::users {

struct UsersOptions {
  std::chrono::seconds session_ttl = std::chrono::hours(24 * 7);
};

struct LoginResult {
  User user;
  NewSession session;
};

class UsersService {
 public:
  // tracer records the hash and the store's transaction as spans of the request.
  UsersService(UserStore& store, PasswordHasher& hasher, Random& rng, const Clock& clock,
               const tracing::Tracer& tracer, UsersOptions options = {});

  // SignUp validates, hashes and stores; returns the normalized email.
  Result<std::string> SignUp(std::string_view email, std::string_view password);
  // Login: Unauthenticated "wrong email or password" for an unknown email or a wrong password.
  Result<LoginResult> Login(std::string_view email, std::string_view password);
  // CurrentUser: Unauthenticated for a missing, malformed, unknown or expired token.
  Result<User> CurrentUser(std::string_view session_token);
  void Logout(std::string_view session_token);
  // OnUserVerified applies a user.verified event; false if it was a duplicate delivery.
  bool OnUserVerified(const std::string& user_id, const std::string& message_id);

  // Events this service publishes.
  static amqp::Message RegisteredEvent(const User& user, bool created, Random& rng, SystemTime now);

 private:
  UserStore& store_;
  PasswordHasher& hasher_;
  Random& rng_;
  const Clock& clock_;
  const tracing::Tracer& tracer_;
  UsersOptions options_;
  std::string dummy_hash_;
};

}  // namespace made0::users
