#pragma once
// TraceQuery reads what PgSpanWriter wrote, for the console's trace views: a list of recent
// traces and the spans of one trace (a waterfall).
//
//   tracing::TraceQuery traces(db);
//   auto recent = traces.RecentTraces(50);          // newest first
//   auto spans = traces.GetTrace(trace_id);         // Invalid, NotFound, or spans by start time
//
// Database failures throw pg::ConnectionError (503 at the HTTP boundary), as everywhere.

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/clock.hpp"
#include "made0/core/status.hpp"
#include "made0/pg/database.hpp"
#include "made0/tracing/pg_span_writer.hpp"
#include "made0/tracing/span.hpp"

namespace made0::tracing {

struct TraceSummary {
  std::string trace_id;
  // The root span: the one without a parent, else (its parent came from an untraced caller, or
  // is not written yet) the earliest span whose parent is not in the trace.
  std::string root_name;
  std::string root_service;
  SystemTime start{};                     // earliest span start
  std::chrono::microseconds duration{0};  // latest span end minus start
  int span_count = 0;
  std::vector<std::string> services;  // distinct, sorted
  bool error = false;                 // any span failed
};

// IsValidTraceId: 32 lowercase hex digits, not all zero (W3C Trace Context).
bool IsValidTraceId(std::string_view trace_id);

class TraceQuery {
 public:
  explicit TraceQuery(pg::Database& db, std::string schema = kTracingSchema);

  // RecentTraces returns up to limit (1..1000, else Invalid) traces, newest first, among the
  // traces of the most recent spans (limit * 50 of them): cheap on a large table, and a trace
  // is listed once any of its spans is recent.
  Result<std::vector<TraceSummary>> RecentTraces(int limit);
  // GetTrace returns the spans of a trace ordered by start: Invalid for a malformed ID,
  // NotFound when there is no span of it.
  Result<std::vector<Span>> GetTrace(std::string_view trace_id);

 private:
  pg::Database& db_;
  std::string schema_;
};

}  // namespace made0::tracing
