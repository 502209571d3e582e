#include <gtest/gtest.h>

#include "made0/pg/testing/test_database.hpp"
#include "made0/tracing/pg_span_writer.hpp"
#include "made0/tracing/trace_query.hpp"

namespace made0::tracing {
namespace {

using namespace std::chrono_literals;
using pg::testing::TestDatabase;

const SystemTime kT0 = SystemTime{1'800'000'000s} + 123'456us;
// The writers of tests at kT0 keep every span: a retention would delete them once kT0 is past.
constexpr std::chrono::milliseconds kKeepAll{0};

Span MakeSpan(std::string trace, std::string id, std::string parent, std::string name,
              std::string service, std::chrono::microseconds offset,
              std::chrono::microseconds duration, bool error = false,
              std::string kind = "internal") {
  Span s;
  s.trace_id = std::move(trace);
  s.span_id = std::move(id);
  s.parent_span_id = std::move(parent);
  s.name = std::move(name);
  s.service = std::move(service);
  s.instance = s.service + "-1";
  s.start = kT0 + offset;
  s.duration = duration;
  s.error = error;
  s.kind = std::move(kind);
  return s;
}

class TracingPg : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(ApplyTracingSchema(t_.db(), t_.schema()).ok()); }
  TestDatabase t_{"tracing_"};
};

const std::string kTraceA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
const std::string kTraceB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";

TEST_F(TracingPg, WrittenBatchReadsBackAsTraces) {
  PgSpanWriter writer(t_.db(),
                      {.schema = t_.schema(), .flush_interval = 1h, .retention = kKeepAll});
  // Trace A: the console's request fans out to users, which fails. Recorded children first, as
  // real spans are (a span is recorded when it ends).
  Span db_span = MakeSpan(kTraceA, "000000000000000d", "000000000000000c", "INSERT accounts",
                          "users", 20ms, 10ms);
  db_span.attributes = {{"db.rows", 1}};
  writer.Record(db_span);
  writer.Record(MakeSpan(kTraceA, "000000000000000c", "000000000000000b", "POST /users", "users",
                         15ms, 40ms, true, "server"));
  writer.Record(MakeSpan(kTraceA, "000000000000000b", "000000000000000a", "call users", "frontend",
                         10ms, 50ms, false, "client"));
  writer.Record(MakeSpan(kTraceA, "000000000000000a", "", "POST /api/signup", "frontend", 0ms,
                         100ms, false, "server"));
  // Trace B, older: its parent was an untraced caller, so no span lacks a parent.
  writer.Record(MakeSpan(kTraceB, "0000000000000001", "00000000000000ff", "user.registered",
                         "verification", -1h, 5ms, false, "consumer"));
  writer.Record(MakeSpan(kTraceB, "0000000000000002", "0000000000000001", "send mail",
                         "verification", -1h + 1ms, 3ms));
  writer.Flush();
  EXPECT_EQ(writer.GetCounters().written, 6u);

  TraceQuery query(t_.db(), t_.schema());
  auto spans = query.GetTrace(kTraceA);
  ASSERT_TRUE(spans.ok()) << spans.error().message;
  ASSERT_EQ(spans->size(), 4u);
  EXPECT_EQ((*spans)[0].name, "POST /api/signup");
  EXPECT_EQ((*spans)[0].parent_span_id, "");
  EXPECT_EQ((*spans)[0].start, kT0);
  EXPECT_EQ((*spans)[0].duration, 100ms);
  EXPECT_EQ((*spans)[0].kind, "server");
  EXPECT_EQ((*spans)[0].instance, "frontend-1");
  EXPECT_EQ((*spans)[1].name, "call users");
  EXPECT_EQ((*spans)[2].name, "POST /users");
  EXPECT_TRUE((*spans)[2].error);
  EXPECT_EQ((*spans)[3].parent_span_id, "000000000000000c");
  EXPECT_EQ((*spans)[3].attributes, (nlohmann::json{{"db.rows", 1}}));

  auto recent = query.RecentTraces(10);
  ASSERT_TRUE(recent.ok()) << recent.error().message;
  ASSERT_EQ(recent->size(), 2u);
  const TraceSummary& a = (*recent)[0];  // newest first
  EXPECT_EQ(a.trace_id, kTraceA);
  EXPECT_EQ(a.root_name, "POST /api/signup");
  EXPECT_EQ(a.root_service, "frontend");
  EXPECT_EQ(a.start, kT0);
  EXPECT_EQ(a.duration, 100ms);
  EXPECT_EQ(a.span_count, 4);
  EXPECT_EQ(a.services, (std::vector<std::string>{"frontend", "users"}));
  EXPECT_TRUE(a.error);
  const TraceSummary& b = (*recent)[1];
  EXPECT_EQ(b.trace_id, kTraceB);
  EXPECT_EQ(b.root_name, "user.registered");
  EXPECT_EQ(b.root_service, "verification");
  EXPECT_EQ(b.duration, 5ms);
  EXPECT_EQ(b.span_count, 2);
  EXPECT_FALSE(b.error);

  auto one = query.RecentTraces(1);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].trace_id, kTraceA);

  auto missing = query.GetTrace("cccccccccccccccccccccccccccccccc");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST_F(TracingPg, WritesInBatchesAndToleratesARepeatedSpan) {
  PgSpanWriter writer(
      t_.db(),
      {.schema = t_.schema(), .batch_size = 50, .flush_interval = 1h, .retention = kKeepAll});
  for (int i = 0; i < 120; ++i) {
    char id[17];
    std::snprintf(id, sizeof id, "%016x", i + 1);
    writer.Record(MakeSpan(kTraceA, id, "", "op", "svc", std::chrono::milliseconds(i), 1ms));
  }
  // Full batches go out without Flush: wait for the first two.
  ASSERT_TRUE(pg::testing::Eventually([&] { return writer.GetCounters().written >= 100; }));
  writer.Record(MakeSpan(kTraceA, "0000000000000001", "", "op", "svc", 0ms, 1ms));  // again
  writer.Stop();  // flushes the rest
  EXPECT_EQ(writer.GetCounters().written, 121u);
  EXPECT_EQ(writer.GetCounters().dropped_failed, 0u);
  auto n = t_.db().Exec("SELECT count(*) FROM " + t_.schema() + ".spans");
  EXPECT_EQ(n[0].Get<int>(0), 120);
}

