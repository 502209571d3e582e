#pragma once
// Idempotency tokens, as EC2's ClientToken: a create call that carries a token already used for
// the same kind of object returns that object instead of creating another; the same token with
// different parameters is a conflict (EC2's IdempotentParameterMismatch). Each record keeps its
// token and the fingerprint of its request, so the index is rebuilt from the records after a
// restart and a retry then still finds the object.
//
//   TokenIndex index;
//   auto found = index.Lookup("instance", token, Fingerprint(request));
//   if (!found) return found.error();             // Conflict: the token was used differently
//   if (*found) return Describe(**found);         // the same call again: the same object
//   ... create, then index.Remember("instance", token, fingerprint, id);

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "made0/core/status.hpp"

namespace made0::hostd {

inline constexpr std::size_t kMaxTokenLength = 64;

// ValidateToken: empty (no idempotency asked for) or at most 64 printable ASCII characters;
// Invalid naming "idempotency_token" otherwise.
Status ValidateToken(std::string_view token);

// Fingerprint is the SHA-256 of the request's canonical JSON (nlohmann sorts object keys), taken
// without the token itself.
std::string Fingerprint(const nlohmann::json& request);

class TokenIndex {
 public:
  // Lookup returns the ID created earlier with this token, nullopt if the token is new (or
  // empty), or Conflict if the token was used with another fingerprint.
  Result<std::optional<std::string>> Lookup(std::string_view kind, std::string_view token,
                                            std::string_view fingerprint) const;
  // Remember records token -> id; an empty token is not recorded.
  void Remember(std::string_view kind, std::string_view token, std::string fingerprint,
                std::string id);
  // Forget drops the entry for a record that is deleted (garbage-collected).
  void Forget(std::string_view kind, std::string_view token);

 private:
  struct Entry {
    std::string fingerprint;
    std::string id;
  };
  static std::string Key(std::string_view kind, std::string_view token);
  std::map<std::string, Entry, std::less<>> entries_;
};

}  // namespace made0::hostd
