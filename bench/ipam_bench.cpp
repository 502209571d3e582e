// ipam_bench: IPAM address allocations per second with concurrent clients, against Postgres.
//
//   ipam_bench <postgres-url> <seconds> <clients>
//
// Each client leases addresses from one shared /16 subnet (the contended case: every allocation
// locks that subnet's row), each under a new owner, and releases every other one, so the subnet
// keeps holes to fill. Prints
//   allocations_per_second <n>
//   allocation_ms p50 <x> p99 <y>
// bench/infra.sh sets it beside pgbench on the same server.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "load.hpp"
#include "made0/core/random.hpp"
#include "made0/infra/network/pg_network_store.hpp"
#include "made0/pg/migrations.hpp"

using namespace made0;
using Steady = std::chrono::steady_clock;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: ipam_bench <postgres-url> <seconds> <clients>\n");
    return 2;
  }
  const std::string url = argv[1];
  const int seconds = std::stoi(argv[2]);
  const int clients = std::stoi(argv[3]);
  SecureRandom rng;
  const std::string schema = "ipam_bench_" + RandomHex(rng, 4);
  pg::Database db(url, clients + 2);
  if (auto st = pg::ApplyMigrations(db, schema, infra::network::PgNetworkStore::Migrations());
      !st) {
    std::fprintf(stderr, "migrations: %s\n", st.error().message.c_str());
    return 1;
  }
  auto regions = infra::network::ParseRegionsCompact(infra::network::kDefaultRegions);
  infra::network::PgNetworkStore store(db, *regions, rng, schema);
  auto vpc = store.CreateVpc({"us-east-1", "bench", "172.16.0.0/16", std::nullopt});
  auto subnet = vpc ? store.CreateSubnet({vpc->id, "us-east-1a", std::nullopt, 16, std::nullopt})
                    : Result<infra::network::Subnet>(vpc.error());
  if (!subnet) {
    std::fprintf(stderr, "setup: %s\n", subnet.error().message.c_str());
    return 1;
  }

  std::atomic<bool> stop{false};
  std::atomic<long long> allocations{0}, failures{0};
  std::mutex mu;
  std::vector<double> latencies_ms;
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      std::vector<double> mine;
      for (long long i = 0; !stop; ++i) {
        const std::string owner = "c" + std::to_string(c) + "-" + std::to_string(i);
        const auto t0 = Steady::now();
        auto lease = store.AllocateAddress(subnet->id, owner);
        mine.push_back(std::chrono::duration<double, std::milli>(Steady::now() - t0).count());
        if (!lease) {
          ++failures;
          continue;
        }
        ++allocations;
        if (i % 2 == 0) store.ReleaseAddress(subnet->id, owner);
      }
      std::lock_guard lock(mu);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
    });
  }
  const auto t0 = Steady::now();
  std::this_thread::sleep_for(std::chrono::seconds(seconds));
  stop = true;
  for (std::thread& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Steady::now() - t0).count();
  db.Exec("DROP SCHEMA " + schema + " CASCADE");

  std::printf("allocations_per_second %.0f (clients=%d, failures=%lld)\n",
              static_cast<double>(allocations) / elapsed, clients, failures.load());
  std::printf("allocation_ms p50 %.3f p99 %.3f\n", bench::Percentile(latencies_ms, 0.50),
              bench::Percentile(latencies_ms, 0.99));
  return allocations > 0 && failures == 0 ? 0 : 1;
}
