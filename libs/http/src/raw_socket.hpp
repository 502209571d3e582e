#pragma once
// Test helper: a blocking TCP client with deadlines, for byte-exact HTTP conversations that the
// real Client cannot have (slow sends, malformed requests, bodies announced but never sent).

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace made0::http::testing_util {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// RawSocket is a blocking TCP client with deadlines, for byte-exact conversations.
class RawSocket {
 public:
  explicit RawSocket(int port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawSocket() { close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;
  bool connected() const { return connected_; }

  void Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  // Read appends what arrives within `wait`; false on EOF or error (closed).
  bool Read(std::string& out, std::chrono::milliseconds wait) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(wait.count())) <= 0) return true;  // nothing yet
    char buf[4096];
    ssize_t n = recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return false;
    out.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  // ReadUntilClosed returns everything until EOF, or nullopt if still open after `limit`.
  std::optional<std::string> ReadUntilClosed(std::chrono::milliseconds limit) {
    std::string out;
    auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      if (!Read(out, 20ms)) return out;
    }
    return std::nullopt;
  }
  // ReadResponse reads one response: the head, then Content-Length bytes (none for HEAD).
  std::string ReadResponse(bool head_request = false) {
    auto deadline = Clock::now() + 3s;
    while (Clock::now() < deadline) {
      auto end = buffer_.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        auto cl = buffer_.find("Content-Length: ");
        if (cl != std::string::npos && cl < end && !head_request) {
          length = std::stoul(buffer_.substr(cl + 16));
        }
        if (buffer_.size() >= end + 4 + length) {
          std::string resp = buffer_.substr(0, end + 4 + length);
          buffer_.erase(0, resp.size());
          return resp;
        }
      }
      if (!Read(buffer_, 20ms)) break;
    }
    return std::exchange(buffer_, {});
  }

 private:
  int fd_;
  bool connected_ = false;
  std::string buffer_;
};

inline std::string Body(const std::string& response) {
  auto end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

}  // namespace made0::http::testing_util
