#include "made0/saga/pg_saga_store.hpp"

#include <stdexcept>
#include <utility>

namespace made0::saga {
namespace {

constexpr const char* kColumns =
    "id, type, status, phase, step_index, attempt, uncertain, failed_step, next_run_at, "
    "step_deadline, correlation_id, reply, input, data, error, lease_epoch";

SagaRecord FromRow(const pg::Row& row) {
  SagaRecord s;
  s.id = row.Get<std::string>("id");
  s.type = row.Get<std::string>("type");
  const auto status = ParseStatus(row.Get<std::string>("status"));
  const auto phase = ParsePhase(row.Get<std::string>("phase"));
  if (!status || !phase) throw std::runtime_error("saga " + s.id + " has an unknown state");
  s.status = *status;
  s.phase = *phase;
  s.cursor = row.Get<int>("step_index");
  s.attempt = row.Get<int>("attempt");
  s.uncertain = row.Get<bool>("uncertain");
  s.failed_step = row.Get<int>("failed_step");
  s.next_run_at = row.Get<SystemTime>("next_run_at");
  s.step_deadline = row.Get<std::optional<SystemTime>>("step_deadline");
  s.correlation_id = row.Get<std::string>("correlation_id");
  s.reply = row.Get<std::optional<nlohmann::json>>("reply");
  s.input = row.Get<nlohmann::json>("input");
  s.data = row.Get<nlohmann::json>("data");
  s.error = row.Get<std::string>("error");
  return s;
}

pg::Param Json(const std::optional<nlohmann::json>& j) {
  if (!j) return pg::Param(nullptr);
  return pg::Param(*j);
}

// TextArray renders identifiers as a Postgres array literal (types are identifiers: no quoting).
std::string TextArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += '"' + items[i] + '"';
  }
  return out + "}";
}

// kStateParams: $1 id, $2 epoch, $3..$15 the saga's state (with $15 the time of the write); each
// logged transition then takes kEventParams more.
constexpr int kStateParams = 15;
constexpr int kEventParams = 7;

// TransitionSql updates the saga row and appends `events` log entries, numbered in order, in one
// statement; owner_sql sets the claim's columns.
std::string TransitionSql(const std::string& schema, const std::string& owner_sql, int events) {
  std::string sql =
      "WITH u AS (UPDATE " + schema +
      ".sagas SET status = $3, phase = $4, step_index = $5, attempt = $6, uncertain = $7, "
      "failed_step = $8, "
      // Due before and due now: the old value says as much, and leaves the index alone.
      "next_run_at = CASE WHEN next_run_at <= $15 AND $9::timestamptz <= $15 THEN next_run_at "
      "ELSE $9::timestamptz END, finished = ($4 = 'done'), "
      "step_deadline = $10, correlation_id = $11, "
      "reply = $12::jsonb, data = $13::jsonb, error = $14, updated_at = $15, " +
      owner_sql + ", version = version + " + std::to_string(events) +
      " WHERE id = $1 AND lease_epoch = $2 RETURNING id, version)";
  auto insert = [&](int i) {
    const auto p = [&](int k) { return "$" + std::to_string(kStateParams + i * kEventParams + k); };
    return "INSERT INTO " + schema +
           ".saga_events (saga_id, seq, at, kind, step, step_name, attempt, duration_ms, error, "
           "detail) SELECT id, version - " +
           std::to_string(events - 1 - i) + ", $15, " + p(1) + ", " + p(2) + "::int, " + p(3) +
           ", " + p(4) + "::int, " + p(5) + "::double precision, " + p(6) + ", " + p(7) +
           "::jsonb FROM u RETURNING seq";
  };
  for (int i = 0; i + 1 < events; ++i) sql += ", e" + std::to_string(i) + " AS (" + insert(i) + ")";
  return sql + " " + insert(events - 1);
}

