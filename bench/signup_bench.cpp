// Sign-ups per second end to end (POST /api/signup until the mail is in the SMTP sink's maildir),
// at a fixed offered load, beside argon2id hashes per second with the same parameters measured
// on the same machine in the same run (between phases of sign-ups, see main), after 3 s of
// unmeasured sign-ups that warm everything up. The hash is the physical bound: each sign-up pays
// one. The sign-up rate is the mails' completion rate: their count over the span from the first
// mail to the last (the per-mail latency is reported apart, as p50 and p99).
//
// The offered load is a fraction of the hash rate measured just before. At 1 (the default) the
// services are offered what the hash alone could do, so the completion rate is their capacity
// and the RATIO line is printed. Below that, the completion rate cannot exceed the offered load,
// which itself drifts with the machine's speed during the run: such a run measures latency.
//
// With MADE0_SERVICES_DIR and MADE0_STACK_DIR set (bench/run.sh sets them), it also says where
// the CPU went: each service's and server's CPU per sign-up over the measured phases, and the
// CPU that users spent per argon2id hash (its made0_password_hash_cpu_seconds) beside the same
// hash measured alone in the references.
//
//   signup_bench <console-url> <maildir> [seconds-per-phase=10] [load-fraction=1] [phases=4]
#include <poll.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <thread>

#include "load.hpp"
#include "made0/core/random.hpp"
#include "made0/testing/system.hpp"
#include "made0/users/password_hasher.hpp"
#include "stack_cpu.hpp"

using namespace made0;
using Clock = std::chrono::steady_clock;

namespace {

// CpuSeconds is the CPU time (user and system) this process has used so far.
double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return secs(u.ru_utime) + secs(u.ru_stime);
}

struct HashRate {
  double per_second = 0;
  double cpu_ms_per_hash = 0;
};

