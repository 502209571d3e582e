#include "made0/users/users_service.hpp"

#include <nlohmann/json.hpp>

#include "made0/core/log.hpp"
#include "made0/core/trace_context.hpp"
#include "made0/identity/validation.hpp"

namespace made0::users {
namespace {

Error WrongCredentials() { return {ErrorCode::kUnauthenticated, "wrong email or password", {}}; }

}  // namespace

UsersService::UsersService(UserStore& store, PasswordHasher& hasher, Random& rng,
                           const Clock& clock, const tracing::Tracer& tracer, UsersOptions options)
    : store_(store),
      hasher_(hasher),
      rng_(rng),
      clock_(clock),
      tracer_(tracer),
      options_(options),
      dummy_hash_(hasher.Hash(RandomToken(rng, 16))) {}

amqp::Message UsersService::RegisteredEvent(const User& user, bool created, Random& rng,
                                            SystemTime now) {
  amqp::Message m;
  m.exchange = amqp::kEventsExchange;
  m.type = created ? "user.registered" : "user.signup_repeated";
  m.routing_key = m.type;
  m.message_id = RandomHex(rng, 16);
  nlohmann::json body = {{"type", m.type},
                         {"version", 1},
                         {"user_id", user.id},
                         {"email", user.email},
                         {"verified", user.verified},
                         {"occurred_at", FormatRfc3339(now)}};
  m.body = body.dump();
  if (const TraceContext* t = CurrentTraceContext()) {
    m.headers["traceparent"] = FormatTraceparent(*t);
  }
  return m;
}

Result<std::string> UsersService::SignUp(std::string_view email_in, std::string_view password) {
  auto email = identity::NormalizeEmail(email_in);
  if (!email) return email.error();
  if (Status st = identity::ValidatePassword(password); !st) return st.error();
  std::string hash;
  {
    tracing::SpanScope span(tracer_, "argon2id hash");
    hash = hasher_.Hash(password);
  }
  const SystemTime now = clock_.Now();
  SignUpOutcome out;
  {
    tracing::SpanScope span(tracer_, "INSERT users.accounts + outbox");
    out = store_.SignUp(RandomUuid(rng_), *email, hash, [&](const User& u, bool created) {
      return RegisteredEvent(u, created, rng_, now);
    });
  }
  log::Info(out.created ? "user registered" : "sign-up for an existing account",
            {{"user_id", out.user.id}});
  return *email;
}

Result<LoginResult> UsersService::Login(std::string_view email_in, std::string_view password) {
  auto email = identity::NormalizeEmail(email_in);
  if (!email) return email.error();
  if (password.empty()) return Error::Invalid("password", "password is required");
  std::optional<User> user = store_.FindByEmail(*email);
  if (!user) {
    (void)hasher_.Verify(password, dummy_hash_);  // same cost as a real check
    return WrongCredentials();
  }
  bool match = false;
  {
    tracing::SpanScope span(tracer_, "argon2id verify");
    match = hasher_.Verify(password, user->password_hash);
  }
  if (!match) return WrongCredentials();
  if (hasher_.NeedsRehash(user->password_hash)) {
    store_.UpdatePasswordHash(user->id, hasher_.Hash(password));
  }
  NewSession session = MakeSession(rng_, clock_, options_.session_ttl);
  store_.CreateSession(user->id, session.token_hash, session.expires_at);
  return LoginResult{std::move(*user), std::move(session)};
}

Result<User> UsersService::CurrentUser(std::string_view session_token) {
  auto hash = SessionTokenHash(session_token);
  if (!hash) return Error{ErrorCode::kUnauthenticated, "not logged in", {}};
  auto user = store_.FindBySession(*hash, clock_.Now());
  if (!user) return Error{ErrorCode::kUnauthenticated, "session expired or unknown", {}};
  return std::move(*user);
}

void UsersService::Logout(std::string_view session_token) {
  if (auto hash = SessionTokenHash(session_token)) store_.DeleteSession(*hash);
}

bool UsersService::OnUserVerified(const std::string& user_id, const std::string& message_id) {
  const bool applied = store_.MarkVerified(user_id, message_id);
  log::Info(applied ? "user verified" : "duplicate user.verified ignored",
            {{"user_id", user_id}, {"message_id", message_id}});
  return applied;
}

}  // namespace made0::users
