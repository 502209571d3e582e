#pragma once
// Test helpers for the *_redistest files: a TCP proxy that can make the shared Redis vanish and
// come back on the same port for one client only, and the stack's Redis client.

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "made0/redis/client.hpp"

namespace made0::redis::testing {

// TcpProxy forwards 127.0.0.1:port() to upstream. Stop closes the listener and every forwarded
// connection (as a dying server would); Start listens again on the same port.
class TcpProxy {
 public:
  TcpProxy(std::string upstream_host, int upstream_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  void Start();  // throws std::runtime_error if it cannot listen
  void Stop();
  int port() const { return port_; }

 private:
  void AcceptLoop();
  static void Pump(int from, int to);

  std::string upstream_host_;
  int upstream_port_;
  int port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;
  std::mutex mu_;
  std::vector<int> fds_;
  std::vector<std::thread> pumps_;
};

// FreePort returns a loopback port that nothing listens on (bound, then released).
int FreePort();

// StackRedisOptions reads MADE0_REDIS_URL from the stack env file (made0::testing::LoadStackEnv).
ClientOptions StackRedisOptions();

// DeleteKeys removes every key starting with prefix (tests clean up after themselves).
void DeleteKeys(Client& client, const std::string& prefix);

}  // namespace made0::redis::testing
