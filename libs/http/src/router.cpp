#include "made0/http/router.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>

#include "made0/core/log.hpp"
#include "url.hpp"

namespace made0::http {
namespace {

// NextSegment pops the next '/'-separated segment off `rest` (which has no leading '/').
std::string_view NextSegment(std::string_view& rest) {
  auto slash = rest.find('/');
  std::string_view seg = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  return seg;
}

std::string Decode(std::string_view raw) {
  std::string out;
  internal::PercentDecode(raw, false, out);
  return out;
}

bool LiteralEquals(std::string_view raw, std::string_view literal) {
  if (raw.find('%') == std::string_view::npos) return raw == literal;
  return Decode(raw) == literal;
}

Response InternalError() { return Response::Error(made0::Error::Internal("internal error")); }

}  // namespace

std::vector<Router::Segment> Router::ParsePattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  }
  std::vector<Segment> segments;
  std::string_view rest = pattern.substr(1);
  bool more = true;
  while (more) {
    more = rest.find('/') != std::string_view::npos;
    std::string_view seg = NextSegment(rest);
    if (seg == "*") {
      if (more)
        throw std::invalid_argument("'*' must be the last segment: " + std::string(pattern));
      segments.push_back({Segment::Kind::kWildcard, "*"});
    } else if (!seg.empty() && seg.front() == '{') {
      if (seg.size() < 3 || seg.back() != '}') {
        throw std::invalid_argument("bad parameter in route pattern: " + std::string(pattern));
      }
      segments.push_back({Segment::Kind::kParam, std::string(seg.substr(1, seg.size() - 2))});
    } else {
      if (seg.find_first_of("{}*") != std::string_view::npos) {
        throw std::invalid_argument("bad literal in route pattern: " + std::string(pattern));
      }
      segments.push_back({Segment::Kind::kLiteral, std::string(seg)});
    }
  }
  return segments;
}

bool Router::Less(const Route& a, const Route& b) {
  return std::lexicographical_compare(
      a.segments.begin(), a.segments.end(), b.segments.begin(), b.segments.end(),
      [](const Segment& x, const Segment& y) { return x.kind < y.kind; });
}

void Router::Add(std::string_view method, std::string_view pattern, Handler handler,
                 RouteOptions options) {
  if (method.empty()) throw std::invalid_argument("route method is empty");
  if (!handler) throw std::invalid_argument("route handler is empty: " + std::string(pattern));
  Route route{std::string(method), std::string(pattern), ParsePattern(pattern), std::move(handler),
              options.blocking};
  for (const Route& r : routes_) {
    bool same = r.method == route.method && r.segments.size() == route.segments.size() &&
                std::equal(r.segments.begin(), r.segments.end(), route.segments.begin(),
                           [](const Segment& x, const Segment& y) {
                             return x.kind == y.kind &&
                                    (x.kind != Segment::Kind::kLiteral || x.text == y.text);
                           });
    if (same) {
      throw std::invalid_argument("duplicate route: " + route.method + " " + route.pattern);
    }
  }
  routes_.push_back(std::move(route));
  std::stable_sort(routes_.begin(), routes_.end(), Less);
}

void Router::Use(Middleware middleware) {
  if (!middleware) throw std::invalid_argument("middleware is empty");
  middleware_.push_back(std::move(middleware));
}

bool Router::MatchSegments(const Route& route, std::string_view raw_path, StringMap* params) const {
  std::string_view rest = raw_path.empty() ? raw_path : raw_path.substr(1);
  bool more = true;  // "/" still has one (empty) segment
  for (const Segment& seg : route.segments) {
    if (seg.kind == Segment::Kind::kWildcard) {
      if (params) (*params)["*"] = Decode(more ? rest : std::string_view{});
      return true;
    }
    if (!more) return false;
    more = rest.find('/') != std::string_view::npos;
    std::string_view raw = NextSegment(rest);
    if (seg.kind == Segment::Kind::kLiteral) {
      if (!LiteralEquals(raw, seg.text)) return false;
    } else {
      if (raw.empty()) return false;
      if (params) (*params)[seg.text] = Decode(raw);
    }
  }
  return !more;
}

