// Parsing of the EC2 API reference's sample responses (testdata/).
#include "ec2_xml.hpp"

#include <gtest/gtest.h>

#include "made0/core/clock.hpp"
#include "testdata.hpp"

namespace made0::cloud::aws {
namespace {

using testing::ReadTestdata;

TEST(Ec2Xml, CreateVpc) {
  auto vpc = ParseCreateVpc(ReadTestdata("create_vpc.xml"));
  ASSERT_TRUE(vpc.ok()) << vpc.error().message;
  EXPECT_EQ(vpc->id, "vpc-1a2b3c4d");
  EXPECT_EQ(vpc->cidr, "10.0.0.0/16");
  EXPECT_EQ(vpc->state, "pending");
}

TEST(Ec2Xml, DescribeVpcs) {
  auto vpcs = ParseDescribeVpcs(ReadTestdata("describe_vpcs.xml"));
  ASSERT_TRUE(vpcs.ok()) << vpcs.error().message;
  ASSERT_EQ(vpcs->size(), 1u);
  EXPECT_EQ((*vpcs)[0].id, "vpc-0a60eb65b4EXAMPLE");
  EXPECT_EQ((*vpcs)[0].cidr, "172.16.0.0/16");  // not the association's nested cidrBlock
  EXPECT_EQ((*vpcs)[0].state, "available");
  auto none = ParseDescribeVpcs(ReadTestdata("describe_vpcs_empty.xml"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(Ec2Xml, CreateSubnet) {
  auto s = ParseCreateSubnet(ReadTestdata("create_subnet.xml"));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->id, "subnet-9d4a7b6c");
  EXPECT_EQ(s->vpc_id, "vpc-1a2b3c4d");
  EXPECT_EQ(s->az, "us-east-1a");
  EXPECT_EQ(s->cidr, "10.0.1.0/24");
  EXPECT_EQ(s->state, "pending");
  auto none = ParseDescribeSubnets(ReadTestdata("describe_subnets_empty.xml"));
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST(Ec2Xml, SecurityGroups) {
  auto id = ParseCreateSecurityGroup(ReadTestdata("create_security_group.xml"));
  ASSERT_TRUE(id.ok()) << id.error().message;
  EXPECT_EQ(*id, "sg-1a2b3c4d");

  auto groups = ParseDescribeSecurityGroups(ReadTestdata("describe_security_groups.xml"));
  ASSERT_TRUE(groups.ok()) << groups.error().message;
  ASSERT_EQ(groups->size(), 1u);
  const SecurityGroup& g = (*groups)[0];
  EXPECT_EQ(g.id, "sg-1a2b3c4d");
  EXPECT_EQ(g.vpc_id, "vpc-614cc409");
  EXPECT_EQ(g.name, "WebServers");
  // Ingress only (the egress rule is not an IngressRule), one rule per source.
  const std::vector<IngressRule> want{
      {.protocol = "-1", .from_port = 0, .to_port = 0, .source_group_id = "sg-1a2b3c4d"},
      {.protocol = "tcp", .from_port = 22, .to_port = 22, .source_cidr = "204.246.162.34/32"},
  };
  EXPECT_EQ(g.ingress, want);
}

TEST(Ec2Xml, RunInstances) {
  auto i = ParseRunInstances(ReadTestdata("run_instances.xml"));
  ASSERT_TRUE(i.ok()) << i.error().message;
  EXPECT_EQ(i->id, "i-1234567890abcdef0");
  EXPECT_EQ(i->state, InstanceState::kPending);
  EXPECT_EQ(i->state_reason, "pending");
  EXPECT_EQ(i->az, "us-east-1a");
  EXPECT_EQ(i->subnet_id, "subnet-56f5f633");
  EXPECT_EQ(i->image, "ami-bff32ccc");
  EXPECT_EQ(i->instance_type, "t3.small");
  EXPECT_EQ(i->private_ip, "172.16.128.4");
  EXPECT_EQ(i->tags.at("Name"), "made0-etcd-0");
  // Port tags (made0's addition to the sample) become endpoints on the private address.
  const std::map<std::string, std::string> endpoints{{"client", "172.16.128.4:2379"},
                                                     {"peer", "172.16.128.4:2380"}};
  EXPECT_EQ(i->endpoints, endpoints);
  EXPECT_EQ(FormatRfc3339(i->launch_time), "2016-11-15T17:37:05.000Z");
  EXPECT_TRUE(i->region.empty());  // EC2 does not say; the provider fills it in
}

TEST(Ec2Xml, DescribeInstancesAcrossReservations) {
  auto page = ParseDescribeInstances(ReadTestdata("describe_instances.xml"));
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->instances.size(), 2u);
  const Instance& a = page->instances[0];
  EXPECT_EQ(a.id, "i-1234567890abcdef0");
  EXPECT_EQ(a.state, InstanceState::kRunning);
  EXPECT_EQ(a.state_reason, "");
  EXPECT_EQ(a.az, "eu-west-1c");
  EXPECT_EQ(a.private_ip, "192.168.1.88");
  EXPECT_EQ(a.tags.at("Name"), "Server_1");
  EXPECT_TRUE(a.endpoints.empty());
  const Instance& b = page->instances[1];
  EXPECT_EQ(b.id, "i-0598c7d356eba48d7");
  EXPECT_EQ(b.state, InstanceState::kTerminated);
  EXPECT_EQ(b.state_reason, "Client.UserInitiatedShutdown: User initiated shutdown");
  EXPECT_EQ(page->next_token, "eyJ2IjoiMiIsImMiOiJwYWdlMiJ9");

  auto last = ParseDescribeInstances(ReadTestdata("describe_instances_page2.xml"));
  ASSERT_TRUE(last.ok()) << last.error().message;
  ASSERT_EQ(last->instances.size(), 1u);
  EXPECT_EQ(last->instances[0].state, InstanceState::kStopped);
  // Without stateReason, the older <reason> says why.
  EXPECT_EQ(last->instances[0].state_reason, "User initiated (2018-05-09 08:00:00 GMT)");
  EXPECT_EQ(last->next_token, "");
}

TEST(Ec2Xml, TerminateInstances) {
  auto t = ParseTerminateInstances(ReadTestdata("terminate_instances.xml"));
  ASSERT_TRUE(t.ok()) << t.error().message;
  ASSERT_EQ(t->size(), 1u);
  EXPECT_EQ((*t)[0].id, "i-1234567890abcdef0");
  EXPECT_EQ((*t)[0].state, InstanceState::kShuttingDown);
}

TEST(Ec2Xml, ErrorResponse) {
  auto e = ParseEc2Error(ReadTestdata("error_instance_not_found.xml"));
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->code, "InvalidInstanceID.NotFound");
  EXPECT_EQ(e->message, "The instance ID 'i-1a2b3c4d' does not exist");
  EXPECT_EQ(e->request_id, "ea966190-f9aa-478e-9ede-example");
  EXPECT_FALSE(ParseEc2Error(ReadTestdata("create_vpc.xml")).has_value());
  EXPECT_FALSE(ParseEc2Error("<html><body>Bad Gateway</body></html>").has_value());
  EXPECT_FALSE(ParseEc2Error("").has_value());
}

TEST(Ec2Xml, UnexpectedBodiesAreInternalErrors) {
  const std::string bodies[] = {
      "",
      "not xml",
      "<CreateVpcResponse><vpc>",         // truncated
      ReadTestdata("create_subnet.xml"),  // another action's answer
      "<CreateVpcResponse><vpc><state>x</state></vpc></CreateVpcResponse>",  // no vpcId
  };
  for (const std::string& body : bodies) {
    auto r = ParseCreateVpc(body);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().code, ErrorCode::kInternal) << body;
  }
  auto bad_state = ParseRunInstances(
      "<RunInstancesResponse><instancesSet><item><instanceId>i-1</instanceId><instanceState>"
      "<name>exploding</name></instanceState></item></instancesSet></RunInstancesResponse>");
  ASSERT_FALSE(bad_state.ok());
  EXPECT_EQ(bad_state.error().code, ErrorCode::kInternal);
}

TEST(Ec2Xml, Times) {
  auto t = ParseEc2Time("2018-05-08T16:46:19.000Z");
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatRfc3339(*t), "2018-05-08T16:46:19.000Z");
  auto frac = ParseEc2Time("2018-05-08T16:46:19.25Z");
  ASSERT_TRUE(frac.has_value());
  EXPECT_EQ(FormatRfc3339(*frac), "2018-05-08T16:46:19.250Z");
  auto whole = ParseEc2Time("1970-01-01T00:00:01Z");
  ASSERT_TRUE(whole.has_value());
  EXPECT_EQ(whole->time_since_epoch(), std::chrono::seconds(1));
  for (const char* bad : {"", "2018-05-08", "2018-13-08T16:46:19Z", "2018-05-08T16:46:19",
                          "2018-05-08T16:46:19+01:00", "2018-02-30T00:00:00Z"}) {
    EXPECT_FALSE(ParseEc2Time(bad).has_value()) << bad;
  }
}

TEST(Ec2Xml, EndpointsFromTags) {
  const std::map<std::string, std::string> tags{{"Name", "x"},
                                                {"made0:port:client", "2379"},
                                                {"made0:port:bad", "http"},
                                                {"made0:port:big", "70000"},
                                                {"made0:port:", "1"},
                                                {"made0:portal", "1"}};
  const std::map<std::string, std::string> want{{"client", "10.0.0.5:2379"}};
  EXPECT_EQ(EndpointsFromTags(tags, "10.0.0.5"), want);
  EXPECT_TRUE(EndpointsFromTags(tags, "").empty());
}

}  // namespace
}  // namespace made0::cloud::aws
