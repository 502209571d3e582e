// hostd against the real stack: real made0-hostd processes (started and killed by PID here) that
// run real instances (made0-testimage, Debian's etcd), driven through the local provider.
// Every process a test starts is killed in TearDown, also when the test fails: hostd by its PID,
// instances by the PIDs (checked against their start times) in the test's own data directory.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "made0/cloud/local_provider.hpp"
#include "made0/hostd/process.hpp"
#include "made0/hostd/records.hpp"
#include "made0/hostd/testing/hostd_process.hpp"
#include "made0/http/client.hpp"
#include "made0/testing/stack_env.hpp"

namespace made0::hostd {
namespace {

namespace fs = std::filesystem;
using cloud::InstanceState;
using namespace std::chrono_literals;

using testing::ReadFile;
using testing::WaitFor;

class HostdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    (void)made0::testing::ExportStackEnv();
    dir_ = (fs::temp_directory_path() / made0::testing::UniqueName("hostd-it-")).string();
    hostd_ = std::make_unique<testing::HostdProcess>(
        dir_, MADE0_HOSTD_BINARY,
        std::vector<std::string>{"MADE0_HOSTD_ZONES=us-east-1a,us-east-1b"});
    // A failed ASSERT in a helper returns from the helper only: stop here rather than go on
    // without a hostd.
    ASSERT_NO_FATAL_FAILURE(StartHostd());
    ASSERT_NO_FATAL_FAILURE(Network());
  }

  void TearDown() override {
    hostd_.reset();  // SIGKILLs hostd and every instance it recorded
    fs::remove_all(dir_);
  }

  // StartHostd runs made0-hostd over this test's data directory and waits until it serves.
  void StartHostd() {
    Status st = hostd_->Start();
    ASSERT_TRUE(st) << st.error().message;
    base_ = hostd_->base_url();
    hostd_pid_ = hostd_->pid();
    provider_ = cloud::MakeLocalProvider(cloud::DirectHostd(client_, base_));
  }

  void KillHostd() {
    hostd_->Kill(SIGKILL);
    hostd_pid_ = 0;
  }

  void Network() {
    auto vpc = provider_->CreateVpc(
        {.region = "us-east-1", .cidr = "172.16.0.0/16", .name = "it", .idempotency_token = "v"});
    ASSERT_TRUE(vpc) << vpc.error().message;
    for (const auto& [az, cidr] :
         {std::pair{"us-east-1a", "172.16.128.0/17"}, std::pair{"us-east-1b", "172.16.64.0/18"}}) {
      auto s = provider_->CreateSubnet({.region = "us-east-1",
                                        .vpc_id = vpc->id,
                                        .az = az,
                                        .cidr = cidr,
                                        .idempotency_token = std::string("s-") + az});
      ASSERT_TRUE(s) << s.error().message;
      subnets_[az] = s->id;
    }
  }

  cloud::RunInstanceSpec Spec(const std::string& image, const std::string& token,
                              const std::string& az = "us-east-1a") {
    return {.region = "us-east-1",
            .az = az,
            .subnet_id = subnets_[az],
            .image = image,
            .instance_type = "t3.small",
            .tags = {{"Name", token}},
            .idempotency_token = token};
  }

  cloud::Instance Describe(const std::string& id) {
    auto r = provider_->DescribeInstances("us-east-1", {id});
    EXPECT_TRUE(r) << r.error().message;
    return r && !r->empty() ? r->front() : cloud::Instance{};
  }

  bool WaitState(const std::string& id, InstanceState state, std::chrono::milliseconds t = 20s) {
    return WaitFor([&] { return Describe(id).state == state; }, t);
  }

  http::ClientResponse Get(const std::string& url_or_path) {
    const std::string url = url_or_path.rfind("http", 0) == 0 ? url_or_path : base_ + url_or_path;
    auto r = client_.Send({.method = "GET", .url = url, .timeout = 2s});
    return r ? *r : http::ClientResponse{};
  }

  http::ClientResponse Post(const std::string& path, const std::string& body = "{}") {
    auto r = client_.Send({.method = "POST",
                           .url = base_ + path,
                           .headers = {{"Content-Type", "application/json"}},
                           .body = body});
    return r ? *r : http::ClientResponse{};
  }

  static int InstanceProcesses(const std::string& id) {
    return testing::CountInstanceProcesses(id);
  }

  std::string dir_;
  std::unique_ptr<testing::HostdProcess> hostd_;
  std::string base_;
  pid_t hostd_pid_ = 0;
  http::Client client_;
  std::unique_ptr<cloud::Provider> provider_;
  std::map<std::string, std::string> subnets_;
};