std::vector<pg::Param> TransitionParams(const Claim& claim, const SagaRecord& n,
                                        const std::vector<Logged>& logs, SystemTime now) {
  std::vector<pg::Param> params = {claim.record.id,
                                   claim.epoch,
                                   std::string(ToString(n.status)),
                                   std::string(ToString(n.phase)),
                                   n.cursor,
                                   n.attempt,
                                   n.uncertain,
                                   n.failed_step,
                                   n.next_run_at,
                                   pg::Param(n.step_deadline),
                                   n.correlation_id,
                                   Json(n.reply),
                                   n.data,
                                   n.error,
                                   now};
  for (const Logged& l : logs) {
    params.emplace_back(l.log->kind);
    params.emplace_back(l.log->step);
    params.emplace_back(l.step_name);
    params.emplace_back(l.log->attempt);
    params.emplace_back(pg::Param(l.duration_ms));
    params.emplace_back(l.log->error);
    params.emplace_back(l.log->detail);
  }
  return params;
}

}  // namespace

std::vector<pg::Migration> SagaMigrations(int first_version) {
  return {
      {first_version, "sagas",
       "CREATE TABLE sagas ("
       "  id text PRIMARY KEY,"
       "  type text NOT NULL,"
       "  status text NOT NULL,"
       "  phase text NOT NULL,"
       "  step_index int NOT NULL DEFAULT 0,"
       "  attempt int NOT NULL DEFAULT 0,"
       "  uncertain bool NOT NULL DEFAULT false,"
       "  failed_step int NOT NULL DEFAULT -1,"
       "  next_run_at timestamptz NOT NULL,"
       "  step_deadline timestamptz,"
       "  correlation_id text NOT NULL DEFAULT '',"
       "  reply jsonb,"
       "  input jsonb NOT NULL,"
       "  data jsonb NOT NULL,"
       "  error text NOT NULL DEFAULT '',"
       "  owner text,"
       "  lease_until timestamptz,"
       "  lease_epoch bigint NOT NULL DEFAULT 0,"
       "  version bigint NOT NULL DEFAULT 0,"
       "  created_at timestamptz NOT NULL,"
       "  updated_at timestamptz NOT NULL);"
       "CREATE INDEX sagas_due ON sagas (next_run_at) WHERE phase <> 'done';"
       "CREATE INDEX sagas_awaiting ON sagas (correlation_id) WHERE phase = 'awaiting_reply';"
       "CREATE INDEX sagas_created ON sagas (created_at DESC);"
       "CREATE TABLE saga_events ("
       "  saga_id text NOT NULL REFERENCES sagas(id) ON DELETE CASCADE,"
       "  seq bigint NOT NULL,"
       "  at timestamptz NOT NULL,"
       "  kind text NOT NULL,"
       "  step int NOT NULL,"
       "  step_name text NOT NULL,"
       "  attempt int NOT NULL,"
       "  duration_ms double precision,"
       "  error text NOT NULL DEFAULT '',"
       "  detail jsonb NOT NULL DEFAULT '{}',"
       "  PRIMARY KEY (saga_id, seq))"},
      // Most transitions of a running saga now change no indexed column (sagas_due and
      // sagas_awaiting no longer depend on phase, and a saga that stays due keeps its
      // next_run_at), so PostgreSQL updates the row in place (HOT) without touching the indexes;
      // fillfactor leaves pages room for that. Events reach saga_events only through the same
      // statement that updated their saga, so the foreign key checked nothing that could fail,
      // at the price of a row lock per event.
      {first_version + 1, "saga log: in-place updates",
       "ALTER TABLE saga_events DROP CONSTRAINT IF EXISTS saga_events_saga_id_fkey;"
       "ALTER TABLE sagas ADD COLUMN finished boolean NOT NULL DEFAULT false;"
       "UPDATE sagas SET finished = true WHERE phase = 'done';"
       "DROP INDEX sagas_due;"
       "CREATE INDEX sagas_due ON sagas (next_run_at) WHERE NOT finished;"
       "DROP INDEX sagas_awaiting;"
       "CREATE INDEX sagas_awaiting ON sagas (correlation_id);"
       "ALTER TABLE sagas SET (fillfactor = 60)"},
  };
}

PgSagaStore::PgSagaStore(pg::Database& db, std::string schema)
    : db_(db), schema_(std::move(schema)), channel_(schema_ + "_sagas") {
  if (!pg::IsValidIdentifier(schema_)) throw std::invalid_argument("bad schema name " + schema_);
}

