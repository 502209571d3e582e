#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "made0/redis/client.hpp"
#include "made0/redis/script.hpp"
#include "made0/testing/stack_env.hpp"
#include "redistest_support.hpp"

namespace made0::redis {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

class ClientRedis : public ::testing::Test {
 protected:
  void TearDown() override { testing::DeleteKeys(*client_, prefix_); }

  std::unique_ptr<Client> client_ = MakeClient(testing::StackRedisOptions());
  std::string prefix_ = made0::testing::UniqueName("made0test:") + ":";
};

TEST_F(ClientRedis, PingAndBinarySafeArguments) {
  ASSERT_TRUE(client_->Ping());
  // NUL, CRLF, and format directives that a printf-style API would interpret.
  const std::string key = prefix_ + "a key %s\r\n";
  const std::string value("v\0al\r\n%n%s%b", 13);
  auto set = client_->Call({"SET", key, value});
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_EQ(*set, Reply::MakeStatus("OK"));
  auto get = client_->Call({"GET", key});
  ASSERT_TRUE(get);
  EXPECT_EQ(get->text(), value);
  auto missing = client_->Call({"GET", prefix_ + "missing"});
  ASSERT_TRUE(missing);
  EXPECT_TRUE(missing->is_nil());
}

TEST_F(ClientRedis, ErrorRepliesAreValuesForCommandAndErrorsForCall) {
  const std::string key = prefix_ + "text";
  ASSERT_TRUE(client_->Call({"SET", key, "not a number"}));
  auto raw = client_->Command({"INCR", key});
  ASSERT_TRUE(raw);
  EXPECT_TRUE(raw->is_error());
  EXPECT_EQ(raw->text().rfind("ERR", 0), 0u) << raw->text();
  auto call = client_->Call({"INCR", key});
  ASSERT_FALSE(call);
  EXPECT_EQ(call.error().code, ErrorCode::kInternal);
  EXPECT_FALSE(client_->Command({}));
  // The connection is still good after an error reply.
  EXPECT_TRUE(client_->Ping());
}

TEST_F(ClientRedis, ArraysAndIntegers) {
  const std::string key = prefix_ + "list";
  ASSERT_EQ(client_->Call({"RPUSH", key, "a", "", "c"})->integer(), 3);
  auto range = client_->Call({"LRANGE", key, "0", "-1"});
  ASSERT_TRUE(range);
  EXPECT_EQ(*range, Reply::MakeArray(
                        {Reply::MakeString("a"), Reply::MakeString(""), Reply::MakeString("c")}));
}

TEST_F(ClientRedis, SelectsTheDatabaseFromTheUrl) {
  ClientOptions db1 = testing::StackRedisOptions();
  db1.url.db = 1;
  auto other = MakeClient(db1);
  const std::string key = prefix_ + "db";
  ASSERT_TRUE(other->Call({"SET", key, "in db 1", "PX", "60000"}));
  EXPECT_TRUE(client_->Call({"GET", key})->is_nil());
  EXPECT_EQ(other->Call({"GET", key})->text(), "in db 1");
  ASSERT_TRUE(other->Call({"DEL", key}));
}

TEST_F(ClientRedis, DownRedisIsUnavailableQuickly) {
  ClientOptions options = testing::StackRedisOptions();
  options.url.port = testing::FreePort();
  auto down = MakeClient(options);
  for (int k = 0; k < 3; ++k) {
    const auto start = steady_clock::now();
    auto r = down->Command({"GET", "x"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
    EXPECT_LT(steady_clock::now() - start, milliseconds(500)) << r.error().message;
    EXPECT_FALSE(down->Ping());
  }
}

TEST_F(ClientRedis, SilentServerTimesOut) {
  // A socket that accepts connections (the kernel does, through the backlog) and never answers.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
  ASSERT_EQ(listen(fd, 16), 0);
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ClientOptions options = testing::StackRedisOptions();
  options.url.port = ntohs(a.sin_port);
  options.command_timeout = milliseconds(300);
  auto silent = MakeClient(options);
  const auto start = steady_clock::now();
  auto r = silent->Command({"PING"});
  const auto took = steady_clock::now() - start;
  close(fd);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(r.error().message.find("no answer within 300ms"), std::string::npos)
      << r.error().message;
  EXPECT_GE(took, milliseconds(250));
  EXPECT_LT(took, milliseconds(1000));
}

TEST_F(ClientRedis, KilledConnectionIsReplacedBeforeReuse) {
  ClientOptions options = testing::StackRedisOptions();
  options.pool_size = 1;
  auto one = MakeClient(options);
  auto id = one->Call({"CLIENT", "ID"});
  ASSERT_TRUE(id);
  ASSERT_TRUE(client_->Call({"CLIENT", "KILL", "ID", std::to_string(id->integer())}));
  auto again = one->Call({"CLIENT", "ID"});
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_NE(again->integer(), id->integer());
}

TEST_F(ClientRedis, ServerGoingAwayAndComingBack) {
  ClientOptions upstream = testing::StackRedisOptions();
  testing::TcpProxy proxy(upstream.url.host, upstream.url.port);
  proxy.Start();
  ClientOptions options = upstream;
  options.url.port = proxy.port();
  auto client = MakeClient(options);
  ASSERT_TRUE(client->Ping());

  proxy.Stop();
  const auto start = steady_clock::now();
  Status down = client->Ping();
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(steady_clock::now() - start, milliseconds(500));

  proxy.Start();
  Status back = client->Ping();
  EXPECT_TRUE(back) << back.error().message;
}

TEST_F(ClientRedis, PoolIsSharedSafelyByThreads) {
  ClientOptions options = testing::StackRedisOptions();
  options.pool_size = 3;
  auto pool = MakeClient(options);
  const std::string key = prefix_ + "counter";
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int k = 0; k < 100; ++k) {
        if (!pool->Call({"INCR", key})) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(pool->Call({"GET", key})->AsInteger(), 800);
}

TEST_F(ClientRedis, BusyPoolMakesCallersWait) {
  ClientOptions options = testing::StackRedisOptions();
  options.pool_size = 1;
  auto pool = MakeClient(options);
  const std::string key = prefix_ + "queue";
  std::thread blocker([&] { (void)pool->Call({"BLPOP", key, "0.7"}); });
  std::this_thread::sleep_for(milliseconds(200));
  const auto start = steady_clock::now();
  EXPECT_TRUE(pool->Ping());  // waits for the only connection
  EXPECT_GE(steady_clock::now() - start, milliseconds(250));
  blocker.join();
}

TEST_F(ClientRedis, ScriptFallsBackToEvalThenRunsBySha1) {
  // The unique comment makes a script this server has never seen, so the first Run meets
  // NOSCRIPT without flushing the script cache under other tests' feet.
  const Script script("-- " + prefix_ +
                      "\nredis.call('SET', KEYS[1], ARGV[1]) return {ARGV[1], #KEYS}");
  EXPECT_EQ(script.sha1().size(), 40u);
  auto known = client_->Call({"SCRIPT", "EXISTS", script.sha1()});
  ASSERT_TRUE(known);
  ASSERT_EQ(known->elements().at(0).integer(), 0);
  const std::string key = prefix_ + "scripted";
  auto r = script.Run(*client_, {key}, {"one"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, Reply::MakeArray({Reply::MakeString("one"), Reply::MakeInteger(1)}));
  known = client_->Call({"SCRIPT", "EXISTS", script.sha1()});
  ASSERT_TRUE(known);
  EXPECT_EQ(known->elements().at(0).integer(), 1);  // our SHA1 is the one Redis computed
  r = script.Run(*client_, {key}, {"two"});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(client_->Call({"GET", key})->text(), "two");

  const Script failing("return redis.call('INCR', KEYS[1])");
  auto e = failing.Run(*client_, {key}, {});
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::kInternal);
}

}  // namespace
}  // namespace made0::redis
