#pragma once
// Random: injected source of randomness. SecureRandom draws from OpenSSL's CSPRNG and is what
// tokens, IDs and jitter use in production; tests inject a seeded or scripted one.
//
//   SecureRandom rng;
//   std::string token = RandomToken(rng, 32);    // 256 bits, base64url, no padding
//   std::string id = RandomHex(rng, 8);          // 16 hex digits
//   std::string user_id = RandomUuid(rng);        // "1b4e28ba-2fa1-4d2e-883f-0016d3cca427"

#include <cstdint>
#include <span>
#include <string>

namespace made0 {

class Random {
 public:
  virtual ~Random() = default;
  // Fill writes random bytes into out.
  virtual void Fill(std::span<std::uint8_t> out) = 0;
  // Uniform returns a value in [0, bound); bound > 0.
  std::uint64_t Uniform(std::uint64_t bound);
  // UnitInterval returns a value in [0, 1).
  double UnitInterval();
};

class SecureRandom final : public Random {
 public:
  void Fill(std::span<std::uint8_t> out) override;
};

// RandomHex returns 2*bytes lowercase hex digits.
std::string RandomHex(Random& rng, std::size_t bytes);
// RandomToken returns `bytes` random bytes, base64url-encoded without padding.
std::string RandomToken(Random& rng, std::size_t bytes);
// RandomUuid returns a version 4 (random) UUID in its canonical lowercase form (RFC 9562): 122
// random bits, so a service can name a row before PostgreSQL sees it.
std::string RandomUuid(Random& rng);

}  // namespace made0
