#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "made0/redis/discovery.hpp"
#include "made0/redis/registry.hpp"
#include "made0/testing/stack_env.hpp"
#include "redistest_support.hpp"

extern char** environ;

namespace made0::redis {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::steady_clock;

constexpr const char* kChildEnv = "MADE0_REDIS_TEST_CHILD_PREFIX";

class RegistryRedis : public ::testing::Test {
 protected:
  void TearDown() override { testing::DeleteKeys(*client_, prefix_); }

  RegistryOptions Options(milliseconds ttl = seconds(10)) const {
    RegistryOptions o;
    o.key_prefix = prefix_;
    o.ttl = ttl;
    return o;
  }
  DiscoveryOptions Reader() const {
    DiscoveryOptions o;
    o.key_prefix = prefix_;
    return o;
  }
  std::vector<std::string> LiveIds(std::string_view service) {
    auto live = Discovery(*client_, Reader()).Live(service);
    EXPECT_TRUE(live) << live.error().message;
    std::vector<std::string> ids;
    if (live) {
      for (const auto& i : *live) ids.push_back(i.id);
    }
    return ids;
  }
  // WaitUntil polls cond every 50 ms; true if it held before the deadline.
  template <typename F>
  static bool WaitUntil(milliseconds limit, F cond) {
    const auto deadline = steady_clock::now() + limit;
    while (steady_clock::now() < deadline) {
      if (cond()) return true;
      std::this_thread::sleep_for(milliseconds(50));
    }
    return cond();
  }

  std::unique_ptr<Client> client_ = MakeClient(testing::StackRedisOptions());
  std::string prefix_ = made0::testing::UniqueName("made0test:") + ":";
};

TEST_F(RegistryRedis, RegisteredInstanceIsLiveAndStopRemovesItAtOnce) {
  Registry users(*client_, {"users", "127.0.0.1", 41001, "1.2.3"}, Options());
  Registry users2(*client_, {"users", "127.0.0.1", 41002, "1.2.3"}, Options());
  Registry infra(*client_, {"infra", "127.0.0.1", 41003, "0.9"}, Options());
  ASSERT_TRUE(users.Register());
  ASSERT_TRUE(users2.Start());
  ASSERT_TRUE(infra.Start());
  ASSERT_TRUE(WaitUntil(seconds(2), [&] { return LiveIds("users").size() == 2; }));

  Discovery discovery(*client_, Reader());
  auto live = discovery.Live("users");
  ASSERT_TRUE(live);
  const Instance& first = (*live)[0].id == users.id() ? (*live)[0] : (*live)[1];
  EXPECT_EQ(first.service, "users");
  EXPECT_EQ(first.address, "127.0.0.1");
  EXPECT_EQ(first.port, 41001);
  EXPECT_EQ(first.version, "1.2.3");
  EXPECT_GT(first.expires_at, std::chrono::system_clock::now() + seconds(8));
  EXPECT_LT(std::chrono::system_clock::now() - first.started_at, seconds(10));

  auto all = discovery.All();
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, infra.id());  // by service, then ID
  EXPECT_EQ((*all)[1].service, "users");

  ASSERT_TRUE(users.Stop());
  EXPECT_EQ(LiveIds("users"), std::vector<std::string>{users2.id()});
  ASSERT_TRUE(users2.Stop());
  ASSERT_TRUE(infra.Stop());
  EXPECT_TRUE(LiveIds("users").empty());
  all = discovery.All();
  ASSERT_TRUE(all);
  EXPECT_TRUE(all->empty());
  // Nothing is left behind in Redis.
  auto keys = client_->Call({"KEYS", prefix_ + "*"});
  ASSERT_TRUE(keys);
  EXPECT_TRUE(keys->elements().empty()) << keys->DebugString();
  EXPECT_TRUE(users.Stop());  // idempotent
}

TEST_F(RegistryRedis, HeartbeatsKeepAnInstanceBeyondItsTtl) {
  Registry r(*client_, {"users", "127.0.0.1", 41001, "1"}, Options(seconds(1)));
  ASSERT_TRUE(r.Start());
  std::this_thread::sleep_for(milliseconds(2500));
  EXPECT_EQ(LiveIds("users"), std::vector<std::string>{r.id()});
  EXPECT_EQ(r.Start().error().code, ErrorCode::kConflict);
}

