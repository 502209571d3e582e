#include "made0/pg/migrations.hpp"

#include <algorithm>
#include <set>

#include "made0/core/log.hpp"

namespace made0::pg {
namespace {

// LockKey is a stable 64-bit FNV-1a hash of the schema name, the advisory lock every migration
// step of that schema takes. The prefix keeps it apart from other users of advisory locks.
std::int64_t LockKey(std::string_view schema) {
  std::uint64_t h = 14695981039346656037ULL;
  for (char c : std::string("made0.migrations:") + std::string(schema)) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return static_cast<std::int64_t>(h);
}

void Lock(Transaction& tx, std::string_view schema) {
  tx.Exec("SELECT pg_advisory_xact_lock($1::bigint)", {LockKey(schema)});
}

Status ApplyOne(Database& db, const std::string& schema, const Migration& m) {
  // false: already applied (by this process earlier or by another one just now).
  bool applied = false;
  db.InTransaction([&](Transaction& tx) {
    Lock(tx, schema);
    auto rows = tx.Exec("SELECT name FROM " + schema + ".schema_migrations WHERE version = $1",
                        {m.version});
    if (!rows.empty()) {
      const auto name = rows[0].Get<std::string>(0);
      if (name != m.name) {
        throw QueryError("migration " + std::to_string(m.version) + " of schema " + schema +
                             " is '" + name + "' in the database but '" + m.name + "' in code",
                         "");
      }
      return;
    }
    // search_path lets a migration name its tables without the schema; LOCAL ends at commit.
    tx.Exec("SET LOCAL search_path TO " + schema + ", public");
    tx.Exec(m.sql);
    tx.Exec("INSERT INTO " + schema + ".schema_migrations(version, name) VALUES ($1, $2)",
            {m.version, m.name});
    applied = true;
  });
  if (applied) {
    log::Info("migration applied", {{"schema", schema}, {"version", m.version}, {"name", m.name}});
  }
  return Status::Ok();
}

}  // namespace

bool IsValidIdentifier(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (name[0] >= '0' && name[0] <= '9') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Status ApplyMigrations(Database& db, std::string schema, const std::vector<Migration>& migrations) {
  if (!IsValidIdentifier(schema)) {
    return made0::Error::Invalid("schema", "schema name must be 1-63 characters of [a-z0-9_]");
  }
  std::vector<const Migration*> ordered;
  std::set<int> versions;
  for (const Migration& m : migrations) {
    if (m.version <= 0) {
      return made0::Error::Invalid("version", "migration versions must be positive");
    }
    if (!versions.insert(m.version).second) {
      return made0::Error::Invalid("version",
                                   "duplicate migration version " + std::to_string(m.version));
    }
    ordered.push_back(&m);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });

  const Migration* current = nullptr;
  try {
    db.InTransaction([&](Transaction& tx) {
      // Under the lock, so concurrent starters do not race on CREATE ... IF NOT EXISTS (which
      // is not atomic against itself).
      Lock(tx, schema);
      tx.Exec("CREATE SCHEMA IF NOT EXISTS " + schema);
      tx.Exec("CREATE TABLE IF NOT EXISTS " + schema +
              ".schema_migrations (version int PRIMARY KEY, name text NOT NULL, "
              "applied_at timestamptz NOT NULL DEFAULT now())");
    });
    for (const Migration* m : ordered) {
      current = m;
      if (auto st = ApplyOne(db, schema, *m); !st) return st;
    }
  } catch (const ConnectionError& e) {
    return made0::Error::Unavailable(std::string("migrations of ") + schema + ": " + e.what());
  } catch (const pg::Error& e) {
    std::string what = current ? "migration " + std::to_string(current->version) + " (" +
                                     current->name + ") of schema " + schema
                               : "creating schema " + schema;
    return made0::Error::Internal(what + " failed: " + e.what());
  }
  return Status::Ok();
}

}  // namespace made0::pg
