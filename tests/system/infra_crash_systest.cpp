// Crash safety of the infra service, against the running services (hostd and infra started by
// scripts/services.sh) and the real servers:
//  - infra SIGKILLs itself (MADE0_INFRA_CRASH_AT) just before and just after each persisted
//    transition of CreateInstance; a restarted infra finishes the saga;
//  - 100 times, infra is SIGKILLed from outside at a random moment while CreateInstance and
//    TerminateInstance sagas run.
// Afterwards every saga has ended completed or compensated, the instances hostd runs are exactly
// the instances infra has saved (no orphan), and no saga ever started two instances.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <random>
#include <set>
#include <thread>

#include "made0/http/client.hpp"
#include "made0/testing/stack_env.hpp"
#include "made0/testing/system.hpp"

namespace made0 {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using testing::SystemEnv;

class InfraCrashTest : public ::testing::Test {
 protected:
  void TearDown() override {
    // Leave the services as the fixture started them, whatever happened.
    if (extra_pid_ > 0) ::kill(extra_pid_, SIGKILL);
    sys.StartServices();
  }

  json Call(const std::string& base, const std::string& method, const std::string& path,
            const json& body = nullptr, int* status = nullptr, const std::string& key = "") {
    http::ClientRequest req{.method = method, .url = base + path, .timeout = 10s};
    if (!key.empty()) req.headers.push_back({"Idempotency-Key", key});
    if (!body.is_null()) {
      req.headers.push_back({"Content-Type", "application/json"});
      req.body = body.dump();
    }
    auto r = client_.Send(req);
    if (!r) return nullptr;
    if (status != nullptr) *status = r->status;
    return json::parse(r->body, nullptr, false);
  }

  // CreateInstance starts a saga. The Idempotency-Key makes sending it again safe: an infra that
  // dies before answering leaves the caller to ask the next one, which answers with the saga the
  // first one started (or starts it, if the first died before). "" when infra did not answer.
  std::string CreateInstance(const std::string& infra, const std::string& cluster,
                             const std::string& key) {
    int status = 0;
    const json r = Call(infra, "POST", "/v1/instances",
                        {{"owner", "crash-test"}, {"cluster", cluster}, {"region", "us-east-1"}},
                        &status, key);
    if (status == 0) return "";
    EXPECT_EQ(status, 202) << r.dump();
    return r.is_object() ? r.value("saga_id", "") : "";
  }

