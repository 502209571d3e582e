#pragma once
// Router maps (method, path) to a handler, and runs middleware around every request.
//
//   Router router;
//   router.Use([](Request& req, const Handler& next) {        // runs first, around the rest
//     auto started = std::chrono::steady_clock::now();
//     Response resp = next(req);
//     RecordLatency(req.route, resp.status, started);
//     return resp;
//   });
//   router.Add("GET", "/healthz", [](Request&) { return Response::Text(200, "ok"); },
//              {.blocking = false});                          // cheap: runs on the I/O thread
//   router.Add("GET", "/v1/users/{id}", GetUser);             // req.PathParam("id")
//   router.Add("GET", "/assets/*", ServeStatic);              // req.PathParam("*") = the rest
//
// Patterns are '/'-separated segments: a literal, "{name}" (exactly one non-empty segment), or a
// final "*" (zero or more segments). When several patterns match, the most specific wins,
// segment by segment: literal before {param} before *. Matching works on the raw (still
// percent-encoded) path, segment by segment, so "%2F" inside an ID never splits a segment.
// A HEAD request uses the GET route when no HEAD route exists (the server drops the body).
// An unknown path gives 404, a known path with another method 405 with an Allow header; both
// still pass through the middleware.
//
// Configure the router before Server::Start; afterwards it is read-only and shared by threads.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "made0/http/message.hpp"

namespace made0::http {

using Handler = std::function<Response(Request&)>;
using Middleware = std::function<Response(Request&, const Handler& next)>;

struct RouteOptions {
  // blocking routes run on the server's worker pool, so they may call blocking drivers. Set it
  // false only for handlers that never block (health checks, in-memory reads).
  bool blocking = true;
};

// RouteMatch is the pure outcome of matching, before any handler runs.
struct RouteMatch {
  enum class Kind { kFound, kNotFound, kMethodNotAllowed };
  Kind kind = Kind::kNotFound;
  std::string_view pattern;  // the matched route's pattern (valid while the Router lives)
  bool blocking = false;     // false for 404/405: answering those never blocks
  std::string allow;         // kMethodNotAllowed: "GET, HEAD, POST"
  std::size_t index = 0;     // internal: which route
};

class Router {
 public:
  Router() = default;
  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;
  Router(Router&&) = default;
  Router& operator=(Router&&) = default;

  // Add registers a route. An invalid pattern (not starting with '/', '*' not last, empty or
  // unclosed "{}") or a duplicate method+pattern is a programming error: std::invalid_argument.
  void Add(std::string_view method, std::string_view pattern, Handler handler,
           RouteOptions options = {});
  // Use appends middleware; the first added is the outermost.
  void Use(Middleware middleware);

  // Match decides the route for a raw path (as in the request-target, before '?'). When found and
  // params is not null, params receives the decoded captures.
  RouteMatch Match(std::string_view method, std::string_view raw_path,
                   StringMap* params = nullptr) const;

  // Dispatch runs middleware and then the matched handler (or the 404/405 answer). A handler
  // that throws becomes a 500 error response that the middleware still sees.
  Response Dispatch(Request& req, const RouteMatch& match) const;

  // Handle is Match (filling req.path_params and req.route from req.target) plus Dispatch.
  Response Handle(Request& req) const;

 private:
  struct Segment {
    enum class Kind { kLiteral, kParam, kWildcard };
    Kind kind;
    std::string text;  // the literal, or the parameter's name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
    bool blocking;
  };

  static std::vector<Segment> ParsePattern(std::string_view pattern);
  static bool Less(const Route& a, const Route& b);
  bool MatchSegments(const Route& route, std::string_view raw_path, StringMap* params) const;
  Response RunChain(Request& req, std::size_t index, const Handler& last) const;

  std::vector<Route> routes_;  // most specific first
  std::vector<Middleware> middleware_;
};

}  // namespace made0::http
