#pragma once
// Placement decisions for the infra service, as pure functions.
//
//   auto az = ChooseZone(region, /*requested=*/"", {{"us-east-1a", 2}, {"us-east-1b", 1}});
//   // "us-east-1c": the zone with the fewest instances of the cluster, first by name on a tie
//   auto c = ResolveCategory("small");   // {instance_type "t3.small", count 1}

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/status.hpp"
#include "made0/infra/network/regions.hpp"

namespace made0::infra::compute {

// ChooseZone: the requested zone if given (Invalid, field "availability_zone", when the region
// does not have it); otherwise the region's zone with the fewest of the cluster's instances
// (counts by zone name), so one cluster spreads across zones. Zones in `unavailable` are
// skipped unless every zone is.
Result<std::string> ChooseZone(const network::Region& region, std::string_view requested,
                               const std::map<std::string, int>& instances_by_zone,
                               const std::vector<std::string>& unavailable = {});

// Category is what a requested size resolves to: the provider's instance type and how many
// instances one request makes (CreateInstance makes one; the key is the seed's "count").
struct Category {
  std::string name;
  std::string instance_type;
  int count = 1;
  int vcpus = 1;
  int memory_mib = 1024;
};

// ResolveCategory: "small" (default when empty), "medium", "large"; Invalid (field "category")
// for anything else, listing the known ones.
Result<Category> ResolveCategory(std::string_view name);
const std::vector<Category>& Categories();

}  // namespace made0::infra::compute
