#include "made0/pg/retention.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "made0/pg/testing/test_database.hpp"

namespace made0::pg {
namespace {

using namespace std::chrono_literals;
using testing::TestDatabase;

class RetentionPg : public ::testing::Test {
 protected:
  void SetUp() override {
    db().Exec("CREATE SCHEMA " + t_.schema());
    db().Exec("CREATE TABLE " + t_.schema() + ".log (name text NOT NULL, at timestamptz)");
  }
  Database& db() { return t_.db(); }
  void Add(const std::string& name, const char* at_sql) {
    db().Exec("INSERT INTO " + t_.schema() + ".log VALUES ($1, " + at_sql + ")", {name});
  }
  std::vector<std::string> Left() {
    std::vector<std::string> out;
    for (const Row& r : db().Exec("SELECT name FROM " + t_.schema() + ".log ORDER BY name")) {
      out.push_back(r.Get<std::string>("name"));
    }
    return out;
  }
  TestDatabase t_{"pgt_retention_"};
};

TEST_F(RetentionPg, DeletesOnlyOldRowsOldestFirstInBoundedBatches) {
  Add("a-3d", "now() - interval '3 days'");
  Add("b-2d", "now() - interval '2 days'");
  Add("c-1h", "now() - interval '1 hour'");
  Add("d-null", "NULL");
  EXPECT_EQ(DeleteOlderThan(db(), t_.schema(), "log", "at", 24h, 1), 1);
  EXPECT_EQ(Left(), (std::vector<std::string>{"b-2d", "c-1h", "d-null"}));
  EXPECT_EQ(DeleteOlderThan(db(), t_.schema(), "log", "at", 24h), 1);
  EXPECT_EQ(DeleteOlderThan(db(), t_.schema(), "log", "at", 24h), 0);
  EXPECT_EQ(Left(), (std::vector<std::string>{"c-1h", "d-null"}));
}

TEST_F(RetentionPg, RefusesNamesThatAreNotIdentifiers) {
  EXPECT_THROW(DeleteOlderThan(db(), t_.schema(), "log; DROP TABLE x", "at", 24h),
               std::invalid_argument);
  EXPECT_THROW(DeleteOlderThan(db(), t_.schema(), "log", "at", 24h, 0), std::invalid_argument);
  EXPECT_EQ(Left().size(), 0u);
}

}  // namespace
}  // namespace made0::pg
