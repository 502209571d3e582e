#include "conninfo.hpp"

#include <utility>
#include <vector>

namespace made0::pg::detail {
namespace {

bool IsUrl(std::string_view s) {
  return s.starts_with("postgresql://") || s.starts_with("postgres://");
}

// HasKey is true when key=... already appears as a parameter. For a URL the key follows '?' or
// '&'; for key=value form it starts the string or follows whitespace.
bool HasKey(std::string_view s, std::string_view key, bool url) {
  const std::string needle = std::string(key) + "=";
  for (std::size_t pos = s.find(needle); pos != std::string_view::npos;
       pos = s.find(needle, pos + 1)) {
    if (url) {
      if (pos > 0 && (s[pos - 1] == '?' || s[pos - 1] == '&')) return true;
    } else {
      if (pos == 0 || s[pos - 1] == ' ' || s[pos - 1] == '\t') return true;
    }
  }
  return false;
}

}  // namespace

std::string BuildConnectionString(std::string_view url, std::chrono::seconds connect_timeout) {
  // Keepalives make a vanished server (not one that closed the socket) show up as an error
  // within about a minute instead of leaving a query waiting forever.
  const std::vector<std::pair<std::string, std::string>> wanted = {
      {"connect_timeout", std::to_string(connect_timeout.count())},
      {"keepalives", "1"},
      {"keepalives_idle", "30"},
      {"keepalives_interval", "10"},
      {"keepalives_count", "3"},
  };
  const bool url_form = IsUrl(url);
  std::string out(url);
  for (const auto& [key, value] : wanted) {
    if (HasKey(url, key, url_form)) continue;
    if (url_form) {
      out += out.find('?') == std::string::npos ? '?' : '&';
    } else if (!out.empty()) {
      out += ' ';
    }
    out += key + "=" + value;
  }
  return out;
}

}  // namespace made0::pg::detail
