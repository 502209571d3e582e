#pragma once
// NetworkStore: the infra service's IPAM and network records (VPCs, subnets, instance addresses,
// security groups). Every call validates its input first (requests.hpp) and writes nothing when
// it fails; expected failures are Errors with a field, driver failures are made0::pg exceptions
// (ConnectionError becomes 503 at the HTTP boundary).
//
//   auto vpc = store.CreateVpc({.region = "us-east-1", .name = "made0", .cidr = "172.16.0.0/16"});
//   auto a = store.CreateSubnet({.vpc_id = vpc->id, .availability_zone = "us-east-1a",
//                                .prefix_length = 17});        // made0-us-east-1a 172.16.128.0/17
//   auto ip = store.AllocateAddress(a->id, "saga-42/step-3");  // the same key -> the same address
//   store.ReleaseAddress(a->id, "saga-42/step-3");             // idempotent
//
// Implementations serialise allocations per parent (region, VPC, subnet) so concurrent calls
// never hand out overlapping blocks or the same address, and are safe to call from many threads.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/status.hpp"
#include "made0/infra/network/model.hpp"
#include "made0/infra/network/regions.hpp"

namespace made0::infra::network {

class NetworkStore {
 public:
  virtual ~NetworkStore() = default;

  // Regions is the configuration the store validates against.
  virtual const RegionSet& Regions() const = 0;

  // CreateVpc allocates from the region's pool (top-down, prefix_length, default /16) or takes
  // the explicit cidr if it lies in the pool and overlaps no VPC in any region. Conflict when
  // the name is taken in the region, the block overlaps, or the pool is exhausted.
  virtual Result<Vpc> CreateVpc(const CreateVpcRequest& req) = 0;
  virtual Result<Vpc> GetVpc(std::string_view id) = 0;
  // ListVpcs lists all VPCs, or one region's, oldest first.
  virtual std::vector<Vpc> ListVpcs(std::optional<std::string> region) = 0;
  // DeleteVpc removes the VPC with its subnets and security groups; Conflict (naming the
  // subnets) while any subnet has addresses in use; NotFound if absent.
  virtual Status DeleteVpc(std::string_view id) = 0;

  // CreateSubnet carves prefix_length top-down from the VPC, or takes an explicit cidr that fits
  // and is free. The name defaults to "<vpc name>-<availability zone>" and is unique in the VPC.
  virtual Result<Subnet> CreateSubnet(const CreateSubnetRequest& req) = 0;
  virtual Result<Subnet> GetSubnet(std::string_view id) = 0;
  // ListSubnets lists all subnets, or one VPC's (NotFound for an unknown VPC), by name.
  virtual Result<std::vector<Subnet>> ListSubnets(std::optional<std::string> vpc_id) = 0;
  // DeleteSubnet: Conflict while addresses are in use; NotFound if absent.
  virtual Status DeleteSubnet(std::string_view id) = 0;

  // AllocateAddress leases the lowest free usable address of the subnet (not the first four nor
  // the last) to owner; the same owner in the same subnet gets its existing lease back, so a
  // retried saga step never takes two addresses. Conflict when the subnet is full.
  virtual Result<AddressLease> AllocateAddress(std::string_view subnet_id,
                                               std::string_view owner) = 0;
  // ReleaseAddress returns owner's address to the subnet; true if one was released. Releasing
  // what is not held (again, or in a subnet that is gone) is not an error: compensations retry.
  virtual bool ReleaseAddress(std::string_view subnet_id, std::string_view owner) = 0;
  // ListAddresses lists a subnet's leases by address; NotFound for an unknown subnet.
  virtual Result<std::vector<AddressLease>> ListAddresses(std::string_view subnet_id) = 0;

  // CreateSecurityGroup: name unique in the VPC.
  virtual Result<SecurityGroup> CreateSecurityGroup(const CreateSecurityGroupRequest& req) = 0;
  virtual Result<SecurityGroup> GetSecurityGroup(std::string_view id) = 0;
  // ListSecurityGroups lists all groups, or one VPC's (NotFound for an unknown VPC).
  virtual Result<std::vector<SecurityGroup>> ListSecurityGroups(
      std::optional<std::string> vpc_id) = 0;
  // AddIngressRule adds a rule; adding one that already exists returns it with created=false.
  // A source group must be in the same VPC.
  virtual Result<AddRuleOutcome> AddIngressRule(std::string_view group_id,
                                                const IngressRuleRequest& req) = 0;

  // SetProviderId links an object to the cloud provider's ID for it; NotFound if absent.
  virtual Status SetProviderId(ObjectKind kind, std::string_view id,
                               std::string_view provider_id) = 0;
};

}  // namespace made0::infra::network
