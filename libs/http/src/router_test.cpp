#include "made0/http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace made0::http {
namespace {

using Kind = RouteMatch::Kind;

Handler Named(std::string name) {
  return [name](Request&) { return Response::Text(200, name); };
}

Router MakeRouter() {
  Router r;
  r.Add("GET", "/healthz", Named("healthz"), {.blocking = false});
  r.Add("GET", "/v1/users/{id}", Named("get user"));
  r.Add("DELETE", "/v1/users/{id}", Named("delete user"));
  r.Add("GET", "/v1/users/me", Named("me"));
  r.Add("POST", "/v1/users", Named("create user"));
  r.Add("GET", "/v1/clusters/{name}/members/{member}", Named("member"));
  r.Add("GET", "/assets/*", Named("assets"));
  r.Add("GET", "/assets/{file}", Named("asset file"));
  r.Add("HEAD", "/head-only", Named("head only"));
  r.Add("GET", "/", Named("root"));
  return r;
}

TEST(RouterTest, MatchTable) {
  Router router = MakeRouter();
  struct Case {
    std::string_view method, path;
    Kind kind;
    std::string_view pattern;
    StringMap params;
    std::string_view allow;
  } cases[] = {
      {"GET", "/healthz", Kind::kFound, "/healthz", {}, ""},
      {"GET", "/healthz/", Kind::kNotFound, "", {}, ""},
      {"GET", "/healthzz", Kind::kNotFound, "", {}, ""},
      {"GET", "/v1/users/u-1", Kind::kFound, "/v1/users/{id}", {{"id", "u-1"}}, ""},
      {"GET", "/v1/users/me", Kind::kFound, "/v1/users/me", {}, ""},
      {"DELETE", "/v1/users/me", Kind::kFound, "/v1/users/{id}", {{"id", "me"}}, ""},
      {"GET", "/v1/users/a%20b", Kind::kFound, "/v1/users/{id}", {{"id", "a b"}}, ""},
      // An encoded slash stays inside its segment.
      {"GET", "/v1/users/a%2Fb", Kind::kFound, "/v1/users/{id}", {{"id", "a/b"}}, ""},
      {"GET", "/v1/users/", Kind::kNotFound, "", {}, ""},
      {"GET", "/v1/users/a/b", Kind::kNotFound, "", {}, ""},
      {"PUT", "/v1/users/u-1", Kind::kMethodNotAllowed, "", {}, "DELETE, GET, HEAD"},
      {"GET", "/v1/users", Kind::kMethodNotAllowed, "", {}, "POST"},
      {"POST", "/v1/users", Kind::kFound, "/v1/users", {}, ""},
      {"GET",
       "/v1/clusters/ab/members/2",
       Kind::kFound,
       "/v1/clusters/{name}/members/{member}",
       {{"name", "ab"}, {"member", "2"}},
       ""},
      {"GET", "/assets/app.js", Kind::kFound, "/assets/{file}", {{"file", "app.js"}}, ""},
      {"GET", "/assets/js/app.js", Kind::kFound, "/assets/*", {{"*", "js/app.js"}}, ""},
      {"GET", "/assets", Kind::kFound, "/assets/*", {{"*", ""}}, ""},
      {"GET", "/assets/", Kind::kFound, "/assets/*", {{"*", ""}}, ""},
      {"HEAD", "/healthz", Kind::kFound, "/healthz", {}, ""},  // falls back to GET
      {"HEAD", "/head-only", Kind::kFound, "/head-only", {}, ""},
      {"GET", "/head-only", Kind::kMethodNotAllowed, "", {}, "HEAD"},
      {"GET", "/", Kind::kFound, "/", {}, ""},
      {"POST", "/", Kind::kMethodNotAllowed, "", {}, "GET, HEAD"},
      {"get", "/healthz", Kind::kMethodNotAllowed, "", {}, "GET, HEAD"},  // methods are exact
      {"GET", "/nope", Kind::kNotFound, "", {}, ""},
  };
  for (const Case& c : cases) {
    StringMap params{{"stale", "x"}};
    RouteMatch m = router.Match(c.method, c.path, &params);
    SCOPED_TRACE(std::string(c.method) + " " + std::string(c.path));
    EXPECT_EQ(m.kind, c.kind);
    EXPECT_EQ(m.pattern, c.pattern);
    EXPECT_EQ(m.allow, c.allow);
    if (c.kind == Kind::kFound) {
      EXPECT_EQ(params, c.params);
    }
  }
}

TEST(RouterTest, WildcardAtRootServesEverythingElse) {
  Router router;
  router.Add("GET", "/api/v1/{x}", Named("api"));
  router.Add("GET", "/*", Named("static"));
  EXPECT_EQ(router.Match("GET", "/").pattern, "/*");
  EXPECT_EQ(router.Match("GET", "/index.html").pattern, "/*");
  EXPECT_EQ(router.Match("GET", "/api/v1/a").pattern, "/api/v1/{x}");
  StringMap params;
  EXPECT_EQ(router.Match("GET", "/api/v1/a/b", &params).pattern, "/*");
  EXPECT_EQ(params.at("*"), "api/v1/a/b");
}

TEST(RouterTest, BlockingFlag) {
  Router router = MakeRouter();
  EXPECT_FALSE(router.Match("GET", "/healthz").blocking);
  EXPECT_TRUE(router.Match("GET", "/v1/users/x").blocking);
  EXPECT_FALSE(router.Match("GET", "/nope").blocking);
}

TEST(RouterTest, RejectsBadPatterns) {
  Router r;
  EXPECT_THROW(r.Add("GET", "healthz", Named("x")), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a/*/b", Named("x")), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a/{}", Named("x")), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a/{id", Named("x")), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a/b{id}", Named("x")), std::invalid_argument);
  EXPECT_THROW(r.Add("GET", "/a", nullptr), std::invalid_argument);
  r.Add("GET", "/u/{id}", Named("x"));
  EXPECT_THROW(r.Add("GET", "/u/{name}", Named("y")), std::invalid_argument);
  EXPECT_NO_THROW(r.Add("PUT", "/u/{name}", Named("y")));
}

TEST(RouterTest, HandleFillsParamsAndRoute) {
  Router router = MakeRouter();
  Request req;
  req.method = "GET";
  req.target = "/v1/users/a%2Fb?x=1";
  req.path = "/v1/users/a/b";  // decoded, as the server sets it
  Response resp = router.Handle(req);
  EXPECT_EQ(resp.body, "get user");
  EXPECT_EQ(req.route, "/v1/users/{id}");
  EXPECT_EQ(req.PathParam("id"), "a/b");
}

TEST(RouterTest, NotFoundAndMethodNotAllowedAreJsonErrors) {
  Router router = MakeRouter();
  Request req;
  req.method = "GET";
  req.target = req.path = "/nope";
  Response r404 = router.Handle(req);
  EXPECT_EQ(r404.status, 404);
  EXPECT_EQ(
      nlohmann::json::parse(r404.body),
      nlohmann::json::parse(R"({"error":{"code":"not_found","message":"no route for /nope"}})"));
  req.method = "PATCH";
  req.target = req.path = "/v1/users/x";
  Response r405 = router.Handle(req);
  EXPECT_EQ(r405.status, 405);
  EXPECT_EQ(r405.Header("Allow"), "DELETE, GET, HEAD");
  EXPECT_EQ(nlohmann::json::parse(r405.body)["error"]["code"], "method_not_allowed");
}

TEST(RouterTest, MiddlewareRunsInOrderAroundEverything) {
  Router router;
  std::vector<std::string> trace;
  router.Use([&](Request& req, const Handler& next) {
    trace.push_back("outer>");
    Response r = next(req);
    trace.push_back("<outer " + std::to_string(r.status));
    return r;
  });
  router.Use([&](Request& req, const Handler& next) {
    trace.push_back("inner>");
    req.context["user"] = std::string("u1");
    Response r = next(req);
    r.AddHeader("X-Inner", "1");
    return r;
  });
  router.Add("GET", "/me", [&](Request& req) {
    trace.push_back("handler");
    return Response::Text(200, std::any_cast<std::string>(req.context.at("user")));
  });
  router.Add("GET", "/boom", [](Request&) -> Response { throw std::runtime_error("boom"); });

  Request req;
  req.method = "GET";
  req.target = "/me";
  Response r = router.Handle(req);
  EXPECT_EQ(r.body, "u1");
  EXPECT_EQ(r.Header("X-Inner"), "1");
  EXPECT_EQ(trace, (std::vector<std::string>{"outer>", "inner>", "handler", "<outer 200"}));

  // 404s and handler exceptions pass through the middleware as responses.
  trace.clear();
  req.target = "/missing";
  EXPECT_EQ(router.Handle(req).status, 404);
  EXPECT_EQ(trace.back(), "<outer 404");
  trace.clear();
  req.target = "/boom";
  Response boom = router.Handle(req);
  EXPECT_EQ(boom.status, 500);
  EXPECT_EQ(nlohmann::json::parse(boom.body)["error"]["code"], "internal");
  EXPECT_EQ(trace.back(), "<outer 500");
}

TEST(RouterTest, MiddlewareMayAnswerWithoutCallingNext) {
  Router router;
  bool reached = false;
  router.Use([](Request&, const Handler&) {
    return Response::Error(made0::Error{ErrorCode::kUnauthenticated, "sign in first", {}});
  });
  router.Add("GET", "/x", [&](Request&) {
    reached = true;
    return Response::Text(200, "x");
  });
  Request req;
  req.method = "GET";
  req.target = "/x";
  EXPECT_EQ(router.Handle(req).status, 401);
  EXPECT_FALSE(reached);
}

}  // namespace
}  // namespace made0::http
