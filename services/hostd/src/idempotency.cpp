#include "made0/hostd/idempotency.hpp"

#include "made0/core/encoding.hpp"

namespace made0::hostd {

Status ValidateToken(std::string_view token) {
  if (token.size() > kMaxTokenLength) {
    return Error::Invalid("idempotency_token", "idempotency_token must be at most 64 characters");
  }
  for (char c : token) {
    if (c < 0x21 || c > 0x7e) {
      return Error::Invalid("idempotency_token",
                            "idempotency_token must be printable ASCII without spaces");
    }
  }
  return Status::Ok();
}

std::string Fingerprint(const nlohmann::json& request) {
  nlohmann::json copy = request;
  if (copy.is_object()) copy.erase("idempotency_token");
  return Sha256Hex(copy.dump());
}

std::string TokenIndex::Key(std::string_view kind, std::string_view token) {
  return std::string(kind) + "\n" + std::string(token);
}

Result<std::optional<std::string>> TokenIndex::Lookup(std::string_view kind, std::string_view token,
                                                      std::string_view fingerprint) const {
  if (token.empty()) return std::optional<std::string>();
  auto it = entries_.find(Key(kind, token));
  if (it == entries_.end()) return std::optional<std::string>();
  if (it->second.fingerprint != fingerprint) {
    return Error::Conflict("IdempotentParameterMismatch: idempotency_token " + std::string(token) +
                           " was already used for " + it->second.id + " with different parameters");
  }
  return std::optional<std::string>(it->second.id);
}

void TokenIndex::Remember(std::string_view kind, std::string_view token, std::string fingerprint,
                          std::string id) {
  if (token.empty()) return;
  entries_[Key(kind, token)] = {std::move(fingerprint), std::move(id)};
}

void TokenIndex::Forget(std::string_view kind, std::string_view token) {
  entries_.erase(Key(kind, token));
}

}  // namespace made0::hostd
