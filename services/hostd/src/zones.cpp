#include "made0/hostd/zones.hpp"

#include <algorithm>

namespace made0::hostd {
namespace {
constexpr const char* kField = "MADE0_HOSTD_ZONES";
}

bool Zones::HasRegion(std::string_view region) const { return by_region_.count(region) > 0; }

bool Zones::Has(std::string_view region, std::string_view az) const {
  auto it = by_region_.find(region);
  return it != by_region_.end() &&
         std::find(it->second.begin(), it->second.end(), az) != it->second.end();
}

std::optional<std::string> Zones::RegionOf(std::string_view az) const {
  for (const auto& [region, azs] : by_region_) {
    if (std::find(azs.begin(), azs.end(), az) != azs.end()) return region;
  }
  return std::nullopt;
}

Result<Zones> ParseZones(std::string_view list) {
  Zones zones;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string_view::npos) end = list.size();
    const std::string az(list.substr(start, end - start));
    start = end + 1;
    if (az.empty()) continue;
    const bool valid_chars = std::all_of(az.begin(), az.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
    const char letter = az.back();
    if (!valid_chars || az.size() < 2 || letter < 'a' || letter > 'z' || az.size() > 64) {
      return Error::Invalid(kField,
                            "\"" + az + "\" is not an availability zone name like us-east-1a");
    }
    const std::string region = az.substr(0, az.size() - 1);
    auto& azs = zones.by_region_[region];
    if (std::find(azs.begin(), azs.end(), az) != azs.end()) {
      return Error::Invalid(kField, "availability zone " + az + " is listed twice");
    }
    azs.push_back(az);
  }
  if (zones.by_region_.empty()) return Error::Invalid(kField, "no availability zones configured");
  return zones;
}

}  // namespace made0::hostd
