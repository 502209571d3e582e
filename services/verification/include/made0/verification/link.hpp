#pragma once
// Verification links. A link carries a 256-bit random token; only its SHA-256 is stored (as the
// document's _id), so the link collection cannot be used to verify anyone. A link is valid until
// it is used once or it expires; expiry is judged here, on read, never left to the database's TTL
// monitor (which only cleans up, and which the MongoDB stand-in does not run at all).
//
//   NewLink l = MakeLink(rng, clock, user_id, email, std::chrono::hours(1));
//   mailer.Send(... l.token ..., [&] { return store.RecordLinkMailed(l.link) ...; });
//   ...
//   auto hash = LinkTokenHash(token_from_url);            // nullopt: malformed or tampered
//   LinkVerdict v = Judge(store.Find(*hash), clock.Now());

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "made0/core/clock.hpp"
#include "made0/core/random.hpp"
#include "made0/core/status.hpp"

namespace made0::verification {

inline constexpr std::size_t kLinkTokenBytes = 32;

struct Link {
  std::string id;  // SHA-256 of the token, hex
  std::string user_id;
  std::string email;
  SystemTime created_at;
  SystemTime expires_at;
  std::optional<SystemTime> used_at;
  std::string source;  // what made it: the message_id of user.registered, or "resend-<random>"
};

struct NewLink {
  std::string token;  // goes into the mail only
  Link link;
};

NewLink MakeLink(Random& rng, const Clock& clock, std::string user_id, std::string email,
                 std::chrono::milliseconds ttl, std::string source);

// LinkTokenHash checks that a presented token has the exact shape of one we issue (43 canonical
// base64url characters) and returns the stored ID to look up.
std::optional<std::string> LinkTokenHash(std::string_view token);

enum class LinkVerdict { kValid, kUnknown, kUsed, kExpired };

LinkVerdict Judge(const std::optional<Link>& link, SystemTime now);

// VerdictError is the answer for every verdict but kValid: 404 unknown, 409 used, 410 expired,
// each with a message that tells the person how to get a new link.
Error VerdictError(LinkVerdict verdict);

}  // namespace made0::verification
