#include "wire.hpp"

#include <charconv>
#include <cstdio>

namespace made0::http::internal {
namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;  // b is lower case
  }
  return true;
}

bool ServerOwned(std::string_view name) {
  return EqualsIgnoreCase(name, "content-length") || EqualsIgnoreCase(name, "connection") ||
         EqualsIgnoreCase(name, "date") || EqualsIgnoreCase(name, "transfer-encoding");
}

bool Unsafe(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

void AppendNumber(std::size_t n, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out.append(buf, static_cast<std::size_t>(end - buf));
}

}  // namespace

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 101:
      return "Switching Protocols";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 412:
      return "Precondition Failed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 428:
      return "Precondition Required";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

bool BodyAllowed(int status) { return status >= 200 && status != 204 && status != 304; }

void AppendResponseHead(const Response& resp, ConnectionHeader connection, std::string_view date,
                        std::string& out) {
  int status = resp.status >= 100 && resp.status <= 999 ? resp.status : 500;
  out.append("HTTP/1.1 ");
  AppendNumber(static_cast<std::size_t>(status), out);
  out.push_back(' ');
  out.append(ReasonPhrase(status));
  out.append("\r\n");
  if (!date.empty()) {
    out.append("Date: ");
    out.append(date);
    out.append("\r\n");
  }
  if (!resp.content_type.empty() && !Unsafe(resp.content_type)) {
    out.append("Content-Type: ");
    out.append(resp.content_type);
    out.append("\r\n");
  }
  if (BodyAllowed(status)) {
    out.append("Content-Length: ");
    AppendNumber(resp.body.size(), out);
    out.append("\r\n");
  }
  for (const auto& [name, value] : resp.headers) {
    if (name.empty() || ServerOwned(name) || Unsafe(name) || Unsafe(value)) continue;
    out.append(name);
    out.append(": ");
    out.append(value);
    out.append("\r\n");
  }
  if (connection == ConnectionHeader::kClose) out.append("Connection: close\r\n");
  if (connection == ConnectionHeader::kKeepAlive) out.append("Connection: keep-alive\r\n");
  out.append("\r\n");
}

bool WantsClose(const Response& resp) {
  for (const auto& [name, value] : resp.headers) {
    if (EqualsIgnoreCase(name, "connection") && EqualsIgnoreCase(value, "close")) return true;
  }
  return false;
}

std::string_view DateCache::Get() {
  std::time_t now = std::time(nullptr);
  if (now != second_) {
    std::tm tm{};
    gmtime_r(&now, &tm);
    // Formatted by hand: strftime's %a and %b follow the locale, HTTP wants English.
    static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int n = std::snprintf(text_, sizeof text_, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                          kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12],
                          tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
    size_ = n > 0 ? static_cast<std::size_t>(n) : 0;
    second_ = now;
  }
  return {text_, size_};
}

}  // namespace made0::http::internal