TEST_F(HostdTest, TestInstanceServesItsIdentity) {
  auto spec = Spec("test", "web-1");
  spec.private_ip = "172.16.128.20";
  auto inst = provider_->RunInstance(spec);
  ASSERT_TRUE(inst) << inst.error().message;
  EXPECT_TRUE(inst->id.rfind("i-", 0) == 0 && inst->id.size() == 19) << inst->id;
  ASSERT_TRUE(WaitState(inst->id, InstanceState::kRunning));
  const auto resp = Get("http://" + inst->endpoints.at("http") + "/");
  ASSERT_EQ(resp.status, 200) << resp.body;
  const auto body = nlohmann::json::parse(resp.body);
  EXPECT_EQ(body["instance_id"], inst->id);
  EXPECT_EQ(body["private_ip"], "172.16.128.20");

  ASSERT_TRUE(provider_->TerminateInstance("us-east-1", inst->id));
  ASSERT_TRUE(WaitState(inst->id, InstanceState::kTerminated));
  EXPECT_EQ(Describe(inst->id).state_reason.rfind("Client.UserInitiatedShutdown", 0), 0u);
  EXPECT_EQ(InstanceProcesses(inst->id), 0);
  EXPECT_TRUE(provider_->TerminateInstance("us-east-1", inst->id));  // again: fine
}

TEST_F(HostdTest, EtcdInstanceAnswersOnItsClientEndpoint) {
  auto spec = Spec("etcd", "etcd-1");
  spec.user_data =
      R"({"args": ["--heartbeat-interval", "100"], "env": {"ETCD_LOG_LEVEL": "warn"}})";
  auto inst = provider_->RunInstance(spec);
  ASSERT_TRUE(inst) << inst.error().message;
  ASSERT_TRUE(WaitState(inst->id, InstanceState::kRunning, 30s));
  const std::string client = "http://" + inst->endpoints.at("client");
  ASSERT_TRUE(WaitFor([&] { return Get(client + "/health").status == 200; }, 10s));
  EXPECT_NE(Get(client + "/health").body.find("\"health\":\"true\""), std::string::npos);
  EXPECT_NE(Get(client + "/version").body.find("etcdserver"), std::string::npos);
  ASSERT_TRUE(provider_->TerminateInstance("us-east-1", inst->id));
  ASSERT_TRUE(WaitState(inst->id, InstanceState::kTerminated, 15s));
  EXPECT_EQ(InstanceProcesses(inst->id), 0);
}

TEST_F(HostdTest, SameTokenTwiceMakesOneProcess) {
  auto first = provider_->RunInstance(Spec("test", "once"));
  auto second = provider_->RunInstance(Spec("test", "once"));
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->id, second->id);
  ASSERT_TRUE(WaitState(first->id, InstanceState::kRunning));
  EXPECT_EQ(provider_->DescribeInstances("us-east-1", {})->size(), 1u);
  EXPECT_EQ(InstanceProcesses(first->id), 1);
  // Same token, other parameters: a conflict, not a second instance.
  auto other = Spec("test", "once");
  other.instance_type = "t3.large";
  auto mismatch = provider_->RunInstance(other);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error().code, ErrorCode::kConflict);
}

