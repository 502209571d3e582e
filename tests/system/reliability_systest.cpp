// Reliability of sign-up under failure, against the running services and real servers:
// (a) RabbitMQ stopped while sign-ups continue, (b) verification SIGKILLed mid-stream,
// (d) a users instance SIGKILLed: gone from the registry within its TTL, console unaffected.
// (c), refused links, is in signup_systest.cpp.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <iostream>
#include <thread>

#include "made0/testing/system.hpp"

namespace made0 {
namespace {

using std::chrono::seconds;
using testing::ConsoleClient;
using testing::Maildir;
using testing::SystemEnv;
using testing::UniqueEmail;

class ReliabilityTest : public ::testing::Test {
 protected:
  int SignUp(ConsoleClient& c, const std::string& email) {
    auto r = c.Post("/api/signup", {{"email", email}, {"password", "password1"}});
    if (!r) {
      ADD_FAILURE() << "sign-up of " << email << ": " << r.error().message;
      return 0;
    }
    if (r->status != 202)
      std::cerr << "sign-up of " << email << ": " << r->status << " " << r->body << "\n";
    return r->status;
  }
  // ExpectExactlyOneMailEach waits for every address's mail, then a little longer to catch
  // duplicates.
  void ExpectExactlyOneMailEach(const std::vector<std::string>& emails, seconds timeout) {
    for (const auto& e : emails) {
      EXPECT_GE(mail.WaitFor(e, 1, timeout).size(), 1u) << e << " got no mail";
    }
    std::this_thread::sleep_for(seconds(3));
    for (const auto& e : emails) EXPECT_EQ(mail.For(e).size(), 1u) << e;
  }

  SystemEnv sys = SystemEnv::FromEnvironment();
  Maildir mail{sys.maildir};
};

TEST_F(ReliabilityTest, SignUpsAcceptedWhileRabbitMqIsDownAreMailedOnceItIsBack) {
  ConsoleClient c(sys.console_url);
  ASSERT_EQ(c.Get("/api/csrf")->status, 200);
  sys.Stack("stop", "rabbit");
  std::vector<std::string> emails;
  for (int i = 0; i < 10; ++i) {
    emails.push_back(UniqueEmail("rabbit-down"));
    EXPECT_EQ(SignUp(c, emails.back()), 202) << "sign-up must not depend on RabbitMQ";
  }
  std::this_thread::sleep_for(seconds(2));
  for (const auto& e : emails) EXPECT_TRUE(mail.For(e).empty());
  sys.Stack("start", "rabbit");
  ExpectExactlyOneMailEach(emails, seconds(90));
}

TEST_F(ReliabilityTest, NoMailIsLostOrDuplicatedWhenVerificationIsKilled) {
  ConsoleClient c(sys.console_url);
  std::vector<std::string> emails;
  std::atomic<int> done{0};
  std::thread stream([&] {
    for (int i = 0; i < 30; ++i) {
      emails.push_back(UniqueEmail("killed"));
      EXPECT_EQ(SignUp(c, emails.back()), 202);
      ++done;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  });
  while (done < 10) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  sys.Kill("verification", SIGKILL);
  while (done < 20) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  sys.StartServices();
  stream.join();
  ExpectExactlyOneMailEach(emails, seconds(60));
}

TEST_F(ReliabilityTest, AKilledInstanceLeavesTheRegistryAndTheConsoleKeepsWorking) {
  // A verified user to read /api/services.
  ConsoleClient c(sys.console_url);
  const std::string email = UniqueEmail("registry");
  ASSERT_EQ(SignUp(c, email), 202);
  auto mails = mail.WaitFor(email, 1, seconds(30));
  ASSERT_EQ(mails.size(), 1u);
  ASSERT_EQ(c.Post("/api/verify", {{"token", *Maildir::TokenIn(mails[0])}})->status, 200);
  ASSERT_EQ(c.Post("/api/login", {{"email", email}, {"password", "password1"}})->status, 200);

  auto users_instances = [&] {
    std::set<std::string> ids;
    for (int i = 0; i < 50; ++i) {
      auto r = c.Get("/api/services");
      if (r && r->status == 200) {
        const nlohmann::json listed = nlohmann::json::parse(r->body);  // outlives the loop
        for (const auto& inst : listed["instances"]) {
          if (inst["service"] == "users") ids.insert(inst["id"].get<std::string>());
        }
        return ids;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));  // verification in flight
    }
    return ids;
  };
  const auto before = users_instances();
  ASSERT_FALSE(before.empty()) << c.Get("/api/services")->body;
  const int extra = sys.StartExtra("users", "users-extra");
  auto with_extra = users_instances();
  ASSERT_EQ(with_extra.size(), before.size() + 1);

  // The original instance dies without deregistering; the extra one carries on.
  const std::string killed = *before.begin();
  sys.Kill("users", SIGKILL);
  const auto killed_at = std::chrono::steady_clock::now();
  int failures = 0;
  bool gone = false;
  while (std::chrono::steady_clock::now() - killed_at < seconds(15)) {
    if (SignUp(c, UniqueEmail("during")) != 202) ++failures;
    if (!gone && !users_instances().count(killed)) {
      gone = true;
      const auto after = std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::steady_clock::now() - killed_at);
      EXPECT_LE(after, seconds(11)) << "the registry TTL is 10 s";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(gone);
  EXPECT_EQ(failures, 0) << "sign-ups failed while an instance was dead";
  sys.StartServices();
  kill(extra, SIGTERM);
}

}  // namespace
}  // namespace made0
