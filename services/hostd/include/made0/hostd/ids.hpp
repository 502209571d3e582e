#pragma once
// Cloud object IDs as AWS spells them (ARCHITECTURE.md, "Conventions"): a prefix, a dash and 17
// lowercase hex digits, e.g. "i-0123456789abcdef0".
//
//   std::string id = NewCloudId("i", rng);        // "i-3f0c..." (17 hex digits)
//   if (!IsCloudId("subnet", text)) ...          // validates input naming an object

#include <string>
#include <string_view>

#include "made0/core/random.hpp"

namespace made0::hostd {

inline constexpr std::size_t kCloudIdHexDigits = 17;

// NewCloudId returns prefix + "-" + 17 random lowercase hex digits.
std::string NewCloudId(std::string_view prefix, Random& rng);

// IsCloudId is true when text is prefix + "-" + exactly 17 lowercase hex digits.
bool IsCloudId(std::string_view prefix, std::string_view text);

}  // namespace made0::hostd
