#include "made0/ipam/cidr.hpp"

#include <charconv>

namespace made0::ipam {

std::string FormatAddress(std::uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
         std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

std::string Cidr::ToString() const { return FormatAddress(base) + "/" + std::to_string(prefix); }

Result<std::uint32_t> ParseAddress(std::string_view text, std::string_view field) {
  const auto bad = [&] {
    return Error::Invalid(std::string(field),
                          "'" + std::string(text) + "' is not an IPv4 address like 10.0.0.0");
  };
  std::uint32_t address = 0;
  std::string_view rest = text;
  for (int part = 0; part < 4; ++part) {
    const auto dot = rest.find('.');
    const std::string_view digits = part < 3 ? rest.substr(0, dot) : rest;
    if ((part < 3 && dot == std::string_view::npos) || digits.empty() || digits.size() > 3 ||
        (digits.size() > 1 && digits[0] == '0')) {
      return bad();
    }
    unsigned value = 0;
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || p != digits.data() + digits.size() || value > 255) return bad();
    address = (address << 8) | value;
    if (part < 3) rest.remove_prefix(dot + 1);
  }
  return address;
}

Result<Cidr> ParseCidr(std::string_view text, std::string_view field) {
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return Error::Invalid(std::string(field),
                          "'" + std::string(text) + "' is not a CIDR block like 10.0.0.0/16");
  }
  auto address = ParseAddress(text.substr(0, slash), field);
  if (!address) return address.error();
  const std::string_view prefix_text = text.substr(slash + 1);
  int prefix = -1;
  auto [p, ec] =
      std::from_chars(prefix_text.data(), prefix_text.data() + prefix_text.size(), prefix);
  if (ec != std::errc{} || p != prefix_text.data() + prefix_text.size() || prefix_text.empty() ||
      prefix < 0 || prefix > 32) {
    return Error::Invalid(std::string(field), "prefix length must be a number from 0 to 32, got '" +
                                                  std::string(prefix_text) + "'");
  }
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  if ((*address & ~mask) != 0) {
    const Cidr fixed{*address & mask, prefix};
    return Error::Invalid(std::string(field), "host bits are set in " + std::string(text) +
                                                  ": did you mean " + fixed.ToString() + "?");
  }
  return Cidr{*address, prefix};
}

}  // namespace made0::ipam
