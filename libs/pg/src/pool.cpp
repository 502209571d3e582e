#include "pool.hpp"

#include <poll.h>

#include <chrono>

#include "conninfo.hpp"
#include "made0/core/log.hpp"
#include "made0/pg/errors.hpp"
#include "translate.hpp"

namespace made0::pg::detail {
namespace {

// LooksClosed is true when an idle connection has something to read. Nothing should arrive on
// an idle pooled connection (it never LISTENs), so this is the server's goodbye: a restart,
// pg_terminate_backend, idle_session_timeout. Costs one poll() with no wait.
bool LooksClosed(const pqxx::connection& c) {
  if (!c.is_open()) return true;
  pollfd p{};
  p.fd = c.sock();
  if (p.fd < 0) return true;
  p.events = POLLIN;
  return ::poll(&p, 1, 0) != 0;
}

}  // namespace

bool NoticeLogger::operator()(const char msg[]) noexcept {
  try {
    std::string text(msg);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    log::Warn("postgres notice", {{"notice", text}});
  } catch (...) {
    // A notice is not worth failing over.
  }
  return false;
}

std::unique_ptr<Conn> OpenConnection(const std::string& conninfo) {
  auto conn = std::make_unique<Conn>();
  conn->pq = std::make_unique<pqxx::connection>(conninfo);
  conn->notices = std::make_unique<NoticeLogger>(*conn->pq);
  // set_variable (not a SET in a transaction) so the driver restores them if it ever reconnects.
  conn->pq->set_variable("TimeZone", "'UTC'");
  conn->pq->set_variable("DateStyle", "'ISO, YMD'");
  conn->pq->set_variable("client_min_messages", "warning");
  return conn;
}

Pool::Pool(std::string url, DatabaseOptions options)
    : url_(std::move(url)),
      conninfo_(BuildConnectionString(url_, options.connect_timeout)),
      options_(options) {
  if (options_.pool_size < 1) throw std::invalid_argument("pg::Database: pool_size must be >= 1");
  if (options_.max_attempts < 1) options_.max_attempts = 1;
}

Pool::~Pool() = default;

std::unique_ptr<Conn> Pool::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  std::unique_lock lock(mu_);
  for (;;) {
    if (!idle_.empty()) {
      std::unique_ptr<Conn> conn = std::move(idle_.back());
      idle_.pop_back();
      lock.unlock();
      if (!LooksClosed(*conn->pq)) return conn;
      conn.reset();
      lock.lock();
      --open_;
      ++dropped_;
      continue;  // the slot is free again: take another idle one or open a new one
    }
    if (open_ < options_.pool_size) {
      ++open_;
      lock.unlock();
      try {
        auto conn = OpenConnection(conninfo_);
        std::lock_guard relock(mu_);
        ++created_;
        return conn;
      } catch (...) {
        auto error = Translate(std::current_exception());
        {
          std::lock_guard relock(mu_);
          --open_;
        }
        cv_.notify_one();
        std::rethrow_exception(error);
      }
    }
    if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.pool_size) {
      throw ConnectionError("postgres pool exhausted: all " + std::to_string(options_.pool_size) +
                            " connections busy for " +
                            std::to_string(options_.acquire_timeout.count()) + " ms");
    }
  }
}

void Pool::Release(std::unique_ptr<Conn> conn) {
  if (!conn) return;
  if (conn->broken || !conn->pq->is_open()) {
    conn.reset();
    Dropped();
    return;
  }
  {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

void Pool::Dropped() {
  {
    std::lock_guard lock(mu_);
    --open_;
    ++dropped_;
  }
  cv_.notify_one();
}

Database::Stats Pool::GetStats() const {
  std::lock_guard lock(mu_);
  return {open_, static_cast<int>(idle_.size()), created_, dropped_};
}

}  // namespace made0::pg::detail
