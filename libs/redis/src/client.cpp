#include "made0/redis/client.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>

#include "hiredis_reply.hpp"

namespace made0::redis {

Result<Reply> Client::Call(std::vector<std::string> args) {
  auto reply = Command(std::move(args));
  if (reply && reply->is_error()) return ErrorFromReply(*reply);
  return reply;
}

Status Client::Ping() {
  auto reply = Call({"PING"});
  if (!reply) return std::move(reply).error();
  if (reply->text() != "PONG")
    return Error::Internal("redis: PING answered " + reply->DebugString());
  return Status::Ok();
}

namespace {

struct ContextDeleter {
  void operator()(redisContext* c) const { redisFree(c); }
};
using ContextPtr = std::unique_ptr<redisContext, ContextDeleter>;

timeval ToTimeval(std::chrono::milliseconds d) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(d.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((d.count() % 1000) * 1000);
  return tv;
}

// SigpipeGuard: hiredis writes with write(2), which raises SIGPIPE on a socket the server has
// closed, and SIGPIPE kills a process that did not ignore it. The guard blocks SIGPIPE on this
// thread while hiredis runs and swallows one that the write raised (libpq does the same), so the
// library is safe without changing process-wide signal dispositions.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&pipe_);
    sigaddset(&pipe_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    sigset_t pending;
    sigpending(&pending);
    was_pending_ = sigismember(&pending, SIGPIPE) == 1;
  }
  ~SigpipeGuard() {
    if (!was_pending_) {
      sigset_t pending;
      sigpending(&pending);
      if (sigismember(&pending, SIGPIPE) == 1) {
        const timespec zero{};
        sigtimedwait(&pipe_, nullptr, &zero);
      }
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t pipe_{};
  sigset_t old_{};
  bool was_pending_ = false;
};

// IsStale: an idle connection has nothing to read, so readability means the server closed it
// (restart, CLIENT KILL, idle timeout) or sent something unexpected. Either way it is unusable.
bool IsStale(const redisContext* c) {
  pollfd p{c->fd, POLLIN, 0};
  return poll(&p, 1, 0) != 0;
}

// RunArgv sends args binary-safely and waits for the reply; nullptr when the connection failed.
void* RunArgv(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  SigpipeGuard guard;
  return redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data());
}

class PooledClient final : public Client {
 public:
  explicit PooledClient(ClientOptions options) : options_(std::move(options)) {
    if (options_.pool_size == 0) options_.pool_size = 1;
  }

  // Client
  Result<Reply> Command(std::vector<std::string> args) override {
    if (args.empty()) return Error::Invalid("args", "redis: empty command");
    auto conn = Acquire();
    if (!conn) return std::move(conn).error();
    void* raw = RunArgv(conn->get(), args);
    if (raw == nullptr) {
      std::string why = DescribeFailure(conn->get(), args.front());
      Discard();
      return Error::Unavailable(std::move(why));
    }
    Reply reply = internal::FromHiredis(static_cast<const redisReply*>(raw));
    freeReplyObject(raw);
    Release(std::move(*conn));
    return reply;
  }

 private:
  Result<ContextPtr> Acquire() {
    std::unique_lock lock(mu_);
    const auto deadline = std::chrono::steady_clock::now() + options_.command_timeout;
    for (;;) {
      while (!idle_.empty()) {
        ContextPtr c = std::move(idle_.back());
        idle_.pop_back();
        if (!IsStale(c.get())) return c;
        --open_;
      }
      if (open_ < options_.pool_size) {
        ++open_;
        lock.unlock();
        auto c = Connect();
        if (!c) {
          lock.lock();
          --open_;
          cv_.notify_one();
        }
        return c;
      }
      if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
          open_ >= options_.pool_size) {
        return Error::Unavailable("redis: all " + std::to_string(options_.pool_size) +
                                  " connections busy for " +
                                  std::to_string(options_.command_timeout.count()) + "ms");
      }
    }
  }

  void Release(ContextPtr c) {
    std::lock_guard lock(mu_);
    idle_.push_back(std::move(c));
    cv_.notify_one();
  }

  // Discard accounts for a broken connection (already freed by its owner). The idle ones are
  // dropped too: whatever broke this one (server gone, network down) most likely broke them, and
  // each would otherwise cost a caller a full timeout to find out.
  void Discard() {
    std::lock_guard lock(mu_);
    open_ -= 1 + idle_.size();
    idle_.clear();
    cv_.notify_all();
  }

  std::string DescribeFailure(const redisContext* c, const std::string& command) const {
    std::string why = "redis " + options_.url.host + ":" + std::to_string(options_.url.port) +
                      ": " + command + ": ";
    if (c->err == REDIS_ERR_IO && std::strcmp(c->errstr, std::strerror(EAGAIN)) == 0) {
      return why + "no answer within " + std::to_string(options_.command_timeout.count()) + "ms";
    }
    return why + c->errstr;
  }

  Result<ContextPtr> Connect() {
    const std::string where = options_.url.host + ":" + std::to_string(options_.url.port);
    ContextPtr c(redisConnectWithTimeout(options_.url.host.c_str(), options_.url.port,
                                         ToTimeval(options_.connect_timeout)));
    if (!c) return Error::Unavailable("redis " + where + ": cannot allocate a connection");
    if (c->err != 0) return Error::Unavailable("redis " + where + ": connect: " + c->errstr);
    if (redisSetTimeout(c.get(), ToTimeval(options_.command_timeout)) != REDIS_OK ||
        redisEnableKeepAlive(c.get()) != REDIS_OK) {
      return Error::Unavailable("redis " + where + ": socket options: " + c->errstr);
    }
    if (!options_.url.password.empty()) {
      std::vector<std::string> auth = {"AUTH"};
      if (!options_.url.user.empty()) auth.push_back(options_.url.user);
      auth.push_back(options_.url.password);
      if (auto st = Handshake(c.get(), auth, where); !st) return st.error();
    }
    if (options_.url.db != 0) {
      if (auto st = Handshake(c.get(), {"SELECT", std::to_string(options_.url.db)}, where); !st) {
        return st.error();
      }
    }
    return c;
  }

  // Handshake runs a setup command on a connection not yet in the pool; a refusal (bad password,
  // no such db) makes Redis unusable for us, so it is Unavailable like a refused connection.
  Status Handshake(redisContext* c, const std::vector<std::string>& args,
                   const std::string& where) const {
    void* raw = RunArgv(c, args);
    if (raw == nullptr) return Error::Unavailable(DescribeFailure(c, args.front()));
    Reply reply = internal::FromHiredis(static_cast<const redisReply*>(raw));
    freeReplyObject(raw);
    // The reply text never contains the password; Redis says "WRONGPASS ..." or similar.
    if (reply.is_error())
      return Error::Unavailable("redis " + where + ": " + args.front() +
                                " refused: " + reply.text());
    return Status::Ok();
  }

  ClientOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ContextPtr> idle_;
  std::size_t open_ = 0;  // idle plus in use plus being connected
};

}  // namespace

std::unique_ptr<Client> MakeClient(ClientOptions options) {
  return std::make_unique<PooledClient>(std::move(options));
}

}  // namespace made0::redis
