#include "made0/hostd/validation.hpp"

#include "made0/hostd/idempotency.hpp"
#include "made0/hostd/ids.hpp"
#include "made0/ipam/cidr.hpp"

namespace made0::hostd {
namespace {

constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxTags = 50;

Status Required(const std::string& value, const char* field) {
  if (value.empty()) return Error::Invalid(field, std::string(field) + " is required");
  return Status::Ok();
}

Status MaxLength(const std::string& value, const char* field, std::size_t max) {
  if (value.size() > max) {
    return Error::Invalid(
        field, std::string(field) + " must be at most " + std::to_string(max) + " bytes");
  }
  return Status::Ok();
}

Status Id(const std::string& value, const char* prefix, const char* field) {
  if (Status s = Required(value, field); !s) return s;
  if (!IsCloudId(prefix, value)) {
    return Error::Invalid(field, std::string(field) + " \"" + value + "\" is not a " + prefix +
                                     "- ID (" + prefix + "- and 17 hex digits)");
  }
  return Status::Ok();
}

Status Az(const std::string& region, const std::string& az, const Zones& zones) {
  if (Status s = Required(az, "az"); !s) return s;
  if (!zones.Has(region, az)) {
    return Error::Invalid("az", "availability zone \"" + az + "\" is not in region " + region);
  }
  return Status::Ok();
}

// Block: a VPC or subnet CIDR, /16 to /28 as on AWS.
Status Block(const std::string& cidr) {
  if (Status s = Required(cidr, "cidr"); !s) return s;
  auto parsed = ipam::ParseCidr(cidr, "cidr");
  if (!parsed) return parsed.error();
  if (parsed->prefix < 16 || parsed->prefix > 28) {
    return Error::Invalid("cidr", "a block must be between /16 and /28, got " + cidr);
  }
  return Status::Ok();
}

}  // namespace

Status ValidateRegion(const std::string& region, const Zones& zones) {
  if (Status s = Required(region, "region"); !s) return s;
  if (!zones.HasRegion(region)) {
    return Error::Invalid("region", "unknown region \"" + region + "\"");
  }
  return Status::Ok();
}

Status ValidateVpcSpec(const cloud::VpcSpec& spec, const Zones& zones) {
  if (Status s = ValidateRegion(spec.region, zones); !s) return s;
  if (Status s = Block(spec.cidr); !s) return s;
  if (Status s = MaxLength(spec.name, "name", kMaxNameLength); !s) return s;
  return ValidateToken(spec.idempotency_token);
}

Status ValidateSubnetSpec(const cloud::SubnetSpec& spec, const Zones& zones) {
  if (Status s = ValidateRegion(spec.region, zones); !s) return s;
  if (Status s = Id(spec.vpc_id, "vpc", "vpc_id"); !s) return s;
  if (Status s = Az(spec.region, spec.az, zones); !s) return s;
  if (Status s = Block(spec.cidr); !s) return s;
  if (Status s = MaxLength(spec.name, "name", kMaxNameLength); !s) return s;
  return ValidateToken(spec.idempotency_token);
}

Status ValidateSecurityGroupSpec(const cloud::SecurityGroupSpec& spec, const Zones& zones) {
  if (Status s = ValidateRegion(spec.region, zones); !s) return s;
  if (Status s = Id(spec.vpc_id, "vpc", "vpc_id"); !s) return s;
  if (Status s = Required(spec.name, "name"); !s) return s;
  if (Status s = MaxLength(spec.name, "name", kMaxNameLength); !s) return s;
  if (Status s = MaxLength(spec.description, "description", kMaxNameLength); !s) return s;
  return ValidateToken(spec.idempotency_token);
}

Status ValidateIngressRules(const std::vector<cloud::IngressRule>& rules) {
  if (rules.size() > 60) return Error::Invalid("rules", "at most 60 rules per call");
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    const std::string f = "rules[" + std::to_string(i) + "].";
    if (r.protocol != "tcp" && r.protocol != "udp" && r.protocol != "icmp" && r.protocol != "-1") {
      return Error::Invalid(f + "protocol", "protocol must be tcp, udp, icmp or -1 (all)");
    }
    if (r.protocol == "tcp" || r.protocol == "udp") {
      if (r.from_port < 0 || r.from_port > 65535) {
        return Error::Invalid(f + "from_port", "from_port must be in [0, 65535]");
      }
      if (r.to_port < r.from_port || r.to_port > 65535) {
        return Error::Invalid(f + "to_port", "to_port must be in [from_port, 65535]");
      }
    }
    if (r.source_cidr.empty() == r.source_group_id.empty()) {
      return Error::Invalid(f + "source_cidr",
                            "exactly one of source_cidr and source_group_id is required");
    }
    if (!r.source_cidr.empty()) {
      auto c = ipam::ParseCidr(r.source_cidr, f + "source_cidr");
      if (!c) return c.error();
    }
    if (!r.source_group_id.empty() && !IsCloudId("sg", r.source_group_id)) {
      return Error::Invalid(f + "source_group_id", "source_group_id is not an sg- ID");
    }
  }
  return Status::Ok();
}

Status ValidateRunInstanceSpec(const cloud::RunInstanceSpec& spec, const Zones& zones) {
  if (Status s = ValidateRegion(spec.region, zones); !s) return s;
  if (Status s = Az(spec.region, spec.az, zones); !s) return s;
  if (Status s = Id(spec.subnet_id, "subnet", "subnet_id"); !s) return s;
  if (Status s = Required(spec.image, "image"); !s) return s;
  if (Status s = MaxLength(spec.image, "image", 64); !s) return s;
  if (Status s = MaxLength(spec.instance_type, "instance_type", 64); !s) return s;
  if (!spec.private_ip.empty()) {
    auto ip = ipam::ParseAddress(spec.private_ip, "private_ip");
    if (!ip) return ip.error();
  }
  for (std::size_t i = 0; i < spec.security_group_ids.size(); ++i) {
    if (!IsCloudId("sg", spec.security_group_ids[i])) {
      return Error::Invalid("security_group_ids[" + std::to_string(i) + "]",
                            "\"" + spec.security_group_ids[i] + "\" is not an sg- ID");
    }
  }
  if (spec.tags.size() > kMaxTags) return Error::Invalid("tags", "at most 50 tags");
  for (const auto& [k, v] : spec.tags) {
    if (k.empty() || k.size() > 128) {
      return Error::Invalid("tags", "a tag key must be 1 to 128 bytes");
    }
    if (v.size() > 256) return Error::Invalid("tags." + k, "a tag value must be at most 256 bytes");
  }
  return ValidateToken(spec.idempotency_token);
}

}  // namespace made0::hostd
