#pragma once
// Get-or-create of the network objects sagas need, at made0 (IPAM records) and at the provider,
// safe to repeat: each provider call's idempotency token is the made0 object's ID, and the
// provider ID is recorded once known.

#include <string>

#include "made0/cloud/provider.hpp"
#include "made0/infra/network/network_store.hpp"

namespace made0::infra::compute {

Result<network::Vpc> EnsureRegionVpc(network::NetworkStore& store, cloud::Provider& provider,
                                     const std::string& region, const std::string& name);
Result<network::Subnet> EnsureZoneSubnet(network::NetworkStore& store, cloud::Provider& provider,
                                         const network::Vpc& vpc, const std::string& zone,
                                         int prefix);
// EnsureClusterGroup: the cluster members' group: all traffic among members, etcd's client port
// from the VPC.
Result<network::SecurityGroup> EnsureClusterGroup(network::NetworkStore& store,
                                                  cloud::Provider& provider,
                                                  const network::Vpc& vpc,
                                                  const std::string& group_name);

}  // namespace made0::infra::compute
