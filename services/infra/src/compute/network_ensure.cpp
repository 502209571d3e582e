#include "network_ensure.hpp"

namespace made0::infra::compute {
namespace {

template <class T, class Find, class Create>
Result<T> GetOrCreate(Find find, Create create) {
  if (auto found = find()) return std::move(*found);
  auto created = create();
  // Someone else created it between our look and our insert: theirs is as good as ours.
  if (!created && created.error().code == ErrorCode::kConflict) {
    if (auto found = find()) return std::move(*found);
  }
  return created;
}

}  // namespace

Result<network::Vpc> EnsureRegionVpc(network::NetworkStore& store, cloud::Provider& provider,
                                     const std::string& region, const std::string& name,
                                     Reassert reassert) {
  auto find = [&]() -> std::optional<network::Vpc> {
    for (network::Vpc& v : store.ListVpcs(region)) {
      if (v.name == name) return std::move(v);
    }
    return std::nullopt;
  };
  auto vpc = GetOrCreate<network::Vpc>(
      find, [&] { return store.CreateVpc({.region = region, .name = name, .prefix_length = 16}); });
  if (!vpc || (vpc->provider_id && reassert == Reassert::kNo)) return vpc;
  auto made = provider.CreateVpc(
      {.region = region, .cidr = vpc->cidr.ToString(), .name = name, .idempotency_token = vpc->id});
  if (!made) return made.error();
  if (auto st = store.SetProviderId(network::ObjectKind::kVpc, vpc->id, made->id); !st) {
    return st.error();
  }
  vpc->provider_id = made->id;
  return vpc;
}

Result<network::Subnet> EnsureZoneSubnet(network::NetworkStore& store, cloud::Provider& provider,
                                         const network::Vpc& vpc, const std::string& zone,
                                         int prefix, Reassert reassert) {
  auto find = [&]() -> std::optional<network::Subnet> {
    auto subnets = store.ListSubnets(vpc.id);
    if (!subnets) return std::nullopt;
    for (network::Subnet& s : *subnets) {
      if (s.availability_zone == zone) return std::move(s);
    }
    return std::nullopt;
  };
  auto subnet = GetOrCreate<network::Subnet>(find, [&] {
    return store.CreateSubnet(
        {.vpc_id = vpc.id, .availability_zone = zone, .prefix_length = prefix});
  });
  if (!subnet || (subnet->provider_id && reassert == Reassert::kNo)) return subnet;
  auto made = provider.CreateSubnet({.region = vpc.region,
                                     .vpc_id = vpc.provider_id.value_or(""),
                                     .az = zone,
                                     .cidr = subnet->cidr.ToString(),
                                     .name = subnet->name,
                                     .idempotency_token = subnet->id});
  if (!made) return made.error();
  if (auto st = store.SetProviderId(network::ObjectKind::kSubnet, subnet->id, made->id); !st) {
    return st.error();
  }
  subnet->provider_id = made->id;
  return subnet;
}

Result<network::SecurityGroup> EnsureClusterGroup(network::NetworkStore& store,
                                                  cloud::Provider& provider,
                                                  const network::Vpc& vpc,
                                                  const std::string& group_name,
                                                  Reassert reassert) {
  auto find = [&]() -> std::optional<network::SecurityGroup> {
    auto groups = store.ListSecurityGroups(vpc.id);
    if (!groups) return std::nullopt;
    for (network::SecurityGroup& g : *groups) {
      if (g.name == group_name) return std::move(g);
    }
    return std::nullopt;
  };
  auto group = GetOrCreate<network::SecurityGroup>(find, [&] {
    return store.CreateSecurityGroup(
        {.vpc_id = vpc.id, .name = group_name, .description = "made0 cluster members"});
  });
  if (!group) return group;
  const std::string vpc_cidr = vpc.cidr.ToString();
  for (const network::IngressRuleRequest& rule :
       {network::IngressRuleRequest{.protocol = "-1", .source_group_id = group->id},
        network::IngressRuleRequest{
            .protocol = "tcp", .from_port = 2379, .to_port = 2379, .source_cidr = vpc_cidr}}) {
    if (auto added = store.AddIngressRule(group->id, rule); !added) return added.error();
  }
  if (!group->provider_id || reassert == Reassert::kYes) {
    auto made = provider.CreateSecurityGroup({.region = vpc.region,
                                              .vpc_id = vpc.provider_id.value_or(""),
                                              .name = group_name,
                                              .description = "made0 cluster members",
                                              .idempotency_token = group->id});
    if (!made) return made.error();
    if (auto st = store.SetProviderId(network::ObjectKind::kSecurityGroup, group->id, made->id);
        !st) {
      return st.error();
    }
    group->provider_id = made->id;
  }
  // Adding a rule the group has already is not an error at either provider.
  const Status st = provider.AuthorizeIngress(
      vpc.region, *group->provider_id,
      {cloud::IngressRule{.protocol = "-1", .source_group_id = *group->provider_id},
       cloud::IngressRule{
           .protocol = "tcp", .from_port = 2379, .to_port = 2379, .source_cidr = vpc_cidr}});
  if (!st) return st.error();
  return find().value_or(*group);
}

}  // namespace made0::infra::compute