RouteMatch Router::Match(std::string_view method, std::string_view raw_path,
                         StringMap* params) const {
  if (params) params->clear();
  RouteMatch result;
  bool path_known = false;
  const Route* get_route = nullptr;
  std::size_t get_index = 0;
  for (std::size_t i = 0; i < routes_.size(); ++i) {
    const Route& route = routes_[i];
    if (!MatchSegments(route, raw_path, nullptr)) continue;
    path_known = true;
    if (route.method == method) {
      get_route = &route;
      get_index = i;
      break;
    }
    if (!get_route && method == "HEAD" && route.method == "GET") {
      get_route = &route;
      get_index = i;
    }
  }
  if (get_route) {
    if (params) MatchSegments(*get_route, raw_path, params);
    result.kind = RouteMatch::Kind::kFound;
    result.pattern = get_route->pattern;
    result.blocking = get_route->blocking;
    result.index = get_index;
    return result;
  }
  if (!path_known) return result;
  result.kind = RouteMatch::Kind::kMethodNotAllowed;
  std::vector<std::string_view> allowed;
  for (const Route& route : routes_) {
    if (!MatchSegments(route, raw_path, nullptr)) continue;
    allowed.push_back(route.method);
    if (route.method == "GET") allowed.push_back("HEAD");
  }
  std::sort(allowed.begin(), allowed.end());
  allowed.erase(std::unique(allowed.begin(), allowed.end()), allowed.end());
  for (std::string_view m : allowed) {
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += m;
  }
  return result;
}

Response Router::RunChain(Request& req, std::size_t index, const Handler& last) const {
  if (index == middleware_.size()) {
    // Caught here, inside the middleware, so that logging and metrics middleware see the 500.
    try {
      return last(req);
    } catch (const std::exception& e) {
      log::Error("http handler threw",
                 {{"method", req.method}, {"route", req.route}, {"error", e.what()}});
    } catch (...) {
      log::Error("http handler threw", {{"method", req.method}, {"route", req.route}});
    }
    return InternalError();
  }
  // Next is two pointers, so std::function stores it inline: no allocation per layer.
  struct Chain {
    const Router* router;
    const Handler* last;
  };
  struct Next {
    const Chain* chain;
    std::size_t index;
    Response operator()(Request& r) const {
      return chain->router->RunChain(r, index, *chain->last);
    }
  };
  Chain chain{this, &last};
  Handler next = Next{&chain, index + 1};
  return middleware_[index](req, next);
}

Response Router::Dispatch(Request& req, const RouteMatch& match) const {
  switch (match.kind) {
    case RouteMatch::Kind::kFound:
      return RunChain(req, 0, routes_[match.index].handler);
    case RouteMatch::Kind::kMethodNotAllowed: {
      Handler last = [&match](Request& r) {
        // No ErrorCode means "wrong method", so this one error is spelled out here.
        Response resp = Response::Json(
            405, {{"error",
                   {{"code", "method_not_allowed"},
                    {"message", "method " + r.method + " is not allowed for " + r.path}}}});
        resp.AddHeader("Allow", match.allow);
        return resp;
      };
      return RunChain(req, 0, last);
    }
    case RouteMatch::Kind::kNotFound:
      break;
  }
  Handler last = [](Request& r) {
    return Response::Error(made0::Error::NotFound("no route for " + r.path));
  };
  return RunChain(req, 0, last);
}

Response Router::Handle(Request& req) const {
  std::string_view raw_path = req.path;
  std::string_view query;
  if (!req.target.empty()) internal::SplitTarget(req.target, raw_path, query);
  RouteMatch match = Match(req.method, raw_path, &req.path_params);
  req.route.assign(match.pattern);
  return Dispatch(req, match);
}

}  // namespace made0::http
