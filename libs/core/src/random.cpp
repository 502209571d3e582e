#include "made0/core/random.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "made0/core/encoding.hpp"

namespace made0 {

std::uint64_t Random::Uniform(std::uint64_t bound) {
  // Rejection sampling keeps the distribution exact for any bound.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  for (;;) {
    std::uint64_t v = 0;
    Fill({reinterpret_cast<std::uint8_t*>(&v), sizeof v});
    if (v < limit) return v % bound;
  }
}

double Random::UnitInterval() {
  return static_cast<double>(Uniform(std::uint64_t{1} << 53)) /
         static_cast<double>(std::uint64_t{1} << 53);
}

void SecureRandom::Fill(std::span<std::uint8_t> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
}

namespace {
std::string RandomBytes(Random& rng, std::size_t n) {
  std::string s(n, '\0');
  rng.Fill({reinterpret_cast<std::uint8_t*>(s.data()), n});
  return s;
}
}  // namespace

std::string RandomHex(Random& rng, std::size_t bytes) { return HexEncode(RandomBytes(rng, bytes)); }

std::string RandomToken(Random& rng, std::size_t bytes) {
  return Base64UrlEncode(RandomBytes(rng, bytes));
}

std::string RandomUuid(Random& rng) {
  std::string b = RandomBytes(rng, 16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);  // variant 10xx
  const std::string hex = HexEncode(b);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace made0