// Runs only as the child of KilledInstanceLapsesWithinTtl: registers with a 2 s TTL, says its ID
// on stdout, and heartbeats until SIGKILLed.
TEST(RegistryChild, RegisterAndHeartbeatUntilKilled) {
  const char* prefix = std::getenv(kChildEnv);
  if (prefix == nullptr) GTEST_SKIP() << "a helper process for RegistryRedis.KilledInstance...";
  auto client = MakeClient(testing::StackRedisOptions());
  RegistryOptions o;
  o.key_prefix = prefix;
  o.ttl = seconds(2);
  Registry r(*client, {"crashy", "127.0.0.1", 41009, "1"}, o);
  ASSERT_TRUE(r.Register());
  ASSERT_TRUE(r.Start());
  std::printf("\nID %s\n", r.id().c_str());
  std::fflush(stdout);
  std::this_thread::sleep_for(seconds(60));
  ADD_FAILURE() << "not killed";
}

TEST_F(RegistryRedis, KilledInstanceLapsesWithinTtl) {
  int out[2];
  ASSERT_EQ(pipe(out), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  std::vector<std::string> env_strings = {std::string(kChildEnv) + "=" + prefix_};
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string self = "/proc/self/exe";
  std::string filter = "--gtest_filter=RegistryChild.RegisterAndHeartbeatUntilKilled";
  char* argv[] = {self.data(), filter.data(), nullptr};
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, self.c_str(), &actions, nullptr, argv, envp.data()), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);

  std::string id;
  FILE* child_out = fdopen(out[0], "r");
  char line[512];
  while (id.empty() && std::fgets(line, sizeof line, child_out) != nullptr) {
    std::string s(line);
    if (s.rfind("ID ", 0) == 0) id = s.substr(3, s.find('\n') - 3);
  }
  ASSERT_FALSE(id.empty()) << "child did not register";
  // Alive well past its TTL while it heartbeats.
  std::this_thread::sleep_for(milliseconds(2500));
  EXPECT_EQ(LiveIds("crashy"), std::vector<std::string>{id});

  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  std::fclose(child_out);
  const auto killed = steady_clock::now();
  ASSERT_TRUE(WaitUntil(seconds(3), [&] { return LiveIds("crashy").empty(); }));
  EXPECT_LE(steady_clock::now() - killed, milliseconds(2100));
  // Readers trimmed the index: no one else will.
  auto index = client_->Call({"EXISTS", prefix_ + "service:crashy"});
  ASSERT_TRUE(index);
  EXPECT_EQ(index->integer(), 0);
}

TEST_F(RegistryRedis, HeartbeatRecreatesAnEntryRedisLost) {
  RegistryOptions o = Options(seconds(2));
  o.heartbeat_interval = milliseconds(300);
  Registry r(*client_, {"users", "127.0.0.1", 41001, "1"}, o);
  ASSERT_TRUE(r.Start());
  ASSERT_TRUE(WaitUntil(seconds(1), [&] { return LiveIds("users").size() == 1; }));
  // As after a Redis restart without persistence.
  testing::DeleteKeys(*client_, prefix_);
  EXPECT_TRUE(WaitUntil(seconds(1), [&] { return LiveIds("users").size() == 1; }));
}

TEST_F(RegistryRedis, ReRegistersWhenRedisComesBack) {
  ClientOptions upstream = testing::StackRedisOptions();
  testing::TcpProxy proxy(upstream.url.host, upstream.url.port);
  proxy.Start();
  ClientOptions via = upstream;
  via.url.port = proxy.port();
  auto proxied = MakeClient(via);
  Registry r(*proxied, {"users", "127.0.0.1", 41001, "1"}, Options(seconds(2)));
  ASSERT_TRUE(r.Start());
  ASSERT_TRUE(WaitUntil(seconds(1), [&] { return LiveIds("users").size() == 1; }));

  proxy.Stop();  // Redis "down" for this registry only
  EXPECT_TRUE(WaitUntil(seconds(3), [&] { return LiveIds("users").empty(); }));
  proxy.Start();
  // Backoff after 2-3 s of failures is at most the 667 ms interval.
  EXPECT_TRUE(WaitUntil(seconds(2), [&] { return LiveIds("users").size() == 1; }));
  EXPECT_TRUE(r.Stop());
  EXPECT_TRUE(LiveIds("users").empty());
}

