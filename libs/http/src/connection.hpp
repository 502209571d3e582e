#pragma once
// One client connection of the Server: a coroutine that reads a request, dispatches it (inline or
// on the worker pool), writes the response, and loops while the connection is kept alive.
// Everything here runs on the connection's Loop thread except the handler of a blocking route.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "made0/http/router.hpp"
#include "made0/http/server.hpp"
#include "request_parser.hpp"
#include "wire.hpp"

namespace made0::http {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
using SteadyClock = std::chrono::steady_clock;

namespace internal {

class Connection;

// Loop is one I/O thread with its own io_context, so connections need no strands or locks.
struct Loop {
  Connection* head = nullptr;  // this loop's connections (intrusive list); outlives ctx
  DateCache date;
  asio::io_context ctx{1};
  asio::executor_work_guard<asio::io_context::executor_type> guard{ctx.get_executor()};
  asio::steady_timer sweeper{ctx};
  std::thread thread;
};

// ServerState is what connections share; written before the threads start, then read-only apart
// from the atomics.
struct ServerState {
  ServerOptions options;
  const Router& router;
  asio::thread_pool* pool = nullptr;
  std::atomic<int> connections{0};
  std::atomic<bool> stopping{false};
};

class Connection {
 public:
  Connection(ServerState& state, Loop& loop, tcp::socket socket);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Run serves the connection until it closes; `self` keeps it alive meanwhile.
  static asio::awaitable<void> Run(std::shared_ptr<Connection> self);

  // Sweep closes the connection when its current deadline has passed.
  void Sweep(SteadyClock::time_point now) {
    if (now >= deadline_) Abort();
  }
  // Drain makes this the connection's last response; an idle connection closes now.
  void Drain();
  // Abort closes the socket; pending operations finish with an error.
  void Abort();
  Connection* next() const { return next_; }

 private:
  enum class Phase { kIdle, kReading, kBusy };
  enum class Outcome { kRequest, kReject, kClosed };

  asio::awaitable<void> Serve();
  asio::awaitable<Outcome> ReadRequest();
  asio::awaitable<bool> Write(const Response& resp, bool send_body, ConnectionHeader connection);
  asio::awaitable<Response> DispatchBlocking(const RouteMatch& match);
  asio::awaitable<void> LingeringClose();
  Response Dispatch(const RouteMatch& match);
  Response Reject(const error_code& ec) const;
  void ExpireIn(std::chrono::milliseconds d) { deadline_ = SteadyClock::now() + d; }

  ServerState& state_;
  Loop& loop_;
  tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
  Request req_;  // reused: its strings and header slots keep their capacity
  std::optional<RequestParser> parser_;
  std::string out_;
  std::string remote_;
  int remote_port_ = 0;
  Response reject_;
  SteadyClock::time_point deadline_ = SteadyClock::time_point::max();
  Phase phase_ = Phase::kIdle;
  bool draining_ = false;
  Connection* prev_ = nullptr;
  Connection* next_ = nullptr;
};

}  // namespace internal
}  // namespace made0::http
