#include "made0/ctl/views.hpp"

#include <algorithm>
#include <charconv>

#include "json_fields.hpp"

namespace made0::ctl {
namespace {

using internal::Age;
using internal::Text;
using nlohmann::json;

using RowFn = std::vector<std::string> (*)(const json&, SystemTime);

struct ListSpec {
  std::vector<Column> columns;
  RowFn row;
};

std::string Protocol(const json& rule) {
  const std::string p = Text(rule, "protocol");
  return p == "-1" || p == "all" ? "all" : p;
}

std::vector<std::string> RegionRow(const json& r, SystemTime) {
  return {Text(r, "name"), internal::Bool(r, "primary") ? "yes" : "", Text(r, "pool"),
          Text(r, "availability_zones")};
}

std::vector<std::string> VpcRow(const json& v, SystemTime now) {
  return {Text(v, "name"),           Text(v, "id"),          Text(v, "region"),    Text(v, "cidr"),
          Age(v, "created_at", now), Text(v, "provider_id"), Text(v, "created_at")};
}

std::vector<std::string> SubnetRow(const json& s, SystemTime now) {
  return {Text(s, "name"),
          Text(s, "id"),
          "available",  // a subnet the API lists exists and can be allocated from
          Text(s, "vpc_id"),
          Text(s, "availability_zone"),
          Text(s, "cidr"),
          AddressUse(s),
          Age(s, "created_at", now),
          Text(s, "provider_id"),
          Text(s, "created_at")};
}

std::vector<std::string> SecurityGroupRow(const json& g, SystemTime now) {
  const json& rules = internal::Get(g, "ingress");
  std::string summary;
  if (rules.is_array()) {
    for (const json& r : rules) summary += (summary.empty() ? "" : ", ") + FormatRule(r);
  }
  return {Text(g, "name"),
          Text(g, "id"),
          Text(g, "vpc_id"),
          std::to_string(rules.is_array() ? rules.size() : 0),
          Text(g, "description"),
          Age(g, "created_at", now),
          summary,
          Text(g, "provider_id")};
}

std::vector<std::string> ClusterRow(const json& c, SystemTime now) {
  return {Text(c, "name"),
          Text(c, "owner"),
          Text(c, "region"),
          Text(c, "vpc_id"),
          Text(c, "security_group_id"),
          Age(c, "created_at", now),
          Text(c, "created_at")};
}

std::vector<std::string> InstanceRow(const json& i, SystemTime now) {
  return {Text(i, "id"),
          Text(i, "cluster"),
          Text(i, "region"),
          Text(i, "availability_zone"),
          Text(i, "state"),
          Text(i, "private_ip"),
          Text(i, "instance_type"),
          Age(i, "created_at", now),
          Text(i, "owner"),
          Text(i, "image"),
          Text(i, "subnet_id"),
          FormatEndpoints(internal::Get(i, "endpoints")),
          Text(i, "provider"),
          Text(i, "saga_id")};
}

std::vector<std::string> SagaRow(const json& s, SystemTime now) {
  return {Text(s, "id"),        Text(s, "type"),    Text(s, "status"),
          Text(s, "step_name"), Text(s, "attempt"), Age(s, "created_at", now),
          Text(s, "phase"),     Text(s, "owner"),   Age(s, "updated_at", now),
          Text(s, "error")};
}

const ListSpec& SpecOf(Kind kind) {
  static const ListSpec kRegion{{{"NAME"}, {"PRIMARY"}, {"POOL"}, {"AVAILABILITY ZONES"}},
                                RegionRow};
  static const ListSpec kVpc{{{"NAME"},
                              {"VPC ID"},
                              {"REGION"},
                              {"IPV4 CIDR"},
                              {"AGE"},
                              {"PROVIDER ID", true},
                              {"CREATED", true}},
                             VpcRow};
  static const ListSpec kSubnet{{{"NAME"},
                                 {"SUBNET ID"},
                                 {"STATE"},
                                 {"VPC"},
                                 {"AZ"},
                                 {"IPV4 CIDR"},
                                 {"IN USE/USABLE"},
                                 {"AGE"},
                                 {"PROVIDER ID", true},
                                 {"CREATED", true}},
                                SubnetRow};
  static const ListSpec kGroup{{{"NAME"},
                                {"GROUP ID"},
                                {"VPC"},
                                {"RULES"},
                                {"DESCRIPTION"},
                                {"AGE"},
                                {"INGRESS", true},
                                {"PROVIDER ID", true}},
                               SecurityGroupRow};
  static const ListSpec kCluster{
      {{"NAME"}, {"OWNER"}, {"REGION"}, {"VPC"}, {"SECURITY GROUP"}, {"AGE"}, {"CREATED", true}},
      ClusterRow};
  static const ListSpec kInstance{{{"ID"},
                                   {"CLUSTER"},
                                   {"REGION"},
                                   {"AZ"},
                                   {"STATE"},
                                   {"PRIVATE IP"},
                                   {"TYPE"},
                                   {"AGE"},
                                   {"OWNER", true},
                                   {"IMAGE", true},
                                   {"SUBNET", true},
                                   {"ENDPOINTS", true},
                                   {"PROVIDER", true},
                                   {"SAGA", true}},
                                  InstanceRow};
  static const ListSpec kSaga{{{"ID"},
                               {"TYPE"},
                               {"STATUS"},
                               {"STEP"},
                               {"ATTEMPT"},
                               {"AGE"},
                               {"PHASE", true},
                               {"ENGINE", true},
                               {"UPDATED", true},
                               {"ERROR", true}},
                              SagaRow};
  switch (kind) {
    case Kind::kRegion:
      return kRegion;
    case Kind::kVpc:
      return kVpc;
    case Kind::kSubnet:
      return kSubnet;
    case Kind::kSecurityGroup:
      return kGroup;
    case Kind::kCluster:
      return kCluster;
    case Kind::kInstance:
      return kInstance;
    case Kind::kSaga:
      return kSaga;
  }
  return kRegion;
}

}  // namespace

Result<Table> ListTable(Kind kind, const json& answer, SystemTime now) {
  const KindInfo& info = InfoOf(kind);
  const json* items = internal::List(answer, info.list_key);
  if (!items) {
    return Error::Internal("infra's answer has no \"" + std::string(info.list_key) +
                           "\" list; is the server really infra?");
  }
  const ListSpec& spec = SpecOf(kind);
  Table table{spec.columns, {}};
  for (const json& item : *items) table.rows.push_back(spec.row(item, now));
  return table;
}

Result<json> FindObject(const json& list, std::string_view ref, std::string_view what) {
  std::vector<const json*> named;
  if (list.is_array()) {
    for (const json& item : list) {
      if (Text(item, "id") == ref) return item;
      if (Text(item, "name") == ref) named.push_back(&item);
    }
  }
  if (named.size() == 1) return *named.front();
  if (named.empty()) {
    return Error::NotFound(std::string(what) + " \"" + std::string(ref) + "\" not found");
  }
  std::string ids;
  for (const json* item : named) ids += (ids.empty() ? "" : ", ") + Text(*item, "id");
  return Error::Conflict("more than one " + std::string(what) + " is named \"" + std::string(ref) +
                         "\" (" + ids + "); give its ID");
}

std::optional<long long> UsableAddresses(std::string_view cidr) {
  const auto slash = cidr.find('/');
  if (slash == std::string_view::npos || cidr.substr(0, slash).find(':') != std::string::npos ||
      cidr.substr(0, slash).find('.') == std::string::npos) {
    return std::nullopt;
  }
  int prefix = -1;
  const std::string_view p = cidr.substr(slash + 1);
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
  if (ec != std::errc() || end != p.data() + p.size() || prefix < 0 || prefix > 32) {
    return std::nullopt;
  }
  const long long size = 1LL << (32 - prefix);
  return std::max(0LL, size - 5);
}

std::string AddressUse(const json& subnet) {
  const std::string in_use = Text(subnet, "addresses_in_use");
  const auto usable = UsableAddresses(Text(subnet, "cidr"));
  return (in_use.empty() ? "?" : in_use) + "/" + (usable ? std::to_string(*usable) : "?");
}

std::string FormatPorts(const json& rule) {
  const auto from = internal::Int(rule, "from_port");
  const auto to = internal::Int(rule, "to_port");
  if (Protocol(rule) == "all" || !from || *from < 0) return "all";
  if (!to || *to == *from) return std::to_string(*from);
  return std::to_string(*from) + "-" + std::to_string(*to);
}

std::string FormatRule(const json& rule) {
  std::string out = Protocol(rule);
  if (out.empty()) out = "?";
  if (const std::string ports = FormatPorts(rule); out != "all" && ports != "all") {
    out += " " + ports;
  }
  std::string source = Text(rule, "source_cidr");
  if (source.empty()) source = Text(rule, "source_group_id");
  if (!source.empty()) out += " from " + source;
  return out;
}

std::string FormatEndpoints(const json& endpoints) {
  if (!endpoints.is_object()) return internal::ValueText(endpoints);
  std::string out;
  for (const auto& [name, address] : endpoints.items()) {
    out += (out.empty() ? "" : ",") + name + "=" + internal::ValueText(address);
  }
  return out;
}

}  // namespace made0::ctl
