#include "made0/amqp/url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace made0::amqp {
namespace {

Error Bad(std::string message) { return Error::Invalid(kUrlVariable, std::move(message)); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out.push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    const int hi = HexValue(in[i + 1]);
    const int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char want, char got) {
           return std::tolower(static_cast<unsigned char>(got)) == want;
         });
}

}  // namespace

Result<AmqpUrl> ParseAmqpUrl(std::string_view text) {
  constexpr std::string_view kScheme = "amqp://";
  if (StartsWithIgnoreCase(text, "amqps://")) return Bad("amqps:// (TLS) is not supported");
  if (!StartsWithIgnoreCase(text, kScheme)) return Bad("must start with amqp://");
  std::string_view rest = text.substr(kScheme.size());
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return Bad("query parameters and fragments are not supported");
  }

  AmqpUrl url;
  const auto slash = rest.find('/');
  const std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    const std::string_view path = rest.substr(slash + 1);
    if (path.find('/') != std::string_view::npos) return Bad("vhost must be one segment (%2f)");
    if (!path.empty()) {
      auto vhost = PercentDecode(path);
      if (!vhost) return Bad("bad percent-encoding in vhost");
      url.vhost = std::move(*vhost);
    }
  }

  std::string_view hostport = authority;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    hostport = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    auto user = PercentDecode(userinfo.substr(0, colon));
    if (!user) return Bad("bad percent-encoding in user");
    if (user->empty()) return Bad("empty user");
    url.user = std::move(*user);
    if (colon != std::string_view::npos) {
      auto password = PercentDecode(userinfo.substr(colon + 1));
      if (!password) return Bad("bad percent-encoding in password");
      url.password = std::move(*password);
    }
  }

  std::string_view host = hostport;
  std::string_view port;
  bool has_port = false;
  if (!hostport.empty() && hostport.front() == '[') {  // IPv6 literal
    const auto close = hostport.find(']');
    if (close == std::string_view::npos) return Bad("unterminated [ in host");
    host = hostport.substr(1, close - 1);
    const std::string_view after = hostport.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Bad("unexpected text after ]");
      port = after.substr(1);
      has_port = true;
    }
  } else if (const auto colon = hostport.rfind(':'); colon != std::string_view::npos) {
    host = hostport.substr(0, colon);
    port = hostport.substr(colon + 1);
    has_port = true;
  }
  if (!host.empty()) url.host = std::string(host);
  if (has_port) {
    int value = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value < 1 ||
        value > 65535) {
      return Bad("port must be a number from 1 to 65535");
    }
    url.port = value;
  }
  return url;
}

std::string Redacted(const AmqpUrl& url) {
  const bool ipv6 = url.host.find(':') != std::string::npos;
  std::string vhost;
  if (url.vhost != "/") {
    vhost = "/";
    for (char c : url.vhost) vhost += c == '/' ? std::string("%2f") : std::string(1, c);
  }
  return "amqp://" + url.user + ":***@" + (ipv6 ? "[" + url.host + "]" : url.host) + ":" +
         std::to_string(url.port) + vhost;
}

}  // namespace made0::amqp
