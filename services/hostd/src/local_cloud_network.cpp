// LocalCloud's network objects: VPCs, subnets and security groups. They are records only (no
// packets are filtered), but they are validated as EC2 would: a subnet lies inside its VPC and
// overlaps no sibling, a group's name is unique in its VPC, a rule already present is not added
// twice.
#include "made0/cloud/local_wire.hpp"
#include "made0/hostd/ids.hpp"
#include "made0/hostd/local_cloud.hpp"
#include "made0/hostd/validation.hpp"
#include "made0/ipam/allocator.hpp"

namespace made0::hostd {

namespace wire = cloud::wire;

Result<Created<cloud::Vpc>> LocalCloud::CreateVpc(const cloud::VpcSpec& spec) {
  if (Status s = ValidateVpcSpec(spec, options_.zones); !s) return s.error();
  const std::string fingerprint = Fingerprint(wire::ToJson(spec));
  std::lock_guard lock(mu_);
  auto known = tokens_.Lookup("vpc", spec.idempotency_token, fingerprint);
  if (!known) return known.error();
  if (*known) return Created<cloud::Vpc>{vpcs_.at(**known).vpc, false};

  VpcRecord r;
  r.vpc = {.id = NewCloudId("vpc", rng_), .cidr = spec.cidr, .state = "available"};
  r.name = spec.name;
  r.origin = {spec.region, spec.idempotency_token, fingerprint};
  if (Status s = store_.Save(r.vpc.id, ToStored(r)); !s) return s.error();
  tokens_.Remember("vpc", spec.idempotency_token, fingerprint, r.vpc.id);
  vpcs_[r.vpc.id] = r;
  return Created<cloud::Vpc>{r.vpc, true};
}

Result<Created<cloud::Subnet>> LocalCloud::CreateSubnet(const cloud::SubnetSpec& spec) {
  if (Status s = ValidateSubnetSpec(spec, options_.zones); !s) return s.error();
  const std::string fingerprint = Fingerprint(wire::ToJson(spec));
  std::lock_guard lock(mu_);
  auto known = tokens_.Lookup("subnet", spec.idempotency_token, fingerprint);
  if (!known) return known.error();
  if (*known) return Created<cloud::Subnet>{subnets_.at(**known).subnet, false};

  auto vpc = vpcs_.find(spec.vpc_id);
  if (vpc == vpcs_.end() || vpc->second.origin.region != spec.region) {
    return Error{ErrorCode::kNotFound,
                 "InvalidVpcID.NotFound: " + spec.vpc_id + " does not exist in " + spec.region,
                 "vpc_id"};
  }
  const auto parent = ipam::ParseCidr(vpc->second.vpc.cidr);
  const auto child = ipam::ParseCidr(spec.cidr);
  if (!parent || !child) return Error::Internal("stored CIDR does not parse");
  std::vector<ipam::Cidr> taken;
  for (const auto& [id, s] : subnets_) {
    if (s.subnet.vpc_id != spec.vpc_id) continue;
    if (auto c = ipam::ParseCidr(s.subnet.cidr)) taken.push_back(*c);
  }
  if (Status s = ipam::CheckExplicit(*parent, *child, taken); !s) {
    Error e = s.error();
    e.message =
        (e.code == ErrorCode::kConflict ? "InvalidSubnet.Conflict: " : "InvalidSubnet.Range: ") +
        e.message;
    e.field = "cidr";
    return e;
  }
  SubnetRecord r;
  r.subnet = {.id = NewCloudId("subnet", rng_),
              .vpc_id = spec.vpc_id,
              .az = spec.az,
              .cidr = spec.cidr,
              .state = "available"};
  r.name = spec.name;
  r.origin = {spec.region, spec.idempotency_token, fingerprint};
  if (Status s = store_.Save(r.subnet.id, ToStored(r)); !s) return s.error();
  tokens_.Remember("subnet", spec.idempotency_token, fingerprint, r.subnet.id);
  subnets_[r.subnet.id] = r;
  return Created<cloud::Subnet>{r.subnet, true};
}

Result<Created<cloud::SecurityGroup>> LocalCloud::CreateSecurityGroup(
    const cloud::SecurityGroupSpec& spec) {
  if (Status s = ValidateSecurityGroupSpec(spec, options_.zones); !s) return s.error();
  const std::string fingerprint = Fingerprint(wire::ToJson(spec));
  std::lock_guard lock(mu_);
  auto known = tokens_.Lookup("security_group", spec.idempotency_token, fingerprint);
  if (!known) return known.error();
  if (*known) return Created<cloud::SecurityGroup>{groups_.at(**known).group, false};

  auto vpc = vpcs_.find(spec.vpc_id);
  if (vpc == vpcs_.end() || vpc->second.origin.region != spec.region) {
    return Error{ErrorCode::kNotFound,
                 "InvalidVpcID.NotFound: " + spec.vpc_id + " does not exist in " + spec.region,
                 "vpc_id"};
  }
  for (const auto& [id, g] : groups_) {
    if (g.group.vpc_id == spec.vpc_id && g.group.name == spec.name) {
      return Error{ErrorCode::kConflict,
                   "InvalidGroup.Duplicate: " + spec.vpc_id + " already has a group named " +
                       spec.name + " (" + id + ")",
                   "name"};
    }
  }
  SecurityGroupRecord r;
  r.group = {.id = NewCloudId("sg", rng_), .vpc_id = spec.vpc_id, .name = spec.name, .ingress = {}};
  r.description = spec.description;
  r.origin = {spec.region, spec.idempotency_token, fingerprint};
  if (Status s = store_.Save(r.group.id, ToStored(r)); !s) return s.error();
  tokens_.Remember("security_group", spec.idempotency_token, fingerprint, r.group.id);
  groups_[r.group.id] = r;
  return Created<cloud::SecurityGroup>{r.group, true};
}

Result<cloud::SecurityGroup> LocalCloud::AuthorizeIngress(
    const std::string& region, const std::string& group_id,
    const std::vector<cloud::IngressRule>& rules) {
  if (Status s = ValidateRegion(region, options_.zones); !s) return s.error();
  if (Status s = ValidateIngressRules(rules); !s) return s.error();
  std::lock_guard lock(mu_);
  auto it = groups_.find(group_id);
  if (it == groups_.end() || it->second.origin.region != region) {
    return Error::NotFound("InvalidGroup.NotFound: " + group_id + " does not exist in " + region);
  }
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& source = rules[i].source_group_id;
    if (!source.empty() && !groups_.count(source)) {
      return Error{ErrorCode::kNotFound, "InvalidGroup.NotFound: " + source + " does not exist",
                   "rules[" + std::to_string(i) + "].source_group_id"};
    }
  }
  SecurityGroupRecord updated = it->second;
  for (const auto& rule : rules) {
    auto& ingress = updated.group.ingress;
    if (std::find(ingress.begin(), ingress.end(), rule) == ingress.end()) ingress.push_back(rule);
  }
  if (updated.group.ingress != it->second.group.ingress) {
    if (Status s = store_.Save(group_id, ToStored(updated)); !s) return s.error();
    it->second = std::move(updated);
  }
  return it->second.group;
}

}  // namespace made0::hostd
