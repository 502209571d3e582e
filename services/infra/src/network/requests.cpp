#include "made0/infra/network/requests.hpp"

namespace made0::infra::network {
namespace {

constexpr std::size_t kIdHexDigits = 17;

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string RegionNames(const RegionSet& regions) {
  std::vector<std::string> names;
  for (const Region& r : regions.regions()) names.push_back(r.name);
  return Join(names);
}

std::string NameRule(std::string_view what) {
  return std::string(what) +
         " must be 1 to 63 characters of a-z, 0-9 and '-', starting with a letter or digit and "
         "not ending with '-'";
}

// PrefixInRange checks a prefix length given by number (field "prefix_length").
Status PrefixInRange(int prefix, int min, std::string_view inside) {
  if (prefix < min || prefix > kMaxBlockPrefix) {
    return Error::Invalid("prefix_length", "prefix_length must be between " + std::to_string(min) +
                                               " and " + std::to_string(kMaxBlockPrefix) +
                                               " inside " + std::string(inside) + ", got " +
                                               std::to_string(prefix));
  }
  return Status::Ok();
}

Status OneOfCidrOrPrefix(const std::optional<std::string>& cidr, const std::optional<int>& prefix,
                         bool prefix_required) {
  if (cidr && prefix) {
    return Error::Invalid("prefix_length", "give either cidr or prefix_length, not both");
  }
  if (!cidr && !prefix && prefix_required) {
    return Error::Invalid("prefix_length", "give either cidr or prefix_length");
  }
  return Status::Ok();
}

Status PortInRange(std::string_view field, int value, int min, int max) {
  if (value < min || value > max) {
    return Error::Invalid(std::string(field),
                          std::string(field) + " must be between " + std::to_string(min) + " and " +
                              std::to_string(max) + ", got " + std::to_string(value));
  }
  return Status::Ok();
}

}  // namespace

std::string NewId(Random& rng, std::string_view prefix) {
  // 9 random bytes give 18 hex digits; AWS's IDs have 17.
  return std::string(prefix) + "-" + RandomHex(rng, 9).substr(0, kIdHexDigits);
}

bool IsId(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + 1 + kIdHexDigits || id.substr(0, prefix.size()) != prefix ||
      id[prefix.size()] != '-') {
    return false;
  }
  for (char c : id.substr(prefix.size() + 1)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool IsName(std::string_view name, std::size_t max_len) {
  if (name.empty() || name.size() > max_len || name.front() == '-' || name.back() == '-') {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

Result<VpcPlan> ValidateVpcRequest(const CreateVpcRequest& req, const RegionSet& regions) {
  const Region* region = regions.Find(req.region);
  if (region == nullptr) {
    return Error::Invalid(
        "region", "unknown region '" + req.region + "'; known regions: " + RegionNames(regions));
  }
  if (!IsName(req.name)) return Error::Invalid("name", NameRule("name"));
  if (auto st = OneOfCidrOrPrefix(req.cidr, req.prefix_length, false); !st) return st.error();
  VpcPlan plan{req.region, req.name, std::nullopt, kDefaultVpcPrefix};
  if (req.cidr) {
    auto cidr = ipam::ParseCidr(*req.cidr, "cidr");
    if (!cidr) return cidr.error();
    if (cidr->prefix < kMinVpcPrefix || cidr->prefix > kMaxBlockPrefix) {
      return Error::Invalid("cidr", "a VPC must be /16 to /28, got " + cidr->ToString());
    }
    if (!region->pool.Contains(*cidr)) {
      return Error::Invalid("cidr", cidr->ToString() + " is not inside region " + region->name +
                                        "'s pool " + region->pool.ToString());
    }
    plan.cidr = *cidr;
    plan.prefix_length = cidr->prefix;
    return plan;
  }
  if (req.prefix_length) {
    const int min = std::max(kMinVpcPrefix, region->pool.prefix);
    if (auto st = PrefixInRange(*req.prefix_length, min,
                                region->name + "'s pool " + region->pool.ToString());
        !st) {
      return st.error();
    }
    plan.prefix_length = *req.prefix_length;
  }
  return plan;
}

Result<SubnetPlan> ValidateSubnetRequest(const CreateSubnetRequest& req, const Vpc& vpc,
                                         const RegionSet& regions) {
  const Region* region = regions.Find(vpc.region);
  if (region == nullptr) {
    // The VPC's region left the configuration: it can no longer grow.
    return Error::Invalid("vpc_id",
                          "region " + vpc.region + " of " + vpc.id + " is no longer configured");
  }
  if (!region->HasZone(req.availability_zone)) {
    return Error::Invalid("availability_zone",
                          "unknown availability zone '" + req.availability_zone + "' in " +
                              region->name + "; known zones: " + Join(region->AvailabilityZones()));
  }
  SubnetPlan plan{req.name.value_or(vpc.name + "-" + req.availability_zone), req.availability_zone,
                  std::nullopt, 0};
  if (!IsName(plan.name, kMaxNameLength * 2)) {
    return Error::Invalid("name", NameRule("name") + " (up to 126 characters for a subnet)");
  }
  if (auto st = OneOfCidrOrPrefix(req.cidr, req.prefix_length, true); !st) return st.error();
  if (req.cidr) {
    auto cidr = ipam::ParseCidr(*req.cidr, "cidr");
    if (!cidr) return cidr.error();
    if (cidr->prefix > kMaxBlockPrefix) {
      return Error::Invalid("cidr", "a subnet must be /28 or larger, got " + cidr->ToString());
    }
    if (!vpc.cidr.Contains(*cidr)) {
      return Error::Invalid(
          "cidr", cidr->ToString() + " is not inside " + vpc.name + "'s " + vpc.cidr.ToString());
    }
    plan.cidr = *cidr;
    plan.prefix_length = cidr->prefix;
    return plan;
  }
  if (auto st = PrefixInRange(*req.prefix_length, vpc.cidr.prefix,
                              vpc.name + "'s " + vpc.cidr.ToString());
      !st) {
    return st.error();
  }
  plan.prefix_length = *req.prefix_length;
  return plan;
}

Status ValidateSecurityGroupRequest(const CreateSecurityGroupRequest& req) {
  if (!IsId(req.vpc_id, kVpcIdPrefix)) {
    return Error::Invalid("vpc_id",
                          "'" + req.vpc_id + "' is not a VPC ID like vpc-0123456789abcdef0");
  }
  if (!IsName(req.name)) return Error::Invalid("name", NameRule("name"));
  if (req.description.size() > kMaxDescriptionLength) {
    return Error::Invalid("description", "description must be at most 255 bytes");
  }
  for (char c : req.description) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Error::Invalid("description", "description must not contain control characters");
    }
  }
  return Status::Ok();
}

Result<IngressRule> ValidateIngressRule(const IngressRuleRequest& req) {
  IngressRule rule;
  rule.protocol = req.protocol;
  if (req.protocol == "tcp" || req.protocol == "udp") {
    if (!req.from_port || !req.to_port) {
      return Error::Invalid(req.from_port ? "to_port" : "from_port",
                            req.protocol + " rules need from_port and to_port");
    }
    if (auto st = PortInRange("from_port", *req.from_port, 0, 65535); !st) return st.error();
    if (auto st = PortInRange("to_port", *req.to_port, 0, 65535); !st) return st.error();
    if (*req.from_port > *req.to_port) {
      return Error::Invalid("to_port", "to_port must not be below from_port");
    }
    rule.from_port = *req.from_port;
    rule.to_port = *req.to_port;
  } else if (req.protocol == "icmp") {
    // As on EC2: from_port is the ICMP type, to_port the code; -1 means any.
    rule.from_port = req.from_port.value_or(-1);
    rule.to_port = req.to_port.value_or(-1);
    if (auto st = PortInRange("from_port", rule.from_port, -1, 255); !st) return st.error();
    if (auto st = PortInRange("to_port", rule.to_port, -1, 255); !st) return st.error();
    if (rule.from_port == -1 && rule.to_port != -1) {
      return Error::Invalid("to_port", "an ICMP code needs an ICMP type (from_port)");
    }
  } else if (req.protocol == "-1") {
    if ((req.from_port && *req.from_port != -1) || (req.to_port && *req.to_port != -1)) {
      return Error::Invalid(req.from_port && *req.from_port != -1 ? "from_port" : "to_port",
                            "protocol -1 (all traffic) takes no ports");
    }
  } else {
    return Error::Invalid(
        "protocol", "protocol must be tcp, udp, icmp or -1 (all), got '" + req.protocol + "'");
  }
  if (req.source_cidr.has_value() == req.source_group_id.has_value()) {
    return Error::Invalid("source_cidr", "give exactly one of source_cidr and source_group_id");
  }
  if (req.source_cidr) {
    auto cidr = ipam::ParseCidr(*req.source_cidr, "source_cidr");
    if (!cidr) return cidr.error();
    rule.source_cidr = *cidr;
  } else {
    if (!IsId(*req.source_group_id, kSecurityGroupIdPrefix)) {
      return Error::Invalid("source_group_id", "'" + *req.source_group_id +
                                                   "' is not a security group ID like "
                                                   "sg-0123456789abcdef0");
    }
    rule.source_group_id = *req.source_group_id;
  }
  return rule;
}

Status ValidateOwner(std::string_view owner) {
  if (owner.empty() || owner.size() > kMaxOwnerLength) {
    return Error::Invalid("owner", "owner must be 1 to 200 characters");
  }
  for (char c : owner) {
    if (c < 0x21 || c > 0x7e) {
      return Error::Invalid("owner", "owner must be printable ASCII without spaces");
    }
  }
  return Status::Ok();
}

}  // namespace made0::infra::network