bool PgSagaStore::Insert(pg::Transaction& tx, const SagaRecord& s, SystemTime now) {
  const pg::Rows rows = tx.Exec(
      "WITH i AS (INSERT INTO " + schema_ +
          ".sagas (id, type, status, phase, next_run_at, input, data, created_at, updated_at) "
          "VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8, $8) ON CONFLICT (id) DO NOTHING "
          "RETURNING id) INSERT INTO " +
          schema_ +
          ".saga_events (saga_id, seq, at, kind, step, step_name, attempt) "
          "SELECT id, 0, $8, 'saga_started', -1, '', 0 FROM i RETURNING saga_id",
      {s.id, s.type, std::string(ToString(s.status)), std::string(ToString(s.phase)), s.next_run_at,
       s.input, s.data, now});
  if (rows.empty()) return false;
  tx.Exec("SELECT pg_notify($1, '')", {channel_});
  return true;
}

bool PgSagaStore::Insert(const SagaRecord& s, SystemTime now) {
  return db_.InTransaction([&](pg::Transaction& tx) { return Insert(tx, s, now); });
}

std::optional<Claim> PgSagaStore::ClaimDue(const std::string& owner, SystemTime now,
                                           std::chrono::milliseconds lease,
                                           const std::vector<std::string>& types) {
  const pg::Rows rows =
      db_.Exec("UPDATE " + schema_ +
                   ".sagas SET owner = $1, lease_until = $2, lease_epoch = lease_epoch + 1 "
                   "WHERE id = (SELECT id FROM " +
                   schema_ +
                   ".sagas WHERE NOT finished AND next_run_at <= $3 "
                   "AND (lease_until IS NULL OR lease_until < $3) AND type = ANY($4::text[]) "
                   "ORDER BY next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING " +
                   kColumns,
               {owner, now + lease, now, TextArray(types)});
  if (rows.empty()) return std::nullopt;
  return Claim{FromRow(rows[0]), rows[0].Get<std::int64_t>("lease_epoch")};
}

bool PgSagaStore::Write(const Claim& claim, const SagaRecord& next, const LogEntry& log,
                        const std::string& step_name, std::optional<double> duration_ms,
                        bool keep_lease, SystemTime now, std::chrono::milliseconds lease,
                        const std::string& owner) {
  return Write(claim, next, {{&log, step_name, duration_ms}}, keep_lease, now, lease, owner);
}

bool PgSagaStore::Write(const Claim& claim, const SagaRecord& next, const std::vector<Logged>& logs,
                        bool keep_lease, SystemTime now, std::chrono::milliseconds lease,
                        const std::string& owner) {
  if (logs.empty()) throw std::invalid_argument("PgSagaStore::Write needs a log entry");
  std::vector<pg::Param> params = TransitionParams(claim, next, logs, now);
  std::string owner_sql = "owner = NULL, lease_until = NULL";
  if (keep_lease) {
    const int n = static_cast<int>(params.size());
    params.emplace_back(owner);
    params.emplace_back(now + lease);
    owner_sql = "owner = $" + std::to_string(n + 1) + ", lease_until = $" + std::to_string(n + 2);
  }
  const int events = static_cast<int>(logs.size());
  const pg::Rows rows = db_.Exec(TransitionSql(schema_, owner_sql, events), std::move(params));
  return !rows.empty();
}

void PgSagaStore::Release(const Claim& claim) {
  db_.Exec("UPDATE " + schema_ +
               ".sagas SET owner = NULL, lease_until = NULL WHERE id = $1 AND lease_epoch = $2",
           {claim.record.id, claim.epoch});
}

void PgSagaStore::ExtendLeases(const std::string& owner, const std::vector<std::string>& ids,
                               SystemTime until) {
  if (ids.empty()) return;
  db_.Exec(
      "UPDATE " + schema_ + ".sagas SET lease_until = $2 WHERE owner = $1 AND id = ANY($3::text[])",
      {owner, until, TextArray(ids)});
}

