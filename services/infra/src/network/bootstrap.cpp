#include "made0/infra/network/bootstrap.hpp"

#include <charconv>

namespace made0::infra::network {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const auto at = s.find(sep);
    out.push_back(s.substr(0, at));
    if (at == std::string_view::npos) break;
    s.remove_prefix(at + 1);
  }
  return out;
}

Error Bad(std::string_view part, std::string_view why) {
  return Error::Invalid(std::string(kBootstrapVariable),
                        "'" + std::string(part) + "': " + std::string(why));
}

}  // namespace

Result<std::vector<BootstrapVpc>> ParseBootstrap(std::string_view text) {
  std::vector<BootstrapVpc> out;
  if (text.empty()) return out;
  for (std::string_view part : Split(text, ';')) {
    // region/name=cidr:zone/prefix,zone/prefix
    const auto slash = part.find('/');
    const auto eq = part.find('=');
    if (slash == std::string_view::npos || eq == std::string_view::npos || eq < slash) {
      return Bad(part, "expected <region>/<vpc name>=<cidr>[:<zone>/<prefix>,...]");
    }
    BootstrapVpc vpc;
    vpc.region = std::string(part.substr(0, slash));
    vpc.name = std::string(part.substr(slash + 1, eq - slash - 1));
    std::string_view rest = part.substr(eq + 1);
    const auto colon = rest.find(':');
    vpc.cidr = std::string(rest.substr(0, colon));
    if (vpc.region.empty() || vpc.name.empty() || vpc.cidr.empty()) {
      return Bad(part, "region, VPC name and CIDR are required");
    }
    if (colon != std::string_view::npos) {
      for (std::string_view subnet : Split(rest.substr(colon + 1), ',')) {
        const auto s = subnet.find('/');
        int prefix = 0;
        const std::string_view digits = s == std::string_view::npos ? "" : subnet.substr(s + 1);
        const auto [end, ec] =
            std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (s == 0 || s == std::string_view::npos || ec != std::errc() ||
            end != digits.data() + digits.size()) {
          return Bad(subnet, "expected <zone letter>/<prefix length>, as in a/17");
        }
        vpc.subnets.push_back({std::string(subnet.substr(0, s)), prefix});
      }
    }
    out.push_back(std::move(vpc));
  }
  return out;
}

Status ApplyBootstrap(NetworkStore& store, const std::vector<BootstrapVpc>& plan) {
  for (const BootstrapVpc& want : plan) {
    std::optional<Vpc> vpc;
    for (Vpc& v : store.ListVpcs(want.region)) {
      if (v.name == want.name) vpc = std::move(v);
    }
    if (!vpc) {
      auto made = store.CreateVpc({want.region, want.name, want.cidr, std::nullopt});
      if (!made) return made.error();
      vpc = std::move(*made);
    }
    auto subnets = store.ListSubnets(vpc->id);
    if (!subnets) return subnets.error();
    for (const BootstrapVpc::SubnetPlan& s : want.subnets) {
      const std::string az = want.region + s.zone;
      bool exists = false;
      for (const Subnet& have : *subnets) exists = exists || have.availability_zone == az;
      if (exists) continue;
      auto made = store.CreateSubnet({vpc->id, az, std::nullopt, s.prefix_length, std::nullopt});
      if (!made) return made.error();
    }
  }
  return Status::Ok();
}

}  // namespace made0::infra::network
