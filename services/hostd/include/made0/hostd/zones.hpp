#pragma once
// Regions and availability zones of the local cloud are configuration (MADE0_HOSTD_ZONES): a
// comma-separated list of AZ names, each a region name followed by one letter, as on AWS.
//
//   auto zones = ParseZones("us-east-1a,us-east-1b,eu-west-1a");
//   zones->RegionOf("us-east-1b");   // "us-east-1"
//   zones->Has("eu-west-1", "eu-west-1a");

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "made0/core/status.hpp"

namespace made0::hostd {

inline constexpr std::string_view kDefaultZones =
    "us-east-1a,us-east-1b,us-east-1c,eu-west-1a,eu-west-1b,eu-west-1c";

class Zones {
 public:
  bool HasRegion(std::string_view region) const;
  bool Has(std::string_view region, std::string_view az) const;
  std::optional<std::string> RegionOf(std::string_view az) const;
  const std::map<std::string, std::vector<std::string>, std::less<>>& ByRegion() const {
    return by_region_;
  }

 private:
  friend Result<Zones> ParseZones(std::string_view list);
  std::map<std::string, std::vector<std::string>, std::less<>> by_region_;
};

// ParseZones: Invalid (field MADE0_HOSTD_ZONES) for an empty list, a duplicate, or a name that is
// not <region><letter> with a region of [a-z0-9-].
Result<Zones> ParseZones(std::string_view list);

}  // namespace made0::hostd
