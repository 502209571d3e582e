// The infra sagas against the stack's Postgres and a real made0-hostd whose instances are real
// processes. Only the AMQP hop of the cluster step is short-circuited (LoopbackBus answers the
// EnsureCluster command in process), so that this test does not share RabbitMQ queues with the
// infra the system tests run; tests/system/infra_crash_systest.cpp drives the whole path.
#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "made0/cloud/local_provider.hpp"
#include "made0/hostd/testing/hostd_process.hpp"
#include "made0/http/client.hpp"
#include "made0/infra/compute/instance_watcher.hpp"
#include "made0/infra/compute/migrations.hpp"
#include "made0/infra/compute/sagas.hpp"
#include "made0/infra/network/bootstrap.hpp"
#include "made0/infra/network/pg_network_store.hpp"
#include "made0/pg/testing/test_database.hpp"
#include "made0/saga/engine.hpp"
#include "made0/testing/stack_env.hpp"

namespace made0::infra::compute {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// LoopbackBus records what the sagas publish and answers EnsureCluster commands itself.
class LoopbackBus final : public amqp::Publisher {
 public:
  ~LoopbackBus() override { Join(); }
  Status Publish(const amqp::Message& m) override {
    std::lock_guard lock(mu_);
    messages_.push_back(m);
    if (m.routing_key == kEnsureClusterKey && on_command) {
      // Answered from another thread, as a reply over RabbitMQ would be.
      threads_.emplace_back([this, m] { on_command(m); });
    }
    return Status::Ok();
  }
  void Join() {
    std::vector<std::thread> threads;
    {
      std::lock_guard lock(mu_);
      threads.swap(threads_);
    }
    for (std::thread& t : threads) t.join();
  }
  std::function<void(const amqp::Message&)> on_command;

 private:
  std::mutex mu_;
  std::vector<amqp::Message> messages_;
  std::vector<std::thread> threads_;
};

// FailingAt is `def` with the handler of step `failing` replaced by a permanent failure.
saga::Definition FailingAt(const saga::Definition& def, const std::string& failing) {
  saga::Definition out(def.type());
  for (const saga::Step& s : def.steps()) {
    const bool fail = s.spec().name == failing;
    saga::Handler handler = s.handler();
    if (fail) {
      handler = [](const saga::StepContext&) {
        return saga::StepResult::Fail(Error::Invalid("test", "injected failure"));
      };
    }
    saga::Step copy(s.spec().name, handler);
    if (s.spec().compensable) copy.Compensate(s.compensation());
    if (s.spec().persist_key) copy.Persist(*s.spec().persist_key);
    if (s.spec().async && !fail) copy.Async(s.on_reply());
    copy.Retry(s.spec().retry).CompensationRetry(s.spec().compensation_retry);
    copy.Timeout(s.spec().timeout);
    out.Push(std::move(copy));
  }
  out.OnFinished(def.on_finished());
  return out;
}

class InfraSagaTest : public ::testing::Test {
 protected:
  InfraSagaTest()
      : t_("infra_saga_", 12), regions_(*network::ParseRegionsCompact(network::kDefaultRegions)) {}

  void SetUp() override {
    (void)made0::testing::ExportStackEnv();
    ASSERT_TRUE(pg::ApplyMigrations(t_.db(), t_.schema(), InfraMigrations(t_.schema())));
    network_ = std::make_unique<network::PgNetworkStore>(t_.db(), regions_, rng_, t_.schema());
    instances_ = std::make_unique<PgInstanceStore>(t_.db(), t_.schema());
    ASSERT_TRUE(
        network::ApplyBootstrap(*network_, *network::ParseBootstrap(network::kDefaultBootstrap)));
    dir_ = (std::filesystem::temp_directory_path() / made0::testing::UniqueName("infra-saga-"))
               .string();
    hostd_ = std::make_unique<hostd::testing::HostdProcess>(dir_, MADE0_HOSTD_BINARY);
    Status st = hostd_->Start();
    ASSERT_TRUE(st) << st.error().message;
    provider_ = cloud::MakeLocalProvider(cloud::DirectHostd(client_, hostd_->base_url()));
    deps_ = std::make_unique<ComputeDeps>(ComputeDeps{.network = *network_,
                                                      .instances = *instances_,
                                                      .provider = *provider_,
                                                      .publisher = bus_,
                                                      .reply_queue = "test.replies",
                                                      .await_timeout = 20s,
                                                      .poll_interval = 50ms});
    bus_.on_command = [this](const amqp::Message& m) {
      const json reply = EnsureCluster(*deps_, json::parse(m.body));
      std::lock_guard lock(engine_mu_);
      if (engine_) engine_->DeliverReply(m.correlation_id, reply);
    };
  }

  void TearDown() override {
    StopEngine();
    bus_.Join();
    hostd_.reset();  // kills hostd and every instance it ran
    std::filesystem::remove_all(dir_);
  }

