// LocalCloud's logic against a fake ProcessControl and a fake clock: no process is started.
#include "made0/hostd/local_cloud.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>

#include "made0/core/testing/fake_clock.hpp"

namespace made0::hostd {
namespace {

namespace fs = std::filesystem;
using cloud::InstanceState;

class FakeProcesses final : public ProcessControl {
 public:
  Result<ProcessIdentity> Spawn(const SpawnRequest& request) override {
    if (fail_spawn) return Error::Unavailable("fork: no memory");
    ProcessIdentity id{next_pid++, 1000};
    alive.insert(id.pid);
    spawned.push_back(request);
    return id;
  }
  bool Alive(const ProcessIdentity& id) const override { return alive.count(id.pid) > 0; }
  void Signal(const ProcessIdentity& id, int sig) override {
    if (!Alive(id)) return;
    signals.emplace_back(id.pid, sig);
    if (sig == SIGKILL || (sig == SIGTERM && exits_on_term)) alive.erase(id.pid);
  }
  bool PortAccepts(int port) const override { return listening.count(port) > 0; }
  Result<int> FreePort() override { return next_port++; }
  std::optional<ProcessIdentity> FindByEnv(const std::string&) const override {
    return std::nullopt;
  }

  int next_pid = 100;
  int next_port = 20000;
  bool fail_spawn = false;
  bool exits_on_term = true;
  std::set<int> alive;
  std::set<int> listening;
  std::vector<std::pair<int, int>> signals;
  std::vector<SpawnRequest> spawned;
};

class LocalCloudTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SecureRandom rng;
    dir_ = (fs::temp_directory_path() / ("hostd-cloud-" + RandomHex(rng, 6))).string();
    options_.data_dir = dir_;
    options_.zones = *ParseZones("us-east-1a,us-east-1b");
    options_.catalog["web"] = Image{.name = "web",
                                    .binary = "/bin/sh",
                                    .args = {"-c", "serve {port.http} {instance_id}"},
                                    .endpoints = {"http"}};
    options_.terminate_grace = std::chrono::seconds(10);
    options_.start_timeout = std::chrono::seconds(60);
    options_.terminated_ttl = std::chrono::hours(1);
    store_ = std::make_unique<StateStore>(dir_);
    Reopen();
    vpc_ = cloud_->CreateVpc({.region = "us-east-1", .cidr = "172.16.0.0/16", .name = "v"})->value;
    subnet_ = cloud_
                  ->CreateSubnet({.region = "us-east-1",
                                  .vpc_id = vpc_.id,
                                  .az = "us-east-1a",
                                  .cidr = "172.16.128.0/17"})
                  ->value;
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Reopen simulates a hostd restart over the same data directory (processes live on).
  void Reopen() {
    cloud_ = std::make_unique<LocalCloud>(options_, *store_, processes_, rng_, clock_);
    ASSERT_TRUE(cloud_->Load());
  }

  cloud::RunInstanceSpec Spec(std::string token) {
    return {.region = "us-east-1",
            .az = "us-east-1a",
            .subnet_id = subnet_.id,
            .image = "web",
            .tags = {{"Name", "n1"}},
            .idempotency_token = std::move(token)};
  }

  cloud::Instance Get(const std::string& id) {
    return cloud_->DescribeInstances("us-east-1", {id})->front();
  }

  std::string dir_;
  CloudOptions options_;
  FakeProcesses processes_;
  SecureRandom rng_;
  testing::FakeClock clock_;
  std::unique_ptr<StateStore> store_;
  std::unique_ptr<LocalCloud> cloud_;
  cloud::Vpc vpc_;
  cloud::Subnet subnet_;
};

TEST_F(LocalCloudTest, RunsAnInstanceThatTurnsRunningWhenItsPortOpens) {
  auto r = cloud_->RunInstance(Spec("t1"));
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->created);
  const auto& inst = r->value;
  EXPECT_EQ(inst.state, InstanceState::kPending);
  EXPECT_EQ(inst.private_ip, "172.16.128.4");  // the subnet's first usable address
  ASSERT_EQ(inst.endpoints.count("http"), 1u);
  ASSERT_EQ(processes_.spawned.size(), 1u);
  const auto& argv = processes_.spawned[0].argv;
  EXPECT_EQ(argv[0], "/bin/sh");
  EXPECT_EQ(argv[2], "serve 20000 " + inst.id);
  EXPECT_NE(std::find(processes_.spawned[0].env.begin(), processes_.spawned[0].env.end(),
                      std::string(kInstanceMarker) + "=" + inst.id),
            processes_.spawned[0].env.end());