TEST_F(HostdTest, InstancesOutliveAKilledHostdAndAreAdoptedAgain) {
  auto inst = provider_->RunInstance(Spec("test", "survivor"));
  ASSERT_TRUE(inst);
  ASSERT_TRUE(WaitState(inst->id, InstanceState::kRunning));
  const std::string url = "http://" + inst->endpoints.at("http") + "/";
  KillHostd();
  EXPECT_FALSE(provider_->DescribeInstances("us-east-1", {}));  // hostd is gone...
  EXPECT_TRUE(cloud::IsRetryable(provider_->DescribeInstances("us-east-1", {}).error()));
  EXPECT_EQ(Get(url).status, 200);  // ...its instance is not
  ASSERT_NO_FATAL_FAILURE(StartHostd());
  EXPECT_EQ(Describe(inst->id).state, InstanceState::kRunning);
  auto again = provider_->RunInstance(Spec("test", "survivor"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, inst->id);
  EXPECT_EQ(InstanceProcesses(inst->id), 1);
  ASSERT_TRUE(provider_->TerminateInstance("us-east-1", inst->id));
  ASSERT_TRUE(WaitState(inst->id, InstanceState::kTerminated));
  EXPECT_EQ(InstanceProcesses(inst->id), 0);
}

TEST_F(HostdTest, KillInjectionAndAProcessThatDiesOnItsOwn) {
  auto a = provider_->RunInstance(Spec("test", "victim"));
  auto b = provider_->RunInstance(Spec("test", "crasher"));
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(WaitState(a->id, InstanceState::kRunning));
  ASSERT_TRUE(WaitState(b->id, InstanceState::kRunning));
  const auto killed = Post("/v1/instances/" + a->id + "/kill");
  ASSERT_EQ(killed.status, 200) << killed.body;
  ASSERT_TRUE(WaitState(a->id, InstanceState::kTerminated));
  EXPECT_NE(Describe(a->id).state_reason.find("InjectedFailure"), std::string::npos);
  EXPECT_TRUE(WaitFor([&] { return InstanceProcesses(a->id) == 0; }, 5s));
  // Killed behind hostd's back: its parent is init, so hostd sees a zombie or nothing.
  const auto pid_doc = nlohmann::json::parse(ReadFile(dir_ + "/data/state/" + b->id + ".json"));
  ::kill(pid_doc["pid"].get<int>(), SIGKILL);
  ASSERT_TRUE(WaitState(b->id, InstanceState::kTerminated));
  EXPECT_NE(Describe(b->id).state_reason.find("ProcessExited"), std::string::npos);
}

TEST_F(HostdTest, AzDownKillsItsInstancesAndRefusesCapacityUntilUp) {
  auto a = provider_->RunInstance(Spec("test", "in-a"));
  auto b = provider_->RunInstance(Spec("test", "in-b", "us-east-1b"));
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(WaitState(a->id, InstanceState::kRunning));
  ASSERT_TRUE(WaitState(b->id, InstanceState::kRunning));
  ASSERT_EQ(Post("/v1/zones/us-east-1a/down").status, 200);
  ASSERT_TRUE(WaitState(a->id, InstanceState::kTerminated));
  EXPECT_NE(Describe(a->id).state_reason.find("AvailabilityZoneDown"), std::string::npos);
  EXPECT_TRUE(WaitFor([&] { return InstanceProcesses(a->id) == 0; }, 5s));
  EXPECT_EQ(Describe(b->id).state, InstanceState::kRunning);

  auto refused = provider_->RunInstance(Spec("test", "during-outage"));
  ASSERT_FALSE(refused);
  EXPECT_TRUE(cloud::IsRetryable(refused.error()));
  EXPECT_NE(refused.error().message.find("InsufficientInstanceCapacity"), std::string::npos);

  ASSERT_EQ(Post("/v1/zones/us-east-1a/up").status, 200);
  auto retried = provider_->RunInstance(Spec("test", "during-outage"));  // same token, now works
  ASSERT_TRUE(retried) << retried.error().message;
  EXPECT_TRUE(WaitState(retried->id, InstanceState::kRunning));
}

TEST_F(HostdTest, BadInputIsAClear4xx) {
  struct Case {
    std::string path;
    std::string body;
    int status;
    std::string field;
  };
  const Case cases[] = {
      {"/v1/instances", "not json", 400, ""},
      {"/v1/instances", R"({"region": 5})", 422, "region"},
      {"/v1/instances", R"({"region":"us-east-1","az":"us-east-1a","subnet_id":"subnet-1",
                            "image":"test"})",
       422, "subnet_id"},
      {"/v1/instances", R"({"region":"us-east-1","az":"us-east-1a",
                            "subnet_id":"subnet-0123456789abcdef0","image":"test"})",
       404, "subnet_id"},
      {"/v1/vpcs", R"({"region":"us-east-1","cidr":"172.16.0.1/16"})", 422, "cidr"},
      {"/v1/zones/mars-1a/down", "", 404, ""},
      {"/v1/instances/i-nope/kill", "", 422, "id"},
  };
  for (const auto& c : cases) {
    const auto r = Post(c.path, c.body);
    EXPECT_EQ(r.status, c.status) << c.path << " " << c.body << " -> " << r.body;
    const auto j = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_TRUE(j.is_object() && j.contains("error")) << r.body;
    if (!c.field.empty()) {
      EXPECT_EQ(j["error"].value("field", ""), c.field) << r.body;
    }
  }
  EXPECT_EQ(Get("/v1/instances/i-0123456789abcdef0").status, 404);
  const auto images = nlohmann::json::parse(Get("/v1/images").body);
  EXPECT_EQ(images["images"].size(), 2u);
}

TEST_F(HostdTest, HundredTestInstancesKeepHostdUnder64MiB) {
  std::vector<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    auto inst = provider_->RunInstance(Spec("test", "many-" + std::to_string(i)));
    ASSERT_TRUE(inst) << i << ": " << inst.error().message;
    ids.push_back(inst->id);
  }
  ASSERT_TRUE(WaitFor(
      [&] {
        auto all = provider_->DescribeInstances("us-east-1", {});
        return all && std::all_of(all->begin(), all->end(), [](const cloud::Instance& i) {
                 return i.state == InstanceState::kRunning;
               });
      },
      60s));
  const std::string status = ReadFile("/proc/" + std::to_string(hostd_pid_) + "/status");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(status, m, std::regex(R"(VmRSS:\s+(\d+) kB)")));
  const long rss_kib = std::stol(m[1]);
  RecordProperty("hostd_rss_kib", static_cast<int>(rss_kib));
  std::cout << "hostd RSS with 100 instances: " << rss_kib << " KiB\n";
  EXPECT_LT(rss_kib, 64 * 1024);
}

}  // namespace
}  // namespace made0::hostd
