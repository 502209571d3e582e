#pragma once
// PasswordHasher: argon2id (RFC 9106) in the PHC string format, e.g.
//   $argon2id$v=19$m=19456,t=2,p=1$<salt b64>$<hash b64>
// The default parameters are OWASP's minimum recommendation for argon2id: m = 19 MiB,
// t = 2 iterations, p = 1 lane, a 16-byte random salt and a 32-byte tag. They are read back from
// each stored hash, so raising them later keeps old hashes verifiable (NeedsRehash tells when to
// upgrade one at the next login).
//
//   Argon2idHasher hasher(rng);                 // default parameters
//   std::string stored = hasher.Hash("correct horse");
//   bool ok = hasher.Verify("correct horse", stored);

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "made0/core/random.hpp"

namespace made0::users {

struct Argon2Params {
  std::uint32_t memory_kib = 19 * 1024;
  std::uint32_t iterations = 2;
  std::uint32_t parallelism = 1;
  std::uint32_t salt_bytes = 16;
  std::uint32_t hash_bytes = 32;
};

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual std::string Hash(std::string_view password) = 0;
  // Verify is false for a wrong password and for a malformed stored hash.
  virtual bool Verify(std::string_view password, const std::string& stored) = 0;
  // NeedsRehash is true when `stored` was made with weaker parameters than the current ones.
  virtual bool NeedsRehash(const std::string& stored) const = 0;
};

// HashStats are running totals over the hashes a hasher computed (for Hash and Verify alike): how
// many, and the CPU time of the threads that computed them. CPU time rather than wall time leaves
// out the time other processes held the core, so the figure compares with the same hash measured
// alone on the machine (bench/stack_cpu does).
struct HashStats {
  std::uint64_t count = 0;
  std::chrono::nanoseconds cpu{0};
};

// Argon2idHasher runs at most `max_concurrent` hashes at once (default: one per core). More would
// not finish sooner, since the hash is CPU-bound, and each one needs memory_kib of memory: each
// slot keeps one work area and reuses it, so the process holds max_concurrent * 19 MiB however
// many requests arrive, and no hash pays for faulting in fresh memory.
class Argon2idHasher final : public PasswordHasher {
 public:
  explicit Argon2idHasher(Random& rng, Argon2Params params = {}, unsigned max_concurrent = 0);
  ~Argon2idHasher() override;
  std::string Hash(std::string_view password) override;
  bool Verify(std::string_view password, const std::string& stored) override;
  bool NeedsRehash(const std::string& stored) const override;
  HashStats Stats() const;

 private:
  // WorkAreas lends a reusable work area to each running hash (and makes others wait).
  class WorkAreas;

  // Compute runs argon2id with the given parameters into `out`; false on failure.
  bool Compute(std::string_view password, const std::string& salt, const Argon2Params& params,
               std::string& out);

  Random& rng_;
  Argon2Params params_;
  std::unique_ptr<WorkAreas> areas_;
  std::atomic<std::uint64_t> hashes_{0};
  std::atomic<std::int64_t> cpu_ns_{0};
};

// EncodePhc and ParsePhc convert between parameters, salt and hash and the PHC string format
// ($argon2id$v=19$m=..,t=..,p=..$<salt>$<hash>, unpadded standard base64).
struct PhcHash {
  Argon2Params params;
  std::string salt;
  std::string hash;
};
std::string EncodePhc(const PhcHash& phc);
std::optional<PhcHash> ParsePhc(std::string_view encoded);

}  // namespace made0::users
