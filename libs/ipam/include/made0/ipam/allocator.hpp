#pragma once
// Address allocation, as pure functions over what is already taken (the caller loads that from
// its store inside a transaction that serialises allocations in one parent, and saves the result).
//
// Blocks are carved top-down: the highest-addressed free block of the requested size. Asking a
// VPC 172.16.0.0/16 for a /17, then a /18, then a /19 gives seed figure 6's subnets:
// 172.16.128.0/17, 172.16.64.0/18, 172.16.32.0/19.
//
//   auto subnet = CarveTopDown(vpc, 18, taken);                 // Result<Cidr>
//   auto ip = PickAddress(*subnet, used_addresses);             // skips AWS's reserved addresses

#include <cstdint>
#include <set>
#include <vector>

#include "made0/ipam/cidr.hpp"

namespace made0::ipam {

// CarveTopDown returns the highest-addressed block of /prefix inside parent that overlaps
// nothing in taken. Invalid (field "prefix") if prefix is shorter than the parent's or longer
// than 32; Conflict "... is exhausted" if no such block is free.
Result<Cidr> CarveTopDown(const Cidr& parent, int prefix, const std::vector<Cidr>& taken);

// CheckExplicit accepts a caller-chosen block that lies inside parent and overlaps nothing taken;
// otherwise Invalid (outside) or Conflict (overlap), naming the block it collides with.
Status CheckExplicit(const Cidr& parent, const Cidr& child, const std::vector<Cidr>& taken);

// UsableHosts is a subnet's range of instance addresses: as on AWS, the first four addresses
// (network, router, DNS, reserved) and the last (broadcast) are never given out. Invalid for
// subnets smaller than /28, which AWS does not allow either.
struct HostRange {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
};
Result<HostRange> UsableHosts(const Cidr& subnet);

// PickAddress returns the lowest usable address of subnet not in used; Conflict when full.
Result<std::uint32_t> PickAddress(const Cidr& subnet, const std::set<std::uint32_t>& used);

}  // namespace made0::ipam
