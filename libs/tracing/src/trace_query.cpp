#include "made0/tracing/trace_query.hpp"

#include <algorithm>
#include <stdexcept>

namespace made0::tracing {

bool IsValidTraceId(std::string_view id) {
  if (id.size() != 32) return false;
  const bool hex = std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  return hex && id.find_first_not_of('0') != std::string_view::npos;
}

TraceQuery::TraceQuery(pg::Database& db, std::string schema) : db_(db), schema_(std::move(schema)) {
  if (!pg::IsValidIdentifier(schema_)) {
    throw std::invalid_argument("TraceQuery: invalid schema name " + schema_);
  }
}

Result<std::vector<TraceSummary>> TraceQuery::RecentTraces(int limit) {
  if (limit < 1 || limit > 1000) return Error::Invalid("limit", "limit must be 1 to 1000");
  const std::string& s = schema_;
  // recent: the traces of the latest spans (an index scan on start_time), newest first.
  // roots: per trace, the span without a parent, else the earliest whose parent is missing.
  const std::string sql =
      "WITH recent AS ("
      "  SELECT trace_id FROM (SELECT trace_id, start_time FROM " +
      s +
      ".spans"
      "    ORDER BY start_time DESC LIMIT $2) latest"
      "  GROUP BY trace_id ORDER BY max(start_time) DESC LIMIT $1),"
      " trace_spans AS (SELECT sp.* FROM " +
      s +
      ".spans sp JOIN recent USING (trace_id)),"
      " roots AS ("
      "  SELECT DISTINCT ON (p.trace_id) p.trace_id, p.name, p.service FROM trace_spans p"
      "  WHERE p.parent_span_id IS NULL OR NOT EXISTS (SELECT 1 FROM trace_spans q"
      "    WHERE q.trace_id = p.trace_id AND q.span_id = p.parent_span_id)"
      "  ORDER BY p.trace_id, (p.parent_span_id IS NULL) DESC, p.start_time, p.span_id),"
      " agg AS ("
      "  SELECT trace_id, min(start_time) AS start_time,"
      "    max(start_time + duration_us * interval '1 microsecond') AS end_time,"
      "    count(*) AS span_count,"
      "    to_json(array_agg(DISTINCT service ORDER BY service)) AS services,"
      "    bool_or(error) AS error"
      "  FROM trace_spans GROUP BY trace_id)"
      " SELECT a.trace_id, coalesce(r.name, '') AS root_name,"
      "   coalesce(r.service, '') AS root_service, a.start_time, a.end_time, a.span_count,"
      "   a.services, a.error"
      " FROM agg a LEFT JOIN roots r USING (trace_id)"
      " ORDER BY a.start_time DESC, a.trace_id";
  const int scan = std::min(limit * 50, 50'000);
  std::vector<TraceSummary> out;
  for (const pg::Row& row : db_.Exec(sql, {limit, scan})) {
    TraceSummary t;
    t.trace_id = row.Get<std::string>("trace_id");
    t.root_name = row.Get<std::string>("root_name");
    t.root_service = row.Get<std::string>("root_service");
    t.start = row.Get<SystemTime>("start_time");
    t.duration = std::chrono::duration_cast<std::chrono::microseconds>(
        row.Get<SystemTime>("end_time") - t.start);
    t.span_count = row.Get<int>("span_count");
    t.services = row.Get<nlohmann::json>("services").get<std::vector<std::string>>();
    t.error = row.Get<bool>("error");
    out.push_back(std::move(t));
  }
  return out;
}

Result<std::vector<Span>> TraceQuery::GetTrace(std::string_view trace_id) {
  if (!IsValidTraceId(trace_id)) {
    return Error::Invalid("trace_id", "a trace ID is 32 lowercase hex digits");
  }
  pg::Rows rows = db_.Exec(
      "SELECT trace_id, span_id, parent_span_id, name, service, instance, start_time,"
      " duration_us, error, kind, attributes FROM " +
          schema_ + ".spans WHERE trace_id = $1 ORDER BY start_time, span_id",
      {trace_id});
  if (rows.empty()) return Error::NotFound("no trace " + std::string(trace_id));
  std::vector<Span> out;
  out.reserve(rows.size());
  for (const pg::Row& row : rows) {
    Span s;
    s.trace_id = row.Get<std::string>("trace_id");
    s.span_id = row.Get<std::string>("span_id");
    s.parent_span_id = row.Get<std::optional<std::string>>("parent_span_id").value_or("");
    s.name = row.Get<std::string>("name");
    s.service = row.Get<std::string>("service");
    s.instance = row.Get<std::string>("instance");
    s.start = row.Get<SystemTime>("start_time");
    s.duration = std::chrono::microseconds(row.Get<std::int64_t>("duration_us"));
    s.error = row.Get<bool>("error");
    s.kind = row.Get<std::string>("kind");
    s.attributes = row.Get<nlohmann::json>("attributes");
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace made0::tracing
