#pragma once
// IPv4 CIDR blocks: parsing with errors that name the problem, and the arithmetic IPAM needs.
//
//   auto vpc = ParseCidr("172.16.0.0/16");          // Result<Cidr>
//   ParseCidr("172.16.0.1/16").error().message;      // "host bits are set: did you mean
//   172.16.0.0/16?" vpc->Contains(*ParseCidr("172.16.128.0/17"));     // true

#include <cstdint>
#include <string>
#include <string_view>

#include "made0/core/status.hpp"

namespace made0::ipam {

struct Cidr {
  std::uint32_t base = 0;  // network address, host order
  int prefix = 0;          // 0..32

  std::uint64_t Size() const { return std::uint64_t{1} << (32 - prefix); }
  std::uint32_t Last() const { return static_cast<std::uint32_t>(base + Size() - 1); }
  bool Contains(const Cidr& other) const {
    return other.prefix >= prefix && other.base >= base && other.Last() <= Last();
  }
  bool Overlaps(const Cidr& other) const { return base <= other.Last() && other.base <= Last(); }
  std::string ToString() const;

  friend bool operator==(const Cidr&, const Cidr&) = default;
  friend auto operator<=>(const Cidr&, const Cidr&) = default;
};

std::string FormatAddress(std::uint32_t address);
// ParseAddress accepts dotted-quad IPv4 only (no leading zeros, each part 0..255).
Result<std::uint32_t> ParseAddress(std::string_view text, std::string_view field = "cidr");
// ParseCidr: Invalid (naming `field`) for a malformed block, a prefix out of range, or host bits
// set (the message suggests the network address).
Result<Cidr> ParseCidr(std::string_view text, std::string_view field = "cidr");

}  // namespace made0::ipam