TEST_F(TracingPg, SpansOlderThanTheRetentionAreDeleted) {
  const SystemTime now = std::chrono::system_clock::now();
  PgSpanWriter writer(
      t_.db(),
      {.schema = t_.schema(), .flush_interval = 1h, .retention = 24h, .cleanup_interval = 1h});
  Span old_span = MakeSpan(kTraceA, "0000000000000001", "", "old", "svc", 0ms, 1ms);
  old_span.start = now - 25h;
  Span new_span = MakeSpan(kTraceB, "0000000000000002", "", "new", "svc", 0ms, 1ms);
  new_span.start = now - 23h;
  writer.Record(old_span);
  writer.Record(new_span);
  writer.Flush();
  ASSERT_EQ(writer.GetCounters().written, 2u);
  EXPECT_EQ(writer.Cleanup(), 1);
  EXPECT_EQ(writer.Cleanup(), 0);
  EXPECT_EQ(writer.GetCounters().deleted_old, 1u);
  auto left = t_.db().Exec("SELECT name FROM " + t_.schema() + ".spans");
  ASSERT_EQ(left.size(), 1u);
  EXPECT_EQ(left[0].Get<std::string>("name"), "new");
}

TEST_F(TracingPg, TheWriterCleansUpEveryInterval) {
  PgSpanWriter writer(
      t_.db(),
      {.schema = t_.schema(), .flush_interval = 20ms, .retention = 24h, .cleanup_interval = 50ms});
  Span old_span = MakeSpan(kTraceA, "0000000000000001", "", "old", "svc", 0ms, 1ms);
  old_span.start = std::chrono::system_clock::now() - 25h;
  writer.Record(old_span);
  EXPECT_TRUE(pg::testing::Eventually([&] { return writer.GetCounters().deleted_old == 1; }));
  EXPECT_EQ(writer.GetCounters().written, 1u);
  EXPECT_TRUE(t_.db().Exec("SELECT 1 FROM " + t_.schema() + ".spans").empty());
}

}  // namespace
}  // namespace made0::tracing
