#include "made0/users/users_service.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "made0/core/testing/fake_clock.hpp"

namespace made0::users {
namespace {

// FakeUserStore keeps accounts, sessions and the inbox in maps, with the same contracts.
class FakeUserStore final : public UserStore {
 public:
  SignUpOutcome SignUp(const std::string& id, const std::string& email, const std::string& hash,
                       const EventFor& event_for) override {
    auto it = by_email.find(email);
    if (it != by_email.end()) {
      events.push_back(event_for(it->second, false));
      return {it->second, false};
    }
    User u{id, email, hash, false, {}};
    by_email[email] = u;
    events.push_back(event_for(u, true));
    return {u, true};
  }
  std::optional<User> FindByEmail(const std::string& email) override {
    auto it = by_email.find(email);
    if (it == by_email.end()) return std::nullopt;
    return it->second;
  }
  void CreateSession(const std::string& user_id, const std::string& token_hash,
                     SystemTime expires_at) override {
    sessions[token_hash] = {user_id, expires_at};
  }
  std::optional<User> FindBySession(const std::string& token_hash, SystemTime now) override {
    auto it = sessions.find(token_hash);
    if (it == sessions.end() || !IsSessionLive(it->second.second, now)) return std::nullopt;
    for (auto& [email, u] : by_email) {
      if (u.id == it->second.first) return u;
    }
    return std::nullopt;
  }
  void DeleteSession(const std::string& token_hash) override { sessions.erase(token_hash); }
  void UpdatePasswordHash(const std::string& user_id, const std::string& hash) override {
    for (auto& [email, u] : by_email) {
      if (u.id == user_id) u.password_hash = hash;
    }
  }
  bool MarkVerified(const std::string& user_id, const std::string& message_id) override {
    if (!inbox.insert(message_id).second) return false;
    for (auto& [email, u] : by_email) {
      if (u.id == user_id) u.verified = true;
    }
    return true;
  }

  std::map<std::string, User> by_email;
  std::map<std::string, std::pair<std::string, SystemTime>> sessions;
  std::set<std::string> inbox;
  std::vector<amqp::Message> events;
};

class UsersServiceTest : public ::testing::Test {
 protected:
  SecureRandom rng;
  testing::FakeClock clock;
  // Small parameters keep the tests fast; the production parameters are tested in
  // password_hasher_test.cpp.
  Argon2idHasher hasher{rng, Argon2Params{.memory_kib = 64, .iterations = 1}};
  FakeUserStore store;
  tracing::NullSpanSink spans;
  tracing::Tracer tracer{spans, clock, rng, "users", "users-test"};
  UsersService svc{store, hasher, rng, clock, tracer, {.session_ttl = std::chrono::hours(1)}};
};

TEST_F(UsersServiceTest, SignUpStoresTheUserWithItsEvent) {
  auto r = svc.SignUp(" Ann@Example.test", "password1");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, "ann@example.test");
  ASSERT_EQ(store.events.size(), 1u);
  const auto& e = store.events[0];
  EXPECT_EQ(e.routing_key, "user.registered");
  EXPECT_EQ(e.exchange, "made0.events");
  EXPECT_EQ(e.message_id.size(), 32u);
  auto body = nlohmann::json::parse(e.body);
  EXPECT_EQ(body["type"], "user.registered");
  EXPECT_EQ(body["version"], 1);
  EXPECT_EQ(body["email"], "ann@example.test");
  EXPECT_NE(store.by_email["ann@example.test"].password_hash, "password1");
}

TEST_F(UsersServiceTest, SignUpWithAnExistingEmailAnswersTheSameAndAsksForAnotherMail) {
  ASSERT_TRUE(svc.SignUp("ann@example.test", "password1"));
  const std::string first_hash = store.by_email["ann@example.test"].password_hash;
  auto again = svc.SignUp("ANN@example.test", "other-password");
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, "ann@example.test");
  ASSERT_EQ(store.events.size(), 2u);
  EXPECT_EQ(store.events[1].routing_key, "user.signup_repeated");
  EXPECT_EQ(store.by_email["ann@example.test"].password_hash, first_hash);  // not overwritten
}

TEST_F(UsersServiceTest, BadInputWritesNothing) {
  struct Case {
    const char* email;
    const char* password;
    const char* field;
  };
  const Case cases[] = {{"not-an-email", "password1", "email"},
                        {"ann@example.test", "short", "password"},
                        {"", "password1", "email"}};
  for (const auto& c : cases) {
    auto r = svc.SignUp(c.email, c.password);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(r.error().field, c.field);
  }
  EXPECT_TRUE(store.by_email.empty());
  EXPECT_TRUE(store.events.empty());
}

TEST_F(UsersServiceTest, LoginGivesOneAnswerForUnknownEmailAndWrongPassword) {
  ASSERT_TRUE(svc.SignUp("ann@example.test", "password1"));
  auto wrong = svc.Login("ann@example.test", "password2");
  auto unknown = svc.Login("bob@example.test", "password1");
  ASSERT_FALSE(wrong);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(wrong.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
  EXPECT_TRUE(store.sessions.empty());
}

TEST_F(UsersServiceTest, SessionsLiveUntilExpiryOrLogout) {
  ASSERT_TRUE(svc.SignUp("ann@example.test", "password1"));
  auto login = svc.Login("ann@example.test", "password1");
  ASSERT_TRUE(login);
  const std::string token = login->session.token;
  EXPECT_EQ(store.sessions.count(token), 0u);  // only the hash is stored
  auto me = svc.CurrentUser(token);
  ASSERT_TRUE(me);
  EXPECT_EQ(me->email, "ann@example.test");
  EXPECT_FALSE(svc.CurrentUser("garbage"));

  clock.Advance(std::chrono::minutes(59));
  EXPECT_TRUE(svc.CurrentUser(token));
  clock.Advance(std::chrono::minutes(1));
  EXPECT_FALSE(svc.CurrentUser(token));

  auto again = svc.Login("ann@example.test", "password1");
  ASSERT_TRUE(again);
  svc.Logout(again->session.token);
  EXPECT_FALSE(svc.CurrentUser(again->session.token));
}

TEST_F(UsersServiceTest, VerifiedEventIsAppliedOnce) {
  ASSERT_TRUE(svc.SignUp("ann@example.test", "password1"));
  const std::string id = store.by_email["ann@example.test"].id;
  EXPECT_TRUE(svc.OnUserVerified(id, "m1"));
  EXPECT_TRUE(store.by_email["ann@example.test"].verified);
  EXPECT_FALSE(svc.OnUserVerified(id, "m1"));
}

TEST_F(UsersServiceTest, WeakHashesAreUpgradedAtLogin) {
  Argon2idHasher strong{rng, Argon2Params{.memory_kib = 128, .iterations = 2}};
  ASSERT_TRUE(svc.SignUp("ann@example.test", "password1"));
  UsersService upgraded{store, strong, rng, clock, tracer};
  ASSERT_TRUE(upgraded.Login("ann@example.test", "password1"));
  EXPECT_FALSE(strong.NeedsRehash(store.by_email["ann@example.test"].password_hash));
}

}  // namespace
}  // namespace made0::users
