#include "made0/tracing/pg_span_writer.hpp"

#include <stdexcept>

#include "made0/core/log.hpp"
#include "made0/pg/retention.hpp"
#include "span_queue.hpp"

namespace made0::tracing {

std::vector<pg::Migration> TracingMigrations(std::string_view schema) {
  const std::string s(schema);
  return {{1, "spans",
           "CREATE TABLE " + s +
               ".spans ("
               " trace_id text NOT NULL,"
               " span_id text NOT NULL,"
               " parent_span_id text,"  // NULL for a root span
               " name text NOT NULL,"
               " service text NOT NULL,"
               " instance text NOT NULL DEFAULT '',"
               " start_time timestamptz NOT NULL,"
               " duration_us bigint NOT NULL,"
               " error boolean NOT NULL DEFAULT false,"
               " kind text NOT NULL DEFAULT 'internal',"
               " attributes jsonb NOT NULL DEFAULT '{}',"
               " PRIMARY KEY (trace_id, span_id));"
               "CREATE INDEX spans_start_time_idx ON " +
               s + ".spans (start_time DESC);"}};
}

Status ApplyTracingSchema(pg::Database& db, std::string schema) {
  auto migrations = TracingMigrations(schema);
  return pg::ApplyMigrations(db, std::move(schema), migrations);
}

PgSpanWriter::PgSpanWriter(pg::Database& db, PgSpanWriterOptions options)
    : db_(db),
      options_(std::move(options)),
      queue_(std::make_unique<detail::SpanQueue>(options_.queue_capacity)) {
  if (!pg::IsValidIdentifier(options_.schema)) {
    throw std::invalid_argument("PgSpanWriter: invalid schema name " + options_.schema);
  }
  if (options_.batch_size < 1) throw std::invalid_argument("PgSpanWriter: batch_size < 1");
  next_cleanup_ = std::chrono::steady_clock::now() + options_.cleanup_interval;
  thread_ = std::thread([this] { Run(); });
}

PgSpanWriter::~PgSpanWriter() { Stop(); }

void PgSpanWriter::Record(Span span) {
  bool full = false;
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (stopping_ || !queue_->Push(std::move(span))) {
      full = true;
    } else {
      wake = queue_->size() >= options_.batch_size;
    }
  }
  if (full) {
    ++dropped_full_;
    return;
  }
  ++recorded_;
  if (wake) wake_.notify_one();
}

void PgSpanWriter::Flush() {
  std::unique_lock lock(mu_);
  if (stopped_) return;
  const std::uint64_t ticket = ++flush_requested_;
  wake_.notify_one();
  flushed_.wait(lock, [&] { return flush_done_ >= ticket || stopped_; });
}

void PgSpanWriter::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

bool PgSpanWriter::Stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

PgSpanWriter::Counters PgSpanWriter::GetCounters() const {
  return {recorded_.load(), written_.load(), dropped_full_.load(), dropped_failed_.load(),
          deleted_old_.load()};
}

void PgSpanWriter::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait_for(lock, options_.flush_interval, [&] {
      return stopping_ || queue_->size() >= options_.batch_size || flush_requested_ > flush_done_;
    });
    const bool stopping = stopping_;
    const std::uint64_t ticket = flush_requested_;
    // Drain everything queued so far; Record keeps appending meanwhile.
    while (!queue_->empty()) {
      std::vector<Span> batch = queue_->Take(options_.batch_size);
      lock.unlock();
      const bool ok = WriteBatch(batch);
      lock.lock();
      if (!ok && stopping_) {
        // The database is failing and we are shutting down: do not retry the rest.
        if (const auto n = queue_->Clear(); n > 0) {
          dropped_failed_ += n;
          log::Warn("tracing: dropped queued spans at shutdown", {{"spans", n}});
        }
      }
    }
    flush_done_ = ticket;
    if (!stopping) {
      lock.unlock();
      MaybeCleanup(std::chrono::steady_clock::now());
      lock.lock();
    }
    if (stopping) {
      stopped_ = true;
      flushed_.notify_all();
      return;
    }
    flushed_.notify_all();
  }
}

bool PgSpanWriter::WriteBatch(const std::vector<Span>& batch) {
  std::string last_error;
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    try {
      Insert(batch);
      written_ += batch.size();
      return true;
    } catch (const std::exception& e) {
      last_error = e.what();
    }
    if (attempt < options_.max_attempts && !Stopping()) {
      std::this_thread::sleep_for(options_.retry_delay * attempt);
    }
  }
  dropped_failed_ += batch.size();
  log::Warn("tracing: dropped a batch of spans that could not be written",
            {{"spans", batch.size()}, {"error", last_error}});
  return false;
}

void PgSpanWriter::MaybeCleanup(std::chrono::steady_clock::time_point now) {
  if (options_.retention.count() <= 0 || now < next_cleanup_) return;
  next_cleanup_ = now + options_.cleanup_interval;
  try {
    if (const std::int64_t n = Cleanup(); n > 0) {
      log::Info("tracing: deleted old spans", {{"spans", n}});
    }
  } catch (const std::exception& e) {
    log::Warn("tracing: deleting old spans failed; next round retries", {{"error", e.what()}});
  }
}

std::int64_t PgSpanWriter::Cleanup() {
  // Bounded batches, so that neither one statement's locks nor the writer's pause grow with a
  // backlog (a first start after a long time, or a lowered retention): up to 100,000 a round.
  constexpr int kBatch = 10'000;
  const auto age = std::chrono::duration_cast<std::chrono::seconds>(options_.retention);
  std::int64_t total = 0;
  for (int round = 0; round < 10; ++round) {
    const std::int64_t n =
        pg::DeleteOlderThan(db_, options_.schema, "spans", "start_time", age, kBatch);
    total += n;
    deleted_old_ += static_cast<std::uint64_t>(n);
    if (n < kBatch) break;
  }
  return total;
}

void PgSpanWriter::Insert(const std::vector<Span>& batch) {
  // One array per column, so the statement's text is the same for every batch size: it is
  // prepared once per connection, and planned once.
  constexpr int kColumns = 11;
  std::vector<std::vector<pg::Param>> columns(kColumns);
  for (auto& c : columns) c.reserve(batch.size());
  for (const Span& s : batch) {
    columns[0].emplace_back(s.trace_id);
    columns[1].emplace_back(s.span_id);
    columns[2].emplace_back(s.parent_span_id.empty() ? pg::Param(nullptr)
                                                     : pg::Param(s.parent_span_id));
    columns[3].emplace_back(s.name);
    columns[4].emplace_back(s.service);
    columns[5].emplace_back(s.instance);
    columns[6].emplace_back(s.start);
    columns[7].emplace_back(static_cast<std::int64_t>(s.duration.count()));
    columns[8].emplace_back(s.error);
    columns[9].emplace_back(s.kind);
    columns[10].emplace_back(s.attributes.is_object() ? s.attributes : nlohmann::json::object());
  }
  std::vector<pg::Param> params;
  params.reserve(kColumns);
  for (const auto& c : columns) params.push_back(pg::Param::Array(c));
  // A retried batch whose first attempt did commit must not fail on its own rows.
  db_.Exec("INSERT INTO " + options_.schema +
               ".spans (trace_id, span_id, parent_span_id, name, service, instance, start_time,"
               " duration_us, error, kind, attributes)"
               " SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
               " $6::text[], $7::timestamptz[], $8::bigint[], $9::boolean[], $10::text[],"
               " $11::jsonb[]) ON CONFLICT (trace_id, span_id) DO NOTHING",
           std::move(params));
}

}  // namespace made0::tracing
