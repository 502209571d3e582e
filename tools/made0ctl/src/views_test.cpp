#include "made0/ctl/views.hpp"

#include <gtest/gtest.h>

#include "testdata.hpp"

namespace made0::ctl {
namespace {

using nlohmann::json;
using testdata::kNow;

std::string Render(Kind kind, const json& answer, bool wide) {
  auto table = ListTable(kind, answer, kNow);
  EXPECT_TRUE(table) << table.error().message;
  return table ? RenderTable(*table, wide) : "";
}

TEST(ListTable, SubnetsLikeSeedFigure6) {
  EXPECT_EQ(Render(Kind::kSubnet, testdata::Subnets(), false),
            "NAME               SUBNET ID                  STATE       VPC                     AZ"
            "           IPV4 CIDR         IN USE/USABLE   AGE\n"
            "made0-us-east-1a   subnet-0b5bd0eff5408f927   available   vpc-01110f3f8d068810e   "
            "us-east-1a   172.16.128.0/17   2/32763         3m50s\n"
            "made0-us-east-1b   subnet-0d6a3e58e6be47e1e   available   vpc-01110f3f8d068810e   "
            "us-east-1b   172.16.64.0/18    0/16379         3m50s\n"
            "made0-us-east-1c   subnet-099114b8224a00336   available   vpc-01110f3f8d068810e   "
            "us-east-1c   172.16.32.0/19    0/8187          3m50s\n");
}

TEST(ListTable, WideSubnetsAddProviderAndCreationTime) {
  const std::string wide = Render(Kind::kSubnet, testdata::Subnets(), true);
  EXPECT_NE(wide.find("AGE     PROVIDER ID    CREATED\n"), std::string::npos) << wide;
  EXPECT_NE(wide.find("3m50s   -              2026-12-03T18:16:09.123Z\n"), std::string::npos)
      << wide;
  EXPECT_NE(wide.find("3m50s   subnet-aws-1   2026-12-03T18:16:09.123Z\n"), std::string::npos)
      << wide;
}

TEST(ListTable, Regions) {
  EXPECT_EQ(Render(Kind::kRegion, testdata::Regions(), false),
            "NAME        PRIMARY   POOL            AVAILABILITY ZONES\n"
            "us-east-1   yes       172.16.0.0/12   us-east-1a,us-east-1b,us-east-1c\n"
            "eu-west-1   -         10.32.0.0/12    eu-west-1a,eu-west-1b,eu-west-1c\n");
}

TEST(ListTable, SecurityGroupsCountRulesAndSummariseThemWhenWide) {
  EXPECT_EQ(Render(Kind::kSecurityGroup, testdata::SecurityGroups(), false),
            "NAME           GROUP ID               VPC                     RULES   DESCRIPTION"
            "              AGE\n"
            "etcd-members   sg-0123456789abcdef0   vpc-01110f3f8d068810e   3       etcd peers and "
            "clients   3m50s\n");
  EXPECT_NE(Render(Kind::kSecurityGroup, testdata::SecurityGroups(), true)
                .find("tcp 2379-2380 from 172.16.0.0/16, tcp 22 from sg-0fedcba9876543210, all "
                      "from 10.0.0.0/8"),
            std::string::npos);
}

TEST(ListTable, InstancesAndSagas) {
  const json instances = {{"instances", {testdata::Instance()}}};
  EXPECT_EQ(Render(Kind::kInstance, instances, false),
            "ID                    CLUSTER   REGION      AZ           STATE     PRIVATE IP     TYPE"
            "       AGE\n"
            "i-0a1b2c3d4e5f60718   etcd      us-east-1   us-east-1a   running   172.16.128.4   "
            "t3.small   2m\n");
  EXPECT_NE(Render(Kind::kInstance, instances, true)
                .find("client=127.0.0.1:40123,peer=127.0.0.1:40124   local      "
                      "saga-00000000000000aa\n"),
            std::string::npos);

  json summary = testdata::Saga();
  for (const char* k : {"steps", "input", "data", "events"}) summary.erase(k);
  EXPECT_EQ(Render(Kind::kSaga, {{"sagas", {summary}}}, false),
            "ID                      TYPE             STATUS      STEP         ATTEMPT   AGE\n"
            "saga-00000000000000aa   CreateInstance   completed   onComplete   1         2m\n");
}

TEST(ListTable, EmptyListAndForeignAnswers) {
  EXPECT_EQ(Render(Kind::kVpc, {{"vpcs", json::array()}}, false), "No resources found.\n");
  for (const json& answer : {json::parse(R"({"items":[]})"), json::parse("[1]"), json()}) {
    auto table = ListTable(Kind::kVpc, answer, kNow);
    ASSERT_FALSE(table);
    EXPECT_EQ(table.error().message,
              "infra's answer has no \"vpcs\" list; is the server really "
              "infra?");
  }
}

TEST(ListTable, OddValuesDoNotBreakTheTable) {
  const json answer = json::parse(R"({"vpcs":[
    {"id":"vpc-1","name":null,"region":7,"cidr":true,"created_at":"not a time"},
    "not an object"]})");
  EXPECT_EQ(Render(Kind::kVpc, answer, false),
            "NAME   VPC ID   REGION   IPV4 CIDR   AGE\n"
            "-      vpc-1    7        true        -\n"
            "-      -        -        -           -\n");
}

