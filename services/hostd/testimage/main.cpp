// made0-testimage: the `test` image of hostd's catalog. It serves HTTP on 127.0.0.1:<port> and
// answers every GET with {"instance_id": ..., "private_ip": ...}, so a test can tell which
// instance it reached. Deliberately tiny: one thread, blocking sockets, no libraries, a few
// hundred KiB of memory, so a hundred of them cost little.
//
//   made0-testimage --port 8080 --instance-id i-0123456789abcdef0 --private-ip 172.16.128.4
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

// JsonEscape keeps the answer valid JSON whatever the arguments hold.
std::string JsonEscape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

void Serve(int client, const std::string& body) {
  // Read the request head (bounded); a connection closed at once (a port probe) is fine.
  char buf[4096];
  std::string head;
  while (head.find("\r\n\r\n") == std::string::npos && head.size() < 16384) {
    const ssize_t n = ::read(client, buf, sizeof buf);
    if (n <= 0) return;
    head.append(buf, static_cast<std::size_t>(n));
  }
  const bool get = head.rfind("GET ", 0) == 0 || head.rfind("HEAD ", 0) == 0;
  const std::string status = get ? "200 OK" : "405 Method Not Allowed";
  const std::string payload = get ? body : "{\"error\":\"only GET\"}\n";
  std::string response = "HTTP/1.1 " + status +
                         "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                         "Content-Length: " +
                         std::to_string(payload.size()) + "\r\n\r\n";
  if (head.rfind("HEAD ", 0) != 0) response += payload;
  std::size_t sent = 0;
  while (sent < response.size()) {
    const ssize_t n = ::send(client, response.data() + sent, response.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

}  // namespace

int main(int argc, char** argv) {
  int port = 0;
  std::string instance_id, private_ip;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--port") == 0) port = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--instance-id") == 0) instance_id = argv[i + 1];
    if (std::strcmp(argv[i], "--private-ip") == 0) private_ip = argv[i + 1];
  }
  if (port <= 0 || port > 65535) {
    std::fprintf(stderr, "usage: made0-testimage --port N --instance-id ID --private-ip IP\n");
    return 2;
  }
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 64) != 0) {
    std::perror("made0-testimage: listen");
    return 1;
  }
  std::fprintf(stderr, "made0-testimage %s listening on 127.0.0.1:%d\n", instance_id.c_str(), port);
  const std::string body = "{\"instance_id\":\"" + JsonEscape(instance_id) +
                           "\",\"private_ip\":\"" + JsonEscape(private_ip) + "\"}\n";
  const timeval timeout{2, 0};  // a silent client cannot hold the only thread for long
  for (;;) {
    const int client = ::accept(fd, nullptr, nullptr);
    if (client < 0) continue;
    ::setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    Serve(client, body);
    ::close(client);
  }
}
