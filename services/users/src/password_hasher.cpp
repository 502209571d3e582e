#include "made0/users/password_hasher.hpp"

#include <argon2.h>
#include <sys/mman.h>

#include <algorithm>
#include <charconv>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <new>
#include <thread>
#include <vector>

#include "made0/core/encoding.hpp"

namespace made0::users {
namespace {

// argon2's allocation callbacks carry no user data, so the work area lent to this thread's
// running hash is passed through a thread-local.
thread_local std::uint8_t* lent_area = nullptr;
thread_local std::size_t lent_size = 0;

int AllocateWorkArea(std::uint8_t** memory, std::size_t bytes) {
  if (lent_area != nullptr && bytes <= lent_size) {
    *memory = lent_area;
  } else {
    // Larger than the area (verifying a hash made with more memory): a one-off allocation.
    *memory = static_cast<std::uint8_t*>(std::malloc(bytes));
  }
  return *memory != nullptr ? ARGON2_OK : ARGON2_MEMORY_ALLOCATION_ERROR;
}

void FreeWorkArea(std::uint8_t* memory, std::size_t) {
  if (memory != lent_area) std::free(memory);
}

std::string B64(std::string_view bytes) {
  std::string s = Base64Encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  return s;
}

std::optional<std::string> UnB64(std::string_view text) {
  std::string padded(text);
  while (padded.size() % 4 != 0) padded += '=';
  return Base64Decode(padded);
}

bool ReadUint(std::string_view& in, std::string_view key, std::uint32_t& out) {
  if (in.substr(0, key.size()) != key) return false;
  in.remove_prefix(key.size());
  auto [p, ec] = std::from_chars(in.data(), in.data() + in.size(), out);
  if (ec != std::errc{}) return false;
  in.remove_prefix(static_cast<std::size_t>(p - in.data()));
  return true;
}

// ThreadCpuNanos is the CPU time the calling thread has used.
std::int64_t ThreadCpuNanos() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

}  // namespace

// HugeArea is a work area on transparent huge pages where the kernel allows them (madvise mode, as
// on Debian). argon2id reads its 1 KiB blocks at data-dependent places across the whole area:
// with 4 KiB pages nearly every read needs another TLB entry, and every switch to another process
// on that core costs the warm entries again; 2 MiB pages cover 19 MiB with ten.
class HugeArea {
 public:
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;

  explicit HugeArea(std::size_t bytes) : size_((bytes + kHugePage - 1) / kHugePage * kHugePage) {
    // Over-map by one huge page to find an aligned start, then give back what is not needed.
    const std::size_t mapped = size_ + kHugePage;
    void* p = mmap(nullptr, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    auto* raw = static_cast<std::uint8_t*>(p);
    const auto addr = reinterpret_cast<std::uintptr_t>(raw);
    auto* aligned = reinterpret_cast<std::uint8_t*>((addr + kHugePage - 1) & ~(kHugePage - 1));
    if (aligned != raw) munmap(raw, static_cast<std::size_t>(aligned - raw));
    const std::size_t tail = mapped - static_cast<std::size_t>(aligned - raw) - size_;
    if (tail != 0) munmap(aligned + size_, tail);
    data_ = aligned;
    (void)madvise(data_, size_, MADV_HUGEPAGE);  // advice: small pages still work
  }
  ~HugeArea() { munmap(data_, size_); }
  HugeArea(const HugeArea&) = delete;
  HugeArea& operator=(const HugeArea&) = delete;

  std::uint8_t* data() const { return data_; }

 private:
  std::size_t size_;
  std::uint8_t* data_ = nullptr;
};

class Argon2idHasher::WorkAreas {
 public:
  WorkAreas(unsigned count, std::size_t bytes) : bytes_(bytes) {
    for (unsigned i = 0; i < count; ++i) free_.push_back(nullptr);  // allocated on first use
  }

  // Lease lends one area to the calling thread for its lifetime.
  class Lease {
   public:
    explicit Lease(WorkAreas& areas) : areas_(areas) {
      std::unique_lock lock(areas_.mu_);
      areas_.cv_.wait(lock, [&] { return !areas_.free_.empty(); });
      area_ = std::move(areas_.free_.back());
      areas_.free_.pop_back();
      lock.unlock();
      if (!area_) area_ = std::make_unique<HugeArea>(areas_.bytes_);
      lent_area = area_->data();
      lent_size = areas_.bytes_;
    }
    ~Lease() {
      lent_area = nullptr;
      lent_size = 0;
      {
        std::lock_guard lock(areas_.mu_);
        areas_.free_.push_back(std::move(area_));
      }
      areas_.cv_.notify_one();
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

   private:
    WorkAreas& areas_;
    std::unique_ptr<HugeArea> area_;
  };