HashRate HashesPerSecond(int threads, std::chrono::seconds duration) {
  std::atomic<long> count{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> ts;
  for (int i = 0; i < threads; ++i) {
    ts.emplace_back([&] {
      SecureRandom rng;
      users::Argon2idHasher hasher(rng);  // the service's parameters
      while (!stop) {
        (void)hasher.Hash("correct horse battery staple");
        ++count;
      }
    });
  }
  const auto start = Clock::now();
  const double cpu_before = CpuSeconds();
  std::this_thread::sleep_for(duration);
  stop = true;
  for (auto& t : ts) t.join();
  const double n = static_cast<double>(std::max(1L, count.load()));
  return {n / std::chrono::duration<double>(Clock::now() - start).count(),
          (CpuSeconds() - cpu_before) * 1000 / n};
}

// MailWatcher records when a mail to each recipient lands in maildir/new.
class MailWatcher {
 public:
  explicit MailWatcher(const std::string& maildir) : dir_(maildir + "/new") {
    fd_ = inotify_init1(IN_NONBLOCK);
    // The sink writes into tmp/ and links the finished file into new/ (IN_CREATE); a rename
    // would be IN_MOVED_TO.
    inotify_add_watch(fd_, dir_.c_str(), IN_CREATE | IN_MOVED_TO);
    thread_ = std::thread([this] { Loop(); });
  }
  ~MailWatcher() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  std::map<std::string, Clock::time_point> Arrivals() {
    std::lock_guard lock(mu_);
    return arrivals_;
  }
  // Arrived counts the addresses of `sent` whose mail has landed (without copying the arrivals).
  template <typename Map>
  std::size_t Arrived(const Map& sent) {
    std::lock_guard lock(mu_);
    std::size_t n = 0;
    for (const auto& entry : sent) n += arrivals_.count(entry.first);
    return n;
  }

 private:
  void Loop() {
    alignas(inotify_event) char buf[64 * 1024];
    while (!stop_) {
      // Blocks until a mail lands (or 100 ms pass, to notice stop_): a load generator that woke
      // on a timer would take the CPU from the services it measures hundreds of times a second.
      pollfd pfd{fd_, POLLIN, 0};
      if (poll(&pfd, 1, 100) <= 0) continue;
      const ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) continue;
      const auto now = Clock::now();
      for (ssize_t off = 0; off < n;) {
        auto* ev = reinterpret_cast<inotify_event*>(buf + off);
        if (ev->len > 0) {
          std::ifstream in(dir_ + "/" + ev->name);
          for (std::string line; std::getline(in, line) && line != "\r";) {
            if (line.rfind("To: <", 0) == 0) {
              const std::string to = line.substr(5, line.find('>') - 5);
              std::lock_guard lock(mu_);
              arrivals_.emplace(to, now);
              break;
            }
          }
        }
        off += static_cast<ssize_t>(sizeof(inotify_event) + ev->len);
      }
    }
  }

  std::string dir_;
  int fd_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::mutex mu_;
  std::map<std::string, Clock::time_point> arrivals_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <console-url> <maildir> [seconds] [load-fraction] [phases]\n",
                 argv[0]);
    return 2;
  }
  const std::string url = argv[1];
  const std::string maildir = argv[2];
  const int seconds = argc > 3 ? std::atoi(argv[3]) : 10;
  const double fraction = argc > 4 ? std::atof(argv[4]) : 1.0;
  const int phases = argc > 5 ? std::max(1, std::atoi(argv[5])) : 4;
  const int cores = static_cast<int>(std::thread::hardware_concurrency());

  MailWatcher watcher(maildir);
  const int workers = 32;
  std::vector<std::unique_ptr<testing::ConsoleClient>> clients;
  for (int i = 0; i < workers; ++i) {
    clients.push_back(std::make_unique<testing::ConsoleClient>(url));
    (void)clients.back()->Get("/api/csrf");
  }
  const std::string run = RandomHex(*std::make_unique<SecureRandom>(), 4);
  std::atomic<long> seq{0};
  // Signups offers `rate` sign-ups/s for `duration`; the accepted ones' addresses and send times.
  auto signups = [&](double rate, std::chrono::seconds duration, bench::LoadResult* result) {
    std::mutex mu;
    std::map<std::string, Clock::time_point> sent;
    auto r = bench::RunFixedRate(rate, duration, workers, [&](int w) {
      const std::string email = "bench-" + run + "-" + std::to_string(seq++) + "@example.test";
      const auto t0 = Clock::now();
      auto resp = clients[w]->Post("/api/signup", {{"email", email}, {"password", "password1"}});
      if (!resp || resp->status != 202) return false;
      std::lock_guard lock(mu);
      sent[email] = t0;
      return true;
    });
    if (result != nullptr) *result = std::move(r);
    return sent;
  };
  // Drained waits until every address in `sent` has its mail (or 60 s); the arrivals.
  auto drained = [&](const std::map<std::string, Clock::time_point>& sent) {
    for (int i = 0; i < 600 && watcher.Arrived(sent) < sent.size(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return watcher.Arrivals();
  };

  // A short unmeasured run first, so that no figure includes the services' and servers' first
  // requests (connections opened, caches and JIT warmed), then its mails drained.
  const double hash_warm = HashesPerSecond(cores, std::chrono::seconds(2)).per_second;
  (void)drained(signups(hash_warm * fraction, std::chrono::seconds(3), nullptr));
  std::optional<bench::StackCpu> account = bench::StackCpu::FromEnvironment();

  // Phases alternate the reference and the sign-ups: reference, sign-ups, reference, sign-ups,
  // ..., reference, with the services idle during each reference. Each phase's ratio is taken
  // against the mean of the two references around it: on a shared machine the speed drifts by
  // 10-25 % within a minute, and a reference a few seconds away tracks it where one measured
  // once for the whole run would not. The RATIO is the mean of the phases' ratios.
  HashRate alone = HashesPerSecond(cores, std::chrono::seconds(3));
  double hash_before = alone.per_second;
  double reference_cpu_ms = alone.cpu_ms_per_hash;  // summed over the references
  std::printf("argon2id (m=19 MiB, t=2, p=1) on %d threads: %.1f hashes/s\n", cores, hash_before);
  std::vector<double> e2e;  // every phase's mails, ms
  std::vector<double> ratios;
  double load_cpu = 0;
  std::size_t accepted = 0;
  for (int phase = 1; phase <= phases; ++phase) {
    const double offered = hash_before * fraction;
    const double cpu_before = CpuSeconds();
    if (account) account->Begin();
    bench::LoadResult result;
    const std::map<std::string, Clock::time_point> sent =
        signups(offered, std::chrono::seconds(seconds), &result);
    const std::map<std::string, Clock::time_point> arrivals = drained(sent);
    load_cpu += CpuSeconds() - cpu_before;
    if (account) account->End(sent.size());
    accepted += sent.size();
    std::size_t mailed = 0;
    Clock::time_point first = Clock::time_point::max(), last = Clock::time_point::min();
    for (const auto& [email, t] : sent) {
      auto it = arrivals.find(email);
      if (it == arrivals.end()) continue;
      ++mailed;
      e2e.push_back(std::chrono::duration<double, std::milli>(it->second - t).count());
      first = std::min(first, it->second);
      last = std::max(last, it->second);
    }
    // The completion rate is the mails over the span in which they arrived: a system that keeps
    // up delivers them over the same span as they were offered, one that does not spreads them
    // out. (Counting from the first POST instead would add one end-to-end latency to the span,
    // and report that latency again as lost throughput.)
    const double span = mailed > 1 ? std::chrono::duration<double>(last - first).count() : 0.0;
    const double rate = span > 0 ? static_cast<double>(mailed - 1) / span : 0.0;
    alone = HashesPerSecond(cores, std::chrono::seconds(3));
    reference_cpu_ms += alone.cpu_ms_per_hash;
    const double hash_after = alone.per_second;
    const double reference = (hash_before + hash_after) / 2;
    ratios.push_back(rate / reference);
    std::printf(
        "phase %d: offered %.1f/s for %d s, %zu accepted (%d refused), %zu mailed at %.1f/s; "
        "argon2id %.1f -> %.1f hashes/s; ratio %.2f\n",
        phase, offered, seconds, sent.size(), result.errors, mailed, rate, hash_before, hash_after,
        ratios.back());
    hash_before = hash_after;
  }
  std::sort(e2e.begin(), e2e.end());
  auto pct = [&](double p) {
    return e2e.empty() ? 0.0
                       : e2e[static_cast<std::size_t>(p * static_cast<double>(e2e.size() - 1))];
  };
  const double mean = std::accumulate(ratios.begin(), ratios.end(), 0.0) /
                      static_cast<double>(std::max<std::size_t>(ratios.size(), 1));
  std::printf("%zu accepted, %zu mailed, %zu missing\n", accepted, e2e.size(),
              accepted - e2e.size());
  std::printf("end to end (POST -> mail in sink): p50 %.1f ms, p99 %.1f ms\n", pct(0.5), pct(0.99));
  // The load generator shares the machine: its CPU is taken from the services it measures.
  std::printf("load generator (this process): %.2f ms of CPU per sign-up\n",
              accepted == 0 ? 0.0 : load_cpu * 1000 / static_cast<double>(accepted));
  if (account) account->Print(cores, load_cpu, reference_cpu_ms / (phases + 1));
  const auto [lo, hi] = std::minmax_element(ratios.begin(), ratios.end());
  if (fraction >= 1.0) {
    std::printf("RATIO sign-ups/s / hashes/s = %.2f over %d phases (%.2f-%.2f) (target >= 0.80)\n",
                mean, phases, *lo, *hi);
  } else {
    std::printf("at %.2f x the hash rate: sign-ups/s / hashes/s = %.2f (a latency run)\n", fraction,
                mean);
  }
  return accepted == e2e.size() ? 0 : 1;
}