  void StartEngine(saga::Definition create) {
    StopEngine();
    std::lock_guard lock(engine_mu_);
    engine_ = std::make_unique<saga::Engine>(
        t_.db(), t_.schema(),
        saga::EngineOptions{.owner = "test", .workers = 3, .idle_poll = 50ms});
    engine_->Register(std::move(create));
    engine_->Register(TerminateInstanceSaga(*deps_));
    engine_->Start();
  }
  void StopEngine() {
    std::unique_ptr<saga::Engine> engine;
    {
      std::lock_guard lock(engine_mu_);
      engine.swap(engine_);
    }
    if (engine) engine->Stop();
  }

  std::string Start(const char* type, const json& body) {
    auto input = std::string(type) == kCreateInstance ? ValidateCreateInstance(body, regions_)
                                                      : ValidateTerminateInstance(body);
    EXPECT_TRUE(input) << input.error().message;
    auto id = engine_->StartSaga(type, *input);
    EXPECT_TRUE(id) << id.error().message;
    return *id;
  }

  saga::SagaView WaitDone(const std::string& id, std::chrono::milliseconds timeout = 30s) {
    std::optional<saga::SagaView> v;
    const bool done = pg::testing::Eventually(
        [&] {
          v = engine_->store().Get(id);
          return v && v->record.phase == saga::Phase::kDone;
        },
        timeout);
    EXPECT_TRUE(done) << "saga " << id << " did not finish";
    return *v;
  }

  // LiveInstancesOf: the saga's instances that hostd runs (not terminated).
  std::vector<cloud::Instance> LiveInstancesOf(const std::string& saga_id) {
    std::vector<cloud::Instance> out;
    auto all = provider_->DescribeInstances("us-east-1", {});
    EXPECT_TRUE(all) << all.error().message;
    for (const cloud::Instance& i : *all) {
      auto tag = i.tags.find("made0:saga");
      if (tag != i.tags.end() && tag->second == saga_id &&
          i.state != cloud::InstanceState::kTerminated) {
        out.push_back(i);
      }
    }
    return out;
  }

  int LeasesOf(const std::string& saga_id) {
    int n = 0;
    auto subnets = network_->ListSubnets(std::nullopt);
    EXPECT_TRUE(subnets);
    for (const network::Subnet& s : subnets.value()) {
      auto leases = network_->ListAddresses(s.id);
      EXPECT_TRUE(leases);
      for (const network::AddressLease& l : leases.value()) n += l.owner == saga_id;
    }
    return n;
  }

  int PlacementsOf(const std::string& saga_id) {
    return static_cast<int>(
        t_.db()
            .Exec("SELECT 1 FROM " + t_.schema() + ".placements WHERE saga_id = $1", {saga_id})
            .size());
  }

  pg::testing::TestDatabase t_;
  network::RegionSet regions_;
  SecureRandom rng_;
  std::unique_ptr<network::PgNetworkStore> network_;
  std::unique_ptr<PgInstanceStore> instances_;
  std::string dir_;
  std::unique_ptr<hostd::testing::HostdProcess> hostd_;
  http::Client client_;
  std::unique_ptr<cloud::Provider> provider_;
  LoopbackBus bus_;
  std::unique_ptr<ComputeDeps> deps_;
  std::mutex engine_mu_;
  std::unique_ptr<saga::Engine> engine_;
};

const json kCreate = {{"owner", "u-1"}, {"cluster", "abc"}, {"region", "us-east-1"}};

TEST_F(InfraSagaTest, CreateThenTerminate) {
  StartEngine(CreateInstanceSaga(*deps_));
  const std::string id = Start(kCreateInstance, kCreate);
  const saga::SagaView v = WaitDone(id);
  ASSERT_EQ(v.record.status, saga::SagaStatus::kCompleted) << v.record.error;
  for (const char* key : {"cluster", "securityGroupIds", "count", "subnetId", "instanceId"}) {
    EXPECT_TRUE(v.record.data.contains(key)) << key;
  }
  const std::string instance_id = v.record.data["instanceId"];
  auto record = instances_->GetInstance(instance_id);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->state, "running");
  EXPECT_EQ(record->availability_zone, "us-east-1a");  // the first of three empty zones
  EXPECT_EQ(record->private_ip, "172.16.128.4");       // the subnet's first usable address
  ASSERT_EQ(LiveInstancesOf(id).size(), 1u);
  EXPECT_EQ(LiveInstancesOf(id)[0].private_ip, record->private_ip);
  EXPECT_EQ(LeasesOf(id), 1);
  EXPECT_EQ(t_.db()
                .Exec("SELECT 1 FROM " + t_.schema() +
                          ".outbox WHERE routing_key = 'instance.running' AND message_id = $1",
                      {id + ":instance.running"})
                .size(),
            1u);

  const std::string term = Start(kTerminateInstance, {{"instance_id", instance_id}});
  const saga::SagaView tv = WaitDone(term);
  ASSERT_EQ(tv.record.status, saga::SagaStatus::kCompleted) << tv.record.error;
  EXPECT_FALSE(instances_->GetInstance(instance_id));
  EXPECT_TRUE(LiveInstancesOf(id).empty());
  EXPECT_EQ(LeasesOf(id), 0);
  EXPECT_EQ(PlacementsOf(id), 0);
}

