#pragma once
// Database: a thread-safe pool of PostgreSQL connections, and Transaction, the handle a
// transaction body runs statements through. Statements take $1..$n placeholders and a vector of
// Params; values are never spliced into SQL text.
//
//   pg::Database db(env.Get("MADE0_PG_URL").value(), /*pool_size=*/8);
//   std::int64_t id = db.InTransaction([&](pg::Transaction& tx) {
//     auto rows = tx.Exec("INSERT INTO users.accounts(email) VALUES ($1) RETURNING id", {email});
//     outbox::Enqueue(tx, "users", event);      // same transaction: both or neither
//     return rows[0].Get<std::int64_t>("id");
//   });
//
// Errors are exceptions from made0/pg/errors.hpp: ConnectionError means "answer 503";
// UniqueViolation is the expected conflict; anything else is a bug. See errors.hpp for why.
//
// Connections are opened lazily, up to pool_size, each with a connect_timeout (so a down server
// fails fast instead of hanging) and TCP keepalives. A connection that broke, or that the server
// closed while it sat idle, is dropped and a new one opened on the next request. Sessions use
// TimeZone UTC.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "made0/core/status.hpp"
#include "made0/pg/errors.hpp"
#include "made0/pg/param.hpp"
#include "made0/pg/rows.hpp"

namespace made0::pg {

namespace detail {
class Pool;
class TxImpl;
}  // namespace detail

// Transaction runs statements inside one database transaction; it is only ever handed to the
// body of Database::InTransaction. After any exception from Exec the transaction is aborted on the
// server: let the exception leave the body (catching a UniqueViolation and continuing inside the
// same transaction fails with "current transaction is aborted"; use INSERT ... ON CONFLICT).
class Transaction {
 public:
  // Exec runs one statement with $1..$n bound to params. With no params, sql may hold several
  // statements separated by semicolons (migrations); the result is the last one's.
  Rows Exec(std::string_view sql, std::vector<Param> params = {});

  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

 private:
  friend class detail::TxImpl;
  explicit Transaction(detail::TxImpl& impl) : impl_(impl) {}
  detail::TxImpl& impl_;
};

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

struct DatabaseOptions {
  int pool_size = 8;
  // connect_timeout bounds opening a connection (libpq's connect_timeout, whole seconds, >= 2).
  std::chrono::seconds connect_timeout{5};
  // acquire_timeout bounds waiting for a free connection when all pool_size are busy; then
  // ConnectionError("pool exhausted").
  std::chrono::milliseconds acquire_timeout{5000};
  // max_attempts bounds InTransaction's runs of the body on serialization failure or deadlock.
  int max_attempts = 5;
};

class Database {
 public:
  Database(std::string url, int pool_size);
  Database(std::string url, DatabaseOptions options);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // InTransaction runs f(Transaction&) in a transaction and commits, returning what f returns.
  // If f throws, the transaction rolls back and the exception propagates. If f returns a Status
  // or Result<T> that is not ok, the transaction rolls back and the value is returned, so
  // expected failures need no exception. On serialization failure (40001) or deadlock (40P01)
  // the whole body runs again, up to max_attempts times with a short random pause: f must have
  // no effects outside the transaction (or ones that are safe to repeat). Inside f, use only tx:
  // db.Exec or a nested InTransaction takes a second connection, does not see tx's writes, and
  // with every connection busy waits for acquire_timeout.
  template <class F>
  auto InTransaction(F&& f) {
    return InTransaction(Isolation::kReadCommitted, std::forward<F>(f));
  }
  template <class F>
  auto InTransaction(Isolation isolation, F&& f) -> std::invoke_result_t<F&, Transaction&> {
    using R = std::invoke_result_t<F&, Transaction&>;
    if constexpr (std::is_void_v<R>) {
      RunTransaction(isolation, [&](Transaction& tx) {
        f(tx);
        return true;
      });
    } else {
      std::optional<R> out;
      RunTransaction(isolation, [&](Transaction& tx) {
        out.reset();
        out.emplace(f(tx));
        return CommitWanted(*out);
      });
      return std::move(*out);
    }
  }

  // Exec runs one statement outside an explicit transaction (autocommit).
  Rows Exec(std::string_view sql, std::vector<Param> params = {});

  // Ping runs SELECT 1: Ok, or Unavailable when the server cannot be reached.
  Status Ping();

  // url is the connection URL this pool was built from (a Listener uses it too).
  const std::string& url() const;

  // Stats reports the pool's connections, for /metrics.
  struct Stats {
    int open = 0;  // connections open now, idle or in use
    int idle = 0;
    long long created = 0;  // ever opened
    long long dropped = 0;  // closed because they broke
  };
  Stats GetStats() const;

 private:
  // RunTransaction owns begin/commit/rollback, retries and error translation; body returns
  // whether to commit.
  void RunTransaction(Isolation isolation, const std::function<bool(Transaction&)>& body);

  template <class T>
  static bool CommitWanted(const Result<T>& r) {
    return r.ok();
  }
  static bool CommitWanted(const Status& s) { return s.ok(); }
  template <class R>
  static bool CommitWanted(const R&) {
    return true;
  }

  std::unique_ptr<detail::Pool> pool_;
};

}  // namespace made0::pg
