#include "registry_logic.hpp"

#include <gtest/gtest.h>

#include <regex>

#include "made0/core/testing/fake_clock.hpp"

namespace made0::redis::internal {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// CountingRandom yields bytes 0, 1, 2, ... so IDs are predictable.
class CountingRandom final : public Random {
 public:
  void Fill(std::span<std::uint8_t> out) override {
    for (auto& b : out) b = next_++;
  }

 private:
  std::uint8_t next_ = 0;
};

Instance MakeInstance(std::string id, SystemTime expires) {
  Instance i;
  i.service = "users";
  i.id = std::move(id);
  i.address = "127.0.0.1";
  i.port = 8080;
  i.version = "1.2.3";
  i.started_at = FromUnixMillis(1'700'000'000'123);
  i.expires_at = expires;
  return i;
}

TEST(RegistryLogic, KeysUseThePrefix) {
  EXPECT_EQ(InstanceKey("made0:", "users-00aa"), "made0:instance:users-00aa");
  EXPECT_EQ(ServiceKey("t1:", "users"), "t1:service:users");
  EXPECT_EQ(ServicesKey("made0:"), "made0:services");
}

TEST(RegistryLogic, InstanceIdIsServiceAnd12Hex) {
  CountingRandom rng;
  EXPECT_EQ(NewInstanceId("users", rng), "users-000102030405");
  SecureRandom secure;
  EXPECT_TRUE(std::regex_match(NewInstanceId("infra", secure), std::regex("infra-[0-9a-f]{12}")));
}

TEST(RegistryLogic, ValidatesRegistration) {
  const std::pair<Registration, const char*> cases[] = {
      {{"users", "127.0.0.1", 8080, "1"}, ""},
      {{"a", "h", 1, ""}, ""},
      {{"", "h", 1, ""}, "service"},
      {{"Users", "h", 1, ""}, "service"},
      {{"users:x", "h", 1, ""}, "service"},
      {{"-users", "h", 1, ""}, "service"},
      {{std::string(64, 'a'), "h", 1, ""}, "service"},
      {{"users", "", 1, ""}, "address"},
      {{"users", "h", 0, ""}, "port"},
      {{"users", "h", 65536, ""}, "port"},
  };
  for (const auto& [r, field] : cases) {
    Status st = ValidateRegistration(r);
    EXPECT_EQ(st.ok(), *field == '\0') << r.service << " " << r.port;
    if (!st) {
      EXPECT_EQ(st.error().field, field);
    }
  }
}

TEST(RegistryLogic, ValidatesOptionsAndResolvesInterval) {
  RegistryOptions o;
  EXPECT_TRUE(ValidateRegistryOptions(o));
  EXPECT_EQ(HeartbeatInterval(o), milliseconds(3333));
  o.ttl = seconds(11);
  EXPECT_FALSE(ValidateRegistryOptions(o));
  o.ttl = milliseconds(0);
  EXPECT_FALSE(ValidateRegistryOptions(o));
  o.ttl = seconds(2);
  o.heartbeat_interval = seconds(2);
  EXPECT_FALSE(ValidateRegistryOptions(o));
  o.heartbeat_interval = milliseconds(500);
  EXPECT_TRUE(ValidateRegistryOptions(o));
  EXPECT_EQ(HeartbeatInterval(o), milliseconds(500));
}

TEST(RegistryLogic, JsonRoundTrip) {
  const Instance i = MakeInstance("users-000102030405", FromUnixMillis(1'800'000'010'000));
  const std::string json = InstanceToJson(i);
  EXPECT_NE(json.find("\"started_at\":\"2023-11-14T22:13:20.123Z\""), std::string::npos) << json;
  EXPECT_EQ(InstanceFromJson(json, i.expires_at), i);
  for (const char* bad : {"", "[]", "{", "{\"id\":\"x\"}",
                          R"({"id":"x","service":"s","address":"a","port":"80","started_at_ms":1})",
                          R"({"id":"x","service":"s","address":"a","port":0,"started_at_ms":1})"}) {
    EXPECT_FALSE(InstanceFromJson(bad, i.expires_at)) << bad;
  }
}

TEST(RegistryLogic, LivenessEndsExactlyAtExpiry) {
  testing::FakeClock clock;
  const SystemTime expires = clock.Now() + seconds(10);
  EXPECT_TRUE(IsLive(expires, clock.Now()));
  clock.Advance(milliseconds(9999));
  EXPECT_TRUE(IsLive(expires, clock.Now()));
  clock.Advance(milliseconds(1));
  EXPECT_FALSE(IsLive(expires, clock.Now()));
}

TEST(RegistryLogic, AssembleKeepsOnlyConsistentLiveEntries) {
  testing::FakeClock clock;
  const long long now = UnixMillis(clock.Now());
  const Instance a = MakeInstance("users-a", FromUnixMillis(now + 5000));
  const Instance b = MakeInstance("users-b", FromUnixMillis(now + 1));
  Instance other = MakeInstance("users-c", FromUnixMillis(now + 5000));
  other.service = "infra";
  const std::vector<std::pair<std::string, long long>> index = {
      {"users-b", now + 1},      // live by a millisecond
      {"users-a", now + 5000},   // live
      {"users-x", now + 5000},   // key gone (deregistered between the two reads)
      {"users-c", now + 5000},   // JSON of another service
      {"users-d", now},          // expired this very millisecond
      {"users-e", now + 5000},   // corrupt JSON
      {"users-f", now + 5000}};  // JSON says another ID
  const std::vector<std::optional<std::string>> json = {
      InstanceToJson(b),
      InstanceToJson(a),
      std::nullopt,
      InstanceToJson(other),
      InstanceToJson(MakeInstance("users-d", {})),
      std::string("{oops"),
      InstanceToJson(MakeInstance("users-z", {}))};
  auto live = AssembleInstances("users", index, json, clock.Now());
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0], a);  // sorted by ID
  EXPECT_EQ(live[1], b);
  clock.Advance(milliseconds(1));
  live = AssembleInstances("users", index, json, clock.Now());
  ASSERT_EQ(live.size(), 1u);
  EXPECT_EQ(live[0].id, "users-a");
}

