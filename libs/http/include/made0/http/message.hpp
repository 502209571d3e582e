#pragma once
// HTTP requests and responses as plain values, plus the JSON conventions every made0 service
// shares: errors as {"error":{"code":"...","message":"...","field":"..."}} with the status that
// StatusFor gives, and small helpers to validate JSON request bodies.
//
//   Response CreateUser(Request& req) {
//     auto body = ParseJsonBody(req);
//     if (!body) return Response::Error(body.error());
//     auto email = RequireString(*body, "email", 254);
//     if (!email) return Response::Error(email.error());   // 422, field "email"
//     return Response::Json(201, {{"id", "..."}});
//   }
//
// No Beast, Asio or curl types appear here; the server and the router fill these structs.

#include <any>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "made0/core/status.hpp"

namespace made0::http {

// Headers keeps names as received (or as set); lookups ignore case, as HTTP requires.
using Headers = std::vector<std::pair<std::string, std::string>>;
// StringMap allows lookups by string_view (std::less<>).
using StringMap = std::map<std::string, std::string, std::less<>>;

// FindHeader returns the first value of `name` (case-insensitive), or nullopt.
std::optional<std::string_view> FindHeader(const Headers& headers, std::string_view name);

// Request is one parsed HTTP request. The server reuses one Request per connection, so handlers
// must not keep references into it after they return.
struct Request {
  std::string method;          // "GET", "POST", ... as received
  std::string target;          // the request-target as received: "/v1/users/a%20b?x=1"
  std::string path;            // target's path, percent-decoded: "/v1/users/a b"
  StringMap query;             // decoded query parameters; the first of a repeated name wins
  Headers headers;             // in arrival order
  std::string body;            // whole body (bounded by ServerOptions::body_limit)
  std::string remote_address;  // peer IP, e.g. "127.0.0.1"
  int remote_port = 0;
  StringMap path_params;  // "{id}" captures (decoded); "*" holds a wildcard's rest
  std::string route;      // matched pattern, "/v1/users/{id}"; empty when none matched
  // context carries per-request values between middleware and handlers (a trace context, the
  // authenticated user, ...). Keys are agreed by convention, e.g. "user_id".
  std::map<std::string, std::any, std::less<>> context;

  std::optional<std::string_view> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
  // Cookie returns the value of cookie `name` from the Cookie header(s), unquoted.
  std::optional<std::string_view> Cookie(std::string_view name) const;
  std::optional<std::string_view> Query(std::string_view name) const;
  std::optional<std::string_view> PathParam(std::string_view name) const;
};

// Response is what a handler returns. Content-Length, Date and Connection are the server's job.
struct Response {
  int status = 200;
  std::string content_type{};  // sent as Content-Type unless empty
  Headers headers{};           // may repeat a name (Set-Cookie)
  std::string body{};

  // Json serialises `body` (invalid UTF-8 is replaced, never thrown on).
  static Response Json(int status, const nlohmann::json& body);
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");
  // Error answers with StatusFor(error.code) and the standard error object.
  static Response Error(const made0::Error& error);
  static Response NoContent() { return Response{204, {}, {}, {}}; }

  // AddHeader appends (use it for Set-Cookie); SetHeader replaces every value of `name`.
  Response& AddHeader(std::string name, std::string value);
  Response& SetHeader(std::string_view name, std::string value);
  std::optional<std::string_view> Header(std::string_view name) const {
    return FindHeader(headers, name);
  }
};

// StatusFor maps an ErrorCode to its HTTP status: the one place where that decision is made.
int StatusFor(ErrorCode code);

// ErrorJson is the body of an error response: {"error":{"code":..,"message":..[,"field":..]}}.
nlohmann::json ErrorJson(const made0::Error& error);

// ParseJsonBody parses the body as a JSON object. Anything else is kMalformed.
Result<nlohmann::json> ParseJsonBody(const Request& req);

// RequireString reads object[field] as a non-empty string of at most max_len bytes; otherwise
// an Invalid error naming the field (422).
Result<std::string> RequireString(const nlohmann::json& object, std::string_view field,
                                  std::size_t max_len);
// OptionalString is RequireString for a field that may be absent or null (nullopt then); an
// empty string is returned as is.
Result<std::optional<std::string>> OptionalString(const nlohmann::json& object,
                                                  std::string_view field, std::size_t max_len);

}  // namespace made0::http
