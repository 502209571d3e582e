#include "made0/frontend/console_api.hpp"

#include "made0/core/log.hpp"
#include "made0/frontend/cookies.hpp"
#include "made0/redis/discovery.hpp"
#include "made0/runtime/guard.hpp"
#include "made0/tracing/trace_query.hpp"

namespace made0::frontend {
namespace {

http::Response PassThrough(const http::ClientResponse& upstream) {
  http::Response resp;
  resp.status = upstream.status;
  resp.content_type = std::string(upstream.Header("Content-Type").value_or("application/json"));
  resp.body = upstream.body;
  if (auto retry = upstream.Header("Retry-After"))
    resp.SetHeader("Retry-After", std::string(*retry));
  return resp;
}

http::Response Unavailable(const Error& e) {
  log::Warn("upstream unavailable", {{"error", e.message}});
  return http::Response::Error(
      {ErrorCode::kUnavailable, "the service is temporarily unavailable; please try again", {}});
}

std::string SessionToken(const http::Request& req) {
  return std::string(req.Cookie(kSessionCookie).value_or(""));
}

}  // namespace

ConsoleApi::ConsoleApi(runtime::ServiceClient& services, redis::Discovery& discovery,
                       tracing::TraceQuery& traces, Random& rng, ConsoleOptions options)
    : services_(services), discovery_(discovery), traces_(traces), rng_(rng), options_(options) {}

void ConsoleApi::AddRoutes(http::Router& router) {
  router.Use([](http::Request& req, const http::Handler& next) -> http::Response {
    if (req.path.rfind("/api/", 0) != 0 || !IsStateChanging(req.method)) return next(req);
    if (!SameOrigin(req.Header("Origin"), req.Header("Host")) ||
        !CsrfAllows(req.method, req.Cookie(kCsrfCookie), req.Header(kCsrfHeader))) {
      return http::Response::Error(
          {ErrorCode::kPermissionDenied, "missing or invalid CSRF token; reload the page", {}});
    }
    return next(req);
  });
  auto add = [&](const char* method, const char* path,
                 http::Response (ConsoleApi::*fn)(http::Request&)) {
    router.Add(method, path,
               runtime::Guard([this, fn](http::Request& r) { return (this->*fn)(r); }));
  };
  add("GET", "/api/csrf", &ConsoleApi::Csrf);
  add("POST", "/api/signup", &ConsoleApi::SignUp);
  add("POST", "/api/login", &ConsoleApi::Login);
  add("POST", "/api/logout", &ConsoleApi::Logout);
  add("GET", "/api/me", &ConsoleApi::Me);
  add("POST", "/api/verify", &ConsoleApi::Verify);
  add("POST", "/api/verify/resend", &ConsoleApi::Resend);
  add("GET", "/api/services", &ConsoleApi::Services);
  add("GET", "/api/traces", &ConsoleApi::Traces);
  add("GET", "/api/traces/{trace_id}", &ConsoleApi::Trace);
  for (const InfraRoute& route : InfraRoutes()) {
    router.Add(route.method, route.pattern,
               runtime::Guard([this, &route](http::Request& r) { return Infra(route, r); }));
  }
}

http::Response ConsoleApi::Csrf(http::Request& req) {
  std::string token(req.Cookie(kCsrfCookie).value_or(""));
  http::Response resp;
  if (token.size() < 32) {
    token = RandomToken(rng_, 32);
    resp = http::Response::Json(200, {{"csrf_token", token}});
    resp.AddHeader("Set-Cookie",
                   SetCookie(kCsrfCookie, token, {.secure = options_.secure_cookies}));
  } else {
    resp = http::Response::Json(200, {{"csrf_token", token}});
  }
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

http::Response ConsoleApi::Forward(const std::string& service, const std::string& method,
                                   const std::string& path, const http::Request& req,
                                   bool repeatable) {
  auto body = http::ParseJsonBody(req);  // checked here so garbage never travels further
  if (!body) return http::Response::Error(body.error());
  auto r = services_.Call(
      service, {.method = method, .path = path, .body = body->dump(), .repeatable = repeatable});
  if (!r) return Unavailable(r.error());
  return PassThrough(*r);
}

// Repeating a sign-up is harmless by design: a second one for the same address is answered the
// same way and mails the owner a fresh link instead.
http::Response ConsoleApi::SignUp(http::Request& req) {
  return Forward("users", "POST", "/v1/users", req, /*repeatable=*/true);
}

http::Response ConsoleApi::Login(http::Request& req) {
  auto body = http::ParseJsonBody(req);
  if (!body) return http::Response::Error(body.error());
  auto r =
      services_.Call("users", {.method = "POST", .path = "/v1/sessions", .body = body->dump()});
  if (!r) return Unavailable(r.error());
  if (r->status != 201) return PassThrough(*r);
  auto session = nlohmann::json::parse(r->body, nullptr, false);
  if (!session.is_object() || !session.contains("token") || !session.contains("user")) {
    return http::Response::Error(Error::Internal("unexpected answer from users"));
  }
  http::Response resp = http::Response::Json(200, {{"user", session["user"]}});
  resp.AddHeader(
      "Set-Cookie",
      SetCookie(kSessionCookie, session["token"].get<std::string>(),
                {.http_only = true, .secure = options_.secure_cookies, .max_age = std::nullopt}));
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

http::Response ConsoleApi::Logout(http::Request& req) {
  const std::string token = SessionToken(req);
  if (!token.empty()) {
    auto r = services_.Call("users", {.method = "DELETE",
                                      .path = "/v1/sessions/current",
                                      .headers = {{"Authorization", "Bearer " + token}},
                                      .repeatable = true});
    if (!r) return Unavailable(r.error());
  }
  http::Response resp = http::Response::NoContent();
  resp.AddHeader("Set-Cookie", SetCookie(kSessionCookie, "",
                                         {.http_only = true,
                                          .secure = options_.secure_cookies,
                                          .max_age = std::chrono::seconds(0)}));
  return resp;
}

http::Response ConsoleApi::Me(http::Request& req) {
  const std::string token = SessionToken(req);
  if (token.empty()) {
    return http::Response::Error({ErrorCode::kUnauthenticated, "not logged in", {}});
  }
  auto r = services_.Call("users", {.method = "GET",
                                    .path = "/v1/sessions/current",
                                    .headers = {{"Authorization", "Bearer " + token}},
                                    .repeatable = true});
  if (!r) return Unavailable(r.error());
  http::Response resp = PassThrough(*r);
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

std::optional<http::Response> ConsoleApi::RequireVerifiedUser(const http::Request& req) {
  http::Request copy;
  copy.headers = req.headers;
  http::Response me = Me(copy);
  if (me.status != 200) return me;
  auto body = nlohmann::json::parse(me.body, nullptr, false);
  if (!body.is_object() || !body["user"].value("verified", false)) {
    return http::Response::Error(
        {ErrorCode::kPermissionDenied, "confirm your email address first", {}});
  }
  return std::nullopt;
}

http::Response ConsoleApi::Verify(http::Request& req) {
  // Not repeatable: a confirmation that went through before an instance died would come back as
  // "already used", which is wrong to show.
  return Forward("verification", "POST", "/v1/verifications/confirm", req, false);
}

http::Response ConsoleApi::Resend(http::Request& req) {
  return Forward("verification", "POST", "/v1/verifications/resend", req, false);
}

http::Response ConsoleApi::Services(http::Request& req) {
  if (auto denied = RequireVerifiedUser(req)) return *denied;
  auto all = discovery_.All();
  if (!all) return Unavailable(all.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& i : *all) {
    list.push_back({{"service", i.service},
                    {"id", i.id},
                    {"address", i.address},
                    {"port", i.port},
                    {"started_at", FormatRfc3339(i.started_at)},
                    {"version", i.version}});
  }
  return http::Response::Json(200, {{"instances", list}});
}

http::Response ConsoleApi::Traces(http::Request& req) {
  if (auto denied = RequireVerifiedUser(req)) return *denied;
  int limit = 20;
  if (auto q = req.Query("limit")) {
    try {
      limit = std::stoi(std::string(*q));
    } catch (const std::exception&) {
      return http::Response::Error(Error::Invalid("limit", "limit must be a number"));
    }
    if (limit < 1 || limit > 200) {
      return http::Response::Error(Error::Invalid("limit", "limit must be between 1 and 200"));
    }
  }
  auto traces = traces_.RecentTraces(limit);
  if (!traces) return http::Response::Error(traces.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& t : *traces) {
    list.push_back({{"trace_id", t.trace_id},
                    {"name", t.root_name},
                    {"service", t.root_service},
                    {"start", FormatRfc3339(t.start)},
                    {"duration_us", t.duration.count()},
                    {"span_count", t.span_count},
                    {"services", t.services},
                    {"error", t.error}});
  }
  return http::Response::Json(200, {{"traces", list}});
}

http::Response ConsoleApi::Trace(http::Request& req) {
  if (auto denied = RequireVerifiedUser(req)) return *denied;
  const std::string id(req.PathParam("trace_id").value_or(""));
  auto spans = traces_.GetTrace(id);
  if (!spans) return http::Response::Error(spans.error());
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : *spans) {
    list.push_back({{"span_id", s.span_id},
                    {"parent_span_id", s.parent_span_id},
                    {"name", s.name},
                    {"service", s.service},
                    {"instance", s.instance},
                    {"kind", s.kind},
                    {"start", FormatRfc3339(s.start)},
                    {"start_us", UnixMicros(s.start)},
                    {"duration_us", s.duration.count()},
                    {"error", s.error},
                    {"attributes", s.attributes}});
  }
  return http::Response::Json(200, {{"trace_id", id}, {"spans", list}});
}

// Reads are repeatable; a retry is not (a second one would be answered 409 and hide the first).
// IDs are checked before they are put in the upstream path, so "../" or a query never travels.
http::Response ConsoleApi::Infra(const InfraRoute& route, http::Request& req) {
  if (auto denied = RequireVerifiedUser(req)) return *denied;
  auto path = InfraUpstreamPath(route, req.PathParam("id").value_or(""));
  if (!path) return http::Response::Error(path.error());
  const bool read = route.method == "GET";
  if (read) {
    auto query = InfraQuery(req.query);
    if (!query) return http::Response::Error(query.error());
    *path += *query;
  }
  auto r = services_.Call("infra", {.method = std::string(route.method),
                                    .path = *path,
                                    .body = read ? "" : "{}",
                                    .repeatable = read});
  if (!r) return Unavailable(r.error());
  http::Response resp = PassThrough(*r);
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

}  // namespace made0::frontend
