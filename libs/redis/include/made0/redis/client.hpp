#pragma once
// Client: a thread-safe pool of blocking connections to one Redis server, with connect and command
// timeouts, so a down or stuck Redis costs a caller at most a timeout and an Unavailable error,
// never a hang. Commands are argument vectors (binary-safe, no format strings, no injection).
//
//   auto options = ParseClientOptions("redis://127.0.0.1:6379/0");
//   std::unique_ptr<Client> redis = MakeClient(*options);
//   Result<Reply> r = redis->Call({"SET", "made0:greeting", "hello", "PX", "60000"});
//   if (!r) log::Warn("redis", {{"error", r.error().message}});
//
// A connection that fails (I/O error, timeout, protocol error) is closed, never returned to the
// pool; the next command opens a fresh one. Idle connections that the server has closed (restart,
// CLIENT KILL, idle timeout) are noticed before reuse and replaced.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/config.hpp"
#include "made0/core/status.hpp"
#include "made0/redis/reply.hpp"

namespace made0::redis {

// RedisUrl is a parsed redis://[[user]:password@]host[:port][/db] (host may be [ipv6]).
struct RedisUrl {
  std::string host;
  int port = 6379;
  int db = 0;
  std::string user;      // empty: AUTH with the password only (or no AUTH at all)
  std::string password;  // empty: no AUTH

  // ToString renders the URL with the password masked, safe for logs.
  std::string ToString() const;
};

// ParseRedisUrl: Malformed for another scheme, a bad port (1-65535) or db (0-65535).
Result<RedisUrl> ParseRedisUrl(std::string_view url);

struct ClientOptions {
  RedisUrl url;
  std::size_t pool_size = 8;  // connections open at most; more concurrent callers wait
  std::chrono::milliseconds connect_timeout{500};
  // command_timeout bounds one command's round trip, and also a caller's wait for a free
  // connection when all pool_size are busy.
  std::chrono::milliseconds command_timeout{1000};
};

// ParseClientOptions builds options for url with the defaults above.
Result<ClientOptions> ParseClientOptions(std::string_view url);

// ReadClientOptions reads MADE0_REDIS_URL (default redis://127.0.0.1:6379/0),
// MADE0_REDIS_POOL_SIZE (8), MADE0_REDIS_CONNECT_TIMEOUT (500ms), MADE0_REDIS_COMMAND_TIMEOUT (1s).
// A malformed URL is returned here; other bad values are reported by config.Finish().
Result<ClientOptions> ReadClientOptions(ConfigReader& config);

class Client {
 public:
  virtual ~Client() = default;

  // Command sends one command (args[0] is its name) and returns the reply; error replies are
  // Reply values. Unavailable if Redis cannot be reached or does not answer in time; Invalid for
  // an empty args.
  virtual Result<Reply> Command(std::vector<std::string> args) = 0;

  // Call is Command with an error reply turned into an Error (see ErrorFromReply).
  Result<Reply> Call(std::vector<std::string> args);

  // Ping is Ok when Redis answers PONG (for /readyz).
  Status Ping();
};

// MakeClient returns the pooled hiredis client. It connects lazily, so a Redis that is down at
// startup only makes commands fail until it is up.
std::unique_ptr<Client> MakeClient(ClientOptions options);

}  // namespace made0::redis
