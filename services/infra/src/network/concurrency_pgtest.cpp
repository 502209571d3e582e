// Concurrent allocations against real PostgreSQL: threads with their own connection pools (and
// so their own sessions) allocate in one parent at once; nothing may overlap or repeat.
#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <mutex>
#include <set>
#include <thread>

#include "pg_fixture.hpp"

namespace made0::infra::network {
namespace {

using testing::NetworkPgTest;

constexpr int kThreads = 12;

class ConcurrencyPg : public NetworkPgTest {
 protected:
  // RunThreads runs body(thread index, its own store) on kThreads threads released together.
  template <class Body>
  void RunThreads(Body body) {
    std::barrier start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        pg::Database db(t_.url(), 1);  // one connection per thread
        PgNetworkStore store(db, regions_, rng_, t_.schema());
        start.arrive_and_wait();
        body(i, store);
      });
    }
    for (std::thread& t : threads) t.join();
  }

  std::int64_t Count(const std::string& table) {
    return t_.db().Exec("SELECT count(*) FROM " + t_.schema() + "." + table)[0].Get<std::int64_t>(
        0);
  }
};

TEST_F(ConcurrencyPg, AddressesInOneSubnetNeverRepeat) {
  const Vpc vpc = Made0Vpc();
  auto subnet = store().CreateSubnet({vpc.id, "us-east-1a", std::nullopt, 24});
  ASSERT_TRUE(subnet);
  constexpr int kPerThread = 10;
  std::mutex mu;
  std::vector<std::uint32_t> got;
  std::atomic<int> failures{0};
  RunThreads([&](int i, PgNetworkStore& store) {
    for (int k = 0; k < kPerThread; ++k) {
      auto lease =
          store.AllocateAddress(subnet->id, "t" + std::to_string(i) + "-" + std::to_string(k));
      if (!lease) {
        ++failures;
        continue;
      }
      std::lock_guard lock(mu);
      got.push_back(lease->address);
    }
  });
  EXPECT_EQ(failures.load(), 0);
  const std::set<std::uint32_t> unique(got.begin(), got.end());
  EXPECT_EQ(unique.size(), got.size()) << "an address was handed out twice";
  EXPECT_EQ(got.size(), static_cast<std::size_t>(kThreads * kPerThread));
  EXPECT_EQ(Count("addresses"), static_cast<std::int64_t>(got.size()));
  // The lowest addresses, densely: .4 up to .4 + n - 1, none reserved.
  EXPECT_EQ(ipam::FormatAddress(*unique.begin()), "172.16.255.4");
  EXPECT_EQ(*unique.rbegin() - *unique.begin() + 1, got.size());
}

TEST_F(ConcurrencyPg, TheSameOwnerGetsOneAddressEvenWhenRacing) {
  const Vpc vpc = Made0Vpc();
  auto subnet = store().CreateSubnet({vpc.id, "us-east-1a", std::nullopt, 24});
  ASSERT_TRUE(subnet);
  std::mutex mu;
  std::set<std::uint32_t> got;
  RunThreads([&](int, PgNetworkStore& store) {
    auto lease = store.AllocateAddress(subnet->id, "saga-7/step-allocate");
    ASSERT_TRUE(lease) << lease.error().message;
    std::lock_guard lock(mu);
    got.insert(lease->address);
  });
  EXPECT_EQ(got.size(), 1u);
  EXPECT_EQ(Count("addresses"), 1);
}

