// Sign-up, verification and login through the console's /api, against the running services and
// real servers: the contract of docs/console-api.md, including every refusal.
#include <gtest/gtest.h>

#include <thread>

#include "made0/pg/database.hpp"
#include "made0/testing/stack_env.hpp"
#include "made0/testing/system.hpp"

namespace made0 {
namespace {

using std::chrono::seconds;
using testing::ConsoleClient;
using testing::Maildir;
using testing::SystemEnv;
using testing::UniqueEmail;

class SignUpTest : public ::testing::Test {
 protected:
  nlohmann::json Json(const http::ClientResponse& r) {
    return nlohmann::json::parse(r.body, nullptr, false);
  }
  // SignUpAndGetToken signs up and returns the token from the mail.
  std::string SignUpAndGetToken(ConsoleClient& c, const std::string& email) {
    auto r = c.Post("/api/signup", {{"email", email}, {"password", "password1"}});
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 202) << r->body;
    auto mails = mail.WaitFor(email, 1, seconds(30));
    EXPECT_EQ(mails.size(), 1u);
    if (mails.empty()) return {};
    return Maildir::TokenIn(mails[0]).value_or("");
  }
  std::int64_t AccountsWith(const std::string& email) {
    auto rows = db.Exec("SELECT count(*) FROM users.accounts WHERE email = $1", {email});
    return rows[0].Get<std::int64_t>(0);
  }