TEST_F(InfraSagaTest, AFailureAtEachStepRunsTheCompletedStepsCompensationsInReverse) {
  const saga::Definition def = CreateInstanceSaga(*deps_);
  std::vector<std::string> compensable;  // completed so far, in order
  for (const saga::Step& failing : def.steps()) {
    SCOPED_TRACE("failure injected at " + failing.spec().name);
    StartEngine(FailingAt(def, failing.spec().name));
    const std::string id = Start(kCreateInstance, kCreate);
    const saga::SagaView v = WaitDone(id);
    EXPECT_EQ(v.record.status, saga::SagaStatus::kCompensated) << v.record.error;
    std::vector<std::string> ran;
    for (const saga::EventView& e : v.events) {
      if (e.kind == "compensation_succeeded") ran.push_back(e.step_name);
    }
    EXPECT_EQ(ran, std::vector<std::string>(compensable.rbegin(), compensable.rend()));
    EXPECT_TRUE(LiveInstancesOf(id).empty()) << "an instance outlived its compensated saga";
    EXPECT_EQ(LeasesOf(id), 0) << "an address was not released";
    EXPECT_EQ(PlacementsOf(id), 0) << "a zone reservation was not released";
    if (v.record.data.contains("instanceId")) {
      EXPECT_FALSE(instances_->GetInstance(v.record.data["instanceId"]));
    }
    if (failing.spec().compensable) compensable.push_back(failing.spec().name);
  }
}

TEST_F(InfraSagaTest, InstancesOfOneClusterSpreadAcrossZones) {
  StartEngine(CreateInstanceSaga(*deps_));
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(Start(kCreateInstance, kCreate));  // all at once
  std::set<std::string> zones;
  for (const std::string& id : ids) {
    const saga::SagaView v = WaitDone(id);
    ASSERT_EQ(v.record.status, saga::SagaStatus::kCompleted) << v.record.error;
    zones.insert(instances_->GetInstance(v.record.data["instanceId"])->availability_zone);
  }
  EXPECT_EQ(zones, (std::set<std::string>{"us-east-1a", "us-east-1b", "us-east-1c"}));
}

TEST_F(InfraSagaTest, AClusterStaysInItsRegion) {
  StartEngine(CreateInstanceSaga(*deps_));
  ASSERT_EQ(WaitDone(Start(kCreateInstance, kCreate)).record.status, saga::SagaStatus::kCompleted);
  json elsewhere = kCreate;
  elsewhere["region"] = "eu-west-1";
  const saga::SagaView v = WaitDone(Start(kCreateInstance, elsewhere));
  EXPECT_EQ(v.record.status, saga::SagaStatus::kCompensated);
  EXPECT_NE(v.record.error.find("region us-east-1"), std::string::npos) << v.record.error;
}

TEST_F(InfraSagaTest, AnInstanceThatDiesIsRecordedWithItsReasonThenTerminatedAsUsual) {
  StartEngine(CreateInstanceSaga(*deps_));
  const saga::SagaView v = WaitDone(Start(kCreateInstance, kCreate));
  ASSERT_EQ(v.record.status, saga::SagaStatus::kCompleted) << v.record.error;
  const std::string instance_id = v.record.data["instanceId"];
  SystemClock clock;
  InstanceWatcher watcher(*instances_, *provider_, clock, rng_);
  EXPECT_EQ(watcher.RunOnce(), 0);  // alive: nothing to record

  auto killed = client_.Send({.method = "POST",
                              .url = hostd_->base_url() + "/v1/instances/" + instance_id + "/kill",
                              .headers = {{"Content-Type", "application/json"}},
                              .body = "{}"});
  ASSERT_TRUE(killed && killed->status == 200);
  int marked = 0;
  ASSERT_TRUE(pg::testing::Eventually([&] { return (marked += watcher.RunOnce()) > 0; }, 10s));
  EXPECT_EQ(marked, 1);
  auto record = instances_->GetInstance(instance_id);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->state, "terminated");
  EXPECT_NE(record->state_reason.find("InjectedFailure"), std::string::npos)
      << record->state_reason;
  EXPECT_EQ(watcher.RunOnce(), 0);  // recorded once
  EXPECT_EQ(t_.db()
                .Exec("SELECT 1 FROM " + t_.schema() +
                          ".outbox WHERE routing_key = 'instance.failed' AND message_id = $1",
                      {"watch:" + instance_id + ":terminated"})
                .size(),
            1u);

  // Removing it is the usual TerminateInstance: the address and the zone are released.
  const saga::SagaView tv = WaitDone(Start(kTerminateInstance, {{"instance_id", instance_id}}));
  ASSERT_EQ(tv.record.status, saga::SagaStatus::kCompleted) << tv.record.error;
  EXPECT_FALSE(instances_->GetInstance(instance_id));
  EXPECT_EQ(LeasesOf(v.record.id), 0);
  EXPECT_EQ(PlacementsOf(v.record.id), 0);
}

}  // namespace
}  // namespace made0::infra::compute
