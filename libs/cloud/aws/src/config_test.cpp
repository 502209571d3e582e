#include "made0/cloud/aws/config.hpp"

#include <gtest/gtest.h>

namespace made0::cloud::aws {
namespace {

using namespace std::chrono_literals;

TEST(AwsConfig, ReadsEnvironmentWithDefaults) {
  MapEnv env{{"AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"},
             {"AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}};
  std::vector<ConfigVar> vars;
  auto c = AwsConfig::FromEnv(env, &vars);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(c->secret_access_key, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(c->session_token, "");
  EXPECT_EQ(c->endpoint, "");
  EXPECT_EQ(c->timeout, 30s);
  EXPECT_EQ(EndpointFor(*c, "eu-west-1"), "https://ec2.eu-west-1.amazonaws.com");
  // --help-config lists the variables, and no value of a secret.
  ASSERT_EQ(vars.size(), 5u);
  for (const ConfigVar& v : vars) {
    EXPECT_EQ(v.default_value.find("wJalr"), std::string::npos) << v.name;
  }
}

TEST(AwsConfig, EndpointOverrideAndSessionToken) {
  MapEnv env{{"AWS_ACCESS_KEY_ID", "AKID"},
             {"AWS_SECRET_ACCESS_KEY", "secret"},
             {"AWS_SESSION_TOKEN", "token"},
             {"MADE0_AWS_ENDPOINT", "http://127.0.0.1:4566/"},
             {"MADE0_AWS_TIMEOUT", "5s"}};
  auto c = AwsConfig::FromEnv(env);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->session_token, "token");
  EXPECT_EQ(c->timeout, 5s);
  EXPECT_EQ(EndpointFor(*c, "us-east-1"), "http://127.0.0.1:4566");
}

TEST(AwsConfig, RejectsMissingCredentialsWithoutEchoingSecrets) {
  struct Case {
    MapEnv env;
    std::string field;
  };
  const Case cases[] = {
      {MapEnv{}, "AWS_ACCESS_KEY_ID"},
      {MapEnv{{"AWS_ACCESS_KEY_ID", "AKID"}}, "AWS_SECRET_ACCESS_KEY"},
      {MapEnv{{"AWS_ACCESS_KEY_ID", "AKID"}, {"AWS_SECRET_ACCESS_KEY", ""}},
       "AWS_SECRET_ACCESS_KEY"},
      {MapEnv{{"AWS_ACCESS_KEY_ID", "AKID"},
              {"AWS_SECRET_ACCESS_KEY", "s3cr3t"},
              {"MADE0_AWS_ENDPOINT", "ftp://x"}},
       "MADE0_AWS_ENDPOINT"},
      {MapEnv{{"AWS_ACCESS_KEY_ID", "AKID"},
              {"AWS_SECRET_ACCESS_KEY", "s3cr3t"},
              {"MADE0_AWS_TIMEOUT", "soon"}},
       "MADE0_AWS_TIMEOUT"},
  };
  for (const auto& c : cases) {
    auto r = AwsConfig::FromEnv(c.env);
    ASSERT_FALSE(r.ok()) << c.field;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
    EXPECT_EQ(r.error().field, c.field);
    EXPECT_EQ(r.error().message.find("s3cr3t"), std::string::npos);
  }
}

}  // namespace
}  // namespace made0::cloud::aws
