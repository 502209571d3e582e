#include "made0/cloud/local_wire.hpp"

#include <gtest/gtest.h>

namespace made0::cloud::wire {
namespace {

TEST(LocalWire, InstanceRoundTrips) {
  Instance i;
  i.id = "i-0123456789abcdef0";
  i.state = InstanceState::kShuttingDown;
  i.state_reason = "Client.UserInitiatedShutdown: User initiated shutdown";
  i.region = "us-east-1";
  i.az = "us-east-1a";
  i.subnet_id = "subnet-0123456789abcdef0";
  i.image = "etcd";
  i.instance_type = "t3.small";
  i.private_ip = "172.16.128.4";
  i.tags = {{"Name", "m1"}};
  i.endpoints = {{"client", "127.0.0.1:41234"}};
  i.launch_time =
      std::chrono::system_clock::time_point{std::chrono::milliseconds{1'800'000'000'123}};
  auto back = InstanceFromJson(nlohmann::json::parse(ToJson(i).dump()));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->id, i.id);
  EXPECT_EQ(back->state, i.state);
  EXPECT_EQ(back->state_reason, i.state_reason);
  EXPECT_EQ(back->tags, i.tags);
  EXPECT_EQ(back->endpoints, i.endpoints);
  EXPECT_EQ(back->launch_time, i.launch_time);
}

TEST(LocalWire, SecurityGroupRoundTrips) {
  SecurityGroup g{
      .id = "sg-0123456789abcdef0",
      .vpc_id = "vpc-0123456789abcdef0",
      .name = "e",
      .ingress = {{.protocol = "tcp", .from_port = 1, .to_port = 2, .source_cidr = "10.0.0.0/8"},
                  {.protocol = "-1", .source_group_id = "sg-0123456789abcdef1"}}};
  auto back = SecurityGroupFromJson(ToJson(g));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->ingress, g.ingress);
}

TEST(LocalWire, ShapeErrorsNameTheField) {
  auto r = InstanceFromJson(nlohmann::json{
      {"id", "i-1"}, {"state", "melting"}, {"region", "r"}, {"az", "a"}, {"image", "x"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().field, "state");
  EXPECT_EQ(VpcFromJson(nlohmann::json::array()).error().field, "body");
  EXPECT_EQ(VpcFromJson({{"id", 3}}).error().field, "id");
}

TEST(LocalWire, Rfc3339) {
  EXPECT_TRUE(ParseRfc3339("2026-12-03T18:16:09Z"));
  EXPECT_TRUE(ParseRfc3339("2026-12-03T18:16:09.123456Z"));
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*ParseRfc3339("1970-01-02T00:00:00Z")), 86400);
  for (const char* bad : {"", "2026-12-03", "2026-12-03T18:16:09", "2026-13-03T18:16:09Z",
                          "2026-12-03T18:16:09.Z", "2026-12-03T18:16:09+01:00"}) {
    EXPECT_FALSE(ParseRfc3339(bad)) << bad;
  }
}

TEST(LocalWire, ErrorMapping) {
  struct Case {
    int status;
    const char* body;
    ErrorCode code;
    const char* field;
  };
  const Case cases[] = {
      {404, R"({"error":{"code":"not_found","message":"InvalidInstanceID.NotFound: x"}})",
       ErrorCode::kNotFound, ""},
      {422, R"({"error":{"code":"invalid","message":"m","field":"subnet_id"}})",
       ErrorCode::kInvalid, "subnet_id"},
      {503, R"({"error":{"code":"unavailable","message":"InsufficientInstanceCapacity"}})",
       ErrorCode::kUnavailable, ""},
      {409, R"({"error":{"code":"conflict","message":"IdempotentParameterMismatch"}})",
       ErrorCode::kConflict, ""},
      {502, "<html>bad gateway</html>", ErrorCode::kUnavailable, ""},
      {500, "boom", ErrorCode::kInternal, ""},
      {404, "", ErrorCode::kNotFound, ""},
      {429, "{}", ErrorCode::kRateLimited, ""},
      {418, "{}", ErrorCode::kInvalid, ""},
  };
  for (const auto& c : cases) {
    const Error e = ErrorFromResponse(c.status, c.body);
    EXPECT_EQ(e.code, c.code) << c.status << " " << c.body;
    EXPECT_EQ(e.field, c.field) << c.body;
  }
}

}  // namespace
}  // namespace made0::cloud::wire
