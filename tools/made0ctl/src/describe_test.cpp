#include "made0/ctl/describe.hpp"

#include <gtest/gtest.h>

#include "made0/ctl/saga_view.hpp"
#include "testdata.hpp"

namespace made0::ctl {
namespace {

using nlohmann::json;
using testdata::kNow;

TEST(DescribeSaga, SummaryStepsInputDataAndHistory) {
  EXPECT_EQ(DescribeSaga(testdata::Saga(), kNow, false),
            "Name:      saga-00000000000000aa\n"
            "Type:      CreateInstance\n"
            "Status:    completed\n"
            "Phase:     done\n"
            "Step:      onComplete (#7)\n"
            "Attempt:   1\n"
            "Engine:    -\n"
            "Error:     -\n"
            "Created:   2026-12-03T18:18:00.000Z (2m ago)\n"
            "Updated:   2026-12-03T18:18:04.200Z (1m55s ago)\n"
            "Duration:  4.2s\n"
            "Steps:\n"
            "  #   NAME             STATE       COMPENSABLE   ASYNC   PERSIST\n"
            "  0   cluster          succeeded   no            yes     -\n"
            "  1   securityGroups   succeeded   no            no      securityGroupIds\n"
            "  2   category         succeeded   no            no      count\n"
            "  3   subnet           succeeded   yes           no      subnetId\n"
            "  4   runInstance      succeeded   yes           no      instanceId\n"
            "  5   awaitInstance    succeeded   no            no      -\n"
            "  6   saveInstance     succeeded   yes           no      -\n"
            "  7   onComplete       succeeded   no            no      -\n"
            "Input:\n"
            "  category:  small\n"
            "  cluster:   etcd\n"
            "  owner:     ann\n"
            "  region:    us-east-1\n"
            "Data:\n"
            "  count:             1\n"
            "  instanceId:        i-0a1b2c3d4e5f60718\n"
            "  securityGroupIds:  sg-0123456789abcdef0\n"
            "  subnetId:          subnet-0b5bd0eff5408f927\n"
            "Events:\n"
            "  AT      KIND              STEP             ATTEMPT   DURATION   ERROR\n"
            "  +0s     saga_started      -                -         -          -\n"
            "  +3ms    step_started      cluster          1         -          -\n"
            "  +15ms   step_succeeded    cluster          1         12ms       -\n"
            "  +30ms   step_succeeded    securityGroups   1         8ms        -\n"
            "  +34ms   step_succeeded    category         1         <1ms       -\n"
            "  +52ms   step_succeeded    subnet           1         15ms       -\n"
            "  +1s     step_failed       runInstance      1         940ms      hostd: AZ "
            "us-east-1a is down\n"
            "  +1s     retry_scheduled   runInstance      1         -          -\n"
            "  +1.5s   step_succeeded    runInstance      2         95ms       -\n"
            "  +3.9s   step_succeeded    awaitInstance    1         2.4s       -\n"
            "  +3.9s   step_succeeded    saveInstance     1         6ms        -\n"
            "  +4.1s   step_succeeded    onComplete       1         2ms        -\n"
            "  +4.2s   finished          -                -         -          -\n");
}

TEST(DescribeSaga, WideAddsEachEventsDetail) {
  const std::string text = DescribeSaga(testdata::Saga(), kNow, true);
  EXPECT_NE(text.find("   ERROR                          DETAIL\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  +1s     retry_scheduled   runInstance      1         -          -"
                      "                              {\"delay_ms\":400}\n"),
            std::string::npos)
      << text;
}

TEST(DescribeSaga, ARunningSagaShowsItsDurationSoFarAndTheStepInProgress) {
  json saga = testdata::Saga();
  saga["status"] = "running";
  saga["phase"] = "in_progress";
  saga["step"] = 4;
  saga["step_name"] = "runInstance";
  saga["owner"] = "infra-3f2a9c0d41be";
  saga["events"].erase(saga["events"].begin() + 7, saga["events"].end());
  saga["events"][6]["kind"] = "step_started";  // runInstance's first attempt, still going
  const std::string text = DescribeSaga(saga, kNow, false);
  EXPECT_NE(text.find("Step:      runInstance (#4)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Engine:    infra-3f2a9c0d41be\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Duration:  2m so far\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  4   runInstance      running     yes"), std::string::npos) << text;
  EXPECT_NE(text.find("  3   subnet           succeeded   yes"), std::string::npos) << text;
  EXPECT_NE(text.find("  5   awaitInstance    pending     no"), std::string::npos) << text;
}

TEST(DescribeSaga, AnAlmostEmptyAnswerStillRenders) {
  EXPECT_EQ(DescribeSaga(json::parse(R"({"id":"saga-1"})"), kNow, false),
            "Name:     saga-1\n"
            "Type:     -\n"
            "Status:   -\n"
            "Phase:    -\n"
            "Step:     -\n"
            "Attempt:  -\n"
            "Engine:   -\n"
            "Error:    -\n"
            "Created:  -\n"
            "Updated:  -\n"
            "Steps:\n"
            "  -\n"
            "Input:\n"
            "  -\n"
            "Data:\n"
            "  -\n"
            "Events:\n"
            "  -\n");
}

TEST(DescribeVpc, FieldsAndItsSubnets) {
  EXPECT_EQ(
      DescribeVpc(testdata::Vpc(), testdata::Subnets(), kNow),
      "Name:         made0\n"
      "ID:           vpc-01110f3f8d068810e\n"
      "Region:       us-east-1\n"
      "IPv4 CIDR:    172.16.0.0/16\n"
      "Provider ID:  -\n"
      "Created:      2026-12-03T18:16:09.123Z (3m50s ago)\n"
      "Subnets:\n"
      "  NAME               SUBNET ID                  AZ           IPV4 CIDR         IN "
      "USE/USABLE\n"
      "  made0-us-east-1a   subnet-0b5bd0eff5408f927   us-east-1a   172.16.128.0/17   2/32763\n"
      "  made0-us-east-1b   subnet-0d6a3e58e6be47e1e   us-east-1b   172.16.64.0/18    0/16379\n"
      "  made0-us-east-1c   subnet-099114b8224a00336   us-east-1c   172.16.32.0/19    0/8187\n");
  EXPECT_EQ(DescribeVpc(testdata::Vpc(), json(), kNow).find("Subnets:"), std::string::npos);
  EXPECT_NE(
      DescribeVpc(testdata::Vpc(), json::parse(R"({"subnets":[]})"), kNow).find("Subnets:\n  -\n"),
      std::string::npos);
}

TEST(DescribeSubnet, FieldsAndItsLeases) {
  EXPECT_EQ(DescribeSubnet(testdata::Subnets()["subnets"][0], testdata::Addresses(), kNow),
            "Name:               made0-us-east-1a\n"
            "ID:                 subnet-0b5bd0eff5408f927\n"
            "State:              available\n"
            "VPC:                vpc-01110f3f8d068810e\n"
            "Availability Zone:  us-east-1a\n"
            "IPv4 CIDR:          172.16.128.0/17\n"
            "Addresses:          2 in use of 32763 usable\n"
            "Provider ID:        -\n"
            "Created:            2026-12-03T18:16:09.123Z (3m50s ago)\n"
            "Leases:\n"
            "  ADDRESS        OWNER                   AGE\n"
            "  172.16.128.4   i-0a1b2c3d4e5f60718     2m\n"
            "  172.16.128.5   saga-00000000000000aa   2s\n");
}

TEST(DescribeSecurityGroup, FieldsAndIngressRules) {
  EXPECT_EQ(DescribeSecurityGroup(testdata::SecurityGroups()["security_groups"][0], kNow),
            "Name:         etcd-members\n"
            "ID:           sg-0123456789abcdef0\n"
            "VPC:          vpc-01110f3f8d068810e\n"
            "Description:  etcd peers and clients\n"
            "Provider ID:  -\n"
            "Created:      2026-12-03T18:16:09.123Z (3m50s ago)\n"
            "Ingress:\n"
            "  PROTOCOL   PORTS       SOURCE                 RULE ID\n"
            "  tcp        2379-2380   172.16.0.0/16          sgr-1\n"
            "  tcp        22          sg-0fedcba9876543210   sgr-2\n"
            "  all        all         10.0.0.0/8             sgr-3\n");
}

TEST(DescribeInstance, FieldsAndEndpoints) {
  EXPECT_EQ(DescribeInstance(testdata::Instance(), kNow),
            "ID:                 i-0a1b2c3d4e5f60718\n"
            "State:              running\n"
            "Owner:              ann\n"
            "Cluster:            etcd\n"
            "Region:             us-east-1\n"
            "Availability Zone:  us-east-1a\n"
            "Subnet:             subnet-0b5bd0eff5408f927\n"
            "Private IP:         172.16.128.4\n"
            "Instance Type:      t3.small\n"
            "Image:              test\n"
            "Provider:           local\n"
            "Saga:               saga-00000000000000aa\n"
            "Created:            2026-12-03T18:18:00Z (2m ago)\n"
            "Updated:            2026-12-03T18:18:04Z (1m56s ago)\n"
            "Endpoints:\n"
            "  client:  127.0.0.1:40123\n"
            "  peer:    127.0.0.1:40124\n");
}

TEST(DescribeInstance, AnInstanceThatDiedSaysWhy) {
  auto instance = testdata::Instance();
  instance["state"] = "terminated";
  instance["state_reason"] = "Server.InjectedFailure: killed";
  const std::string text = DescribeInstance(instance, kNow);
  EXPECT_NE(text.find("State:              terminated\n"
                      "State Reason:       Server.InjectedFailure: killed\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace made0::ctl
