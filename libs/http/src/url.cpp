#include "url.hpp"

namespace made0::http::internal {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void SplitTarget(std::string_view target, std::string_view& path, std::string_view& query) {
  if (!target.empty() && target.front() != '/') {
    // Absolute-form: drop "scheme://authority".
    if (auto scheme = target.find("://"); scheme != std::string_view::npos) {
      auto slash = target.find_first_of("/?", scheme + 3);
      target = slash == std::string_view::npos ? std::string_view{} : target.substr(slash);
    }
  }
  auto q = target.find('?');
  path = target.substr(0, q);
  query = q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
  if (auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
  if (path.empty()) path = "/";
}

void PercentDecode(std::string_view in, bool plus_is_space, std::string& out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%' && i + 2 < in.size()) {
      int hi = HexValue(in[i + 1]);
      int lo = HexValue(in[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && c == '+' ? ' ' : c);
  }
}

void ParseQuery(std::string_view query, StringMap& out) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string name;
    PercentDecode(pair.substr(0, eq), true, name);
    std::string value;
    if (eq != std::string_view::npos) PercentDecode(pair.substr(eq + 1), true, value);
    out.emplace(std::move(name), std::move(value));
  }
}

void FillFromTarget(Request& req) {
  std::string_view path;
  std::string_view query;
  SplitTarget(req.target, path, query);
  req.path.clear();
  PercentDecode(path, false, req.path);
  req.query.clear();
  ParseQuery(query, req.query);
}

}  // namespace made0::http::internal
