#pragma once
// TestDatabase: what an integration test needs to use the stack's PostgreSQL: a pool on
// MADE0_PG_URL (from made0::testing::LoadStackEnv) and a schema name of its own, dropped with
// everything in it when the test ends.
//
//   TEST(OutboxPg, Relays) {
//     pg::testing::TestDatabase t("outbox_");
//     ASSERT_TRUE(pg::ApplyMigrations(t.db(), t.schema(), {outbox::OutboxMigration(t.schema(),
//     1)}));
//     ...
//   }

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "made0/pg/database.hpp"

namespace made0::pg::testing {

class TestDatabase {
 public:
  explicit TestDatabase(const std::string& prefix = "t_", int pool_size = 8);
  ~TestDatabase();  // DROP SCHEMA <schema> CASCADE
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Database& db() { return *db_; }
  const std::string& schema() const { return schema_; }
  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::string schema_;
  std::unique_ptr<Database> db_;
};

// Eventually polls pred every 10 ms until it holds (true) or timeout passes (false).
bool Eventually(const std::function<bool()>& pred,
                std::chrono::milliseconds timeout = std::chrono::seconds(10));

}  // namespace made0::pg::testing