TEST_F(ConcurrencyPg, SubnetsInOneVpcNeverOverlap) {
  const Vpc vpc = Made0Vpc();
  // Mixed sizes, so blocks of different alignment compete for the same space; the VPC's /16
  // holds them all (12 x (/20 + /22 + /24) < 2^16 addresses).
  const int prefixes[] = {20, 22, 24};
  std::mutex mu;
  std::vector<Subnet> got;
  std::atomic<int> failures{0};
  RunThreads([&](int i, PgNetworkStore& store) {
    for (int prefix : prefixes) {
      const char* zones[] = {"us-east-1a", "us-east-1b", "us-east-1c"};
      auto subnet = store.CreateSubnet({vpc.id, zones[i % 3], std::nullopt, prefix,
                                        "t" + std::to_string(i) + "-" + std::to_string(prefix)});
      if (!subnet) {
        ADD_FAILURE() << subnet.error().message;
        ++failures;
        continue;
      }
      std::lock_guard lock(mu);
      got.push_back(*subnet);
    }
  });
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(got.size(), static_cast<std::size_t>(kThreads * 3));
  EXPECT_EQ(Count("subnets"), static_cast<std::int64_t>(got.size()));
  for (std::size_t a = 0; a < got.size(); ++a) {
    EXPECT_TRUE(vpc.cidr.Contains(got[a].cidr));
    for (std::size_t b = a + 1; b < got.size(); ++b) {
      EXPECT_FALSE(got[a].cidr.Overlaps(got[b].cidr))
          << got[a].cidr.ToString() << " overlaps " << got[b].cidr.ToString();
    }
  }
}

TEST_F(ConcurrencyPg, VpcsInOneRegionNeverOverlapAndNamesStayUnique) {
  std::mutex mu;
  std::vector<Vpc> got;
  std::atomic<int> name_conflicts{0};
  RunThreads([&](int i, PgNetworkStore& store) {
    // Every thread also races for the one name "shared": exactly one may win it.
    for (const std::string& name : {"vpc-" + std::to_string(i), std::string("shared")}) {
      auto vpc = store.CreateVpc({"eu-west-1", name, std::nullopt, i % 2 == 0 ? 17 : 19});
      if (!vpc) {
        EXPECT_EQ(vpc.error().field, "name") << vpc.error().message;
        ++name_conflicts;
        continue;
      }
      std::lock_guard lock(mu);
      got.push_back(*vpc);
    }
  });
  EXPECT_EQ(name_conflicts.load(), kThreads - 1);
  EXPECT_EQ(got.size(), static_cast<std::size_t>(kThreads + 1));
  EXPECT_EQ(Count("vpcs"), static_cast<std::int64_t>(got.size()));
  for (std::size_t a = 0; a < got.size(); ++a) {
    for (std::size_t b = a + 1; b < got.size(); ++b) {
      EXPECT_FALSE(got[a].cidr.Overlaps(got[b].cidr))
          << got[a].cidr.ToString() << " overlaps " << got[b].cidr.ToString();
    }
  }
}

TEST_F(ConcurrencyPg, DeletingAVpcWhileAllocatingNeverLeavesAnOrphanOrA500) {
  const Vpc vpc = Made0Vpc();
  auto subnet = store().CreateSubnet({vpc.id, "us-east-1a", std::nullopt, 24});
  ASSERT_TRUE(subnet);
  std::atomic<int> allocated{0};
  std::atomic<bool> deleted{false};
  RunThreads([&](int i, PgNetworkStore& store) {
    if (i == 0) {
      // Keep trying to delete; it succeeds only after every allocation released its address.
      for (int k = 0; k < 200 && !deleted; ++k) {
        auto st = store.DeleteVpc(vpc.id);
        if (st) {
          deleted = true;
        } else {
          EXPECT_EQ(st.error().code, ErrorCode::kConflict) << st.error().message;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      return;
    }
    const std::string owner = "t" + std::to_string(i);
    auto lease = store.AllocateAddress(subnet->id, owner);
    if (lease) {
      ++allocated;
      EXPECT_TRUE(store.ReleaseAddress(subnet->id, owner));
    } else {
      EXPECT_EQ(lease.error().code, ErrorCode::kNotFound) << lease.error().message;
    }
  });
  EXPECT_TRUE(deleted.load());
  EXPECT_EQ(Count("addresses"), 0);
  EXPECT_EQ(Count("subnets"), 0);
}

}  // namespace
}  // namespace made0::infra::network
