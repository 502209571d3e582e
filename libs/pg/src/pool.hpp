#pragma once
// The connection pool behind Database: at most `size` connections, opened lazily, handed out one
// per transaction, checked on the way out and dropped when broken.

#include <pqxx/connection>
#include <pqxx/errorhandler>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "made0/core/random.hpp"
#include "made0/pg/database.hpp"

namespace made0::pg::detail {

// NoticeLogger sends server notices and warnings to the JSON log instead of the driver's
// default, which writes plain text to stderr.
class NoticeLogger final : public pqxx::errorhandler {
 public:
  explicit NoticeLogger(pqxx::connection_base& c) : pqxx::errorhandler(c) {}
  bool operator()(const char msg[]) noexcept override;
};

struct Conn {
  std::unique_ptr<pqxx::connection> pq;
  std::unique_ptr<NoticeLogger> notices;  // declared after pq: unregisters before pq closes
  bool broken = false;
  // Statements with parameters are prepared once per connection (the server parses and plans
  // them once, not on every call), named by the order they were first seen.
  std::unordered_map<std::string, std::string> prepared;  // SQL text -> statement name
};

// kMaxPrepared bounds a connection's prepared statements; SQL texts past it run unprepared.
inline constexpr std::size_t kMaxPrepared = 256;

// OpenConnection connects with made0's session settings (UTC, quiet notices); throws the
// driver's exception.
std::unique_ptr<Conn> OpenConnection(const std::string& conninfo);

class Pool {
 public:
  Pool(std::string url, DatabaseOptions options);
  ~Pool();

  // Acquire returns a healthy connection or throws ConnectionError.
  std::unique_ptr<Conn> Acquire();
  void Release(std::unique_ptr<Conn> conn);

  const std::string& url() const { return url_; }
  const DatabaseOptions& options() const { return options_; }
  Random& random() { return random_; }
  Database::Stats GetStats() const;

 private:
  void Dropped();

  const std::string url_;
  const std::string conninfo_;
  DatabaseOptions options_;
  SecureRandom random_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Conn>> idle_;
  int open_ = 0;  // idle + leased + being opened
  long long created_ = 0;
  long long dropped_ = 0;
};

// Lease returns its connection to the pool when it goes out of scope.
class Lease {
 public:
  explicit Lease(Pool& pool) : pool_(pool), conn_(pool.Acquire()) {}
  ~Lease() { pool_.Release(std::move(conn_)); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  Conn& operator*() { return *conn_; }
  Conn* operator->() { return conn_.get(); }

 private:
  Pool& pool_;
  std::unique_ptr<Conn> conn_;
};

}  // namespace made0::pg::detail
