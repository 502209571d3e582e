#include <gtest/gtest.h>

#include "made0/infra/compute/sagas.hpp"

namespace made0::infra::compute {
namespace {

using nlohmann::json;

network::RegionSet Regions() { return *network::ParseRegionsCompact(network::kDefaultRegions); }

json Valid() { return {{"owner", "u-1"}, {"cluster", "abc"}, {"region", "us-east-1"}}; }

TEST(ValidateCreateInstance, FillsDefaults) {
  auto in = ValidateCreateInstance(Valid(), Regions());
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ((*in)["category"], "small");
  EXPECT_EQ((*in)["image"], "test");
  EXPECT_EQ((*in)["availability_zone"], "");
  EXPECT_TRUE((*in)["user_data"].is_object());
}

TEST(ValidateCreateInstance, AcceptsTheCommandEnvelope) {
  json body = Valid();
  body["type"] = "CreateInstance";
  body["version"] = 1;
  body["availability_zone"] = "us-east-1b";
  body["image"] = "etcd";
  body["tags"] = {{"role", "etcd"}};
  body["user_data"] = {{"name", "abc-1"}};
  EXPECT_TRUE(ValidateCreateInstance(body, Regions()));
}

struct BadCase {
  const char* what;
  json patch;
  const char* field;
};

TEST(ValidateCreateInstance, EachBadFieldIsNamed) {
  const std::vector<BadCase> cases = {
      {"missing owner", {{"owner", nullptr}}, "owner"},
      {"owner with spaces", {{"owner", "a b"}}, "owner"},
      {"cluster too short", {{"cluster", "a"}}, "cluster"},
      {"cluster upper case", {{"cluster", "ABC"}}, "cluster"},
      {"cluster starts with a digit", {{"cluster", "1ab"}}, "cluster"},
      {"cluster not a string", {{"cluster", 12}}, "cluster"},
      {"unknown region", {{"region", "mars-1"}}, "region"},
      {"zone of another region", {{"availability_zone", "eu-west-1a"}}, "availability_zone"},
      {"unknown category", {{"category", "huge"}}, "category"},
      {"image with a slash", {{"image", "../etc"}}, "image"},
      {"user_data not an object", {{"user_data", "x"}}, "user_data"},
      {"reserved tag", {{"tags", {{"made0:saga", "x"}}}}, "tags"},
      {"tag value not a string", {{"tags", {{"a", 1}}}}, "tags"},
      {"unknown field", {{"colour", "red"}}, "colour"},
  };
  for (const BadCase& c : cases) {
    json body = Valid();
    body.merge_patch(c.patch);
    auto in = ValidateCreateInstance(body, Regions());
    ASSERT_FALSE(in) << c.what;
    EXPECT_EQ(in.error().field, c.field) << c.what << ": " << in.error().message;
  }
  EXPECT_EQ(ValidateCreateInstance(json::array(), Regions()).error().code, ErrorCode::kMalformed);
}

TEST(ValidateTerminateInstance, NeedsAnInstanceId) {
  EXPECT_TRUE(ValidateTerminateInstance({{"instance_id", "i-0123456789abcdef0"}}));
  EXPECT_EQ(ValidateTerminateInstance({{"instance_id", "vpc-1"}}).error().field, "instance_id");
  EXPECT_EQ(ValidateTerminateInstance(json::object()).error().field, "instance_id");
}

TEST(ValidateEnsureCluster, ChecksNameAndRegion) {
  EXPECT_TRUE(
      ValidateEnsureCluster({{"owner", "u"}, {"name", "ab"}, {"region", "eu-west-1"}}, Regions()));
  EXPECT_EQ(ValidateEnsureCluster({{"owner", "u"}, {"name", "ab"}, {"region", "x"}}, Regions())
                .error()
                .field,
            "region");
}

TEST(SagaIdFor, IsStableAndShort) {
  EXPECT_EQ(SagaIdFor("m-1"), SagaIdFor("m-1"));
  EXPECT_NE(SagaIdFor("m-1"), SagaIdFor("m-2"));
  EXPECT_EQ(SagaIdFor("m-1").size(), 21u);  // "saga-" + 16 hex
}

TEST(ReplyBody, CompletedCarriesTheResultCompensatedTheError) {
  const json input = json::object(), data = json::object();
  saga::FinishedSaga done{"saga-1", kCreateInstance, saga::SagaStatus::kCompleted, input, data, ""};
  EXPECT_EQ(ReplyBody(done, {{"id", "i-1"}}),
            (json{{"ok", true}, {"saga_id", "saga-1"}, {"result", {{"id", "i-1"}}}}));
  saga::FinishedSaga undone{
      "saga-2", kCreateInstance,         saga::SagaStatus::kCompensated, input,
      data,     "runInstance: zone down"};
  const json reply = ReplyBody(undone, nullptr);
  EXPECT_EQ(reply["ok"], false);
  EXPECT_EQ(reply["status"], "compensated");
  EXPECT_EQ(reply["error"]["message"], "runInstance: zone down");
}

}  // namespace
}  // namespace made0::infra::compute
