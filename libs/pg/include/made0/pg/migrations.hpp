#pragma once
// Schema migrations: each service owns one schema and lists its migrations in code. At start-up
// ApplyMigrations creates the schema and <schema>.schema_migrations and applies the missing
// migrations in version order, each in its own transaction with search_path set to the schema,
// so unqualified names in a migration land in the service's schema.
//
//   const std::vector<pg::Migration> kMigrations = {
//       {1, "accounts", "CREATE TABLE accounts (id bigserial PRIMARY KEY, email text UNIQUE)"},
//       outbox::OutboxMigration("users", 2),
//   };
//   if (auto st = pg::ApplyMigrations(db, "users", kMigrations); !st) Fatal(st.error().message);
//
// Several processes may start at once: every step holds a transaction-scoped advisory lock on a
// hash of the schema name, so each migration is applied exactly once. A migration is never edited
// once released; add a new one instead (ApplyMigrations refuses a version whose name changed).

#include <string>
#include <vector>

#include "made0/core/status.hpp"
#include "made0/pg/database.hpp"

namespace made0::pg {

struct Migration {
  int version;       // > 0, unique within the schema
  std::string name;  // recorded, and checked against the database on later runs
  std::string sql;   // may hold several statements
};

// ApplyMigrations returns Invalid for a bad schema name or duplicate versions, Unavailable when
// the database cannot be reached, and Internal (naming the migration) when one fails; a failed
// migration leaves the earlier ones applied and itself rolled back.
Status ApplyMigrations(Database& db, std::string schema, const std::vector<Migration>& migrations);

// IsValidIdentifier accepts what made0 uses as schema and channel names: 1-63 characters of
// [a-z0-9_], not starting with a digit. Such names need no quoting in SQL.
bool IsValidIdentifier(std::string_view name);

}  // namespace made0::pg
