#pragma once
// DeleteOlderThan: the retention of tables that only grow (the outbox's published rows, spans),
// one bounded batch per call.
//
//   while (pg::DeleteOlderThan(db, "tracing", "spans", "start_time", 7 * 24h) == 10'000) {}

#include <chrono>
#include <cstdint>
#include <string_view>

#include "made0/pg/database.hpp"

namespace made0::pg {

// DeleteOlderThan deletes up to `limit` rows of schema.table, oldest first, whose timestamptz
// `column` is more than `age` before the database's now(); it returns how many. A NULL column is
// never old. The names must satisfy IsValidIdentifier (std::invalid_argument if not); a large
// backlog takes several calls, so that no statement's locks or duration grow with it.
std::int64_t DeleteOlderThan(Database& db, std::string_view schema, std::string_view table,
                             std::string_view column, std::chrono::seconds age, int limit = 10'000);

}  // namespace made0::pg
