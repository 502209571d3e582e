#include "made0/ctl/describe.hpp"

#include "json_fields.hpp"
#include "made0/ctl/format.hpp"
#include "made0/ctl/views.hpp"

namespace made0::ctl {
namespace {

using internal::Get;
using internal::Stamp;
using internal::Text;
using nlohmann::json;

// Nested adds a section holding a table, "-" when it has no rows.
void Nested(Describer& d, std::string label, const Table& table) {
  d.Section(std::move(label));
  d.Text(table.rows.empty() ? std::string(kNone) : RenderTable(table, false), 1);
}

}  // namespace

std::string DescribeVpc(const json& vpc, const json& subnets, SystemTime now) {
  Describer d;
  d.Field("Name", Text(vpc, "name"));
  d.Field("ID", Text(vpc, "id"));
  d.Field("Region", Text(vpc, "region"));
  d.Field("IPv4 CIDR", Text(vpc, "cidr"));
  d.Field("Provider ID", Text(vpc, "provider_id"));
  d.Field("Created", Stamp(vpc, "created_at", now));
  if (const json* list = internal::List(subnets, "subnets")) {
    Table t{{{"NAME"}, {"SUBNET ID"}, {"AZ"}, {"IPV4 CIDR"}, {"IN USE/USABLE"}}, {}};
    for (const json& s : *list) {
      t.rows.push_back({Text(s, "name"), Text(s, "id"), Text(s, "availability_zone"),
                        Text(s, "cidr"), AddressUse(s)});
    }
    Nested(d, "Subnets", t);
  }
  return d.Render();
}

std::string DescribeSubnet(const json& subnet, const json& addresses, SystemTime now) {
  Describer d;
  d.Field("Name", Text(subnet, "name"));
  d.Field("ID", Text(subnet, "id"));
  d.Field("State", "available");
  d.Field("VPC", Text(subnet, "vpc_id"));
  d.Field("Availability Zone", Text(subnet, "availability_zone"));
  d.Field("IPv4 CIDR", Text(subnet, "cidr"));
  const auto usable = UsableAddresses(Text(subnet, "cidr"));
  std::string in_use = Text(subnet, "addresses_in_use");
  d.Field("Addresses", (in_use.empty() ? "?" : in_use) + " in use of " +
                           (usable ? std::to_string(*usable) : "?") + " usable");
  d.Field("Provider ID", Text(subnet, "provider_id"));
  d.Field("Created", Stamp(subnet, "created_at", now));
  if (const json* list = internal::List(addresses, "addresses")) {
    Table t{{{"ADDRESS"}, {"OWNER"}, {"AGE"}}, {}};
    for (const json& a : *list) {
      t.rows.push_back({Text(a, "address"), Text(a, "owner"), internal::Age(a, "created_at", now)});
    }
    Nested(d, "Leases", t);
  }
  return d.Render();
}

std::string DescribeSecurityGroup(const json& group, SystemTime now) {
  Describer d;
  d.Field("Name", Text(group, "name"));
  d.Field("ID", Text(group, "id"));
  d.Field("VPC", Text(group, "vpc_id"));
  d.Field("Description", Text(group, "description"));
  d.Field("Provider ID", Text(group, "provider_id"));
  d.Field("Created", Stamp(group, "created_at", now));
  Table t{{{"PROTOCOL"}, {"PORTS"}, {"SOURCE"}, {"RULE ID"}}, {}};
  const json& rules = Get(group, "ingress");
  if (rules.is_array()) {
    for (const json& r : rules) {
      const std::string protocol = Text(r, "protocol");
      std::string source = Text(r, "source_cidr");
      if (source.empty()) source = Text(r, "source_group_id");
      t.rows.push_back(
          {protocol == "-1" ? "all" : protocol, FormatPorts(r), source, Text(r, "id")});
    }
  }
  Nested(d, "Ingress", t);
  return d.Render();
}

std::string DescribeInstance(const json& instance, SystemTime now) {
  Describer d;
  d.Field("ID", Text(instance, "id"));
  d.Field("State", Text(instance, "state"));
  // Why the provider stopped or terminated it on its own (the instance watcher's record).
  if (const std::string reason = Text(instance, "state_reason"); !reason.empty()) {
    d.Field("State Reason", reason);
  }
  d.Field("Owner", Text(instance, "owner"));
  d.Field("Cluster", Text(instance, "cluster"));
  d.Field("Region", Text(instance, "region"));
  d.Field("Availability Zone", Text(instance, "availability_zone"));
  d.Field("Subnet", Text(instance, "subnet_id"));
  d.Field("Private IP", Text(instance, "private_ip"));
  d.Field("Instance Type", Text(instance, "instance_type"));
  d.Field("Image", Text(instance, "image"));
  d.Field("Provider", Text(instance, "provider"));
  d.Field("Saga", Text(instance, "saga_id"));
  d.Field("Created", Stamp(instance, "created_at", now));
  d.Field("Updated", Stamp(instance, "updated_at", now));
  d.Section("Endpoints");
  const json& endpoints = Get(instance, "endpoints");
  if (!endpoints.is_object() || endpoints.empty()) {
    d.Text(kNone, 1);
  } else {
    for (const auto& [name, address] : endpoints.items()) {
      d.Field(name, internal::ValueText(address), 1);
    }
  }
  return d.Render();
}

}  // namespace made0::ctl
