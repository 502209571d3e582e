#pragma once
// Get-or-create of the network objects sagas need, at made0 (IPAM records) and at the provider,
// safe to repeat: each provider call's idempotency token is the made0 object's ID, and the
// provider ID is recorded once known.
//
// Reassert::kYes calls the provider even when a provider ID is recorded: after the provider
// answered NotFound for it (a local cloud whose state was wiped, an object deleted out of band),
// the same token makes it again, or returns it if it still exists, and the new ID is recorded.

#include <string>

#include "made0/cloud/provider.hpp"
#include "made0/infra/network/network_store.hpp"

namespace made0::infra::compute {

enum class Reassert { kNo, kYes };

Result<network::Vpc> EnsureRegionVpc(network::NetworkStore& store, cloud::Provider& provider,
                                     const std::string& region, const std::string& name,
                                     Reassert reassert = Reassert::kNo);
Result<network::Subnet> EnsureZoneSubnet(network::NetworkStore& store, cloud::Provider& provider,
                                         const network::Vpc& vpc, const std::string& zone,
                                         int prefix, Reassert reassert = Reassert::kNo);
// EnsureClusterGroup: the cluster members' group: all traffic among members, etcd's client port
// from the VPC.
Result<network::SecurityGroup> EnsureClusterGroup(network::NetworkStore& store,
                                                  cloud::Provider& provider,
                                                  const network::Vpc& vpc,
                                                  const std::string& group_name,
                                                  Reassert reassert = Reassert::kNo);

}  // namespace made0::infra::compute
