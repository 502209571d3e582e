#include "made0/infra/network/json.hpp"

#include "made0/http/message.hpp"

namespace made0::infra::network {
namespace {

constexpr std::size_t kMaxField = 256;

nlohmann::json Nullable(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

// OptionalInt reads an integer field that may be absent or null.
Result<std::optional<int>> OptionalInt(const nlohmann::json& body, const std::string& field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return std::optional<int>();
  if (!it->is_number_integer()) return Error::Invalid(field, field + " must be an integer");
  const auto v = it->get<long long>();
  if (v < -1000000 || v > 1000000) return Error::Invalid(field, field + " is out of range");
  return std::optional<int>(static_cast<int>(v));
}

// Unknown fields are refused so that a typo ("prefix" for "prefix_length") is not silently
// ignored and replaced by a default.
Status OnlyFields(const nlohmann::json& body, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : body.items()) {
    bool ok = false;
    for (std::string_view k : known) ok = ok || key == k;
    if (!ok) return Error::Invalid(key, "unknown field '" + key + "'");
  }
  return Status::Ok();
}

Status MustBeObject(const nlohmann::json& body) {
  if (!body.is_object()) return Error::Malformed("the body must be a JSON object");
  return Status::Ok();
}

}  // namespace

nlohmann::json RegionJson(const Region& region) {
  return {{"name", region.name},
          {"primary", region.primary},
          {"pool", region.pool.ToString()},
          {"availability_zones", region.AvailabilityZones()}};
}

nlohmann::json VpcJson(const Vpc& vpc) {
  return {{"id", vpc.id},
          {"region", vpc.region},
          {"name", vpc.name},
          {"cidr", vpc.cidr.ToString()},
          {"provider_id", Nullable(vpc.provider_id)},
          {"created_at", FormatRfc3339(vpc.created_at)}};
}

nlohmann::json SubnetJson(const Subnet& subnet) {
  return {{"id", subnet.id},
          {"vpc_id", subnet.vpc_id},
          {"name", subnet.name},
          {"availability_zone", subnet.availability_zone},
          {"cidr", subnet.cidr.ToString()},
          {"addresses_in_use", subnet.addresses_in_use},
          {"provider_id", Nullable(subnet.provider_id)},
          {"created_at", FormatRfc3339(subnet.created_at)}};
}

nlohmann::json LeaseJson(const AddressLease& lease) {
  return {{"subnet_id", lease.subnet_id},
          {"address", ipam::FormatAddress(lease.address)},
          {"owner", lease.owner},
          {"created_at", FormatRfc3339(lease.created_at)}};
}

nlohmann::json RuleJson(const IngressRule& rule) {
  nlohmann::json j = {{"id", rule.id},
                      {"protocol", rule.protocol},
                      {"from_port", rule.from_port},
                      {"to_port", rule.to_port}};
  if (rule.source_cidr) j["source_cidr"] = rule.source_cidr->ToString();
  if (rule.source_group_id) j["source_group_id"] = *rule.source_group_id;
  return j;
}

nlohmann::json SecurityGroupJson(const SecurityGroup& group) {
  nlohmann::json rules = nlohmann::json::array();
  for (const IngressRule& r : group.ingress) rules.push_back(RuleJson(r));
  return {{"id", group.id},
          {"vpc_id", group.vpc_id},
          {"name", group.name},
          {"description", group.description},
          {"ingress", rules},
          {"provider_id", Nullable(group.provider_id)},
          {"created_at", FormatRfc3339(group.created_at)}};
}

Result<CreateVpcRequest> CreateVpcRequestFrom(const nlohmann::json& body) {
  if (auto st = MustBeObject(body); !st) return st.error();
  if (auto st = OnlyFields(body, {"region", "name", "cidr", "prefix_length"}); !st) {
    return st.error();
  }
  auto region = http::RequireString(body, "region", kMaxField);
  if (!region) return region.error();
  auto name = http::RequireString(body, "name", kMaxField);
  if (!name) return name.error();
  auto cidr = http::OptionalString(body, "cidr", kMaxField);
  if (!cidr) return cidr.error();
  auto prefix = OptionalInt(body, "prefix_length");
  if (!prefix) return prefix.error();
  return CreateVpcRequest{*region, *name, *cidr, *prefix};
}

Result<CreateSubnetRequest> CreateSubnetRequestFrom(const nlohmann::json& body) {
  if (auto st = MustBeObject(body); !st) return st.error();
  if (auto st = OnlyFields(body, {"vpc_id", "availability_zone", "cidr", "prefix_length", "name"});
      !st) {
    return st.error();
  }
  auto vpc_id = http::RequireString(body, "vpc_id", kMaxField);
  if (!vpc_id) return vpc_id.error();
  auto az = http::RequireString(body, "availability_zone", kMaxField);
  if (!az) return az.error();
  auto cidr = http::OptionalString(body, "cidr", kMaxField);
  if (!cidr) return cidr.error();
  auto prefix = OptionalInt(body, "prefix_length");
  if (!prefix) return prefix.error();
  auto name = http::OptionalString(body, "name", kMaxField);
  if (!name) return name.error();
  return CreateSubnetRequest{*vpc_id, *az, *cidr, *prefix, *name};
}

Result<CreateSecurityGroupRequest> CreateSecurityGroupRequestFrom(const nlohmann::json& body) {
  if (auto st = MustBeObject(body); !st) return st.error();
  if (auto st = OnlyFields(body, {"vpc_id", "name", "description"}); !st) return st.error();
  auto vpc_id = http::RequireString(body, "vpc_id", kMaxField);
  if (!vpc_id) return vpc_id.error();
  auto name = http::RequireString(body, "name", kMaxField);
  if (!name) return name.error();
  auto description = http::OptionalString(body, "description", 1024);
  if (!description) return description.error();
  return CreateSecurityGroupRequest{*vpc_id, *name, description->value_or("")};
}

Result<IngressRuleRequest> IngressRuleRequestFrom(const nlohmann::json& body) {
  if (auto st = MustBeObject(body); !st) return st.error();
  if (auto st =
          OnlyFields(body, {"protocol", "from_port", "to_port", "source_cidr", "source_group_id"});
      !st) {
    return st.error();
  }
  IngressRuleRequest req;
  auto protocol = body.find("protocol");
  if (protocol != body.end() && protocol->is_number_integer() && protocol->get<int>() == -1) {
    req.protocol = "-1";  // EC2 clients send all-traffic as the number -1 too
  } else {
    auto text = http::RequireString(body, "protocol", 16);
    if (!text) return text.error();
    req.protocol = *text;
  }
  auto from = OptionalInt(body, "from_port");
  if (!from) return from.error();
  auto to = OptionalInt(body, "to_port");
  if (!to) return to.error();
  auto source_cidr = http::OptionalString(body, "source_cidr", kMaxField);
  if (!source_cidr) return source_cidr.error();
  auto source_group = http::OptionalString(body, "source_group_id", kMaxField);
  if (!source_group) return source_group.error();
  req.from_port = *from;
  req.to_port = *to;
  req.source_cidr = *source_cidr;
  req.source_group_id = *source_group;
  return req;
}

}  // namespace made0::infra::network