  cloud_->ReconcileOnce();
  EXPECT_EQ(Get(inst.id).state, InstanceState::kPending);
  processes_.listening.insert(20000);
  cloud_->ReconcileOnce();
  EXPECT_EQ(Get(inst.id).state, InstanceState::kRunning);
}

TEST_F(LocalCloudTest, SameTokenSameInstanceAlsoAfterARestart) {
  auto first = cloud_->RunInstance(Spec("t1"));
  ASSERT_TRUE(first);
  auto again = cloud_->RunInstance(Spec("t1"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->value.id, first->value.id);
  Reopen();
  auto after = cloud_->RunInstance(Spec("t1"));
  ASSERT_TRUE(after);
  EXPECT_EQ(after->value.id, first->value.id);
  EXPECT_EQ(processes_.spawned.size(), 1u);  // one process, ever

  auto other = Spec("t1");
  other.image = "etcd-not-here";
  auto mismatch = cloud_->RunInstance(other);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, ErrorCode::kConflict);
}

TEST_F(LocalCloudTest, RestartAdoptsLiveInstancesAndTerminatesDeadOnes) {
  auto a = cloud_->RunInstance(Spec("a"))->value;
  auto b = cloud_->RunInstance(Spec("b"))->value;
  EXPECT_NE(a.private_ip, b.private_ip);
  processes_.alive.erase(101);  // b's process died while hostd was down
  Reopen();
  EXPECT_EQ(Get(a.id).state, InstanceState::kPending);
  EXPECT_EQ(Get(b.id).state, InstanceState::kTerminated);
  EXPECT_EQ(Get(b.id).state_reason, kReasonProcessExited);
  ASSERT_TRUE(cloud_->TerminateInstance("us-east-1", a.id));
  EXPECT_EQ(processes_.signals.back(), std::make_pair(100, SIGTERM));
}

TEST_F(LocalCloudTest, TerminateSendsTermThenKillAfterTheGrace) {
  processes_.exits_on_term = false;  // a process that ignores SIGTERM
  auto inst = cloud_->RunInstance(Spec("t"))->value;
  auto t = cloud_->TerminateInstance("us-east-1", inst.id);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->state, InstanceState::kShuttingDown);
  cloud_->ReconcileOnce();
  EXPECT_EQ(Get(inst.id).state, InstanceState::kShuttingDown);
  clock_.Advance(std::chrono::seconds(11));
  cloud_->ReconcileOnce();  // grace expired: SIGKILL
  EXPECT_EQ(processes_.signals.back(), std::make_pair(100, SIGKILL));
  cloud_->ReconcileOnce();  // gone
  EXPECT_EQ(Get(inst.id).state, InstanceState::kTerminated);
  EXPECT_EQ(Get(inst.id).state_reason, kReasonUserShutdown);
  // Terminating again is fine and changes nothing.
  EXPECT_EQ(cloud_->TerminateInstance("us-east-1", inst.id)->state, InstanceState::kTerminated);
  // Terminated records expire.
  clock_.Advance(std::chrono::hours(2));
  cloud_->ReconcileOnce();
  EXPECT_EQ(cloud_->DescribeInstances("us-east-1", {inst.id}).error().code, ErrorCode::kNotFound);
}

