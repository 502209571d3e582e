#include "made0/infra/compute/instance_watcher.hpp"

#include <gtest/gtest.h>

namespace made0::infra::compute {
namespace {

using namespace std::chrono_literals;

TEST(InstanceWatcher, JudgesEachRunningRecordFromWhatTheProviderSays) {
  const SystemTime now = SystemTime{} + 1000h;
  struct Case {
    const char* name;
    std::string saved_state;
    std::chrono::seconds saved_age;
    std::optional<cloud::InstanceState> seen;  // nullopt: not listed
    std::string reason;
    std::optional<Lost> want;
  };
  using S = cloud::InstanceState;
  const std::vector<Case> cases = {
      {"running and listed running", "running", 600s, S::kRunning, "", std::nullopt},
      {"pending at the provider", "running", 600s, S::kPending, "", std::nullopt},
      {"killed", "running", 600s, S::kTerminated, "Server.InjectedFailure: killed",
       Lost{"terminated", "Server.InjectedFailure: killed"}},
      {"dying", "running", 600s, S::kShuttingDown, "",
       Lost{"shutting-down", "the provider reports it shutting-down"}},
      {"stopped", "running", 600s, S::kStopped, "Client.UserInitiatedShutdown",
       Lost{"stopped", "Client.UserInitiatedShutdown"}},
      {"stopping", "running", 600s, S::kStopping, "",
       Lost{"stopping", "the provider reports it stopping"}},
      {"gone for a while", "running", 61s, std::nullopt, "",
       Lost{"terminated", "the provider no longer lists the instance"}},
      {"not listed yet", "running", 10s, std::nullopt, "", std::nullopt},
      {"a saga's: pending", "pending", 600s, S::kTerminated, "", std::nullopt},
      {"a saga's: shutting down", "shutting-down", 600s, S::kTerminated, "", std::nullopt},
      {"already terminated", "terminated", 600s, std::nullopt, "", std::nullopt},
  };
  for (const Case& c : cases) {
    InstanceRecord saved;
    saved.id = "i-1";
    saved.state = c.saved_state;
    saved.updated_at = now - c.saved_age;
    cloud::Instance seen;
    seen.id = "i-1";
    if (c.seen) seen.state = *c.seen;
    seen.state_reason = c.reason;
    EXPECT_EQ(JudgeRunning(saved, c.seen ? &seen : nullptr, now, 60s), c.want) << c.name;
  }
}

TEST(InstanceWatcher, TheFailedEventCarriesTheNewStateOncePerInstanceAndState) {
  InstanceRecord r;
  r.id = "i-0abc";
  r.cluster = "e1";
  r.state = "running";
  const amqp::Message m = FailedEvent(r, {"terminated", "killed"});
  EXPECT_EQ(m.routing_key, "instance.failed");
  EXPECT_EQ(m.message_id, "watch:i-0abc:terminated");
  EXPECT_FALSE(m.mandatory);
  const auto body = nlohmann::json::parse(m.body);
  EXPECT_EQ(body["instance"]["state"], "terminated");
  EXPECT_EQ(body["instance"]["state_reason"], "killed");
  EXPECT_EQ(body["instance"]["cluster"], "e1");
}

}  // namespace
}  // namespace made0::infra::compute
