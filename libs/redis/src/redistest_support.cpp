#include "redistest_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

#include "made0/testing/stack_env.hpp"

namespace made0::redis::testing {
namespace {

sockaddr_in Loopback(int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

int BoundPort(int fd) {
  sockaddr_in a{};
  socklen_t len = sizeof a;
  getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  return ntohs(a.sin_port);
}

}  // namespace

TcpProxy::TcpProxy(std::string upstream_host, int upstream_port)
    : upstream_host_(std::move(upstream_host)), upstream_port_(upstream_port) {}

TcpProxy::~TcpProxy() { Stop(); }

void TcpProxy::Start() {
  Stop();
  listen_fd_ = socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a = Loopback(port_);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      listen(listen_fd_, 64) != 0) {
    close(listen_fd_);
    listen_fd_ = -1;
    throw std::runtime_error("TcpProxy: cannot listen on port " + std::to_string(port_));
  }
  port_ = BoundPort(listen_fd_);
  stopping_ = false;
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

void TcpProxy::Stop() {
  stopping_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  listen_fd_ = -1;
  std::lock_guard lock(mu_);
  for (int fd : fds_) shutdown(fd, SHUT_RDWR);
  for (auto& t : pumps_) t.join();
  for (int fd : fds_) close(fd);
  fds_.clear();
  pumps_.clear();
}

void TcpProxy::AcceptLoop() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 20) <= 0) continue;
    const int client = accept(listen_fd_, nullptr, nullptr);
    if (client < 0) continue;
    const int upstream = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(upstream_port_));
    inet_pton(AF_INET, upstream_host_.c_str(), &a.sin_addr);
    if (connect(upstream, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
      close(client);
      close(upstream);
      continue;
    }
    std::lock_guard lock(mu_);
    fds_.push_back(client);
    fds_.push_back(upstream);
    pumps_.emplace_back([client, upstream] { Pump(client, upstream); });
    pumps_.emplace_back([client, upstream] { Pump(upstream, client); });
  }
}

void TcpProxy::Pump(int from, int to) {
  char buf[16384];
  for (;;) {
    const ssize_t n = read(from, buf, sizeof buf);
    if (n <= 0) break;
    for (ssize_t off = 0; off < n;) {
      const ssize_t w = send(to, buf + off, static_cast<std::size_t>(n - off), MSG_NOSIGNAL);
      if (w <= 0) {
        off = n;
        break;
      }
      off += w;
    }
  }
  // One side ended: end both, like a connection through a dead server.
  shutdown(from, SHUT_RDWR);
  shutdown(to, SHUT_RDWR);
}

int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a = Loopback(0);
  bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  const int port = BoundPort(fd);
  close(fd);
  return port;
}

ClientOptions StackRedisOptions() {
  auto env = made0::testing::LoadStackEnv();
  auto url = env.Get("MADE0_REDIS_URL");
  if (!url) throw std::runtime_error("stack env has no MADE0_REDIS_URL");
  auto options = ParseClientOptions(*url);
  if (!options) throw std::runtime_error("bad MADE0_REDIS_URL: " + options.error().message);
  return *options;
}

void DeleteKeys(Client& client, const std::string& prefix) {
  std::string cursor = "0";
  do {
    auto r = client.Call({"SCAN", cursor, "MATCH", prefix + "*", "COUNT", "1000"});
    if (!r || r->elements().size() != 2) return;
    cursor = r->elements()[0].text();
    std::vector<std::string> del = {"DEL"};
    for (const Reply& k : r->elements()[1].elements()) del.push_back(k.text());
    if (del.size() > 1) (void)client.Call(std::move(del));
  } while (cursor != "0");
}

}  // namespace made0::redis::testing