TEST_F(LocalCloudTest, ProcessDeathKillAndStartTimeout) {
  auto a = cloud_->RunInstance(Spec("a"))->value;
  auto b = cloud_->RunInstance(Spec("b"))->value;
  auto c = cloud_->RunInstance(Spec("c"))->value;
  processes_.alive.erase(100);
  ASSERT_TRUE(cloud_->KillInstance(b.id));
  EXPECT_EQ(Get(b.id).state, InstanceState::kTerminated);
  EXPECT_EQ(Get(b.id).state_reason, kReasonKilled);
  cloud_->ReconcileOnce();
  EXPECT_EQ(Get(a.id).state_reason, kReasonProcessExited);
  clock_.Advance(std::chrono::seconds(61));
  cloud_->ReconcileOnce();
  EXPECT_EQ(Get(c.id).state, InstanceState::kTerminated);
  EXPECT_EQ(Get(c.id).state_reason, kReasonStartTimeout);
  EXPECT_TRUE(processes_.alive.empty());
}

TEST_F(LocalCloudTest, AzDownKillsItsInstancesAndRefusesCapacityUntilUp) {
  auto other_subnet = cloud_
                          ->CreateSubnet({.region = "us-east-1",
                                          .vpc_id = vpc_.id,
                                          .az = "us-east-1b",
                                          .cidr = "172.16.64.0/18"})
                          ->value;
  auto a = cloud_->RunInstance(Spec("a"))->value;
  auto spec_b = Spec("b");
  spec_b.az = "us-east-1b";
  spec_b.subnet_id = other_subnet.id;
  auto b = cloud_->RunInstance(spec_b)->value;
  ASSERT_TRUE(cloud_->SetZoneUp("us-east-1a", false));
  EXPECT_EQ(Get(a.id).state, InstanceState::kTerminated);
  EXPECT_EQ(Get(a.id).state_reason, kReasonAzDown);
  EXPECT_EQ(Get(b.id).state, InstanceState::kPending);
  auto refused = cloud_->RunInstance(Spec("c"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kUnavailable);
  EXPECT_NE(refused.error().message.find("InsufficientInstanceCapacity"), std::string::npos);
  Reopen();  // the outage is remembered
  EXPECT_FALSE(cloud_->RunInstance(Spec("c")));
  EXPECT_FALSE(cloud_->ZoneStates()["us-east-1"]["us-east-1a"]);
  ASSERT_TRUE(cloud_->SetZoneUp("us-east-1a", true));
  EXPECT_TRUE(cloud_->RunInstance(Spec("c")));
  EXPECT_EQ(cloud_->SetZoneUp("mars-1a", false).error().code, ErrorCode::kNotFound);
}

TEST_F(LocalCloudTest, RejectsBadRunRequestsNamingTheField) {
  struct Case {
    std::function<void(cloud::RunInstanceSpec&)> change;
    ErrorCode code;
    const char* field;
  };
  const Case cases[] = {
      {[](auto& s) { s.region = "eu-west-1"; }, ErrorCode::kInvalid, "region"},
      {[](auto& s) { s.az = "us-east-1c"; }, ErrorCode::kInvalid, "az"},
      {[](auto& s) { s.az = "us-east-1b"; }, ErrorCode::kInvalid, "az"},  // subnet is in 1a
      {[](auto& s) { s.subnet_id = "subnet-1"; }, ErrorCode::kInvalid, "subnet_id"},
      {[](auto& s) { s.subnet_id = "subnet-0123456789abcdef0"; }, ErrorCode::kNotFound,
       "subnet_id"},
      {[](auto& s) { s.image = "nope"; }, ErrorCode::kInvalid, "image"},
      {[](auto& s) { s.private_ip = "10.0.0.4"; }, ErrorCode::kInvalid, "private_ip"},
      {[](auto& s) { s.private_ip = "172.16.128.1"; }, ErrorCode::kInvalid, "private_ip"},
      {[](auto& s) { s.private_ip = "not-ip"; }, ErrorCode::kInvalid, "private_ip"},
      {[](auto& s) { s.user_data = "{"; }, ErrorCode::kInvalid, "user_data"},
      {[](auto& s) { s.security_group_ids = {"sg-0123456789abcdef0"}; }, ErrorCode::kNotFound,
       "security_group_ids[0]"},
      {[](auto& s) { s.idempotency_token = std::string(65, 'x'); }, ErrorCode::kInvalid,
       "idempotency_token"},
  };
  for (std::size_t i = 0; i < std::size(cases); ++i) {
    auto spec = Spec("bad-" + std::to_string(i));
    cases[i].change(spec);
    auto r = cloud_->RunInstance(spec);
    ASSERT_FALSE(r) << i;
    EXPECT_EQ(r.error().code, cases[i].code) << i << ": " << r.error().message;
    EXPECT_EQ(r.error().field, cases[i].field) << i << ": " << r.error().message;
  }
  EXPECT_TRUE(processes_.spawned.empty());

  auto taken = Spec("a");
  taken.private_ip = "172.16.128.10";
  ASSERT_TRUE(cloud_->RunInstance(taken));
  taken.idempotency_token = "b";
  EXPECT_EQ(cloud_->RunInstance(taken).error().code, ErrorCode::kConflict);
}

TEST_F(LocalCloudTest, FailedSpawnLeavesNothingAndTheTokenRetryable) {
  processes_.fail_spawn = true;
  auto r = cloud_->RunInstance(Spec("t"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kUnavailable);
  EXPECT_TRUE(cloud_->DescribeInstances("us-east-1", {})->empty());
  processes_.fail_spawn = false;
  auto retry = cloud_->RunInstance(Spec("t"));
  ASSERT_TRUE(retry);
  EXPECT_TRUE(retry->created);
}

TEST_F(LocalCloudTest, NetworkObjectsAreValidatedAndIdempotent) {
  auto outside = cloud_->CreateSubnet(
      {.region = "us-east-1", .vpc_id = vpc_.id, .az = "us-east-1a", .cidr = "10.0.0.0/24"});
  ASSERT_FALSE(outside);
  EXPECT_EQ(outside.error().field, "cidr");
  auto overlap = cloud_->CreateSubnet(
      {.region = "us-east-1", .vpc_id = vpc_.id, .az = "us-east-1a", .cidr = "172.16.130.0/24"});
  ASSERT_FALSE(overlap);
  EXPECT_EQ(overlap.error().code, ErrorCode::kConflict);
  auto no_vpc = cloud_->CreateSubnet({.region = "us-east-1",
                                      .vpc_id = "vpc-0123456789abcdef0",
                                      .az = "us-east-1a",
                                      .cidr = "172.16.0.0/24"});
  EXPECT_EQ(no_vpc.error().code, ErrorCode::kNotFound);

  cloud::SecurityGroupSpec sg{
      .region = "us-east-1", .vpc_id = vpc_.id, .name = "etcd", .idempotency_token = "sg1"};
  auto g = cloud_->CreateSecurityGroup(sg);
  ASSERT_TRUE(g);
  EXPECT_EQ(cloud_->CreateSecurityGroup(sg)->value.id, g->value.id);
  sg.idempotency_token = "sg2";
  EXPECT_EQ(cloud_->CreateSecurityGroup(sg).error().code, ErrorCode::kConflict);

  const cloud::IngressRule rule{
      .protocol = "tcp", .from_port = 2379, .to_port = 2380, .source_cidr = "172.16.0.0/16"};
  ASSERT_TRUE(cloud_->AuthorizeIngress("us-east-1", g->value.id, {rule}));
  auto twice = cloud_->AuthorizeIngress("us-east-1", g->value.id, {rule});
  ASSERT_TRUE(twice);
  EXPECT_EQ(twice->ingress.size(), 1u);
  cloud::IngressRule bad = rule;
  bad.to_port = 1;
  EXPECT_EQ(cloud_->AuthorizeIngress("us-east-1", g->value.id, {rule, bad}).error().field,
            "rules[1].to_port");

  Reopen();
  auto spec = Spec("with-sg");
  spec.security_group_ids = {g->value.id};
  EXPECT_TRUE(cloud_->RunInstance(spec));
}

}  // namespace
}  // namespace made0::hostd