TEST(RegistryLogic, HeartbeatBackoffTable) {
  const milliseconds interval(3333);
  const std::pair<int, milliseconds> table[] = {{0, interval},           {1, milliseconds(250)},
                                                {2, milliseconds(500)},  {3, milliseconds(1000)},
                                                {4, milliseconds(2000)}, {5, interval},
                                                {1000, interval}};
  for (const auto& [failures, delay] : table) {
    EXPECT_EQ(NextHeartbeatDelay(failures, interval), delay) << failures;
  }
  EXPECT_EQ(NextHeartbeatDelay(1, milliseconds(100)), milliseconds(100));
}

TEST(RegistryLogic, FirstHeartbeatWaitsOnlyAfterARecentRegister) {
  testing::FakeClock clock;
  const milliseconds interval(3000);
  EXPECT_EQ(FirstHeartbeatDelay(std::nullopt, clock.Monotonic(), interval), milliseconds(0));
  const Steady registered = clock.Monotonic();
  clock.Advance(milliseconds(1000));
  EXPECT_EQ(FirstHeartbeatDelay(registered, clock.Monotonic(), interval), milliseconds(2000));
  clock.Advance(milliseconds(2000));
  EXPECT_EQ(FirstHeartbeatDelay(registered, clock.Monotonic(), interval), milliseconds(0));
}

TEST(RegistryLogic, LogsFirstAndEveryTenthFailure) {
  std::vector<int> logged;
  for (int n = 0; n <= 30; ++n) {
    if (ShouldLogHeartbeatFailure(n)) logged.push_back(n);
  }
  EXPECT_EQ(logged, (std::vector<int>{1, 10, 20, 30}));
}

TEST(RegistryLogic, CacheFreshness) {
  testing::FakeClock clock;
  const Steady fetched = clock.Monotonic();
  EXPECT_TRUE(CacheFresh(fetched, clock.Monotonic(), seconds(1)));
  clock.Advance(milliseconds(999));
  EXPECT_TRUE(CacheFresh(fetched, clock.Monotonic(), seconds(1)));
  clock.Advance(milliseconds(1));
  EXPECT_FALSE(CacheFresh(fetched, clock.Monotonic(), seconds(1)));
  EXPECT_FALSE(CacheFresh(clock.Monotonic() + seconds(1), clock.Monotonic(), seconds(1)));
}

class ChooseTest : public ::testing::Test {
 protected:
  std::optional<std::string> Choose(const std::set<std::string>& exclude = {}) {
    auto k = ChooseInstance(instances_, clock_.Now(), exclude, dead_, clock_.Monotonic(), turn_++);
    if (!k) return std::nullopt;
    return instances_[*k].id;
  }

  testing::FakeClock clock_;
  std::vector<Instance> instances_ = {MakeInstance("users-a", clock_.Now() + seconds(10)),
                                      MakeInstance("users-b", clock_.Now() + seconds(10)),
                                      MakeInstance("users-c", clock_.Now() + seconds(5))};
  DeadMarks dead_;
  std::uint64_t turn_ = 0;
};

TEST_F(ChooseTest, RoundRobinOverLiveInstances) {
  EXPECT_EQ(Choose(), "users-a");
  EXPECT_EQ(Choose(), "users-b");
  EXPECT_EQ(Choose(), "users-c");
  EXPECT_EQ(Choose(), "users-a");
  clock_.Advance(seconds(5));  // users-c expires
  std::set<std::string> seen;
  for (int k = 0; k < 4; ++k) seen.insert(*Choose());
  EXPECT_EQ(seen, (std::set<std::string>{"users-a", "users-b"}));
  clock_.Advance(seconds(5));
  EXPECT_EQ(Choose(), std::nullopt);
}

TEST_F(ChooseTest, ExcludeIsHard) {
  for (int k = 0; k < 6; ++k) EXPECT_EQ(Choose({"users-a", "users-c"}), "users-b");
  EXPECT_EQ(Choose({"users-a", "users-b", "users-c"}), std::nullopt);
}

TEST_F(ChooseTest, DeadMarksAreSkippedWhileOthersRemain) {
  dead_["users-a"] = clock_.Monotonic() + seconds(15);
  dead_["users-b"] = clock_.Monotonic() + seconds(3);
  for (int k = 0; k < 4; ++k) EXPECT_EQ(Choose(), "users-c");
  // With users-c excluded only marked ones remain: retrying beats refusing outright.
  auto fallback = Choose({"users-c"});
  EXPECT_TRUE(fallback == "users-a" || fallback == "users-b");
  clock_.Advance(seconds(3));  // users-b's mark runs out
  std::set<std::string> seen;
  for (int k = 0; k < 4; ++k) seen.insert(*Choose());
  EXPECT_EQ(seen, (std::set<std::string>{"users-b", "users-c"}));
  PruneDeadMarks(dead_, clock_.Monotonic());
  EXPECT_EQ(dead_.size(), 1u);
  EXPECT_TRUE(dead_.contains("users-a"));
}

}  // namespace
}  // namespace made0::redis::internal
