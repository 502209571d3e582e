// Against real EC2, read-only: lists the instances of MADE0_AWS_REGION (default us-east-1).
// Skipped unless MADE0_AWS_LIVE=1, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are set.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "made0/cloud/aws/aws_provider.hpp"

namespace made0::cloud::aws {
namespace {

std::string Var(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

TEST(AwsLive, DescribesTheRegionsInstances) {
  if (Var("MADE0_AWS_LIVE") != "1" || Var("AWS_ACCESS_KEY_ID").empty() ||
      Var("AWS_SECRET_ACCESS_KEY").empty()) {
    GTEST_SKIP() << "set MADE0_AWS_LIVE=1, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to run";
  }
  ProcessEnv env;
  auto config = AwsConfig::FromEnv(env);
  ASSERT_TRUE(config.ok()) << config.error().message;
  const std::string region =
      Var("MADE0_AWS_REGION").empty() ? "us-east-1" : Var("MADE0_AWS_REGION");
  auto provider = NewAwsProvider(*config);
  auto instances = provider->DescribeInstances(region, {});
  ASSERT_TRUE(instances.ok()) << ToString(instances.error().code) << ": "
                              << instances.error().message;
  for (const Instance& i : *instances) {
    EXPECT_TRUE(i.id.starts_with("i-")) << i.id;
    EXPECT_EQ(i.region, region);
  }
  // An ID in EC2's format that cannot exist is kNotFound (or kInvalid for a malformed one).
  auto missing = provider->DescribeInstances(region, {"i-00000000000000000"});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(missing.error().code == ErrorCode::kNotFound ||
              missing.error().code == ErrorCode::kInvalid)
      << missing.error().message;
}

}  // namespace
}  // namespace made0::cloud::aws
