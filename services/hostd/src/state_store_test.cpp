#include "made0/hostd/state_store.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "made0/core/random.hpp"

namespace made0::hostd {
namespace {

namespace fs = std::filesystem;

class StateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SecureRandom rng;
    dir_ = (fs::temp_directory_path() / ("hostd-store-" + RandomHex(rng, 6))).string();
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string dir_;
};

TEST_F(StateStoreTest, SavesReplacesLoadsAndRemoves) {
  StateStore store(dir_);
  ASSERT_TRUE(store.Open());
  ASSERT_TRUE(store.Save("i-1", {{"kind", "instance"}, {"n", 1}}));
  ASSERT_TRUE(store.Save("i-1", {{"kind", "instance"}, {"n", 2}}));
  ASSERT_TRUE(store.Save("vpc-1", {{"kind", "vpc"}}));
  EXPECT_EQ((*store.Load("i-1"))["n"], 2);
  EXPECT_EQ(store.LoadAll()->size(), 2u);
  EXPECT_FALSE(fs::exists(store.state_dir() + "/i-1.json.tmp"));
  ASSERT_TRUE(store.Remove("i-1"));
  ASSERT_TRUE(store.Remove("i-1"));  // removing twice is fine
  EXPECT_EQ(store.Load("i-1").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store.LoadAll()->size(), 1u);
}

TEST_F(StateStoreTest, OpenDropsLeftoverTempFilesAndLoadAllSkipsGarbage) {
  StateStore store(dir_);
  ASSERT_TRUE(store.Open());
  ASSERT_TRUE(store.Save("sg-1", {{"kind", "security_group"}}));
  std::ofstream(store.state_dir() + "/sg-2.json.tmp") << "{\"half";
  std::ofstream(store.state_dir() + "/junk.json") << "not json";
  StateStore reopened(dir_);
  ASSERT_TRUE(reopened.Open());
  EXPECT_FALSE(fs::exists(store.state_dir() + "/sg-2.json.tmp"));
  auto all = reopened.LoadAll();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0]["kind"], "security_group");
}

}  // namespace
}  // namespace made0::hostd