bool PgSagaStore::DeliverReply(const std::string& correlation_id, const nlohmann::json& reply,
                               SystemTime now) {
  return db_.InTransaction([&](pg::Transaction& tx) {
    const pg::Rows rows = tx.Exec("UPDATE " + schema_ +
                                      ".sagas SET reply = $2::jsonb, next_run_at = $3 "
                                      "WHERE correlation_id = $1 AND phase = 'awaiting_reply' "
                                      "AND reply IS NULL RETURNING id",
                                  {correlation_id, reply, now});
    if (rows.empty()) return false;
    tx.Exec("SELECT pg_notify($1, '')", {channel_});
    return true;
  });
}

std::optional<Claim> PgSagaStore::LoadForUpdate(pg::Transaction& tx, const std::string& id) {
  const pg::Rows rows = tx.Exec(
      std::string("SELECT ") + kColumns + " FROM " + schema_ + ".sagas WHERE id = $1 FOR UPDATE",
      {id});
  if (rows.empty()) return std::nullopt;
  return Claim{FromRow(rows[0]), rows[0].Get<std::int64_t>("lease_epoch")};
}

void PgSagaStore::WriteIn(pg::Transaction& tx, const Claim& claim, const SagaRecord& next,
                          const LogEntry& log, const std::string& step_name, SystemTime now) {
  tx.Exec(TransitionSql(schema_, "owner = NULL, lease_until = NULL", 1),
          TransitionParams(claim, next, {{&log, step_name, std::nullopt}}, now));
  tx.Exec("SELECT pg_notify($1, '')", {channel_});
}

namespace {
SagaSummary SummaryFromRow(const pg::Row& row) {
  SagaSummary s;
  s.id = row.Get<std::string>("id");
  s.type = row.Get<std::string>("type");
  s.status = ParseStatus(row.Get<std::string>("status")).value_or(SagaStatus::kRunning);
  s.phase = ParsePhase(row.Get<std::string>("phase")).value_or(Phase::kReady);
  s.step = row.Get<int>("step_index");
  s.attempt = row.Get<int>("attempt");
  s.error = row.Get<std::string>("error");
  s.owner = row.Get<std::optional<std::string>>("owner").value_or("");
  s.created_at = row.Get<SystemTime>("created_at");
  s.updated_at = row.Get<SystemTime>("updated_at");
  return s;
}
constexpr const char* kSummaryColumns =
    "id, type, status, phase, step_index, attempt, error, owner, created_at, updated_at";
}  // namespace

std::optional<SagaView> PgSagaStore::Get(const std::string& id) {
  const pg::Rows rows = db_.Exec(std::string("SELECT ") + kColumns + ", owner, created_at, " +
                                     "updated_at FROM " + schema_ + ".sagas WHERE id = $1",
                                 {id});
  if (rows.empty()) return std::nullopt;
  SagaView view{SummaryFromRow(rows[0]), FromRow(rows[0]), {}};
  for (const pg::Row& e : db_.Exec("SELECT seq, at, kind, step, step_name, attempt, duration_ms, "
                                   "error, detail FROM " +
                                       schema_ + ".saga_events WHERE saga_id = $1 ORDER BY seq",
                                   {id})) {
    view.events.push_back(EventView{e.Get<std::int64_t>("seq"), e.Get<SystemTime>("at"),
                                    e.Get<std::string>("kind"), e.Get<int>("step"),
                                    e.Get<std::string>("step_name"), e.Get<int>("attempt"),
                                    e.Get<std::optional<double>>("duration_ms"),
                                    e.Get<std::string>("error"), e.Get<nlohmann::json>("detail")});
  }
  return view;
}

std::vector<SagaSummary> PgSagaStore::List(const ListOptions& o) {
  const pg::Rows rows =
      db_.Exec(std::string("SELECT ") + kSummaryColumns + " FROM " + schema_ +
                   ".sagas WHERE ($1 = '' OR status = $1) AND ($2 = '' OR type = $2) "
                   "AND ($3 = '' OR starts_with(id, $3)) ORDER BY created_at DESC, id LIMIT $4",
               {o.status ? std::string(ToString(*o.status)) : std::string(), o.type, o.id_prefix,
                std::max(1, std::min(o.limit, 1000))});
  std::vector<SagaSummary> out;
  out.reserve(rows.size());
  for (const pg::Row& row : rows) out.push_back(SummaryFromRow(row));
  return out;
}

}  // namespace made0::saga
