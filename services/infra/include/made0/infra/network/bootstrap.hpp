#pragma once
// The network infra lays out when it starts, before any saga needs it: by default the control
// plane's VPC of seed figure 6, `made0` 172.16.0.0/16 in us-east-1 with a /17, a /18 and a /19
// carved top-down for zones a, b and c:
//
//   MADE0_INFRA_BOOTSTRAP=us-east-1/made0=172.16.0.0/16:a/17,b/18,c/19
//   -> made0-us-east-1a 172.16.128.0/17, made0-us-east-1b 172.16.64.0/18,
//      made0-us-east-1c 172.16.32.0/19
//
// Several VPCs are joined by ';'; an empty value lays out nothing. Applying is idempotent: a VPC
// of that name in the region, or a subnet in that zone of the VPC, is kept as it is.

#include <string>
#include <string_view>
#include <vector>

#include "made0/core/status.hpp"
#include "made0/infra/network/network_store.hpp"

namespace made0::infra::network {

inline constexpr std::string_view kBootstrapVariable = "MADE0_INFRA_BOOTSTRAP";
inline constexpr std::string_view kDefaultBootstrap =
    "us-east-1/made0=172.16.0.0/16:a/17,b/18,c/19";

struct BootstrapVpc {
  std::string region;
  std::string name;
  std::string cidr;
  struct SubnetPlan {
    std::string zone;  // the letter: "a"
    int prefix_length = 0;
  };
  std::vector<SubnetPlan> subnets;
};

// ParseBootstrap parses the variable's form; Invalid (field MADE0_INFRA_BOOTSTRAP) names the
// part at fault. Regions, CIDRs and zones are checked when applied.
Result<std::vector<BootstrapVpc>> ParseBootstrap(std::string_view text);

// ApplyBootstrap creates what is missing, in order.
Status ApplyBootstrap(NetworkStore& store, const std::vector<BootstrapVpc>& plan);

}  // namespace made0::infra::network
