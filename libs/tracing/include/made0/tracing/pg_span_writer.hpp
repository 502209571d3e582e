#pragma once
// PgSpanWriter: the SpanSink services use in production. It writes spans to PostgreSQL (schema
// `tracing`, table spans) off the request path: Record only appends to a bounded in-memory queue,
// and a background thread writes batches (every batch_size spans or flush_interval, whichever
// comes first) with one multi-row INSERT each.
//
//   if (auto st = tracing::ApplyTracingSchema(db); !st) Fatal(st.error().message);
//   tracing::PgSpanWriter spans(db);
//   spans.Record(std::move(span));      // never blocks on the database
//   ...
//   spans.Stop();                       // writes what is queued, then stops (also the destructor)
//
// Tracing must never slow or break requests, so spans are dropped, and counted, rather than
// waited for: when the queue is full, and when a batch still fails after max_attempts (logged).
// The same thread deletes spans older than `retention` every cleanup_interval, so the table
// does not grow without bound (every writer does; they only race to delete the same rows).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "made0/core/status.hpp"
#include "made0/pg/database.hpp"
#include "made0/pg/migrations.hpp"
#include "made0/tracing/span.hpp"

namespace made0::tracing {

inline constexpr const char* kTracingSchema = "tracing";

// TracingMigrations create <schema>.spans(trace_id, span_id, parent_span_id, name, service,
// instance, start_time, duration_us, error, kind, attributes), keyed by (trace_id, span_id) (which
// also serves "spans of one trace"), with an index on start_time for "recent traces".
std::vector<pg::Migration> TracingMigrations(std::string_view schema = kTracingSchema);
// ApplyTracingSchema applies them; every service calls it at start-up (safe concurrently).
Status ApplyTracingSchema(pg::Database& db, std::string schema = kTracingSchema);

namespace detail {
class SpanQueue;
}

struct PgSpanWriterOptions {
  std::string schema = kTracingSchema;
  std::size_t queue_capacity = 10'000;
  std::size_t batch_size = 200;
  std::chrono::milliseconds flush_interval{500};
  int max_attempts = 3;  // per batch, then the batch is dropped
  std::chrono::milliseconds retry_delay{100};
  std::chrono::milliseconds retention{std::chrono::hours(24 * 7)};  // 0: keep every span
  std::chrono::milliseconds cleanup_interval{std::chrono::minutes(10)};
};

class PgSpanWriter final : public SpanSink {
 public:
  // PgSpanWriter starts its thread at once; db must outlive it.
  explicit PgSpanWriter(pg::Database& db, PgSpanWriterOptions options = {});
  ~PgSpanWriter() override;
  PgSpanWriter(const PgSpanWriter&) = delete;
  PgSpanWriter& operator=(const PgSpanWriter&) = delete;

  // SpanSink
  void Record(Span span) override;

  // Flush returns once every span recorded before the call is written or dropped.
  void Flush();
  // Stop flushes and ends the thread; later spans are dropped. If the database fails while
  // stopping, the rest of the queue is dropped rather than retried, so Stop stays bounded.
  void Stop();
  // Cleanup deletes the spans that started more than `retention` ago, in bounded batches, and
  // returns how many (the writer's thread calls it every cleanup_interval). Throws pg::Error.
  std::int64_t Cleanup();

  struct Counters {
    std::uint64_t recorded = 0;        // accepted into the queue
    std::uint64_t written = 0;         // inserted
    std::uint64_t dropped_full = 0;    // refused because the queue was full (or stopped)
    std::uint64_t dropped_failed = 0;  // lost with a batch that could not be written
    std::uint64_t deleted_old = 0;     // deleted by Cleanup for being older than the retention
  };
  Counters GetCounters() const;

 private:
  void Run();
  bool WriteBatch(const std::vector<Span>& batch);  // false: dropped after max_attempts
  bool Stopping() const;
  void Insert(const std::vector<Span>& batch);
  void MaybeCleanup(std::chrono::steady_clock::time_point now);

  pg::Database& db_;
  const PgSpanWriterOptions options_;

  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable flushed_;
  std::unique_ptr<detail::SpanQueue> queue_;
  bool stopping_ = false;
  bool stopped_ = false;
  std::uint64_t flush_requested_ = 0;
  std::uint64_t flush_done_ = 0;
  std::chrono::steady_clock::time_point next_cleanup_;
  std::thread thread_;

  std::atomic<std::uint64_t> recorded_{0};
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> dropped_full_{0};
  std::atomic<std::uint64_t> dropped_failed_{0};
  std::atomic<std::uint64_t> deleted_old_{0};
};

}  // namespace made0::tracing
