#include "made0/hostd/launch_plan.hpp"

#include <gtest/gtest.h>

namespace made0::hostd {
namespace {

Image Etcd() { return DefaultCatalog().at("etcd"); }

TEST(UserData, EmptyMeansNothing) {
  auto u = ParseUserData("", Etcd());
  ASSERT_TRUE(u);
  EXPECT_TRUE(u->args.empty());
  EXPECT_TRUE(u->env.empty());
  EXPECT_TRUE(u->ports.empty());
}

TEST(UserData, ParsesArgsEnvPorts) {
  auto u = ParseUserData(
      R"({"args": ["--client-cert-auth"], "env": {"ETCD_LOG_LEVEL": "debug"},
          "ports": {"peer": 42380}})",
      Etcd());
  ASSERT_TRUE(u) << u.error().message;
  EXPECT_EQ(u->args, std::vector<std::string>{"--client-cert-auth"});
  EXPECT_EQ(u->env.at("ETCD_LOG_LEVEL"), "debug");
  EXPECT_EQ(u->ports.at("peer"), 42380);
}

TEST(UserData, RejectsBadInputNamingTheField) {
  struct Case {
    std::string text;
    const char* field;
  };
  const Case cases[] = {
      {"not json", "user_data"},
      {"[1]", "user_data"},
      {R"({"argv": []})", "user_data.argv"},
      {R"({"args": "--x"})", "user_data.args"},
      {R"({"args": [1]})", "user_data.args[0]"},
      {R"({"env": []})", "user_data.env"},
      {R"({"env": {"1BAD": "x"}})", "user_data.env.1BAD"},
      {R"({"env": {"A": 1}})", "user_data.env.A"},
      {R"({"ports": {"http": 5000}})", "user_data.ports.http"},
      {R"({"ports": {"peer": 80}})", "user_data.ports.peer"},
      {R"({"ports": {"peer": "42380"}})", "user_data.ports.peer"},
      {std::string(kMaxUserDataBytes + 1, ' '), "user_data"},
  };
  for (const auto& c : cases) {
    auto u = ParseUserData(c.text, Etcd());
    ASSERT_FALSE(u) << c.text.substr(0, 40);
    EXPECT_EQ(u.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(u.error().field, c.field) << c.text.substr(0, 40);
  }
}

TEST(LaunchPlan, ExpandsImageThenUserArgsAndMergesEnv) {
  Image image{.name = "x",
              .binary = "x",
              .args = {"--port", "{port.http}", "--id", "{instance_id}"},
              .env = {{"MODE", "image"}, {"DIR", "{data_dir}"}},
              .endpoints = {"http"}};
  UserData user{
      .args = {"--peer", "http://127.0.0.1:{port.http}"}, .env = {{"MODE", "user"}}, .ports = {}};
  const TemplateVars vars{{"port.http", "5000"}, {"instance_id", "i-1"}, {"data_dir", "/d"}};
  auto plan = PlanLaunch(image, "/bin/x", user, vars, {{"PATH", "/bin"}, {"MODE", "base"}});
  ASSERT_TRUE(plan) << plan.error().message;
  EXPECT_EQ(plan->argv, (std::vector<std::string>{"/bin/x", "--port", "5000", "--id", "i-1",
                                                  "--peer", "http://127.0.0.1:5000"}));
  EXPECT_EQ(plan->env, (std::vector<std::string>{"DIR=/d", "MODE=user", "PATH=/bin"}));
}

TEST(LaunchPlan, UnknownVariableInUserArgsIsAnError) {
  Image image{.name = "x", .binary = "x"};
  UserData user{.args = {"{port.nope}"}, .env = {}, .ports = {}};
  auto plan = PlanLaunch(image, "/bin/x", user, {}, {});
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().field, "user_data.args[0]");
}

TEST(LaunchPlan, EtcdDefaultIsASingleMemberCluster) {
  const TemplateVars vars{{"instance_id", "i-1"},
                          {"private_ip", "172.16.0.4"},
                          {"name", "m1"},
                          {"region", "r"},
                          {"az", "ra"},
                          {"instance_dir", "/inst"},
                          {"data_dir", "/inst/data"},
                          {"port.client", "2379"},
                          {"port.peer", "2380"}};
  auto plan = PlanLaunch(Etcd(), "/usr/bin/etcd", {}, vars, {});
  ASSERT_TRUE(plan) << plan.error().message;
  const auto& a = plan->argv;
  auto after = [&](const std::string& flag) {
    for (std::size_t i = 0; i + 1 < a.size(); ++i) {
      if (a[i] == flag) return a[i + 1];
    }
    return std::string("<missing>");
  };
  EXPECT_EQ(after("--data-dir"), "/inst/data");
  EXPECT_EQ(after("--listen-client-urls"), "http://127.0.0.1:2379");
  EXPECT_EQ(after("--initial-cluster"), "m1=http://127.0.0.1:2380");
}

}  // namespace
}  // namespace made0::hostd
