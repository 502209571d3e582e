// Each dependency down, then back: requests fail with a clear error or are retried, and no
// accepted sign-up is lost (issue: "Dependency down (Postgres, Redis, RabbitMQ, MongoDB, SMTP)").
// RabbitMQ is in reliability_systest.cpp.
#include <gtest/gtest.h>

#include <thread>

#include "made0/redis/client.hpp"
#include "made0/redis/discovery.hpp"
#include "made0/testing/stack_env.hpp"
#include "made0/testing/system.hpp"

namespace made0 {
namespace {

using std::chrono::seconds;
using testing::ConsoleClient;
using testing::Maildir;
using testing::SystemEnv;
using testing::UniqueEmail;

class DependencyTest : public ::testing::Test {
 protected:
  Result<http::ClientResponse> SignUp(ConsoleClient& c, const std::string& email) {
    return c.Post("/api/signup", {{"email", email}, {"password", "password1"}});
  }
  // StatusWithin retries a sign-up until it answers `status` or the time is up.
  bool SignUpWorksWithin(ConsoleClient& c, seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = SignUp(c, UniqueEmail("recovered"));
      if (r && r->status == 202) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    return false;
  }

  // Registered reports whether the registry lists a live instance of service.
  bool Registered(const std::string& service) {
    auto options = redis::ParseClientOptions(
        testing::LoadStackEnv().Get("MADE0_REDIS_URL").value_or("redis://127.0.0.1:1"));
    if (!options) return false;
    auto client = redis::MakeClient(*options);
    redis::Discovery discovery(*client);
    auto live = discovery.Live(service);
    return live && !live->empty();
  }

  SystemEnv sys = SystemEnv::FromEnvironment();
  Maildir mail{sys.maildir};
};

TEST_F(DependencyTest, PostgresDownIsAClear503AndServiceResumesWhenItIsBack) {
  ConsoleClient c(sys.console_url);
  ASSERT_EQ(c.Get("/api/csrf")->status, 200);
  sys.Stack("stop", "pg");
  const std::string email = UniqueEmail("pg-down");
  auto r = SignUp(c, email);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503) << r->body;
  auto body = nlohmann::json::parse(r->body, nullptr, false);
  EXPECT_EQ(body["error"]["code"], "unavailable") << r->body;
  sys.Stack("start", "pg");
  EXPECT_TRUE(SignUpWorksWithin(c, seconds(30)));
  // The refused sign-up wrote nothing: signing up again is a first sign-up, one link.
  ASSERT_EQ(SignUp(c, email)->status, 202);
  auto mails = mail.WaitFor(email, 1, seconds(30));
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].subject, "Confirm your email address for made0");
}

TEST_F(DependencyTest, SmtpDownDelaysMailButLosesNone) {
  ConsoleClient c(sys.console_url);
  sys.Stack("stop", "smtp");
  std::vector<std::string> emails;
  for (int i = 0; i < 3; ++i) {
    emails.push_back(UniqueEmail("smtp-down"));
    ASSERT_EQ(SignUp(c, emails.back())->status, 202);
  }
  std::this_thread::sleep_for(seconds(2));
  sys.Stack("start", "smtp");
  for (const auto& e : emails) EXPECT_EQ(mail.WaitFor(e, 1, seconds(60)).size(), 1u) << e;
  std::this_thread::sleep_for(seconds(2));
  for (const auto& e : emails) EXPECT_EQ(mail.For(e).size(), 1u) << e;
}

TEST_F(DependencyTest, MongoDownRefusesConfirmationClearlyAndDelaysMail) {
  ConsoleClient c(sys.console_url);
  const std::string first = UniqueEmail("mongo-before");
  ASSERT_EQ(SignUp(c, first)->status, 202);
  auto mails = mail.WaitFor(first, 1, seconds(30));
  ASSERT_EQ(mails.size(), 1u);
  const std::string token = *Maildir::TokenIn(mails[0]);

  sys.Stack("stop", "mongo");
  auto verify = c.Post("/api/verify", {{"token", token}});
  ASSERT_TRUE(verify);
  EXPECT_EQ(verify->status, 503) << verify->body;
  const std::string during = UniqueEmail("mongo-down");
  EXPECT_EQ(SignUp(c, during)->status, 202);  // accepted: users does not need MongoDB
  sys.Stack("start", "mongo");

  EXPECT_EQ(mail.WaitFor(during, 1, seconds(60)).size(), 1u);
  // The link mailed before the outage still works: the stand-in kept its data.
  auto again = c.Post("/api/verify", {{"token", token}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200) << again->body;
}

TEST_F(DependencyTest, ShortRedisOutageDoesNotStopSignUpsAndInstancesReRegister) {
  ConsoleClient c(sys.console_url);
  ASSERT_EQ(c.Get("/api/csrf")->status, 200);
  ASSERT_EQ(SignUp(c, UniqueEmail("redis-before"))->status, 202);  // warms discovery's cache
  sys.Stack("stop", "redis");
  auto r = SignUp(c, UniqueEmail("redis-down"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202) << "known instances are used while the registry is unreachable";
  auto resend = c.Post("/api/verify/resend", {{"email", UniqueEmail("redis-down")}});
  ASSERT_TRUE(resend);
  EXPECT_EQ(resend->status, 503) << "the rate limiter cannot decide: a clear refusal";
  sys.Stack("start", "redis");
  // Heartbeats re-register every instance on the empty Redis.
  EXPECT_TRUE(SignUpWorksWithin(c, seconds(20)));
  bool all_back = false;
  for (int i = 0; i < 40 && !all_back; ++i) {
    std::this_thread::sleep_for(seconds(1));
    all_back = true;
    for (const char* s : {"frontend", "users", "verification"}) {
      all_back = all_back && Registered(s);
    }
  }
  EXPECT_TRUE(all_back);
}

}  // namespace
}  // namespace made0