  SystemEnv sys = SystemEnv::FromEnvironment();
  Maildir mail{sys.maildir};
  pg::Database db{testing::LoadStackEnv().Get("MADE0_PG_URL").value(), 2};
};

TEST_F(SignUpTest, SignUpVerifyLogin) {
  ConsoleClient c(sys.console_url);
  const std::string email = UniqueEmail("flow");
  const std::string token = SignUpAndGetToken(c, email);
  ASSERT_EQ(token.size(), 43u);
  auto mails = mail.For(email);
  EXPECT_EQ(mails[0].subject, "Confirm your email address for made0");

  // Before verification: logged in, but not verified, and home's data is refused.
  auto login = c.Post("/api/login", {{"email", email}, {"password", "password1"}});
  ASSERT_EQ(login->status, 200) << login->body;
  EXPECT_FALSE(Json(*login)["user"]["verified"].get<bool>());
  EXPECT_EQ(c.Get("/api/services")->status, 403);

  auto verify = c.Post("/api/verify", {{"token", token}});
  ASSERT_EQ(verify->status, 200) << verify->body;
  EXPECT_EQ(Json(*verify)["email"], email);

  // user.verified travels through RabbitMQ to users: the account turns verified shortly.
  bool verified = false;
  for (int i = 0; i < 100 && !verified; ++i) {
    auto me = c.Get("/api/me");
    verified = me && me->status == 200 && Json(*me)["user"]["verified"].get<bool>();
    if (!verified) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(verified);
  auto services = c.Get("/api/services");
  ASSERT_EQ(services->status, 200);
  std::set<std::string> names;
  const nlohmann::json listed = Json(*services);  // the loop must not range over a temporary
  for (const auto& i : listed["instances"]) {
    names.insert(i["service"].get<std::string>());
  }
  EXPECT_TRUE(names.count("frontend") && names.count("users") && names.count("verification"))
      << services->body;
  auto traces = c.Get("/api/traces?limit=50");
  ASSERT_EQ(traces->status, 200);
  EXPECT_FALSE(Json(*traces)["traces"].empty());

  auto logout = c.Post("/api/logout", nlohmann::json::object());
  EXPECT_EQ(logout->status, 204);
  EXPECT_EQ(c.Get("/api/me")->status, 401);
}

TEST_F(SignUpTest, ALinkWorksOnceAndTamperedOrMalformedOnesAreRefused) {
  ConsoleClient c(sys.console_url);
  const std::string token = SignUpAndGetToken(c, UniqueEmail("once"));
  ASSERT_FALSE(token.empty());
  std::string tampered = token;
  tampered[10] = tampered[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(c.Post("/api/verify", {{"token", tampered}})->status, 404);
  EXPECT_EQ(c.Post("/api/verify", {{"token", "short"}})->status, 422);
  EXPECT_EQ(c.Post("/api/verify", {{"token", token}})->status, 200);
  auto again = c.Post("/api/verify", {{"token", token}});
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(Json(*again)["error"]["code"], "conflict");
}

TEST_F(SignUpTest, AnExpiredLinkIsRefusedWithAWayForward) {
  // A verification instance whose links live 2 s takes over the consumer for this test.
  sys.Kill("verification", SIGTERM);
  const int extra = sys.StartExtra("verification", "short-links", {"MADE0_LINK_TTL=2s"});
  ConsoleClient c(sys.console_url);
  const std::string email = UniqueEmail("expired");
  const std::string token = SignUpAndGetToken(c, email);
  kill(extra, SIGTERM);
  sys.StartServices();
  ASSERT_FALSE(token.empty());
  std::this_thread::sleep_for(seconds(3));
  auto r = c.Post("/api/verify", {{"token", token}});
  EXPECT_EQ(r->status, 410) << r->body;
  EXPECT_EQ(Json(*r)["error"]["field"], "token");
  // The way forward: a new link.
  auto resend = c.Post("/api/verify/resend", {{"email", email}});
  EXPECT_EQ(resend->status, 202);
  auto mails = mail.WaitFor(email, 2, seconds(30));
  ASSERT_EQ(mails.size(), 2u);
}

TEST_F(SignUpTest, AnExistingEmailGetsTheSameAnswerAndADifferentMail) {
  ConsoleClient c(sys.console_url);
  const std::string email = UniqueEmail("twice");
  const std::string token = SignUpAndGetToken(c, email);
  ASSERT_EQ(c.Post("/api/verify", {{"token", token}})->status, 200);
  std::this_thread::sleep_for(seconds(1));  // let user.verified reach users
  auto first = c.Post("/api/signup", {{"email", UniqueEmail("other")}, {"password", "password1"}});
  auto second = c.Post("/api/signup", {{"email", email}, {"password", "password2"}});
  ASSERT_EQ(second->status, first->status);
  EXPECT_EQ(Json(*second).size(), Json(*first).size());
  auto mails = mail.WaitFor(email, 2, seconds(30));
  ASSERT_EQ(mails.size(), 2u);
  std::set<std::string> subjects = {mails[0].subject, mails[1].subject};
  EXPECT_TRUE(subjects.count("You already have a made0 account"));
  EXPECT_EQ(AccountsWith(email), 1);
}

TEST_F(SignUpTest, ResendIsRateLimited) {
  ConsoleClient c(sys.console_url);
  const std::string email = UniqueEmail("resend");
  ASSERT_FALSE(SignUpAndGetToken(c, email).empty());
  EXPECT_EQ(c.Post("/api/verify/resend", {{"email", email}})->status, 202);
  auto limited = c.Post("/api/verify/resend", {{"email", email}});
  ASSERT_EQ(limited->status, 429);
  EXPECT_GT(Json(*limited)["error"]["retry_after_s"].get<int>(), 0);
  EXPECT_TRUE(limited->Header("Retry-After"));
  EXPECT_EQ(mail.WaitFor(email, 2, seconds(10)).size(), 2u);
}

TEST_F(SignUpTest, BadInputGetsAClearErrorAndWritesNothing) {
  ConsoleClient c(sys.console_url);
  const std::string email = UniqueEmail("bad");
  struct Case {
    std::string body;
    int status;
    std::string field;
  };
  const Case cases[] = {
      {"{not json", 400, ""},
      {"[]", 400, ""},
      {R"({"password":"password1"})", 422, "email"},
      {R"({"email":"not-an-email","password":"password1"})", 422, "email"},
      {R"({"email":")" + email + R"(","password":"short"})", 422, "password"},
      {R"({"email":")" + email + R"(","password":12345678})", 422, "password"},
      {R"({"email":")" + std::string(400, 'a') + R"(@x.io","password":"password1"})", 422, "email"},
  };
  (void)c.Get("/api/csrf");
  for (const auto& k : cases) {
    http::ClientRequest req{.method = "POST", .url = "/api/signup"};
    req.headers = {{"Content-Type", "application/json"},
                   {"X-CSRF-Token", c.CookieValue("made0_csrf").value_or("")}};
    req.body = k.body;
    auto r = c.Send(req);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, k.status) << k.body << " -> " << r->body;
    auto body = Json(*r);
    ASSERT_TRUE(body.contains("error")) << r->body;
    if (!k.field.empty()) {
      EXPECT_EQ(body["error"]["field"], k.field) << k.body;
    }
  }
  // Over the body limit.
  http::ClientRequest big{.method = "POST", .url = "/api/signup"};
  big.headers = {{"Content-Type", "application/json"},
                 {"X-CSRF-Token", c.CookieValue("made0_csrf").value_or("")}};
  big.body = R"({"email":")" + std::string(100 * 1024, 'a') + R"("})";
  auto r = c.Send(big);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  // Without the CSRF token.
  http::ClientRequest no_csrf{.method = "POST", .url = "/api/signup"};
  no_csrf.headers = {{"Content-Type", "application/json"}};
  no_csrf.body = nlohmann::json{{"email", email}, {"password", "password1"}}.dump();
  EXPECT_EQ(c.Send(no_csrf)->status, 403);
  // Unknown API route.
  auto unknown = c.Get("/api/nope");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_TRUE(Json(*unknown).contains("error"));

  EXPECT_EQ(AccountsWith(email), 0);
  EXPECT_TRUE(mail.WaitFor(email, 1, seconds(2)).empty());
}

}  // namespace
}  // namespace made0
