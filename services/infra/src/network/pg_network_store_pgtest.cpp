// PgNetworkStore against the stack's real PostgreSQL.
#include <gtest/gtest.h>

#include "made0/infra/network/requests.hpp"
#include "pg_fixture.hpp"

namespace made0::infra::network {
namespace {

using testing::NetworkPgTest;

class StorePg : public NetworkPgTest {};

std::int64_t Count(pg::Database& db, const std::string& sql) {
  return db.Exec(sql)[0].Get<std::int64_t>(0);
}

// Seed figure 6, through the store: /17, /18, /19 for us-east-1a, b, c.
TEST_F(StorePg, SubnetsOfSeedFigureSix) {
  const Vpc vpc = Made0Vpc();
  EXPECT_TRUE(IsId(vpc.id, kVpcIdPrefix)) << vpc.id;
  EXPECT_EQ(vpc.cidr.ToString(), "172.16.0.0/16");
  const std::pair<const char*, int> asks[] = {
      {"us-east-1a", 17}, {"us-east-1b", 18}, {"us-east-1c", 19}};
  for (const auto& [az, prefix] : asks) {
    auto subnet = store().CreateSubnet({vpc.id, az, std::nullopt, prefix});
    ASSERT_TRUE(subnet) << subnet.error().message;
    EXPECT_TRUE(IsId(subnet->id, kSubnetIdPrefix)) << subnet->id;
  }
  // Read back through a second store (another connection) to show what was committed.
  PgNetworkStore other(t_.db(), regions_, rng_, t_.schema());
  auto subnets = other.ListSubnets(vpc.id);
  ASSERT_TRUE(subnets) << subnets.error().message;
  ASSERT_EQ(subnets->size(), 3u);
  EXPECT_EQ((*subnets)[0].name, "made0-us-east-1a");
  EXPECT_EQ((*subnets)[0].cidr.ToString(), "172.16.128.0/17");
  EXPECT_EQ((*subnets)[0].availability_zone, "us-east-1a");
  EXPECT_EQ((*subnets)[1].name, "made0-us-east-1b");
  EXPECT_EQ((*subnets)[1].cidr.ToString(), "172.16.64.0/18");
  EXPECT_EQ((*subnets)[2].name, "made0-us-east-1c");
  EXPECT_EQ((*subnets)[2].cidr.ToString(), "172.16.32.0/19");
  for (const Subnet& s : *subnets) EXPECT_EQ(s.vpc_id, vpc.id);
}

TEST_F(StorePg, VpcsComeFromTheRegionPoolTopDownWithNamesUniquePerRegion) {
  auto a = store().CreateVpc({"eu-west-1", "data", std::nullopt, std::nullopt});
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a->cidr.ToString(), "172.31.0.0/16");
  auto b = store().CreateVpc({"eu-west-1", "services", std::nullopt, 20});
  ASSERT_TRUE(b) << b.error().message;
  EXPECT_EQ(b->cidr.ToString(), "172.30.240.0/20");
  // The same name in another region is another VPC.
  auto c = store().CreateVpc({"us-east-1", "data", std::nullopt, std::nullopt});
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->cidr.ToString(), "172.23.0.0/16");
  auto dup = store().CreateVpc({"eu-west-1", "data", std::nullopt, std::nullopt});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().field, "name");
  EXPECT_EQ(store().ListVpcs(std::nullopt).size(), 3u);
  EXPECT_EQ(store().ListVpcs("eu-west-1").size(), 2u);
  auto got = store().GetVpc(b->id);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->name, "services");
  EXPECT_EQ(store().GetVpc("vpc-00000000000000000").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetVpc("nonsense").error().code, ErrorCode::kNotFound);
}

TEST_F(StorePg, ExhaustedPoolIsAConflict) {
  const RegionSet tiny = *ParseRegionsCompact("tiny-1=10.9.0.0/16:a");
  PgNetworkStore store(t_.db(), tiny, rng_, t_.schema());
  ASSERT_TRUE(store.CreateVpc({"tiny-1", "one", std::nullopt, std::nullopt}));
  auto full = store.CreateVpc({"tiny-1", "two", std::nullopt, std::nullopt});
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::kConflict);
  EXPECT_EQ(full.error().field, "prefix_length");
  EXPECT_NE(full.error().message.find("exhausted"), std::string::npos) << full.error().message;
}

