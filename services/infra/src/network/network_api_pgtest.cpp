// NetworkApi through the router, over the real store: status codes, bodies, error fields.
#include <gtest/gtest.h>

#include "made0/infra/network/network_api.hpp"
#include "pg_fixture.hpp"

namespace made0::infra::network {
namespace {

using nlohmann::json;
using testing::NetworkPgTest;

class ApiPg : public NetworkPgTest {
 protected:
  void SetUp() override {
    NetworkPgTest::SetUp();
    api_ = std::make_unique<NetworkApi>(store());
    api_->AddRoutes(router_);
  }

  http::Response Call(const std::string& method, const std::string& target,
                      const std::string& body = "",
                      std::initializer_list<std::pair<const std::string, std::string>> query = {}) {
    http::Request req;
    req.method = method;
    req.target = target;
    req.path = target;
    req.body = body;
    req.query = http::StringMap(query);
    return router_.Handle(req);
  }

  static json Body(const http::Response& resp) { return json::parse(resp.body); }

  http::Router router_;
  std::unique_ptr<NetworkApi> api_;
};

TEST_F(ApiPg, RegionsListZonesAndPools) {
  auto resp = Call("GET", "/v1/regions");
  ASSERT_EQ(resp.status, 200);
  const json regions = Body(resp)["regions"];
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_EQ(regions[0]["name"], "us-east-1");
  EXPECT_EQ(regions[0]["primary"], true);
  EXPECT_EQ(regions[0]["pool"], "172.16.0.0/13");
  EXPECT_EQ(regions[0]["availability_zones"],
            json::array({"us-east-1a", "us-east-1b", "us-east-1c"}));
}

TEST_F(ApiPg, SeedFigureSixOverHttp) {
  auto created =
      Call("POST", "/v1/vpcs", R"({"region":"us-east-1","name":"made0","cidr":"172.16.0.0/16"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string vpc_id = Body(created)["id"];
  EXPECT_EQ(Call("GET", "/v1/vpcs/" + vpc_id).status, 200);
  const std::pair<const char*, int> asks[] = {
      {"us-east-1a", 17}, {"us-east-1b", 18}, {"us-east-1c", 19}};
  std::string first_subnet;
  for (const auto& [az, prefix] : asks) {
    auto resp =
        Call("POST", "/v1/subnets",
             json{{"vpc_id", vpc_id}, {"availability_zone", az}, {"prefix_length", prefix}}.dump());
    ASSERT_EQ(resp.status, 201) << resp.body;
    if (first_subnet.empty()) first_subnet = Body(resp)["id"];
  }
  auto list = Call("GET", "/v1/subnets", "", {{"vpc_id", vpc_id}});
  ASSERT_EQ(list.status, 200);
  const json subnets = Body(list)["subnets"];
  ASSERT_EQ(subnets.size(), 3u);
  EXPECT_EQ(subnets[0]["name"], "made0-us-east-1a");
  EXPECT_EQ(subnets[0]["cidr"], "172.16.128.0/17");
  EXPECT_EQ(subnets[1]["cidr"], "172.16.64.0/18");
  EXPECT_EQ(subnets[2]["name"], "made0-us-east-1c");
  EXPECT_EQ(subnets[2]["cidr"], "172.16.32.0/19");

  ASSERT_TRUE(store().AllocateAddress(first_subnet, "instance-1"));
  auto addresses = Call("GET", "/v1/subnets/" + first_subnet + "/addresses");
  ASSERT_EQ(addresses.status, 200);
  EXPECT_EQ(Body(addresses)["addresses"][0]["address"], "172.16.128.4");
  EXPECT_EQ(Body(addresses)["addresses"][0]["owner"], "instance-1");

  auto refused = Call("DELETE", "/v1/vpcs/" + vpc_id);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(Body(refused)["error"]["code"], "conflict");
  EXPECT_EQ(Call("DELETE", "/v1/subnets/" + first_subnet).status, 409);
  ASSERT_TRUE(store().ReleaseAddress(first_subnet, "instance-1"));
  EXPECT_EQ(Call("DELETE", "/v1/subnets/" + first_subnet).status, 204);
  EXPECT_EQ(Call("DELETE", "/v1/vpcs/" + vpc_id).status, 204);
  EXPECT_EQ(Call("GET", "/v1/vpcs/" + vpc_id).status, 404);
  EXPECT_EQ(Body(Call("GET", "/v1/vpcs"))["vpcs"].size(), 0u);
}

TEST_F(ApiPg, BadRequestsNameTheField) {
  struct Case {
    const char* method;
    const char* target;
    const char* body;
    int status;
    const char* field;
  };
  const Case cases[] = {
      {"POST", "/v1/vpcs", "not json", 400, ""},
      {"POST", "/v1/vpcs", R"({"region":"us-east-1","name":"x","cidr":"172.16.0.1/16"})", 422,
       "cidr"},
      {"POST", "/v1/vpcs", R"({"region":"mars-1","name":"x"})", 422, "region"},
      {"POST", "/v1/vpcs", R"({"region":"us-east-1","name":"x","prefix_length":8})", 422,
       "prefix_length"},
      {"POST", "/v1/vpcs", R"({"region":"us-east-1","name":"x","color":"red"})", 422, "color"},
      {"POST", "/v1/subnets",
       R"({"vpc_id":"vpc-00000000000000000","availability_zone":"us-east-1a","prefix_length":20})",
       422, "vpc_id"},
      {"POST", "/v1/security-groups", R"({"vpc_id":"vpc-1","name":"etcd"})", 422, "vpc_id"},
      {"POST", "/v1/security-groups/sg-00000000000000000/rules",
       R"({"protocol":"tcp","from_port":22,"to_port":22,"source_cidr":"0.0.0.0/0"})", 404, ""},
  };
  for (const Case& c : cases) {
    auto resp = Call(c.method, c.target, c.body);
    EXPECT_EQ(resp.status, c.status) << c.target << " " << c.body << " -> " << resp.body;
    const json error = Body(resp)["error"];
    EXPECT_EQ(error.value("field", ""), c.field) << resp.body;
    EXPECT_FALSE(error.value("message", "").empty()) << resp.body;
  }
  EXPECT_EQ(Call("GET", "/v1/subnets/nope").status, 404);
  EXPECT_EQ(Call("GET", "/v1/subnets", "", {{"vpc_id", "vpc-00000000000000000"}}).status, 404);
  EXPECT_EQ(Call("GET", "/v1/vpcs", "", {{"region", "mars-1"}}).status, 422);
}

TEST_F(ApiPg, SecurityGroupRulesAnswer201ThenOkForTheSameRule) {
  const Vpc vpc = Made0Vpc();
  auto created =
      Call("POST", "/v1/security-groups", json{{"vpc_id", vpc.id}, {"name", "etcd"}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string sg = Body(created)["id"];
  const std::string rule =
      R"({"protocol":"tcp","from_port":2379,"to_port":2380,"source_cidr":"172.16.0.0/16"})";
  auto first = Call("POST", "/v1/security-groups/" + sg + "/rules", rule);
  ASSERT_EQ(first.status, 201) << first.body;
  auto again = Call("POST", "/v1/security-groups/" + sg + "/rules", rule);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(Body(again)["id"], Body(first)["id"]);
  auto bad = Call("POST", "/v1/security-groups/" + sg + "/rules", R"({"protocol":"gre"})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Body(bad)["error"]["field"], "protocol");
  auto list = Call("GET", "/v1/security-groups", "", {{"vpc_id", vpc.id}});
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list)["security_groups"][0]["ingress"].size(), 1u);
  EXPECT_EQ(Call("GET", "/v1/security-groups/" + sg).status, 200);
}

}  // namespace
}  // namespace made0::infra::network
