#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "made0/pg/database.hpp"
#include "made0/pg/testing/test_database.hpp"

namespace made0::pg {
namespace {

using namespace std::chrono_literals;
using testing::TestDatabase;

TEST(DatabasePg, RoundTripsEveryParamType) {
  TestDatabase t("pgt_types_");
  auto& db = t.db();
  const std::string tbl = t.schema() + ".v";
  db.Exec("CREATE SCHEMA " + t.schema());
  db.Exec("CREATE TABLE " + tbl +
          " (s text, i bigint, d double precision, b bool, ts timestamptz, j jsonb, n text)");
  const SystemTime when = SystemTime{1'800'000'000s} + 654'321us;
  const std::string tricky = "it's \"quoted\"; DROP TABLE x; --";
  db.InTransaction([&](Transaction& tx) {
    tx.Exec("INSERT INTO " + tbl + " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {tricky, std::int64_t{-9'000'000'000}, 2.5, true, when, nlohmann::json{{"k", "v"}},
             nullptr});
  });
  Rows rows = db.Exec("SELECT * FROM " + tbl);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Get<std::string>("s"), tricky);
  EXPECT_EQ(rows[0].Get<std::int64_t>("i"), -9'000'000'000);
  EXPECT_EQ(rows[0].Get<double>("d"), 2.5);
  EXPECT_TRUE(rows[0].Get<bool>("b"));
  EXPECT_EQ(rows[0].Get<SystemTime>("ts"), when);
  EXPECT_EQ(rows[0].Get<nlohmann::json>("j"), (nlohmann::json{{"k", "v"}}));
  EXPECT_TRUE(rows[0].IsNull("n"));
  // The session is in UTC whatever the server's default, so timestamps read back exactly.
  EXPECT_EQ(db.Exec("SELECT $1::timestamptz AS t", {when})[0].Get<SystemTime>("t"), when);
  EXPECT_EQ(db.Exec("UPDATE " + tbl + " SET n = $1", {"x"}).affected_rows(), 1);
}

TEST(DatabasePg, ArrayParamsReadBackElementForElement) {
  TestDatabase t("pgt_array_", 1);
  const std::vector<std::string> awkward = {"plain",   "",    "NULL",    " spaced ",
                                            R"(q"b\)", "{,}", "naïve ✓", "line\nbreak"};
  std::vector<Param> elements(awkward.begin(), awkward.end());
  elements.emplace_back(nullptr);
  auto rows = t.db().Exec(
      "SELECT v, v IS NULL AS is_null FROM unnest($1::text[]) WITH ORDINALITY AS a(v, i) ORDER BY "
      "i",
      {Param::Array(elements)});
  ASSERT_EQ(rows.size(), awkward.size() + 1);
  for (std::size_t i = 0; i < awkward.size(); ++i)
    EXPECT_EQ(rows[i].Get<std::string>("v"), awkward[i]);
  EXPECT_TRUE(rows[awkward.size()].Get<bool>("is_null"));
  const auto j = t.db().Exec("SELECT (unnest($1::jsonb[]))->>'k' AS k",
                             {Param::Array({nlohmann::json{{"k", R"(a"{b})"}}})});
  EXPECT_EQ(j[0].Get<std::string>("k"), R"(a"{b})");
}

TEST(DatabasePg, StatementsWithParamsArePreparedOncePerConnection) {
  TestDatabase t("pgt_prep_", 1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(t.db().Exec("SELECT $1::int + 1 AS n", {i})[0].Get<int>("n"), i + 1);
  }
  // One connection: the statement was prepared once, under made0's name.
  EXPECT_EQ(t.db()
                .Exec("SELECT count(*)::int AS n FROM pg_prepared_statements "
                      "WHERE statement LIKE 'SELECT $1::int + 1%' AND name LIKE 'made0_%'",
                      {})[0]
                .Get<int>("n"),
            1);
  // Past the cap, statements still run (unprepared).
  for (int i = 0; i < 300; ++i) {
    EXPECT_EQ(t.db().Exec("SELECT $1::int + " + std::to_string(i) + " AS n", {1})[0].Get<int>("n"),
              1 + i);
  }
}

TEST(DatabasePg, PoolServesEightThreadsWithFourConnections) {
  TestDatabase t("pgt_pool_", /*pool_size=*/4);
  auto& db = t.db();
  db.Exec("CREATE SCHEMA " + t.schema());
  db.Exec("CREATE TABLE " + t.schema() + ".counter (n bigint NOT NULL)");
  db.Exec("INSERT INTO " + t.schema() + ".counter VALUES (0)");
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int k = 0; k < 50; ++k) {
        try {
          db.InTransaction([&](Transaction& tx) {
            tx.Exec("UPDATE " + t.schema() + ".counter SET n = n + $1", {1});
          });
        } catch (const std::exception&) {
          ++errors;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(db.Exec("SELECT n FROM " + t.schema() + ".counter")[0].Get<int>("n"), 400);
  const auto stats = db.GetStats();
  EXPECT_LE(stats.open, 4);
  EXPECT_LE(stats.created, 4);
}

TEST(DatabasePg, RetriesSerializationFailures) {
  TestDatabase t("pgt_retry_");
  auto& db = t.db();
  db.Exec("CREATE SCHEMA " + t.schema());
  const std::string tbl = t.schema() + ".c";
  db.Exec("CREATE TABLE " + tbl + " (n int)");
  db.Exec("INSERT INTO " + tbl + " VALUES (0)");
  int runs = 0;
  db.InTransaction(Isolation::kRepeatableRead, [&](Transaction& tx) {
    ++runs;
    const int n = tx.Exec("SELECT n FROM " + tbl)[0].Get<int>(0);  // snapshot taken
    // Another session changes the row after our snapshot: our UPDATE must fail with 40001.
    if (runs == 1) db.Exec("UPDATE " + tbl + " SET n = n + 100");
    tx.Exec("UPDATE " + tbl + " SET n = $1", {n + 1});
  });
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(db.Exec("SELECT n FROM " + tbl)[0].Get<int>(0), 101);
}

TEST(DatabasePg, RollsBackOnThrowAndOnErrorValues) {
  TestDatabase t("pgt_rollback_");
  auto& db = t.db();
  db.Exec("CREATE SCHEMA " + t.schema());
  const std::string tbl = t.schema() + ".r";
  db.Exec("CREATE TABLE " + tbl + " (v text)");
  EXPECT_THROW(db.InTransaction([&](Transaction& tx) {
    tx.Exec("INSERT INTO " + tbl + " VALUES ('thrown')");
    throw std::runtime_error("body failed");
  }),
               std::runtime_error);
  Status st = db.InTransaction([&](Transaction& tx) -> Status {
    tx.Exec("INSERT INTO " + tbl + " VALUES ('status')");
    return made0::Error::Conflict("no");
  });
  EXPECT_FALSE(st.ok());
  Result<int> r = db.InTransaction([&](Transaction& tx) -> Result<int> {
    tx.Exec("INSERT INTO " + tbl + " VALUES ('result')");
    return made0::Error::Invalid("f", "no");
  });
  EXPECT_FALSE(r.ok());
  Result<int> ok = db.InTransaction([&](Transaction& tx) -> Result<int> {
    tx.Exec("INSERT INTO " + tbl + " VALUES ('kept')");
    return 7;
  });
  ASSERT_TRUE(ok.ok());
  Rows rows = db.Exec("SELECT v FROM " + tbl);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Get<std::string>(0), "kept");
}

TEST(DatabasePg, TranslatesSqlErrors) {
  TestDatabase t("pgt_errors_");
  auto& db = t.db();
  db.Exec("CREATE SCHEMA " + t.schema());
  db.Exec("CREATE TABLE " + t.schema() + ".u (email text PRIMARY KEY)");
  db.Exec("INSERT INTO " + t.schema() + ".u VALUES ($1)", {"a@example.test"});
  EXPECT_THROW(db.InTransaction([&](Transaction& tx) {
    tx.Exec("INSERT INTO " + t.schema() + ".u VALUES ($1)", {"a@example.test"});
  }),
               UniqueViolation);
  try {
    db.Exec("SELECT * FROM " + t.schema() + ".nope");
    FAIL() << "no exception";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "42P01");
  }
  try {
    db.Exec("SELEC 1");
    FAIL() << "no exception";
  } catch (const QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "42601");
  }
  // The pool is still usable after errors.
  EXPECT_TRUE(db.Ping().ok());
}

TEST(DatabasePg, ConnectionRefusedIsConnectionErrorAndPingUnavailable) {
  Database db("postgresql://made0@127.0.0.1:1/made0", 2);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(db.Exec("SELECT 1"), ConnectionError);
  EXPECT_THROW(db.InTransaction([](Transaction&) {}), ConnectionError);
  Status st = db.Ping();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kUnavailable);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_EQ(db.GetStats().open, 0);
}

TEST(DatabasePg, ConnectingToAServerThatNeverAnswersFailsWithinTheTimeout) {
  // A socket that listens but never accepts: the kernel completes the TCP handshake and the
  // client then waits for a server greeting that never comes.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 8), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const int port = ntohs(addr.sin_port);

  Database db("postgresql://made0@127.0.0.1:" + std::to_string(port) + "/made0",
              DatabaseOptions{.pool_size = 1, .connect_timeout = 2s});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(db.Exec("SELECT 1"), ConnectionError);
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_GE(took, 1s);
  EXPECT_LT(took, 6s);
  ::close(fd);
}

TEST(DatabasePg, DropsConnectionsTheServerClosedAndOpensNewOnes) {
  TestDatabase t("pgt_broken_", /*pool_size=*/1);
  auto& db = t.db();
  Database admin(t.url(), 1);
  const auto pid = db.Exec("SELECT pg_backend_pid()")[0].Get<int>(0);
  // The timeout makes pg_terminate_backend wait until the backend is gone.
  ASSERT_TRUE(admin.Exec("SELECT pg_terminate_backend($1, 5000)", {pid})[0].Get<bool>(0));
  // Terminated while idle: noticed at checkout, replaced without an error.
  EXPECT_NE(db.Exec("SELECT pg_backend_pid()")[0].Get<int>(0), pid);
  EXPECT_EQ(db.GetStats().dropped, 1);

  // Terminated in the middle of a transaction: that transaction fails with ConnectionError and
  // the next one gets a fresh connection.
  EXPECT_THROW(db.InTransaction([&](Transaction& tx) {
    const auto mine = tx.Exec("SELECT pg_backend_pid()")[0].Get<int>(0);
    admin.Exec("SELECT pg_terminate_backend($1, 5000)", {mine});
    tx.Exec("SELECT 1");
  }),
               ConnectionError);
  EXPECT_TRUE(db.Ping().ok());
  EXPECT_EQ(db.GetStats().dropped, 2);
  EXPECT_EQ(db.GetStats().open, 1);
}

TEST(DatabasePg, WaitingForABusyPoolIsBounded) {
  auto env_db = std::make_unique<TestDatabase>("pgt_busy_", 1);
  Database db(env_db->url(), DatabaseOptions{.pool_size = 1, .acquire_timeout = 200ms});
  std::atomic<bool> holding{false}, release{false};
  std::thread holder([&] {
    db.InTransaction([&](Transaction& tx) {
      tx.Exec("SELECT 1");
      holding = true;
      while (!release) std::this_thread::sleep_for(5ms);
    });
  });
  ASSERT_TRUE(testing::Eventually([&] { return holding.load(); }));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW(db.Exec("SELECT 1"), ConnectionError);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  release = true;
  holder.join();
  EXPECT_TRUE(db.Ping().ok());
}

}  // namespace
}  // namespace made0::pg