TEST_F(StorePg, ExplicitVpcCidrsAreCheckedAgainstPoolAndEveryRegion) {
  const Vpc made0 = Made0Vpc();
  struct Case {
    CreateVpcRequest req;
    ErrorCode code;
    const char* field;
  };
  const Case refused[] = {
      {{"us-east-1", "inner", "172.16.128.0/17", std::nullopt}, ErrorCode::kConflict, "cidr"},
      {{"us-east-1", "same", "172.16.0.0/16", std::nullopt}, ErrorCode::kConflict, "cidr"},
      {{"us-east-1", "made0", "172.17.0.0/16", std::nullopt}, ErrorCode::kConflict, "name"},
      {{"us-east-1", "outside", "172.24.0.0/16", std::nullopt}, ErrorCode::kInvalid, "cidr"},
      {{"us-east-1", "hostbits", "172.17.0.1/16", std::nullopt}, ErrorCode::kInvalid, "cidr"},
      {{"mars-1", "x", "172.17.0.0/16", std::nullopt}, ErrorCode::kInvalid, "region"},
  };
  for (const Case& c : refused) {
    auto vpc = store().CreateVpc(c.req);
    ASSERT_FALSE(vpc) << c.req.name;
    EXPECT_EQ(vpc.error().code, c.code) << vpc.error().message;
    EXPECT_EQ(vpc.error().field, c.field) << vpc.error().message;
  }
  auto overlap = store().CreateVpc({"us-east-1", "inner", "172.16.128.0/17", std::nullopt});
  EXPECT_NE(overlap.error().message.find("172.16.0.0/16"), std::string::npos)
      << overlap.error().message;
  EXPECT_EQ(Count(t_.db(), "SELECT count(*) FROM " + t_.schema() + ".vpcs"), 1);  // nothing written
  EXPECT_TRUE(store().CreateVpc({"us-east-1", "next", "172.17.0.0/16", std::nullopt}));

  // Even if the configuration changes so that pools would overlap, an explicit block is checked
  // against the VPCs of every region.
  const RegionSet changed = *ParseRegionsCompact("eu-west-1=172.16.0.0/12:a");
  PgNetworkStore eu(t_.db(), changed, rng_, t_.schema());
  auto clash = eu.CreateVpc({"eu-west-1", "clash", "172.16.0.0/20", std::nullopt});
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, ErrorCode::kConflict);
  EXPECT_NE(clash.error().message.find(made0.cidr.ToString()), std::string::npos);
}

TEST_F(StorePg, DatabaseConstraintsBackTheLocks) {
  const Vpc vpc = Made0Vpc();
  const std::string s = t_.schema();
  // Overlapping VPC blocks, even in another region, are refused by the exclusion constraint.
  t_.db().Exec("INSERT INTO " + s + ".regions(name) VALUES ('eu-west-1')");
  try {
    t_.db().Exec("INSERT INTO " + s +
                 ".vpcs(id, region, name, cidr) VALUES ('vpc-00000000000000001', 'eu-west-1', "
                 "'x', '172.16.16.0/20')");
    ADD_FAILURE() << "overlapping VPC inserted";
  } catch (const pg::QueryError& e) {
    EXPECT_EQ(e.sqlstate(), "23P01") << e.what();
  }
  auto subnet = store().CreateSubnet({vpc.id, "us-east-1a", std::nullopt, 24});
  ASSERT_TRUE(subnet);
  const auto insert_subnet = [&](const std::string& id, const std::string& cidr) {
    t_.db().Exec("INSERT INTO " + s +
                     ".subnets(id, vpc_id, vpc_cidr, name, availability_zone, cidr) VALUES "
                     "($1, $2, '172.16.0.0/16', $1, 'us-east-1a', $3::cidr)",
                 {id, vpc.id, cidr});
  };
  // Overlapping subnets, and a subnet outside its VPC, are refused too.
  EXPECT_THROW(insert_subnet("subnet-00000000000000001", "172.16.255.128/25"), pg::QueryError);
  EXPECT_THROW(insert_subnet("subnet-00000000000000002", "172.17.0.0/24"), pg::QueryError);
  // The same address twice in a subnet violates the primary key.
  ASSERT_TRUE(store().AllocateAddress(subnet->id, "first"));
  EXPECT_THROW(t_.db().Exec("INSERT INTO " + s +
                                ".addresses(subnet_id, subnet_cidr, address, owner) "
                                "VALUES ($1, $2::cidr, '172.16.255.4', 'second')",
                            {subnet->id, subnet->cidr.ToString()}),
               pg::UniqueViolation);
}

