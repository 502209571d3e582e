#include "made0/infra/compute/placement.hpp"

#include <algorithm>

namespace made0::infra::compute {

Result<std::string> ChooseZone(const network::Region& region, std::string_view requested,
                               const std::map<std::string, int>& instances_by_zone,
                               const std::vector<std::string>& unavailable) {
  if (!requested.empty()) {
    if (!region.HasZone(requested)) {
      return Error::Invalid(
          "availability_zone",
          "region " + region.name + " has no availability zone " + std::string(requested));
    }
    return std::string(requested);
  }
  std::vector<std::string> zones = region.AvailabilityZones();
  if (zones.empty()) return Error::Invalid("region", "region " + region.name + " has no zones");
  std::sort(zones.begin(), zones.end());
  const auto usable = [&](const std::string& z) {
    return std::find(unavailable.begin(), unavailable.end(), z) == unavailable.end();
  };
  const bool any_usable = std::any_of(zones.begin(), zones.end(), usable);
  std::string best;
  int best_count = 0;
  for (const std::string& z : zones) {
    if (any_usable && !usable(z)) continue;
    auto it = instances_by_zone.find(z);
    const int n = it == instances_by_zone.end() ? 0 : it->second;
    if (best.empty() || n < best_count) {
      best = z;
      best_count = n;
    }
  }
  return best;
}

const std::vector<Category>& Categories() {
  static const std::vector<Category> kCategories = {
      {"small", "t3.small", 1, 2, 2048},
      {"medium", "t3.medium", 1, 2, 4096},
      {"large", "m6i.large", 1, 2, 8192},
  };
  return kCategories;
}

Result<Category> ResolveCategory(std::string_view name) {
  if (name.empty()) name = "small";
  std::string known;
  for (const Category& c : Categories()) {
    if (c.name == name) return c;
    known += (known.empty() ? "" : ", ") + c.name;
  }
  return Error::Invalid("category",
                        "unknown category " + std::string(name) + " (known: " + known + ")");
}

}  // namespace made0::infra::compute
