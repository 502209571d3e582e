#include "made0/pg/listener.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "made0/pg/testing/test_database.hpp"

namespace made0::pg {
namespace {

using namespace std::chrono_literals;
using testing::Eventually;
using testing::TestDatabase;

TEST(ListenerPg, CallsBackOnNotifyAfterCommitOnly) {
  TestDatabase t("pgt_listen_");
  const std::string channel = t.schema() + "_chan";
  std::atomic<int> calls{0};
  Listener listener(t.url(), channel, [&] { ++calls; });
  listener.Start();
  ASSERT_TRUE(Eventually([&] { return listener.Listening() && calls.load() == 1; }));

  t.db().Exec("SELECT pg_notify($1, '')", {channel});
  ASSERT_TRUE(Eventually([&] { return calls.load() == 2; }));

  // A notification inside a transaction that rolls back is never delivered.
  EXPECT_THROW(t.db().InTransaction([&](Transaction& tx) {
    tx.Exec("SELECT pg_notify($1, '')", {channel});
    throw std::runtime_error("roll back");
  }),
               std::runtime_error);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(calls.load(), 2);

  // Other channels do not wake us.
  t.db().Exec("SELECT pg_notify($1, '')", {channel + "_other"});
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(calls.load(), 2);

  const auto start = std::chrono::steady_clock::now();
  listener.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_FALSE(listener.Listening());
}

TEST(ListenerPg, ReconnectsAfterItsConnectionIsKilled) {
  TestDatabase t("pgt_relisten_");
  const std::string channel = t.schema() + "_chan";
  std::atomic<int> calls{0};
  Listener listener(
      t.url(), channel, [&] { ++calls; }, ListenerOptions{.reconnect_delay = 100ms});
  listener.Start();
  ASSERT_TRUE(Eventually([&] { return listener.Listening(); }));

  auto pids =
      t.db().Exec("SELECT pid FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND query LIKE $1",
                  {"%" + channel + "%"});
  ASSERT_EQ(pids.size(), 1u);
  t.db().Exec("SELECT pg_terminate_backend($1, 5000)", {pids[0].Get<int>(0)});
  ASSERT_TRUE(Eventually([&] { return listener.Reconnects() == 1 && listener.Listening(); }));

  const int before = calls.load();
  t.db().Exec("SELECT pg_notify($1, '')", {channel});
  EXPECT_TRUE(Eventually([&] { return calls.load() > before; }));
}

TEST(ListenerPg, KeepsRetryingWhileTheServerIsDown) {
  std::atomic<int> calls{0};
  Listener listener(
      "postgresql://made0@127.0.0.1:1/made0", "chan", [&] { ++calls; },
      ListenerOptions{.reconnect_delay = 50ms});
  listener.Start();
  std::this_thread::sleep_for(300ms);
  EXPECT_FALSE(listener.Listening());
  EXPECT_EQ(calls.load(), 0);
  listener.Stop();
  EXPECT_THROW(Listener("u", "Bad Channel", [] {}), std::invalid_argument);
}

}  // namespace
}  // namespace made0::pg
