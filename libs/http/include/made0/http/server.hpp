#pragma once
// Server: an HTTP/1.1 server (keep-alive, timeouts, body limit, graceful stop) that answers
// every request through a Router.
//
//   Router router;
//   router.Add("GET", "/healthz", Healthz, {.blocking = false});
//   router.Add("POST", "/v1/users", CreateUser);            // blocking: runs on a worker thread
//   Server server({.port = 0}, router);
//   if (Status s = server.Start(); !s) return Fail(s.error());
//   Publish(server.Port());
//   ...                                                      // on SIGTERM:
//   server.Stop(std::chrono::seconds(10));
//
// Requests on blocking routes run on a pool of worker_threads, so drivers may block there;
// non-blocking routes run directly on an I/O thread. The server answers by itself: 400 (and
// closes) for malformed HTTP, 413 (and closes, without reading the body) over body_limit, 431
// for oversized headers, 500 when a handler throws. A connection idle longer than idle_timeout,
// or slower than read_timeout to send one request (from its first byte), is closed.

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "made0/core/status.hpp"
#include "made0/http/router.hpp"

namespace made0::http {

struct ServerOptions {
  std::string address = "127.0.0.1";
  int port = 0;  // 0: the kernel picks a free port (see Server::Port)
  int io_threads = 1;
  int worker_threads = 4;
  std::size_t body_limit = 64 * 1024;
  std::size_t header_limit = 16 * 1024;
  std::chrono::milliseconds read_timeout{std::chrono::seconds(10)};
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
};

class Server {
 public:
  // The router must outlive the server and must not change after Start.
  Server(ServerOptions options, const Router& router);
  ~Server();  // Stop(0ms) if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Start binds, listens and starts the threads. A bad address or a port in use is an error
  // value (kUnavailable), not an exception. Start may be called once.
  Status Start();
  // Port is the bound port (useful with port 0); 0 before Start.
  int Port() const;
  // Stop stops accepting (new connections are refused), lets requests in flight finish for up
  // to `grace`, closes idle keep-alive connections, then closes the rest. It returns when every
  // thread has ended; a handler still running after `grace` is waited for, as it cannot be
  // interrupted. Calling it again does nothing. Never call it from a handler (it waits for them).
  void Stop(std::chrono::milliseconds grace);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace made0::http
