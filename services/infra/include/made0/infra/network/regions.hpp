#pragma once
// Regions and their availability zones, from configuration. Each region owns a VPC address pool;
// pools never overlap, so VPC ranges never overlap across regions either (seed figure 2).
//
// MADE0_INFRA_REGIONS holds either the compact form
//
//   us-east-1=172.16.0.0/13:a,b,c;eu-west-1=172.24.0.0/13:a,b,c      (the default)
//
// i.e. `<region>=<pool>:<zone letters>` joined by ';', the first region being the primary; or the
// path of a JSON file (a value ending in ".json"):
//
//   {"regions": [{"name": "us-east-1", "pool": "172.16.0.0/13", "zones": ["a", "b", "c"],
//                 "primary": true}, ...]}
//
// where at most one region says "primary" (the first one is primary otherwise). The default pools
// split 172.16.0.0/12 (RFC 1918) in two halves, so the control plane's own VPC `made0`
// 172.16.0.0/16 lies in us-east-1's pool.
//
//   auto regions = ParseRegionsCompact("us-east-1=172.16.0.0/13:a,b,c");   // Result<RegionSet>
//   regions->Find("us-east-1")->AvailabilityZones();                      // us-east-1a, b, c

#include <string>
#include <string_view>
#include <vector>

#include "made0/core/config.hpp"
#include "made0/core/status.hpp"
#include "made0/ipam/cidr.hpp"

namespace made0::infra::network {

inline constexpr std::string_view kRegionsVariable = "MADE0_INFRA_REGIONS";
inline constexpr std::string_view kDefaultRegions =
    "us-east-1=172.16.0.0/13:a,b,c;eu-west-1=172.24.0.0/13:a,b,c";

// Region is one placement region: its name, VPC pool and zone letters ("a" for us-east-1a).
struct Region {
  std::string name;
  ipam::Cidr pool;
  std::vector<std::string> zones;
  bool primary = false;

  // AvailabilityZones returns the full zone names: region name + letter.
  std::vector<std::string> AvailabilityZones() const;
  bool HasZone(std::string_view availability_zone) const;
};

// RegionSet is a validated configuration: at least one region, exactly one primary, unique
// names, non-overlapping pools.
class RegionSet {
 public:
  RegionSet() = default;
  explicit RegionSet(std::vector<Region> regions) : regions_(std::move(regions)) {}

  const std::vector<Region>& regions() const { return regions_; }
  // Find returns the region named `name`, or nullptr.
  const Region* Find(std::string_view name) const;
  const Region& Primary() const;

 private:
  std::vector<Region> regions_;
};

// ValidateRegions checks the invariants above plus the form of names (region: lowercase words
// and digits joined by '-', e.g. us-east-1; zone: one lowercase letter) and pool sizes (/8 to
// /28). The error's field is MADE0_INFRA_REGIONS and its message names the region at fault.
Result<RegionSet> ValidateRegions(std::vector<Region> regions);

// ParseRegionsCompact parses the compact form and validates it.
Result<RegionSet> ParseRegionsCompact(std::string_view text);
// ParseRegionsJson parses the JSON form (the file's content) and validates it.
Result<RegionSet> ParseRegionsJson(std::string_view text);

// ReadRegions reads MADE0_INFRA_REGIONS through the reader (documenting it) and parses it,
// reading the file when the value ends in ".json". Errors name the variable.
Result<RegionSet> ReadRegions(ConfigReader& reader);

}  // namespace made0::infra::network
