// The provider against a scripted transport: requests it sends and how answers map to results.
#include "made0/cloud/local_provider.hpp"

#include <gtest/gtest.h>

#include "made0/cloud/local_wire.hpp"

namespace made0::cloud {
namespace {

struct Script {
  std::vector<HostdRequest> sent;
  std::function<Result<http::ClientResponse>(const HostdRequest&)> answer;
};

std::unique_ptr<Provider> Make(Script& s) {
  return MakeLocalProvider([&s](const HostdRequest& r) {
    s.sent.push_back(r);
    return s.answer(r);
  });
}

http::ClientResponse Json(int status, const nlohmann::json& body) {
  return {.status = status, .headers = {}, .body = body.dump()};
}

TEST(LocalProvider, RunInstanceSendsTheSpecAndParsesTheInstance) {
  Script s;
  s.answer = [](const HostdRequest&) -> Result<http::ClientResponse> {
    Instance i;
    i.id = "i-0123456789abcdef0";
    i.region = "us-east-1";
    i.az = "us-east-1a";
    i.image = "test";
    i.endpoints = {{"http", "127.0.0.1:4000"}};
    return Json(201, wire::ToJson(i));
  };
  auto p = Make(s);
  auto inst = p->RunInstance({.region = "us-east-1",
                              .az = "us-east-1a",
                              .subnet_id = "subnet-0123456789abcdef0",
                              .image = "test",
                              .idempotency_token = "tok"});
  ASSERT_TRUE(inst) << inst.error().message;
  EXPECT_EQ(inst->endpoints.at("http"), "127.0.0.1:4000");
  ASSERT_EQ(s.sent.size(), 1u);
  EXPECT_EQ(s.sent[0].method, "POST");
  EXPECT_EQ(s.sent[0].path, "/v1/instances");
  EXPECT_TRUE(s.sent[0].repeatable);  // a token makes a resend harmless
  EXPECT_EQ(nlohmann::json::parse(s.sent[0].body)["idempotency_token"], "tok");
  EXPECT_EQ(p->name(), "local");
}

TEST(LocalProvider, TransportFailureIsRetryable) {
  Script s;
  s.answer = [](const HostdRequest&) -> Result<http::ClientResponse> {
    return Error::Unavailable("connect failed: refused");
  };
  auto p = Make(s);
  auto r = p->CreateVpc({.region = "us-east-1", .cidr = "172.16.0.0/16"});
  ASSERT_FALSE(r);
  EXPECT_TRUE(IsRetryable(r.error()));
  EXPECT_FALSE(p->DescribeInstances("us-east-1", {}));
}

TEST(LocalProvider, HostdErrorsKeepTheirCode) {
  Script s;
  s.answer = [](const HostdRequest& r) -> Result<http::ClientResponse> {
    if (r.path == "/v1/instances") {
      return Json(503, {{"error",
                         {{"code", "unavailable"},
                          {"message", "InsufficientInstanceCapacity: us-east-1a is down"}}}});
    }
    return Json(422, {{"error", {{"code", "invalid"}, {"message", "bad"}, {"field", "cidr"}}}});
  };
  auto p = Make(s);
  auto run = p->RunInstance({.region = "us-east-1"});
  ASSERT_FALSE(run);
  EXPECT_TRUE(IsRetryable(run.error()));
  EXPECT_NE(run.error().message.find("InsufficientInstanceCapacity"), std::string::npos);
  auto subnet = p->CreateSubnet({.region = "us-east-1"});
  ASSERT_FALSE(subnet);
  EXPECT_EQ(subnet.error().code, ErrorCode::kInvalid);
  EXPECT_EQ(subnet.error().field, "cidr");
  EXPECT_FALSE(IsRetryable(subnet.error()));
}

TEST(LocalProvider, DescribeAndTerminatePaths) {
  Script s;
  s.answer = [](const HostdRequest& r) -> Result<http::ClientResponse> {
    if (r.method == "DELETE") {
      return Json(404, {{"error", {{"code", "not_found"}, {"message", "gone"}}}});
    }
    return Json(200, {{"instances", nlohmann::json::array()}});
  };
  auto p = Make(s);
  auto d = p->DescribeInstances("us-east-1", {"i-0123456789abcdef0", "i-0123456789abcdef1"});
  ASSERT_TRUE(d);
  EXPECT_EQ(s.sent[0].path,
            "/v1/instances?region=us-east-1&ids=i-0123456789abcdef0%2Ci-0123456789abcdef1");
  // An instance hostd no longer knows is terminated already: success.
  EXPECT_TRUE(p->TerminateInstance("us-east-1", "i-0123456789abcdef0"));
  EXPECT_EQ(s.sent[1].path, "/v1/instances/i-0123456789abcdef0?region=us-east-1");
}

}  // namespace
}  // namespace made0::cloud