TEST_F(StorePg, ExplicitSubnetsAreAcceptedWhenTheyFitAndAreFree) {
  const Vpc vpc = Made0Vpc();
  ASSERT_TRUE(store().CreateSubnet({vpc.id, "us-east-1a", std::nullopt, 17}));
  auto extra = store().CreateSubnet({vpc.id, "us-east-1b", "172.16.0.0/24", std::nullopt});
  ASSERT_TRUE(extra) << extra.error().message;
  EXPECT_EQ(extra->name, "made0-us-east-1b");
  EXPECT_EQ(extra->cidr.ToString(), "172.16.0.0/24");

  struct Case {
    CreateSubnetRequest req;
    ErrorCode code;
    const char* field;
  };
  const Case refused[] = {
      {{vpc.id, "us-east-1c", "172.16.200.0/24", std::nullopt}, ErrorCode::kConflict, "cidr"},
      {{vpc.id, "us-east-1c", "172.17.0.0/24", std::nullopt}, ErrorCode::kInvalid, "cidr"},
      {{vpc.id, "us-east-1a", "172.16.1.0/24", std::nullopt}, ErrorCode::kConflict, "name"},
      {{vpc.id, "us-east-1d", std::nullopt, 24}, ErrorCode::kInvalid, "availability_zone"},
      {{vpc.id, "eu-west-1a", std::nullopt, 24}, ErrorCode::kInvalid, "availability_zone"},
      {{vpc.id, "us-east-1c", std::nullopt, 15}, ErrorCode::kInvalid, "prefix_length"},
      {{"vpc-00000000000000000", "us-east-1c", std::nullopt, 24}, ErrorCode::kInvalid, "vpc_id"},
      {{"garbage", "us-east-1c", std::nullopt, 24}, ErrorCode::kInvalid, "vpc_id"},
  };
  for (const Case& c : refused) {
    auto subnet = store().CreateSubnet(c.req);
    ASSERT_FALSE(subnet) << c.req.availability_zone;
    EXPECT_EQ(subnet.error().code, c.code) << subnet.error().message;
    EXPECT_EQ(subnet.error().field, c.field) << subnet.error().message;
  }
  auto overlap = store().CreateSubnet({vpc.id, "us-east-1c", "172.16.200.0/24", std::nullopt});
  EXPECT_NE(overlap.error().message.find("172.16.128.0/17"), std::string::npos)
      << overlap.error().message;
  EXPECT_EQ(store().ListSubnets(vpc.id)->size(), 2u);  // nothing written by the refusals
  EXPECT_EQ(store().ListSubnets("vpc-00000000000000000").error().code, ErrorCode::kNotFound);

  // A VPC fills up: the /17 and /24 are taken, so a /17 more is exhausted.
  auto full = store().CreateSubnet({vpc.id, "us-east-1c", std::nullopt, 17});
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::kConflict);
  EXPECT_EQ(full.error().field, "prefix_length");
}

