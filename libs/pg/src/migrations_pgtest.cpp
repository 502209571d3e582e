#include "made0/pg/migrations.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "made0/pg/testing/test_database.hpp"

namespace made0::pg {
namespace {

using testing::TestDatabase;

std::vector<int> Applied(Database& db, const std::string& schema) {
  std::vector<int> out;
  for (const Row& r :
       db.Exec("SELECT version FROM " + schema + ".schema_migrations ORDER BY version")) {
    out.push_back(r.Get<int>(0));
  }
  return out;
}

TEST(MigrationsPg, AppliesMissingOnesInVersionOrder) {
  TestDatabase t("pgt_mig_");
  auto& db = t.db();
  // Listed out of order on purpose: 2 needs 1's table. Unqualified names land in the schema.
  std::vector<Migration> ms = {
      {2, "add_column", "ALTER TABLE items ADD COLUMN note text; INSERT INTO log VALUES (2)"},
      {1, "create",
       "CREATE TABLE items (id int); CREATE TABLE log (v int); INSERT INTO log VALUES (1)"},
  };
  ASSERT_TRUE(ApplyMigrations(db, t.schema(), ms).ok());
  EXPECT_EQ(Applied(db, t.schema()), (std::vector<int>{1, 2}));
  ASSERT_TRUE(ApplyMigrations(db, t.schema(), ms).ok());  // nothing to do
  ms.push_back({3, "more", "INSERT INTO log VALUES (3)"});
  ASSERT_TRUE(ApplyMigrations(db, t.schema(), ms).ok());
  EXPECT_EQ(Applied(db, t.schema()), (std::vector<int>{1, 2, 3}));
  auto log = db.Exec("SELECT v FROM " + t.schema() + ".log ORDER BY v");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[2].Get<int>(0), 3);
}

TEST(MigrationsPg, FourConcurrentStartersApplyEachMigrationOnce) {
  TestDatabase t("pgt_migc_");
  std::vector<Migration> ms;
  ms.push_back({1, "log", "CREATE TABLE log (version int)"});
  for (int v = 2; v <= 6; ++v) {
    // CREATE TABLE without IF NOT EXISTS fails if run twice; the log counts runs.
    ms.push_back({v, "m" + std::to_string(v),
                  "CREATE TABLE t" + std::to_string(v) + " (id int); INSERT INTO log VALUES (" +
                      std::to_string(v) + ")"});
  }
  std::vector<Status> results(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      Database db(t.url(), 2);  // as if in another process
      results[i] = ApplyMigrations(db, t.schema(), ms);
    });
  }
  for (auto& th : threads) th.join();
  for (const Status& st : results) EXPECT_TRUE(st.ok()) << st.error().message;
  auto counts = t.db().Exec("SELECT version, count(*) AS n FROM " + t.schema() +
                            ".log GROUP BY version ORDER BY version");
  ASSERT_EQ(counts.size(), 5u);
  for (const Row& r : counts) EXPECT_EQ(r.Get<int>("n"), 1) << r.Get<int>("version");
  EXPECT_EQ(Applied(t.db(), t.schema()), (std::vector<int>{1, 2, 3, 4, 5, 6}));
}

TEST(MigrationsPg, AFailingMigrationIsRolledBackAndNamed) {
  TestDatabase t("pgt_migf_");
  std::vector<Migration> ms = {
      {1, "ok", "CREATE TABLE a (id int)"},
      {2, "broken", "CREATE TABLE b (id int); SELECT * FROM does_not_exist"},
      {3, "later", "CREATE TABLE c (id int)"},
  };
  Status st = ApplyMigrations(t.db(), t.schema(), ms);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kInternal);
  EXPECT_NE(st.error().message.find("migration 2 (broken)"), std::string::npos)
      << st.error().message;
  EXPECT_EQ(Applied(t.db(), t.schema()), (std::vector<int>{1}));
  EXPECT_EQ(t.db().Exec("SELECT to_regclass($1) IS NULL", {t.schema() + ".b"})[0].Get<bool>(0),
            true);
}

TEST(MigrationsPg, RefusesARenamedMigration) {
  TestDatabase t("pgt_migr_");
  ASSERT_TRUE(ApplyMigrations(t.db(), t.schema(), {{1, "first", "SELECT 1"}}).ok());
  Status st = ApplyMigrations(t.db(), t.schema(), {{1, "renamed", "SELECT 1"}});
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("'first' in the database"), std::string::npos);
}

TEST(MigrationsPg, ValidatesInputAndReportsUnavailable) {
  TestDatabase t("pgt_migv_");
  EXPECT_EQ(ApplyMigrations(t.db(), "Bad-Name", {}).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(ApplyMigrations(t.db(), "x; DROP", {}).error().code, ErrorCode::kInvalid);
  EXPECT_EQ(ApplyMigrations(t.db(), t.schema(), {{1, "a", ""}, {1, "b", ""}}).error().code,
            ErrorCode::kInvalid);
  EXPECT_EQ(ApplyMigrations(t.db(), t.schema(), {{0, "a", ""}}).error().code, ErrorCode::kInvalid);
  Database down("postgresql://made0@127.0.0.1:1/made0", 1);
  EXPECT_EQ(ApplyMigrations(down, "s", {}).error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace made0::pg
