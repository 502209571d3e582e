#include "made0/users/session.hpp"

#include "made0/core/encoding.hpp"

namespace made0::users {

NewSession MakeSession(Random& rng, const Clock& clock, std::chrono::seconds ttl) {
  NewSession s;
  s.token = RandomToken(rng, kSessionTokenBytes);
  s.token_hash = Sha256Hex(s.token);
  s.expires_at = clock.Now() + ttl;
  return s;
}

std::optional<std::string> SessionTokenHash(std::string_view token) {
  auto raw = Base64UrlDecode(token);
  if (!raw || raw->size() != kSessionTokenBytes) return std::nullopt;
  return Sha256Hex(token);
}

}  // namespace made0::users
