#include <charconv>
#include <optional>

#include "made0/redis/client.hpp"

namespace made0::redis {
namespace {

std::optional<int> ParseNumber(std::string_view s, int min, int max) {
  int v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size() || v < min || v > max) {
    return std::nullopt;
  }
  return v;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// PercentDecode undoes %XX escapes, which URLs need for '@', ':' or '/' in a password.
std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = HexDigit(s[i + 1]);
    const int lo = HexDigit(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// Bad never echoes the URL: it may carry a password.
Error Bad(std::string_view why) {
  return Error::Malformed("redis URL: " + std::string(why), "MADE0_REDIS_URL");
}

}  // namespace

std::string RedisUrl::ToString() const {
  std::string out = "redis://";
  if (!user.empty() || !password.empty()) out += user + (password.empty() ? "" : ":***") + "@";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  out += ":" + std::to_string(port) + "/" + std::to_string(db);
  return out;
}

Result<RedisUrl> ParseRedisUrl(std::string_view url) {
  constexpr std::string_view kScheme = "redis://";
  if (url.substr(0, kScheme.size()) != kScheme) return Bad("must start with redis://");
  std::string_view rest = url.substr(kScheme.size());
  RedisUrl out;

  std::string_view path;
  if (auto slash = rest.find('/'); slash != std::string_view::npos) {
    path = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
  }
  if (auto at = rest.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    std::string_view user = userinfo;
    std::string_view password;
    if (auto colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      password = userinfo.substr(colon + 1);
    }
    auto u = PercentDecode(user);
    auto p = PercentDecode(password);
    if (!u || !p) return Bad("bad percent-escape in user or password");
    out.user = std::move(*u);
    out.password = std::move(*p);
  }

  std::string_view port;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) return Bad("unterminated [ipv6] host");
    out.host = std::string(rest.substr(1, close - 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Bad("junk after ]");
      port = after.substr(1);
      if (port.empty()) return Bad("empty port");
    }
  } else if (auto colon = rest.find(':'); colon != std::string_view::npos) {
    out.host = std::string(rest.substr(0, colon));
    port = rest.substr(colon + 1);
    if (port.empty()) return Bad("empty port");
  } else {
    out.host = std::string(rest);
  }
  if (out.host.empty()) return Bad("missing host");
  if (!port.empty()) {
    auto p = ParseNumber(port, 1, 65535);
    if (!p) return Bad("port must be 1-65535");
    out.port = *p;
  }
  if (!path.empty()) {
    auto db = ParseNumber(path, 0, 65535);
    if (!db) return Bad("database must be a number 0-65535");
    out.db = *db;
  }
  return out;
}

Result<ClientOptions> ParseClientOptions(std::string_view url) {
  auto parsed = ParseRedisUrl(url);
  if (!parsed) return std::move(parsed).error();
  ClientOptions options;
  options.url = std::move(*parsed);
  return options;
}

Result<ClientOptions> ReadClientOptions(ConfigReader& config) {
  std::string url = config.String("MADE0_REDIS_URL", "redis://127.0.0.1:6379/0",
                                  "Redis: redis://[[user]:password@]host[:port][/db]");
  int pool = config.Int("MADE0_REDIS_POOL_SIZE", 8, 1, 1024, "Redis connections open at most");
  auto connect = config.Duration("MADE0_REDIS_CONNECT_TIMEOUT", std::chrono::milliseconds(500),
                                 "Redis connect timeout");
  auto command = config.Duration("MADE0_REDIS_COMMAND_TIMEOUT", std::chrono::milliseconds(1000),
                                 "Redis command round-trip timeout");
  auto options = ParseClientOptions(url);
  if (!options) return std::move(options).error();
  options->pool_size = static_cast<std::size_t>(pool);
  options->connect_timeout = connect;
  options->command_timeout = command;
  return options;
}

}  // namespace made0::redis