TEST_F(RegistryRedis, RedisDownNeverHangsRegisterOrStop) {
  ClientOptions down = testing::StackRedisOptions();
  down.url.port = testing::FreePort();
  auto client = MakeClient(down);
  Registry r(*client, {"users", "127.0.0.1", 41001, "1"}, Options(seconds(2)));
  const auto start = steady_clock::now();
  Status reg = r.Register();
  ASSERT_FALSE(reg);
  EXPECT_EQ(reg.error().code, ErrorCode::kUnavailable);
  ASSERT_TRUE(r.Start());
  std::this_thread::sleep_for(milliseconds(300));  // a few failing, logged beats
  Status stop = r.Stop();
  ASSERT_FALSE(stop);
  EXPECT_EQ(stop.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(steady_clock::now() - start, seconds(2));
}

TEST_F(RegistryRedis, RejectsBadRegistrations) {
  Registry bad(*client_, {"Not A Name", "127.0.0.1", 1, ""}, Options());
  EXPECT_EQ(bad.Register().error().code, ErrorCode::kInvalid);
  EXPECT_EQ(bad.Start().error().code, ErrorCode::kInvalid);
  Registry long_ttl(*client_, {"users", "127.0.0.1", 1, ""}, Options(seconds(30)));
  EXPECT_EQ(long_ttl.Start().error().field, "ttl");
}

TEST_F(RegistryRedis, PickRoundRobinsSkipsDeadAndExcluded) {
  Registry a(*client_, {"users", "127.0.0.1", 41001, "1"}, Options());
  Registry b(*client_, {"users", "127.0.0.1", 41002, "1"}, Options());
  ASSERT_TRUE(a.Register());
  ASSERT_TRUE(b.Register());
  Discovery d(*client_, Reader());
  std::set<std::string> seen;
  for (int k = 0; k < 4; ++k) seen.insert(d.Pick("users")->id);
  EXPECT_EQ(seen, (std::set<std::string>{a.id(), b.id()}));

  d.MarkDead(a.id());
  for (int k = 0; k < 4; ++k) EXPECT_EQ(d.Pick("users")->id, b.id());
  // Another reader's view is untouched: marks are local.
  Discovery other(*client_, Reader());
  seen.clear();
  for (int k = 0; k < 2; ++k) seen.insert(other.Pick("users")->id);
  EXPECT_TRUE(seen.contains(a.id()));

  EXPECT_EQ(d.Pick("users", {b.id()})->id, a.id());  // only a dead-marked one is left: try it
  auto none = d.Pick("users", {a.id(), b.id()});
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, ErrorCode::kUnavailable);
  auto unknown = d.Pick("nobody");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::kUnavailable);
}

TEST_F(RegistryRedis, PickServesFromItsShortCache) {
  Registry a(*client_, {"users", "127.0.0.1", 41001, "1"}, Options());
  ASSERT_TRUE(a.Register());
  DiscoveryOptions o = Reader();
  o.cache_ttl = milliseconds(500);
  Discovery d(*client_, o);
  ASSERT_EQ(d.Pick("users")->id, a.id());
  ASSERT_TRUE(a.Stop());
  EXPECT_EQ(d.Pick("users")->id, a.id());  // cached
  std::this_thread::sleep_for(milliseconds(550));
  EXPECT_FALSE(d.Pick("users"));  // refreshed
}

TEST_F(RegistryRedis, PickKeepsServingCachedInstancesWhileRedisIsDown) {
  Registry a(*client_, {"users", "127.0.0.1", 41001, "1"}, Options(seconds(2)));
  ASSERT_TRUE(a.Register());
  ClientOptions upstream = testing::StackRedisOptions();
  testing::TcpProxy proxy(upstream.url.host, upstream.url.port);
  proxy.Start();
  ClientOptions via = upstream;
  via.url.port = proxy.port();
  auto proxied = MakeClient(via);
  DiscoveryOptions o = Reader();
  o.cache_ttl = milliseconds(100);
  Discovery d(*proxied, o);
  ASSERT_EQ(d.Pick("users")->id, a.id());
  proxy.Stop();
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_FALSE(d.Live("users"));
  auto stale = d.Pick("users");
  ASSERT_TRUE(stale) << stale.error().message;
  EXPECT_EQ(stale->id, a.id());
  std::this_thread::sleep_for(seconds(2));  // past the entry's own expiry
  auto gone = d.Pick("users");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace made0::redis