TEST_F(StorePg, AddressesSkipReservedAreIdempotentPerOwnerAndAreReused) {
  const Vpc vpc = Made0Vpc();
  auto subnet = store().CreateSubnet({vpc.id, "us-east-1a", "172.16.0.0/28", std::nullopt});
  ASSERT_TRUE(subnet) << subnet.error().message;
  auto a = store().AllocateAddress(subnet->id, "saga-1/step-2");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(ipam::FormatAddress(a->address), "172.16.0.4");  // .0-.3 are reserved
  auto again = store().AllocateAddress(subnet->id, "saga-1/step-2");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->address, a->address);
  auto b = store().AllocateAddress(subnet->id, "saga-2/step-2");
  ASSERT_TRUE(b);
  EXPECT_EQ(ipam::FormatAddress(b->address), "172.16.0.5");
  EXPECT_EQ(store().GetSubnet(subnet->id)->addresses_in_use, 2);

  EXPECT_TRUE(store().ReleaseAddress(subnet->id, "saga-1/step-2"));
  EXPECT_FALSE(store().ReleaseAddress(subnet->id, "saga-1/step-2"));  // twice is fine
  auto c = store().AllocateAddress(subnet->id, "saga-3/step-2");
  ASSERT_TRUE(c);
  EXPECT_EQ(ipam::FormatAddress(c->address), "172.16.0.4");  // released, then reused

  // A /28 has 11 usable addresses: .4 to .14 (.15 is the broadcast address).
  for (int i = 0; i < 9; ++i) {
    auto more = store().AllocateAddress(subnet->id, "fill-" + std::to_string(i));
    ASSERT_TRUE(more) << more.error().message;
  }
  auto leases = store().ListAddresses(subnet->id);
  ASSERT_TRUE(leases);
  ASSERT_EQ(leases->size(), 11u);
  EXPECT_EQ(ipam::FormatAddress(leases->back().address), "172.16.0.14");
  auto full = store().AllocateAddress(subnet->id, "one-too-many");
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, ErrorCode::kConflict);
  // Still idempotent when full: a retry of a step that got an address gets it again.
  EXPECT_TRUE(store().AllocateAddress(subnet->id, "saga-2/step-2"));

  EXPECT_EQ(store().AllocateAddress("subnet-00000000000000000", "x").error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ(store().AllocateAddress(subnet->id, "").error().field, "owner");
  EXPECT_EQ(store().ListAddresses("subnet-00000000000000000").error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(store().ReleaseAddress("subnet-00000000000000000", "x"));
}

TEST_F(StorePg, DeletionIsRefusedWhileAddressesAreInUse) {
  const Vpc vpc = Made0Vpc();
  auto a = store().CreateSubnet({vpc.id, "us-east-1a", std::nullopt, 17});
  auto b = store().CreateSubnet({vpc.id, "us-east-1b", std::nullopt, 18});
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(store().CreateSecurityGroup({vpc.id, "etcd", ""}));
  ASSERT_TRUE(store().AllocateAddress(a->id, "instance-1"));
  ASSERT_TRUE(store().AllocateAddress(a->id, "instance-2"));

  auto subnet_refused = store().DeleteSubnet(a->id);
  ASSERT_FALSE(subnet_refused);
  EXPECT_EQ(subnet_refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(subnet_refused.error().message.find("made0-us-east-1a"), std::string::npos);
  EXPECT_NE(subnet_refused.error().message.find("2 address"), std::string::npos)
      << subnet_refused.error().message;
  auto vpc_refused = store().DeleteVpc(vpc.id);
  ASSERT_FALSE(vpc_refused);
  EXPECT_EQ(vpc_refused.error().code, ErrorCode::kConflict);
  EXPECT_NE(vpc_refused.error().message.find("made0-us-east-1a (2)"), std::string::npos)
      << vpc_refused.error().message;
  EXPECT_TRUE(store().GetVpc(vpc.id));

  // An empty subnet goes; then, once the addresses are released, the whole VPC.
  EXPECT_TRUE(store().DeleteSubnet(b->id));
  EXPECT_EQ(store().GetSubnet(b->id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().DeleteSubnet(b->id).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(store().ReleaseAddress(a->id, "instance-1"));
  ASSERT_TRUE(store().ReleaseAddress(a->id, "instance-2"));
  auto deleted = store().DeleteVpc(vpc.id);
  ASSERT_TRUE(deleted) << deleted.error().message;
  EXPECT_EQ(store().GetVpc(vpc.id).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store().GetSubnet(a->id).error().code, ErrorCode::kNotFound);
  EXPECT_TRUE(store().ListSecurityGroups(std::nullopt)->empty());
  EXPECT_EQ(store().DeleteVpc(vpc.id).error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(store().ReleaseAddress(a->id, "instance-1"));  // a compensation after the fact
  // The block is free again.
  EXPECT_TRUE(store().CreateVpc({"us-east-1", "made0", "172.16.0.0/16", std::nullopt}));
}

TEST_F(StorePg, SecurityGroupsWithIdempotentIngressRules) {
  const Vpc vpc = Made0Vpc();
  auto other_vpc = store().CreateVpc({"eu-west-1", "other", std::nullopt, std::nullopt});
  ASSERT_TRUE(other_vpc);
  auto etcd = store().CreateSecurityGroup({vpc.id, "etcd", "etcd members"});
  ASSERT_TRUE(etcd) << etcd.error().message;
  EXPECT_TRUE(IsId(etcd->id, kSecurityGroupIdPrefix));
  auto clients = store().CreateSecurityGroup({vpc.id, "clients", ""});
  auto foreign = store().CreateSecurityGroup({other_vpc->id, "etcd", ""});  // other VPC: fine
  ASSERT_TRUE(clients && foreign);
  auto dup = store().CreateSecurityGroup({vpc.id, "etcd", ""});
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error().code, ErrorCode::kConflict);
  EXPECT_EQ(dup.error().field, "name");
  EXPECT_EQ(store().CreateSecurityGroup({"vpc-00000000000000000", "x", ""}).error().field,
            "vpc_id");

  const IngressRuleRequest peers{"tcp", 2379, 2380, "172.16.0.0/16", std::nullopt};
  auto first = store().AddIngressRule(etcd->id, peers);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_TRUE(first->created);
  EXPECT_TRUE(IsId(first->rule.id, kRuleIdPrefix));
  auto second = store().AddIngressRule(etcd->id, peers);
  ASSERT_TRUE(second) << second.error().message;
  EXPECT_FALSE(second->created);
  EXPECT_EQ(second->rule.id, first->rule.id);

  const IngressRuleRequest from_clients{"tcp", 2379, 2379, std::nullopt, clients->id};
  auto by_group = store().AddIngressRule(etcd->id, from_clients);
  ASSERT_TRUE(by_group) << by_group.error().message;
  EXPECT_TRUE(by_group->created);
  EXPECT_FALSE(store().AddIngressRule(etcd->id, from_clients)->created);
  auto all = store().AddIngressRule(etcd->id, {"-1", std::nullopt, std::nullopt, std::nullopt,
                                               etcd->id});  // members talk to each other
  ASSERT_TRUE(all) << all.error().message;

  auto cross = store().AddIngressRule(etcd->id, {"tcp", 22, 22, std::nullopt, foreign->id});
  ASSERT_FALSE(cross);
  EXPECT_EQ(cross.error().field, "source_group_id");
  auto bad = store().AddIngressRule(etcd->id, {"tcp", 80, 22, "0.0.0.0/0", std::nullopt});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().field, "to_port");
  EXPECT_EQ(store().AddIngressRule("sg-00000000000000000", peers).error().code,
            ErrorCode::kNotFound);

  auto got = store().GetSecurityGroup(etcd->id);
  ASSERT_TRUE(got) << got.error().message;
  ASSERT_EQ(got->ingress.size(), 3u);
  EXPECT_TRUE(got->ingress[0].SameRule(first->rule));
  EXPECT_EQ(got->description, "etcd members");
  auto in_vpc = store().ListSecurityGroups(vpc.id);
  ASSERT_TRUE(in_vpc);
  ASSERT_EQ(in_vpc->size(), 2u);
  EXPECT_EQ((*in_vpc)[0].name, "clients");
  EXPECT_EQ((*in_vpc)[1].ingress.size(), 3u);
  EXPECT_EQ(store().ListSecurityGroups(std::nullopt)->size(), 3u);
}

TEST_F(StorePg, ProviderIdsLinkObjectsToTheCloud) {
  const Vpc vpc = Made0Vpc();
  EXPECT_FALSE(vpc.provider_id);
  ASSERT_TRUE(store().SetProviderId(ObjectKind::kVpc, vpc.id, "vpc-0aws0000000000001"));
  EXPECT_EQ(store().GetVpc(vpc.id)->provider_id, "vpc-0aws0000000000001");
  auto subnet = store().CreateSubnet({vpc.id, "us-east-1a", std::nullopt, 20});
  ASSERT_TRUE(store().SetProviderId(ObjectKind::kSubnet, subnet->id, "local:subnet/1"));
  EXPECT_EQ(store().GetSubnet(subnet->id)->provider_id, "local:subnet/1");
  EXPECT_EQ(
      store().SetProviderId(ObjectKind::kSecurityGroup, "sg-00000000000000000", "x").error().code,
      ErrorCode::kNotFound);
  EXPECT_EQ(store().SetProviderId(ObjectKind::kVpc, vpc.id, "").error().field, "provider_id");
}

}  // namespace
}  // namespace made0::infra::network
