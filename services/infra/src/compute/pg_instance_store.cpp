#include "made0/infra/compute/instance_store.hpp"

#include <utility>

#include "made0/infra/compute/placement.hpp"
#include "made0/outbox/outbox.hpp"

namespace made0::infra::compute {
namespace {

constexpr const char* kInstanceColumns =
    "id, saga_id, owner, cluster, region, availability_zone, subnet_id, private_ip, "
    "address_owner, instance_type, image, state, state_reason, endpoints, provider, created_at, "
    "updated_at";

InstanceRecord InstanceFromRow(const pg::Row& row) {
  InstanceRecord r;
  r.id = row.Get<std::string>("id");
  r.saga_id = row.Get<std::string>("saga_id");
  r.owner = row.Get<std::string>("owner");
  r.cluster = row.Get<std::string>("cluster");
  r.region = row.Get<std::string>("region");
  r.availability_zone = row.Get<std::string>("availability_zone");
  r.subnet_id = row.Get<std::string>("subnet_id");
  r.private_ip = row.Get<std::string>("private_ip");
  r.address_owner = row.Get<std::string>("address_owner");
  r.instance_type = row.Get<std::string>("instance_type");
  r.image = row.Get<std::string>("image");
  r.state = row.Get<std::string>("state");
  r.state_reason = row.Get<std::string>("state_reason");
  r.endpoints = row.Get<nlohmann::json>("endpoints");
  r.provider = row.Get<std::string>("provider");
  r.created_at = row.Get<SystemTime>("created_at");
  r.updated_at = row.Get<SystemTime>("updated_at");
  return r;
}

Cluster ClusterFromRow(const pg::Row& row) {
  return Cluster{row.Get<std::string>("owner"),
                 row.Get<std::string>("name"),
                 row.Get<std::string>("region"),
                 row.Get<std::string>("vpc_id"),
                 row.Get<std::optional<std::string>>("security_group_id").value_or(""),
                 row.Get<SystemTime>("created_at")};
}

}  // namespace

nlohmann::json ToJson(const InstanceRecord& r) {
  return {{"id", r.id},
          {"saga_id", r.saga_id},
          {"owner", r.owner},
          {"cluster", r.cluster},
          {"region", r.region},
          {"availability_zone", r.availability_zone},
          {"subnet_id", r.subnet_id},
          {"private_ip", r.private_ip},
          {"instance_type", r.instance_type},
          {"image", r.image},
          {"state", r.state},
          {"state_reason", r.state_reason},
          {"endpoints", r.endpoints},
          {"provider", r.provider},
          {"created_at", FormatRfc3339(r.created_at)},
          {"updated_at", FormatRfc3339(r.updated_at)}};
}

nlohmann::json ToJson(const Cluster& c) {
  return {{"owner", c.owner},
          {"name", c.name},
          {"region", c.region},
          {"vpc_id", c.vpc_id},
          {"security_group_id", c.security_group_id},
          {"created_at", FormatRfc3339(c.created_at)}};
}

PgInstanceStore::PgInstanceStore(pg::Database& db, std::string schema)
    : db_(db), schema_(std::move(schema)) {}

std::vector<pg::Migration> PgInstanceStore::Migrations() {
  return {
      {200, "clusters",
       "CREATE TABLE clusters ("
       "  owner text NOT NULL,"
       "  name text NOT NULL,"
       "  region text NOT NULL,"
       "  vpc_id text NOT NULL,"
       "  security_group_id text,"
       "  created_at timestamptz NOT NULL DEFAULT now(),"
       "  PRIMARY KEY (owner, name))"},
      {201, "instances",
       "CREATE TABLE instances ("
       "  id text PRIMARY KEY,"
       "  saga_id text NOT NULL,"
       "  owner text NOT NULL,"
       "  cluster text NOT NULL,"
       "  region text NOT NULL,"
       "  availability_zone text NOT NULL,"
       "  subnet_id text NOT NULL,"
       "  private_ip text NOT NULL,"
       "  address_owner text NOT NULL,"
       "  instance_type text NOT NULL,"
       "  image text NOT NULL,"
       "  state text NOT NULL,"
       "  endpoints jsonb NOT NULL DEFAULT '{}',"
       "  provider text NOT NULL,"
       "  created_at timestamptz NOT NULL DEFAULT now(),"
       "  updated_at timestamptz NOT NULL DEFAULT now(),"
       "  FOREIGN KEY (owner, cluster) REFERENCES clusters (owner, name));"
       "CREATE INDEX instances_cluster ON instances (owner, cluster)"},
      {202, "zone reservations",
       "CREATE TABLE placements ("
       "  saga_id text PRIMARY KEY,"
       "  owner text NOT NULL,"
       "  cluster text NOT NULL,"
       "  availability_zone text NOT NULL,"
       "  created_at timestamptz NOT NULL DEFAULT now(),"
       "  FOREIGN KEY (owner, cluster) REFERENCES clusters (owner, name));"
       "CREATE INDEX placements_cluster ON placements (owner, cluster)"},
      {203, "instance state reasons",
       "ALTER TABLE instances ADD COLUMN state_reason text NOT NULL DEFAULT ''"},
  };
}

Result<Cluster> PgInstanceStore::EnsureCluster(const Cluster& c) {
  const pg::Rows rows =
      db_.Exec("WITH i AS (INSERT INTO " + T("clusters") +
                   " (owner, name, region, vpc_id) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING "
                   "RETURNING *) SELECT * FROM i UNION ALL SELECT * FROM " +
                   T("clusters") + " WHERE owner = $1 AND name = $2",
               {c.owner, c.name, c.region, c.vpc_id});
  if (rows.empty()) return Error::Unavailable("cluster " + c.name + " is being created; retry");
  Cluster found = ClusterFromRow(rows[0]);
  if (found.region != c.region) {
    return Error{ErrorCode::kConflict,
                 "cluster " + c.name + " is in region " + found.region + ", not " + c.region,
                 "region"};
  }
  return found;
}

Result<Cluster> PgInstanceStore::GetCluster(const std::string& owner, const std::string& name) {
  const pg::Rows rows =
      db_.Exec("SELECT * FROM " + T("clusters") + " WHERE owner = $1 AND name = $2", {owner, name});
  if (rows.empty()) return Error::NotFound("no cluster " + name);
  return ClusterFromRow(rows[0]);
}

std::vector<Cluster> PgInstanceStore::ListClusters(const std::string& owner) {
  std::vector<Cluster> out;
  for (const pg::Row& row : db_.Exec(
           "SELECT * FROM " + T("clusters") + " WHERE ($1 = '' OR owner = $1) ORDER BY owner, name",
           {owner})) {
    out.push_back(ClusterFromRow(row));
  }
  return out;
}

Status PgInstanceStore::SetClusterSecurityGroup(const std::string& owner, const std::string& name,
                                                const std::string& group_id) {
  const pg::Rows rows = db_.Exec("UPDATE " + T("clusters") +
                                     " SET security_group_id = $3 WHERE owner = $1 AND name = $2 "
                                     "RETURNING name",
                                 {owner, name, group_id});
  if (rows.empty()) return Error::NotFound("no cluster " + name);
  return Status::Ok();
}

void PgInstanceStore::SaveInstance(const InstanceRecord& r) {
  db_.Exec("INSERT INTO " + T("instances") + " (" + kInstanceColumns +
               ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, "
               "now(), now()) ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, "
               "state_reason = EXCLUDED.state_reason, endpoints = EXCLUDED.endpoints, "
               "updated_at = now()",
           {r.id, r.saga_id, r.owner, r.cluster, r.region, r.availability_zone, r.subnet_id,
            r.private_ip, r.address_owner, r.instance_type, r.image, r.state, r.state_reason,
            r.endpoints, r.provider});
}

bool PgInstanceStore::DeleteInstance(const std::string& id) {
  return !db_.Exec("DELETE FROM " + T("instances") + " WHERE id = $1 RETURNING id", {id}).empty();
}

std::optional<InstanceRecord> PgInstanceStore::GetInstance(const std::string& id) {
  const pg::Rows rows = db_.Exec(
      std::string("SELECT ") + kInstanceColumns + " FROM " + T("instances") + " WHERE id = $1",
      {id});
  if (rows.empty()) return std::nullopt;
  return InstanceFromRow(rows[0]);
}

std::vector<InstanceRecord> PgInstanceStore::ListInstances(const InstanceFilter& f) {
  std::vector<InstanceRecord> out;
  for (const pg::Row& row :
       db_.Exec(std::string("SELECT ") + kInstanceColumns + " FROM " + T("instances") +
                    " WHERE ($1 = '' OR owner = $1) AND ($2 = '' OR cluster = $2) AND "
                    "($3 = '' OR region = $3) ORDER BY created_at, id",
                {f.owner, f.cluster, f.region})) {
    out.push_back(InstanceFromRow(row));
  }
  return out;
}

std::map<std::string, int> PgInstanceStore::CountByZone(const std::string& owner,
                                                        const std::string& cluster) {
  std::map<std::string, int> out;
  for (const pg::Row& row :
       db_.Exec("SELECT availability_zone, count(*)::int AS n FROM " + T("instances") +
                    " WHERE owner = $1 AND cluster = $2 GROUP BY availability_zone",
                {owner, cluster})) {
    out[row.Get<std::string>("availability_zone")] = row.Get<int>("n");
  }
  return out;
}

Result<std::string> PgInstanceStore::ReserveZone(const network::Region& region,
                                                 const std::string& owner,
                                                 const std::string& cluster,
                                                 const std::string& saga_id,
                                                 const std::string& requested) {
  return db_.InTransaction([&](pg::Transaction& tx) -> Result<std::string> {
    // The cluster's row is the lock: reservations for one cluster are decided one at a time.
    if (tx.Exec("SELECT name FROM " + T("clusters") + " WHERE owner = $1 AND name = $2 FOR UPDATE",
                {owner, cluster})
            .empty()) {
      return Error::NotFound("no cluster " + cluster);
    }
    const pg::Rows mine = tx.Exec(
        "SELECT availability_zone FROM " + T("placements") + " WHERE saga_id = $1", {saga_id});
    if (!mine.empty()) return mine[0].Get<std::string>("availability_zone");
    std::map<std::string, int> by_zone;
    for (const pg::Row& row :
         tx.Exec("SELECT availability_zone, count(*)::int AS n FROM " + T("placements") +
                     " WHERE owner = $1 AND cluster = $2 GROUP BY availability_zone",
                 {owner, cluster})) {
      by_zone[row.Get<std::string>("availability_zone")] = row.Get<int>("n");
    }
    auto zone = ChooseZone(region, requested, by_zone);
    if (!zone) return zone.error();
    tx.Exec("INSERT INTO " + T("placements") +
                " (saga_id, owner, cluster, availability_zone) VALUES ($1, $2, $3, $4)",
            {saga_id, owner, cluster, *zone});
    return *zone;
  });
}

void PgInstanceStore::ReleaseZone(const std::string& saga_id) {
  db_.Exec("DELETE FROM " + T("placements") + " WHERE saga_id = $1", {saga_id});
}

void PgInstanceStore::Announce(const amqp::Message& event) {
  db_.InTransaction([&](pg::Transaction& tx) {
    // The engine runs one saga at a time, so nobody else enqueues this message_id meanwhile.
    if (!tx.Exec("SELECT 1 FROM " + T("outbox") + " WHERE message_id = $1", {event.message_id})
             .empty()) {
      return;
    }
    outbox::Enqueue(tx, schema_, event);
  });
}

bool PgInstanceStore::MarkLost(const std::string& id, const std::string& state,
                               const std::string& reason, const amqp::Message& event) {
  // Compare-and-set and its event in one statement: the event exactly when the state changed.
  return !outbox::EnqueueWith(db_, schema_,
                              "UPDATE " + T("instances") +
                                  " SET state = $2, state_reason = $3, updated_at = now()"
                                  " WHERE id = $1 AND state = 'running' RETURNING id",
                              {id, state, reason}, event)
              .empty();
}

void PgInstanceStore::UpdateState(const std::string& id, const std::string& state,
                                  const nlohmann::json& endpoints) {
  db_.Exec("UPDATE " + T("instances") +
               " SET state = $2, endpoints = $3::jsonb, updated_at = now() WHERE id = $1",
           {id, state, endpoints});
}

}  // namespace made0::infra::compute
