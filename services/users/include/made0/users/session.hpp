#pragma once
// Session rules. A session is a random 256-bit opaque token handed to the browser in an HttpOnly
// cookie; only its SHA-256 is stored, so a leaked table cannot be replayed. Sessions expire at a
// fixed time after login (no sliding renewal: a stolen cookie dies on schedule).
//
//   NewSession s = MakeSession(rng, clock, std::chrono::hours(24 * 7));
//   store.CreateSession(user.id, s.token_hash, s.expires_at);   // s.token goes to the cookie
//   auto hash = SessionTokenHash(cookie);   // nullopt for anything that is not a token shape

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"

namespace made0::users {

inline constexpr std::size_t kSessionTokenBytes = 32;

struct NewSession {
  std::string token;       // to the client, never stored or logged
  std::string token_hash;  // to the store
  SystemTime expires_at;
};

NewSession MakeSession(Random& rng, const Clock& clock, std::chrono::seconds ttl);

// SessionTokenHash validates the shape of a presented token (43 base64url characters, canonical)
// before anything touches the store, and returns the hash to look up.
std::optional<std::string> SessionTokenHash(std::string_view token);

inline bool IsSessionLive(SystemTime expires_at, SystemTime now) { return now < expires_at; }

}  // namespace made0::users
