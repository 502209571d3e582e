#include "made0/frontend/infra_routes.hpp"

#include <gtest/gtest.h>

#include "made0/http/router.hpp"

namespace made0::frontend {
namespace {

const InfraRoute& RouteFor(std::string_view method, std::string_view pattern) {
  for (const InfraRoute& r : InfraRoutes()) {
    if (r.method == method && r.pattern == pattern) return r;
  }
  throw std::runtime_error("no route " + std::string(pattern));
}

TEST(InfraId, Table) {
  struct Case {
    InfraIdKind kind;
    std::string_view id;
    bool ok;
  };
  const Case cases[] = {
      {InfraIdKind::kSubnet, "subnet-0a1b2c3d4e5f60718", true},
      {InfraIdKind::kSubnet, "subnet-0a1b2c3d4e5f6071", false},    // 16 digits
      {InfraIdKind::kSubnet, "subnet-0a1b2c3d4e5f607189", false},  // 18 digits
      {InfraIdKind::kSubnet, "subnet-0A1B2C3D4E5F60718", false},   // upper case
      {InfraIdKind::kSubnet, "subnet-0a1b2c3d4e5f6071g", false},
      {InfraIdKind::kSubnet, "vpc-0a1b2c3d4e5f607189", false},
      {InfraIdKind::kSubnet, "i-0a1b2c3d4e5f60718", false},
      {InfraIdKind::kInstance, "i-0a1b2c3d4e5f60718", true},
      {InfraIdKind::kInstance, "i-../../v1/vpcs12345", false},
      {InfraIdKind::kInstance, "i-0a1b2c3d4e5f6071?", false},
      {InfraIdKind::kInstance, "", false},
      {InfraIdKind::kSaga, "saga-0123456789abcdef", true},
      {InfraIdKind::kSaga, "saga-0123456789abcde", false},
      {InfraIdKind::kSaga, "saga-0123456789abcdef0", false},
      {InfraIdKind::kSaga, "SAGA-0123456789abcdef", false},
      {InfraIdKind::kSaga, "saga-0123456789abcde/", false},
  };
  for (const Case& c : cases) {
    Status st = CheckInfraId(c.kind, c.id);
    EXPECT_EQ(st.ok(), c.ok) << c.id;
    if (!st.ok()) {
      EXPECT_EQ(st.error().code, ErrorCode::kInvalid) << c.id;
    }
  }
}

TEST(InfraId, ErrorNamesTheField) {
  EXPECT_EQ(CheckInfraId(InfraIdKind::kSubnet, "x").error().field, "subnet_id");
  EXPECT_EQ(CheckInfraId(InfraIdKind::kInstance, "x").error().field, "instance_id");
  EXPECT_EQ(CheckInfraId(InfraIdKind::kSaga, "x").error().field, "saga_id");
  EXPECT_EQ(CheckInfraId(InfraIdKind::kSaga, "x").error().message,
            "saga_id must be 'saga-' followed by 16 lowercase hex digits");
}

TEST(InfraRoutes, UpstreamPaths) {
  auto list = InfraUpstreamPath(RouteFor("GET", "/api/infra/security-groups"), "");
  ASSERT_TRUE(list);
  EXPECT_EQ(*list, "/v1/security-groups");
  auto addresses = InfraUpstreamPath(RouteFor("GET", "/api/infra/subnets/{id}/addresses"),
                                     "subnet-0a1b2c3d4e5f60718");
  ASSERT_TRUE(addresses);
  EXPECT_EQ(*addresses, "/v1/subnets/subnet-0a1b2c3d4e5f60718/addresses");
  auto retry =
      InfraUpstreamPath(RouteFor("POST", "/api/infra/sagas/{id}/retry"), "saga-0123456789abcdef");
  ASSERT_TRUE(retry);
  EXPECT_EQ(*retry, "/v1/sagas/saga-0123456789abcdef/retry");
  auto bad = InfraUpstreamPath(RouteFor("GET", "/api/infra/instances/{id}"), "i-1234/../x");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "instance_id");
}

TEST(InfraRoutes, EveryRouteMapsUnderV1) {
  int posts = 0;
  for (const InfraRoute& r : InfraRoutes()) {
    EXPECT_TRUE(r.pattern.starts_with("/api/infra/")) << r.pattern;
    EXPECT_TRUE(r.upstream.starts_with("/v1/")) << r.upstream;
    EXPECT_EQ(r.pattern.substr(std::string_view("/api/infra").size()),
              r.upstream.substr(std::string_view("/v1").size()));
    EXPECT_EQ(r.pattern.find("{id}") != std::string_view::npos, r.id != InfraIdKind::kNone);
    posts += r.method == "POST" ? 1 : 0;
  }
  EXPECT_EQ(posts, 1);  // only the saga retry writes
  EXPECT_EQ(InfraRoutes().size(), 11u);
}

TEST(InfraRoutes, ReadsAreTheGetRoutes) {
  EXPECT_TRUE(IsInfraRead("/api/infra/sagas/{id}"));
  EXPECT_TRUE(IsInfraRead("/api/infra/subnets/{id}/addresses"));
  EXPECT_FALSE(IsInfraRead("/api/infra/sagas/{id}/retry"));  // people's actions stay traced
  EXPECT_FALSE(IsInfraRead("/api/infra/sagas/saga-0123456789abcdef"));  // a path, not a route
  EXPECT_FALSE(IsInfraRead("/api/me"));
}

TEST(InfraRoutes, PatternsRegisterAndMatch) {
  http::Router router;
  for (const InfraRoute& r : InfraRoutes()) {
    router.Add(r.method, r.pattern, [](http::Request&) { return http::Response::NoContent(); });
  }
  http::StringMap params;
  auto m = router.Match("GET", "/api/infra/subnets/subnet-0a1b2c3d4e5f60718/addresses", &params);
  ASSERT_EQ(m.kind, http::RouteMatch::Kind::kFound);
  EXPECT_EQ(m.pattern, "/api/infra/subnets/{id}/addresses");
  EXPECT_EQ(params["id"], "subnet-0a1b2c3d4e5f60718");
  // An encoded slash stays inside its segment, and is refused by the ID check afterwards.
  params.clear();
  m = router.Match("GET", "/api/infra/instances/i-..%2F..%2Fv1", &params);
  ASSERT_EQ(m.kind, http::RouteMatch::Kind::kFound);
  EXPECT_FALSE(CheckInfraId(InfraIdKind::kInstance, params["id"]));
  EXPECT_EQ(router.Match("GET", "/api/infra/sagas/x/retry").kind,
            http::RouteMatch::Kind::kMethodNotAllowed);
}

TEST(InfraQuery, KeepsOnlyKnownNonEmptyParameters) {
  auto q = InfraQuery({{"region", "us-east-1"},
                       {"limit", "20"},
                       {"evil", "1"},
                       {"status", ""},
                       {"owner", "a b&c=d/é"}});
  ASSERT_TRUE(q);
  EXPECT_EQ(*q, "?limit=20&owner=a%20b%26c%3Dd%2F%C3%A9&region=us-east-1");
  auto all = InfraQuery(
      {{"vpc_id", "vpc-1"}, {"cluster", "c"}, {"type", "CreateInstance"}, {"status", "running"}});
  ASSERT_TRUE(all);
  EXPECT_EQ(*all, "?cluster=c&status=running&type=CreateInstance&vpc_id=vpc-1");
}

TEST(InfraQuery, EmptyAndTooLong) {
  auto none = InfraQuery({{"x", "1"}});
  ASSERT_TRUE(none);
  EXPECT_EQ(*none, "");
  auto q = InfraQuery({{"cluster", std::string(257, 'a')}});
  ASSERT_FALSE(q);
  EXPECT_EQ(q.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(q.error().field, "cluster");
  EXPECT_TRUE(InfraQuery({{"cluster", std::string(256, 'a')}}));
}

}  // namespace
}  // namespace made0::frontend
