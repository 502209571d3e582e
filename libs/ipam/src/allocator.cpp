#include "made0/ipam/allocator.hpp"

#include <algorithm>

namespace made0::ipam {

Result<Cidr> CarveTopDown(const Cidr& parent, int prefix, const std::vector<Cidr>& taken) {
  if (prefix < parent.prefix || prefix > 32) {
    return Error::Invalid("prefix", "prefix length must be between /" +
                                        std::to_string(parent.prefix) + " and /32 inside " +
                                        parent.ToString() + ", got /" + std::to_string(prefix));
  }
  std::vector<Cidr> inside;
  for (const Cidr& t : taken) {
    if (t.Overlaps(parent)) inside.push_back(t);
  }
  // Highest first, so the scan below moves monotonically down.
  std::sort(inside.begin(), inside.end(),
            [](const Cidr& a, const Cidr& b) { return a.base > b.base; });
  const std::uint64_t size = std::uint64_t{1} << (32 - prefix);
  // candidate is the base of the next block to try, as a 64-bit value so it can go below zero.
  std::int64_t candidate =
      static_cast<std::int64_t>(parent.Last()) + 1 - static_cast<std::int64_t>(size);
  std::size_t i = 0;
  while (candidate >= static_cast<std::int64_t>(parent.base)) {
    const Cidr block{static_cast<std::uint32_t>(candidate), prefix};
    // Skip taken blocks wholly above the candidate.
    while (i < inside.size() && inside[i].base > block.Last()) ++i;
    bool clear = true;
    for (std::size_t j = i; j < inside.size() && inside[j].Last() >= block.base; ++j) {
      if (inside[j].Overlaps(block)) {
        clear = false;
        // The next aligned block that ends below this obstacle.
        const std::int64_t below =
            static_cast<std::int64_t>(inside[j].base) - static_cast<std::int64_t>(size);
        candidate = below < 0 ? -1 : below - (below % static_cast<std::int64_t>(size));
        break;
      }
    }
    if (clear) return block;
  }
  return Error{ErrorCode::kConflict,
               parent.ToString() + " is exhausted: no free /" + std::to_string(prefix) + " left",
               "prefix"};
}

Status CheckExplicit(const Cidr& parent, const Cidr& child, const std::vector<Cidr>& taken) {
  if (!parent.Contains(child)) {
    return Error::Invalid("cidr", child.ToString() + " is not inside " + parent.ToString());
  }
  for (const Cidr& t : taken) {
    if (t.Overlaps(child)) {
      return Error{ErrorCode::kConflict,
                   child.ToString() + " overlaps " + t.ToString() + ", which is in use", "cidr"};
    }
  }
  return Status::Ok();
}

Result<HostRange> UsableHosts(const Cidr& subnet) {
  if (subnet.prefix > 28) {
    return Error::Invalid("cidr", "a subnet must be /28 or larger, got " + subnet.ToString());
  }
  return HostRange{subnet.base + 4, subnet.Last() - 1};
}

Result<std::uint32_t> PickAddress(const Cidr& subnet, const std::set<std::uint32_t>& used) {
  auto range = UsableHosts(subnet);
  if (!range) return range.error();
  std::uint32_t a = range->first;
  for (auto it = used.lower_bound(a); it != used.end() && *it == a && a <= range->last; ++it) ++a;
  if (a > range->last) {
    return Error{ErrorCode::kConflict, subnet.ToString() + " has no free address", "subnet"};
  }
  return a;
}

}  // namespace made0::ipam