 private:
  std::size_t bytes_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<HugeArea>> free_;
};

std::string EncodePhc(const PhcHash& phc) {
  return "$argon2id$v=19$m=" + std::to_string(phc.params.memory_kib) +
         ",t=" + std::to_string(phc.params.iterations) +
         ",p=" + std::to_string(phc.params.parallelism) + "$" + B64(phc.salt) + "$" + B64(phc.hash);
}

std::optional<PhcHash> ParsePhc(std::string_view in) {
  PhcHash phc;
  std::uint32_t version = 0;
  if (in.substr(0, 10) != "$argon2id$") return std::nullopt;
  in.remove_prefix(10);
  if (!ReadUint(in, "v=", version) || version != ARGON2_VERSION_13) return std::nullopt;
  if (!ReadUint(in, "$m=", phc.params.memory_kib) || !ReadUint(in, ",t=", phc.params.iterations) ||
      !ReadUint(in, ",p=", phc.params.parallelism) || in.empty() || in[0] != '$') {
    return std::nullopt;
  }
  in.remove_prefix(1);
  const auto dollar = in.find('$');
  if (dollar == std::string_view::npos) return std::nullopt;
  auto salt = UnB64(in.substr(0, dollar));
  auto hash = UnB64(in.substr(dollar + 1));
  if (!salt || !hash || salt->size() < ARGON2_MIN_SALT_LENGTH || hash->size() < ARGON2_MIN_OUTLEN) {
    return std::nullopt;
  }
  phc.salt = std::move(*salt);
  phc.hash = std::move(*hash);
  phc.params.salt_bytes = static_cast<std::uint32_t>(phc.salt.size());
  phc.params.hash_bytes = static_cast<std::uint32_t>(phc.hash.size());
  return phc;
}

Argon2idHasher::Argon2idHasher(Random& rng, Argon2Params params, unsigned max_concurrent)
    : rng_(rng),
      params_(params),
      areas_(std::make_unique<WorkAreas>(
          std::clamp(max_concurrent != 0 ? max_concurrent : std::thread::hardware_concurrency(), 1u,
                     64u),
          static_cast<std::size_t>(params.memory_kib) * 1024)) {}

Argon2idHasher::~Argon2idHasher() = default;

bool Argon2idHasher::Compute(std::string_view password, const std::string& salt,
                             const Argon2Params& params, std::string& out) {
  out.assign(params.hash_bytes, '\0');
  std::string pwd(password);  // argon2 wants a mutable buffer
  std::string salt_copy = salt;
  argon2_context ctx{};
  ctx.out = reinterpret_cast<std::uint8_t*>(out.data());
  ctx.outlen = params.hash_bytes;
  ctx.pwd = reinterpret_cast<std::uint8_t*>(pwd.data());
  ctx.pwdlen = static_cast<std::uint32_t>(pwd.size());
  ctx.salt = reinterpret_cast<std::uint8_t*>(salt_copy.data());
  ctx.saltlen = static_cast<std::uint32_t>(salt_copy.size());
  ctx.t_cost = params.iterations;
  ctx.m_cost = params.memory_kib;
  ctx.lanes = params.parallelism;
  ctx.threads = params.parallelism;
  ctx.version = ARGON2_VERSION_13;
  ctx.allocate_cbk = AllocateWorkArea;
  ctx.free_cbk = FreeWorkArea;
  ctx.flags = ARGON2_FLAG_CLEAR_PASSWORD;
  WorkAreas::Lease lease(*areas_);
  const std::int64_t cpu_before = ThreadCpuNanos();
  const bool ok = argon2id_ctx(&ctx) == ARGON2_OK;
  cpu_ns_ += ThreadCpuNanos() - cpu_before;
  ++hashes_;
  return ok;
}

HashStats Argon2idHasher::Stats() const {
  return {hashes_.load(), std::chrono::nanoseconds(cpu_ns_.load())};
}

std::string Argon2idHasher::Hash(std::string_view password) {
  PhcHash phc{params_, std::string(params_.salt_bytes, '\0'), {}};
  rng_.Fill({reinterpret_cast<std::uint8_t*>(phc.salt.data()), phc.salt.size()});
  if (!Compute(password, phc.salt, params_, phc.hash)) {
    throw std::runtime_error("argon2id failed");
  }
  return EncodePhc(phc);
}

bool Argon2idHasher::Verify(std::string_view password, const std::string& stored) {
  auto phc = ParsePhc(stored);
  if (!phc) return false;
  std::string computed;
  if (!Compute(password, phc->salt, phc->params, computed)) return false;
  return ConstantTimeEquals(computed, phc->hash);
}

bool Argon2idHasher::NeedsRehash(const std::string& stored) const {
  auto phc = ParsePhc(stored);
  if (!phc) return true;
  return phc->params.memory_kib < params_.memory_kib ||
         phc->params.iterations < params_.iterations ||
         phc->params.parallelism < params_.parallelism;
}

}  // namespace made0::users
