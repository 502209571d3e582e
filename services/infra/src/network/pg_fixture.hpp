#pragma once
// Test fixture for the network store's integration tests: a schema of its own in the stack's
// Postgres with the network migrations applied, the default regions, and a store over it.

#include <gtest/gtest.h>

#include <memory>

#include "made0/core/random.hpp"
#include "made0/infra/network/pg_network_store.hpp"
#include "made0/pg/migrations.hpp"
#include "made0/pg/testing/test_database.hpp"

namespace made0::infra::network::testing {

class NetworkPgTest : public ::testing::Test {
 protected:
  explicit NetworkPgTest(int pool_size = 8)
      : t_("infra_", pool_size), regions_(*ParseRegionsCompact(kDefaultRegions)) {}

  void SetUp() override {
    auto st = pg::ApplyMigrations(t_.db(), t_.schema(), PgNetworkStore::Migrations());
    ASSERT_TRUE(st) << st.error().message;
    store_ = std::make_unique<PgNetworkStore>(t_.db(), regions_, rng_, t_.schema());
  }

  PgNetworkStore& store() { return *store_; }

  // Made0Vpc creates seed figure 6's VPC: made0 172.16.0.0/16 in us-east-1.
  Vpc Made0Vpc() {
    auto vpc = store().CreateVpc({"us-east-1", "made0", "172.16.0.0/16", std::nullopt});
    EXPECT_TRUE(vpc) << vpc.error().message;
    return *vpc;
  }

  pg::testing::TestDatabase t_;
  RegionSet regions_;
  SecureRandom rng_;
  std::unique_ptr<PgNetworkStore> store_;
};

}  // namespace made0::infra::network::testing
