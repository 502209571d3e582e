#include "made0/infra/network/regions.hpp"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace made0::infra::network {
namespace {

Error ConfigError(std::string message) {
  return Error::Invalid(std::string(kRegionsVariable), std::move(message));
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// IsRegionName accepts AWS-like names: lowercase letters and digits in words joined by single
// hyphens, starting with a letter, at most 32 characters ("us-east-1", "local-1").
bool IsRegionName(std::string_view name) {
  if (name.empty() || name.size() > 32 || name.front() < 'a' || name.front() > 'z') return false;
  if (name.back() == '-') return false;
  char prev = 0;
  for (char c : name) {
    if (c == '-' && prev == '-') return false;
    if (c != '-' && !IsLowerAlnum(c)) return false;
    prev = c;
  }
  return true;
}

bool IsZoneLetter(std::string_view zone) {
  return zone.size() == 1 && zone[0] >= 'a' && zone[0] <= 'z';
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const auto at = s.find(sep);
    out.push_back(Trim(s.substr(0, at)));
    if (at == std::string_view::npos) return out;
    s.remove_prefix(at + 1);
  }
}

Result<ipam::Cidr> ParsePool(std::string_view region, std::string_view text) {
  auto pool = ipam::ParseCidr(text);
  if (!pool) {
    return ConfigError("region " + std::string(region) + ": pool: " + pool.error().message);
  }
  return *pool;
}

}  // namespace

std::vector<std::string> Region::AvailabilityZones() const {
  std::vector<std::string> out;
  out.reserve(zones.size());
  for (const std::string& z : zones) out.push_back(name + z);
  return out;
}

bool Region::HasZone(std::string_view availability_zone) const {
  if (availability_zone.size() != name.size() + 1 ||
      availability_zone.substr(0, name.size()) != name)
    return false;
  for (const std::string& z : zones) {
    if (availability_zone.substr(name.size()) == z) return true;
  }
  return false;
}

const Region* RegionSet::Find(std::string_view name) const {
  for (const Region& r : regions_) {
    if (r.name == name) return &r;
  }
  return nullptr;
}

const Region& RegionSet::Primary() const {
  for (const Region& r : regions_) {
    if (r.primary) return r;
  }
  return regions_.front();  // ValidateRegions guarantees a primary; kept total for safety
}

Result<RegionSet> ValidateRegions(std::vector<Region> regions) {
  if (regions.empty()) return ConfigError("at least one region is required");
  int primaries = 0;
  std::set<std::string> names;
  for (const Region& r : regions) {
    if (!IsRegionName(r.name)) {
      return ConfigError("region name '" + r.name +
                         "' is not valid: use lowercase words and digits joined by '-', like "
                         "us-east-1");
    }
    if (!names.insert(r.name).second) return ConfigError("region " + r.name + " is listed twice");
    if (r.pool.prefix < 8 || r.pool.prefix > 28) {
      return ConfigError("region " + r.name + ": pool " + r.pool.ToString() +
                         " must be between /8 and /28");
    }
    if (r.zones.empty()) return ConfigError("region " + r.name + " has no availability zone");
    std::set<std::string> zones;
    for (const std::string& z : r.zones) {
      if (!IsZoneLetter(z)) {
        return ConfigError("region " + r.name + ": zone '" + z + "' must be one lowercase letter");
      }
      if (!zones.insert(z).second) {
        return ConfigError("region " + r.name + ": zone " + z + " is listed twice");
      }
    }
    if (r.primary) ++primaries;
  }
  // Pools must be disjoint so that no two VPCs anywhere can overlap.
  for (std::size_t i = 0; i < regions.size(); ++i) {
    for (std::size_t j = i + 1; j < regions.size(); ++j) {
      if (regions[i].pool.Overlaps(regions[j].pool)) {
        return ConfigError("pools overlap: " + regions[i].name + " " + regions[i].pool.ToString() +
                           " and " + regions[j].name + " " + regions[j].pool.ToString());
      }
    }
  }
  if (primaries > 1) return ConfigError("more than one region is marked primary");
  if (primaries == 0) regions.front().primary = true;
  return RegionSet(std::move(regions));
}

Result<RegionSet> ParseRegionsCompact(std::string_view text) {
  std::vector<Region> regions;
  for (std::string_view part : Split(text, ';')) {
    if (part.empty()) continue;  // tolerate a trailing ';'
    const auto eq = part.find('=');
    const auto colon = part.find(':', eq == std::string_view::npos ? 0 : eq);
    if (eq == std::string_view::npos || colon == std::string_view::npos) {
      return ConfigError("'" + std::string(part) +
                         "' is not <region>=<pool>:<zones>, e.g. us-east-1=172.16.0.0/13:a,b,c");
    }
    Region r;
    r.name = std::string(Trim(part.substr(0, eq)));
    auto pool = ParsePool(r.name, Trim(part.substr(eq + 1, colon - eq - 1)));
    if (!pool) return pool.error();
    r.pool = *pool;
    for (std::string_view z : Split(part.substr(colon + 1), ',')) r.zones.emplace_back(z);
    regions.push_back(std::move(r));
  }
  return ValidateRegions(std::move(regions));
}

Result<RegionSet> ParseRegionsJson(std::string_view text) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("regions") ||
      !doc["regions"].is_array()) {
    return ConfigError("the regions file must be a JSON object with a \"regions\" array");
  }
  std::vector<Region> regions;
  for (const nlohmann::json& item : doc["regions"]) {
    if (!item.is_object() || !item.value("name", nlohmann::json()).is_string() ||
        !item.value("pool", nlohmann::json()).is_string() ||
        !item.value("zones", nlohmann::json()).is_array()) {
      return ConfigError("each region needs \"name\" and \"pool\" strings and a \"zones\" array");
    }
    Region r;
    r.name = item["name"].get<std::string>();
    auto pool = ParsePool(r.name, item["pool"].get<std::string>());
    if (!pool) return pool.error();
    r.pool = *pool;
    for (const nlohmann::json& z : item["zones"]) {
      if (!z.is_string()) return ConfigError("region " + r.name + ": zones must be strings");
      r.zones.push_back(z.get<std::string>());
    }
    const nlohmann::json primary = item.value("primary", nlohmann::json(false));
    if (!primary.is_boolean()) return ConfigError("region " + r.name + ": primary must be a bool");
    r.primary = primary.get<bool>();
    regions.push_back(std::move(r));
  }
  return ValidateRegions(std::move(regions));
}

Result<RegionSet> ReadRegions(ConfigReader& reader) {
  const std::string value = reader.String(
      kRegionsVariable, kDefaultRegions,
      "regions, their VPC pools and zone letters: <region>=<pool>:<zones> joined by ';' (the "
      "first is primary), or the path of a .json file; pools must not overlap");
  const std::string_view suffix = ".json";
  if (value.size() > suffix.size() && value.ends_with(suffix)) {
    std::ifstream in(value);
    if (!in) return ConfigError("cannot read regions file " + value);
    std::stringstream content;
    content << in.rdbuf();
    return ParseRegionsJson(content.str());
  }
  return ParseRegionsCompact(value);
}

}  // namespace made0::infra::network
