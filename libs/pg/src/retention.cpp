#include "made0/pg/retention.hpp"

#include <stdexcept>
#include <string>

#include "made0/pg/migrations.hpp"

namespace made0::pg {

std::int64_t DeleteOlderThan(Database& db, std::string_view schema, std::string_view table,
                             std::string_view column, std::chrono::seconds age, int limit) {
  for (std::string_view name : {schema, table, column}) {
    if (!IsValidIdentifier(name)) {
      throw std::invalid_argument("DeleteOlderThan: invalid identifier " + std::string(name));
    }
  }
  if (limit < 1) throw std::invalid_argument("DeleteOlderThan: limit < 1");
  const std::string t = std::string(schema) + "." + std::string(table);
  const std::string c(column);
  // By ctid, so any table qualifies, whatever its key.
  return db
      .Exec("DELETE FROM " + t + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + t + " WHERE " + c +
                " < now() - $1::interval ORDER BY " + c + " LIMIT " + std::to_string(limit) + "))",
            {std::to_string(age.count()) + " seconds"})
      .affected_rows();
}

}  // namespace made0::pg
