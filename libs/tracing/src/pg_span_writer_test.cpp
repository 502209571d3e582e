// PgSpanWriter without a database: Record must stay cheap and non-blocking, and spans that cannot
// be queued or written are dropped and counted. No server is needed: the "database" is either a
// port nobody listens on or a socket that accepts and never answers.
#include "made0/tracing/pg_span_writer.hpp"

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace made0::tracing {
namespace {

using namespace std::chrono_literals;

Span Sample(int i) {
  Span s;
  s.trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
  s.span_id = "00f067aa0ba9" + std::to_string(1000 + i);
  s.name = "op";
  s.service = "test";
  return s;
}

TEST(PgSpanWriter, DropsAndCountsWhenTheQueueIsFull) {
  pg::Database db("postgresql://made0@127.0.0.1:1/made0", 1);
  PgSpanWriter writer(db, {.queue_capacity = 3,
                           .batch_size = 100,
                           .flush_interval = std::chrono::hours(1),
                           .max_attempts = 2,
                           .retry_delay = 1ms,
                           .retention = 0ms});  // no clean-up rounds to fail as well
  for (int i = 0; i < 5; ++i) writer.Record(Sample(i));
  auto c = writer.GetCounters();
  EXPECT_EQ(c.recorded, 3u);
  EXPECT_EQ(c.dropped_full, 2u);
  EXPECT_EQ(c.written, 0u);

  writer.Flush();  // the write fails (connection refused): the batch is dropped and counted
  c = writer.GetCounters();
  EXPECT_EQ(c.dropped_failed, 3u);
  EXPECT_EQ(c.written, 0u);

  writer.Record(Sample(9));  // room again
  writer.Stop();
  writer.Record(Sample(10));  // after Stop: dropped
  c = writer.GetCounters();
  EXPECT_EQ(c.recorded, 4u);
  EXPECT_EQ(c.dropped_failed, 4u);
  EXPECT_EQ(c.dropped_full, 3u);
}

TEST(PgSpanWriter, RecordDoesNotWaitForAStuckDatabase) {
  // Accepts TCP connections (kernel backlog) but never speaks: a write hangs until
  // connect_timeout.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  pg::Database db("postgresql://made0@127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/x",
                  pg::DatabaseOptions{.pool_size = 1, .connect_timeout = 2s});
  {
    PgSpanWriter writer(
        db, {.queue_capacity = 1000, .batch_size = 1, .max_attempts = 1, .retention = 0ms});
    writer.Record(Sample(0));  // the writer thread picks it up and blocks connecting
    std::this_thread::sleep_for(100ms);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 1; i <= 5000; ++i) writer.Record(Sample(i));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
    const auto c = writer.GetCounters();
    EXPECT_EQ(c.recorded + c.dropped_full, 5001u);
    EXPECT_GE(c.dropped_full, 4000u);
    EXPECT_EQ(c.written, 0u);
  }  // Stop: the stuck batch fails at connect_timeout and the rest is dropped, not retried
  ::close(fd);
}

}  // namespace
}  // namespace made0::tracing
