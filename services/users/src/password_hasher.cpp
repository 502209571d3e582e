#include "made0/users/password_hasher.hpp"

#include <argon2.h>

#include <cstdio>
#include <stdexcept>
#include <vector>

namespace made0::users {

std::string Argon2idHasher::Hash(std::string_view password) {
  std::vector<std::uint8_t> salt(params_.salt_bytes);
  rng_.Fill(salt);
  const std::size_t len =
      argon2_encodedlen(params_.iterations, params_.memory_kib, params_.parallelism,
                        params_.salt_bytes, params_.hash_bytes, Argon2_id);
  std::string encoded(len, '\0');
  const int rc = argon2id_hash_encoded(params_.iterations, params_.memory_kib, params_.parallelism,
                                       password.data(), password.size(), salt.data(), salt.size(),
                                       params_.hash_bytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK)
    throw std::runtime_error(std::string("argon2id: ") + argon2_error_message(rc));
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool Argon2idHasher::Verify(std::string_view password, const std::string& stored) {
  if (stored.rfind("$argon2id$", 0) != 0) return false;
  return argon2id_verify(stored.c_str(), password.data(), password.size()) == ARGON2_OK;
}

bool Argon2idHasher::NeedsRehash(const std::string& stored) const {
  unsigned m = 0, t = 0, p = 0;
  if (std::sscanf(stored.c_str(), "$argon2id$v=19$m=%u,t=%u,p=%u$", &m, &t, &p) != 3) return true;
  return m < params_.memory_kib || t < params_.iterations || p < params_.parallelism;
}

}  // namespace made0::users
