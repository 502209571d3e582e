#include "made0/ctl/client.hpp"

#include <array>

namespace made0::ctl {
namespace {

constexpr int kMaxInstances = 3;  // registry instances tried when connections are refused
constexpr std::size_t kBodySnippet = 200;

std::string Snippet(std::string_view body) {
  std::string s(body.substr(0, kBodySnippet));
  for (char& c : s) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return body.size() > kBodySnippet ? s + "..." : s;
}

}  // namespace

ErrorCode ErrorCodeFromString(std::string_view code) {
  static constexpr std::array kAll = {
      ErrorCode::kMalformed, ErrorCode::kUnauthenticated, ErrorCode::kPermissionDenied,
      ErrorCode::kNotFound,  ErrorCode::kConflict,        ErrorCode::kGone,
      ErrorCode::kTooLarge,  ErrorCode::kInvalid,         ErrorCode::kRateLimited,
      ErrorCode::kInternal,  ErrorCode::kUnavailable};
  for (ErrorCode c : kAll) {
    if (ToString(c) == code) return c;
  }
  return ErrorCode::kInternal;
}

Error ErrorFromResponse(int status, std::string_view body) {
  const auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) {
    const auto it = parsed.find("error");
    if (it != parsed.end() && it->is_object()) {
      const auto text = [&](const char* key) {
        const auto f = it->find(key);
        return f != it->end() && f->is_string() ? f->get<std::string>() : std::string();
      };
      Error e{ErrorCodeFromString(text("code")), text("message"), text("field")};
      if (e.message.empty()) e.message = "infra answered HTTP " + std::to_string(status);
      return e;
    }
  }
  Error e{status == 404   ? ErrorCode::kNotFound
          : status == 503 ? ErrorCode::kUnavailable
                          : ErrorCode::kInternal,
          "infra answered HTTP " + std::to_string(status),
          {}};
  if (const std::string s = Snippet(body); !s.empty()) e.message += ": " + s;
  return e;
}

std::string FormatError(const Error& error) {
  std::string out = "error: " + error.message;
  if (!error.field.empty()) out += " (field: " + error.field + ")";
  return out;
}

InfraClient::InfraClient(Endpoint& endpoint, http::Client& http, std::chrono::milliseconds timeout)
    : endpoint_(endpoint), http_(http), timeout_(timeout) {}

Result<nlohmann::json> InfraClient::Call(std::string_view method, const std::string& path,
                                         const std::optional<nlohmann::json>& body) {
  http::ClientRequest req;
  req.method = std::string(method);
  req.headers = {{"Accept", "application/json"}};
  if (body) {
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = body->dump();
  }
  req.timeout = timeout_;
  std::optional<Error> refused;  // the last instance that refused, if another one was tried
  for (int attempt = 0;; ++attempt) {
    auto base = endpoint_.BaseUrl();
    if (!base) return refused ? *refused : std::move(base).error();
    req.url = *base + path;
    auto resp = http_.Send(req);
    if (!resp) {
      const Error& e = resp.error();
      if (http::IsTimeout(e)) {
        return Error::Unavailable("infra at " + endpoint_.Where(*base) + " did not answer " +
                                  req.method + " " + path + " in time (" + e.message + ")");
      }
      Error unreachable =
          Error::Unavailable("cannot reach infra at " + endpoint_.Where(*base) + ": " + e.message);
      if (http::IsConnectFailure(e) && attempt + 1 < kMaxInstances &&
          endpoint_.Unreachable(*base)) {
        refused = std::move(unreachable);
        continue;  // the request never arrived anywhere: another instance may take it
      }
      return unreachable;
    }
    if (resp->status < 200 || resp->status > 299) {
      return ErrorFromResponse(resp->status, resp->body);
    }
    if (resp->status == 204 || resp->body.empty()) return nlohmann::json(nullptr);
    auto parsed = nlohmann::json::parse(resp->body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
      return Error::Internal("infra at " + endpoint_.Where(*base) + " answered " + req.method +
                             " " + path + " with a body that is not JSON: " + Snippet(resp->body));
    }
    return parsed;
  }
}

}  // namespace made0::ctl
