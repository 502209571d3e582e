#include "made0/verification/link.hpp"

#include "made0/core/encoding.hpp"

namespace made0::verification {

NewLink MakeLink(Random& rng, const Clock& clock, std::string user_id, std::string email,
                 std::chrono::milliseconds ttl, std::string source) {
  NewLink l;
  l.token = RandomToken(rng, kLinkTokenBytes);
  l.link.id = Sha256Hex(l.token);
  l.link.user_id = std::move(user_id);
  l.link.email = std::move(email);
  l.link.created_at = clock.Now();
  l.link.expires_at = l.link.created_at + ttl;
  l.link.source = std::move(source);
  return l;
}

std::optional<std::string> LinkTokenHash(std::string_view token) {
  auto raw = Base64UrlDecode(token);
  if (!raw || raw->size() != kLinkTokenBytes) return std::nullopt;
  return Sha256Hex(token);
}

LinkVerdict Judge(const std::optional<Link>& link, SystemTime now) {
  if (!link) return LinkVerdict::kUnknown;
  if (link->used_at) return LinkVerdict::kUsed;
  if (now >= link->expires_at) return LinkVerdict::kExpired;
  return LinkVerdict::kValid;
}

Error VerdictError(LinkVerdict verdict) {
  switch (verdict) {
    case LinkVerdict::kUnknown:
      return {ErrorCode::kNotFound, "this verification link is not valid; ask for a new one below",
              "token"};
    case LinkVerdict::kUsed:
      return {ErrorCode::kConflict,
              "this verification link was already used; log in, or ask for a new link", "token"};
    case LinkVerdict::kExpired:
      return {ErrorCode::kGone, "this verification link has expired; ask for a new one below",
              "token"};
    case LinkVerdict::kValid:
      break;
  }
  return Error::Internal("no error for a valid link");
}

}  // namespace made0::verification
