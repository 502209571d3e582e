#include "made0/hostd/ids.hpp"

namespace made0::hostd {

std::string NewCloudId(std::string_view prefix, Random& rng) {
  // RandomHex yields whole bytes (an even count of digits); 9 bytes give 18, one is dropped.
  return std::string(prefix) + "-" + RandomHex(rng, 9).substr(0, kCloudIdHexDigits);
}

bool IsCloudId(std::string_view prefix, std::string_view text) {
  if (text.size() != prefix.size() + 1 + kCloudIdHexDigits) return false;
  if (text.substr(0, prefix.size()) != prefix || text[prefix.size()] != '-') return false;
  for (char c : text.substr(prefix.size() + 1)) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace made0::hostd