  // WaitDone polls the (possibly restarted) infra until the saga is done.
  json WaitDone(const std::string& saga_id, std::chrono::seconds timeout = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    json saga;
    while (std::chrono::steady_clock::now() < deadline) {
      try {
        saga = Call(sys.ServiceUrl("infra"), "GET", "/v1/sagas/" + saga_id);
        if (saga.is_object() && saga.value("phase", "") == "done") return saga;
      } catch (const std::exception&) {  // infra restarting
      }
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "saga " << saga_id << " did not finish: " << saga.dump();
    return saga;
  }

  // CheckInvariants: hostd runs exactly the instances infra saved, and no saga made two.
  void CheckInvariants() {
    const json hostd = Call(sys.ServiceUrl("hostd"), "GET", "/v1/instances");
    ASSERT_TRUE(hostd.is_object()) << hostd.dump();
    std::set<std::string> live;
    std::map<std::string, int> per_saga;
    for (const json& i : hostd["instances"]) {
      const std::string saga = i["tags"].value("made0:saga", "");
      ++per_saga[saga];
      if (i.value("state", "") != "terminated") live.insert(i.value("id", ""));
    }
    for (const auto& [saga, n] : per_saga) EXPECT_EQ(n, 1) << saga << " started " << n;
    const json saved = Call(sys.ServiceUrl("infra"), "GET", "/v1/instances?owner=crash-test");
    std::set<std::string> recorded;
    for (const json& i : saved["instances"]) recorded.insert(i.value("id", ""));
    std::set<std::string> live_ours;  // other tests' instances may run on the same hostd
    for (const json& i : hostd["instances"]) {
      if (i["tags"].value("made0:owner", "") == "crash-test" && live.count(i.value("id", ""))) {
        live_ours.insert(i.value("id", ""));
      }
    }
    EXPECT_EQ(live_ours, recorded);
  }

  void TerminateAll() {
    const json saved = Call(sys.ServiceUrl("infra"), "GET", "/v1/instances?owner=crash-test");
    std::vector<std::string> sagas;
    for (const json& i : saved["instances"]) {
      sagas.push_back(
          Call(sys.ServiceUrl("infra"), "DELETE", "/v1/instances/" + i.value("id", ""))["saga_id"]);
    }
    for (const std::string& s : sagas) WaitDone(s);
  }

  SystemEnv sys = SystemEnv::FromEnvironment();
  http::Client client_;
  int extra_pid_ = 0;
};

bool Alive(int pid) { return pid > 0 && ::kill(pid, 0) == 0; }

TEST_F(InfraCrashTest, KilledAtEachStepBoundaryTheSagaFinishesOnRestart) {
  const std::vector<std::string> steps = {"cluster",      "securityGroups", "category",
                                          "subnet",       "runInstance",    "awaitInstance",
                                          "saveInstance", "onComplete"};
  std::vector<std::string> points;
  for (const std::string& step : steps) {
    for (const char* kind : {"step_started", "step_succeeded"}) {
      for (const char* when : {"before", "after"}) points.push_back(step + ":" + kind + ":" + when);
    }
  }
  points.push_back("*:finished:before");
  points.push_back("*:finished:after");

  int n = 0;
  for (const std::string& point : points) {
    SCOPED_TRACE("crash at " + point);
    sys.Kill("infra", SIGTERM);
    // A short lease, so the next infra may resume the dead one's saga a second later.
    extra_pid_ = sys.StartExtra("infra", "crashing",
                                {"MADE0_INFRA_CRASH_AT=" + point, "MADE0_INFRA_SAGA_LEASE=1s"});
    const std::string cluster = "b" + std::to_string(n++);
    const std::string key = testing::UniqueName("create-");
    std::string saga = CreateInstance(sys.ExtraUrl("crashing"), cluster, key);
    for (int i = 0; i < 200 && Alive(extra_pid_); ++i) std::this_thread::sleep_for(50ms);
    EXPECT_FALSE(Alive(extra_pid_)) << "infra did not reach " << point;
    ::kill(extra_pid_, SIGKILL);
    extra_pid_ = 0;
    sys.StartServices();
    if (saga.empty()) saga = CreateInstance(sys.ServiceUrl("infra"), cluster, key);  // again
    ASSERT_FALSE(saga.empty());
    const json done = WaitDone(saga);
    EXPECT_EQ(done.value("status", ""), "completed") << done.dump();
    CheckInvariants();
  }
  TerminateAll();
  CheckInvariants();
}

TEST_F(InfraCrashTest, KilledAtRandomMomentsNothingIsOrphanedOrDoubled) {
  std::mt19937 rng(std::random_device{}());
  std::vector<std::string> sagas;
  std::vector<std::string> instances;
  for (int round = 0; round < 100; ++round) {
    const std::string infra = sys.ServiceUrl("infra");
    const std::string saga =
        CreateInstance(infra, "r" + std::to_string(round % 10), testing::UniqueName("create-"));
    if (!saga.empty()) sagas.push_back(saga);
    // Every other round, terminate an instance made earlier, so both sagas get interrupted.
    if (round % 2 == 1) {
      const json saved = Call(infra, "GET", "/v1/instances?owner=crash-test");
      if (saved.is_object() && !saved["instances"].empty()) {
        const json r =
            Call(infra, "DELETE", "/v1/instances/" + saved["instances"][0].value("id", ""));
        if (r.is_object() && r.contains("saga_id")) sagas.push_back(r["saga_id"]);
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 400));
    sys.Kill("infra", SIGKILL);
    sys.StartServices();
  }
  std::map<std::string, int> outcomes;
  for (const std::string& s : sagas) ++outcomes[WaitDone(s).value("status", "?")];
  for (const auto& [status, n] : outcomes) {
    EXPECT_TRUE(status == "completed" || status == "compensated") << n << " sagas ended " << status;
  }
  std::cout << "randomized crash runs: " << sagas.size() << " sagas over 100 kills:";
  for (const auto& [status, n] : outcomes) std::cout << " " << status << "=" << n;
  std::cout << "\n";
  CheckInvariants();
  TerminateAll();
  CheckInvariants();
}

}  // namespace
}  // namespace made0