TEST(UsableAddresses, SizeMinusFiveAsOnAws) {
  const std::pair<const char*, std::optional<long long>> cases[] = {
      {"172.16.0.0/16", 65531},     {"172.16.128.0/17", 32763},
      {"10.0.0.0/28", 11},          {"10.0.0.0/29", 3},
      {"10.0.0.0/30", 0},           {"10.0.0.1/32", 0},
      {"0.0.0.0/0", 4294967291},    {"10.0.0.0/33", std::nullopt},
      {"10.0.0.0", std::nullopt},   {"fd00::/64", std::nullopt},
      {"10.0.0.0/x", std::nullopt}, {"", std::nullopt},
  };
  for (const auto& [cidr, want] : cases) EXPECT_EQ(UsableAddresses(cidr), want) << cidr;
  EXPECT_EQ(AddressUse(json::parse(R"({"cidr":"10.0.0.0/28","addresses_in_use":3})")), "3/11");
  EXPECT_EQ(AddressUse(json::parse(R"({"cidr":"bad"})")), "?/?");
}

TEST(FormatRule, Table) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"protocol":"tcp","from_port":2379,"to_port":2380,"source_cidr":"172.16.0.0/16"})",
       "tcp 2379-2380 from 172.16.0.0/16"},
      {R"({"protocol":"tcp","from_port":22,"to_port":22,"source_group_id":"sg-1"})",
       "tcp 22 from sg-1"},
      {R"({"protocol":"udp","from_port":53})", "udp 53"},
      {R"({"protocol":"-1","from_port":-1,"to_port":-1,"source_cidr":"0.0.0.0/0"})",
       "all from 0.0.0.0/0"},
      {R"({"protocol":"icmp","from_port":-1,"to_port":-1,"source_cidr":"10.0.0.0/8"})",
       "icmp from 10.0.0.0/8"},
      {R"({})", "?"},
  };
  for (const auto& [rule, want] : cases) EXPECT_EQ(FormatRule(json::parse(rule)), want) << rule;
}

TEST(FindObject, ByIdThenByUniqueName) {
  const json list = json::parse(R"([{"id":"vpc-1","name":"made0"},{"id":"vpc-2","name":"x"},
                                    {"id":"vpc-3","name":"x"}])");
  EXPECT_EQ((*FindObject(list, "vpc-2", "vpc"))["id"], "vpc-2");
  EXPECT_EQ((*FindObject(list, "made0", "vpc"))["id"], "vpc-1");
  auto missing = FindObject(list, "nope", "vpc");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message, "vpc \"nope\" not found");
  auto ambiguous = FindObject(list, "x", "vpc");
  ASSERT_FALSE(ambiguous);
  EXPECT_EQ(ambiguous.error().message,
            "more than one vpc is named \"x\" (vpc-2, vpc-3); give its ID");
}

}  // namespace
}  // namespace made0::ctl
