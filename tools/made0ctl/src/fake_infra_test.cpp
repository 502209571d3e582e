// made0ctl end to end, in-process: ctl::Run with argv against a fake infra (made0::http's Server on
// 127.0.0.1, an ephemeral port) that answers as docs/infra-api.md says, through the real
// endpoint resolution, libcurl client, table rendering and saga following.
#include <gtest/gtest.h>

#include <mutex>
#include <sstream>

#include "made0/core/testing/fake_clock.hpp"
#include "made0/ctl/app.hpp"
#include "made0/ctl/saga_view.hpp"
#include "made0/http/server.hpp"
#include "testdata.hpp"

namespace made0::ctl {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kNewSaga = "saga-00000000000000bb";

// FakeInfra serves the test data. A saga started by POST /v1/instances reveals its events a few
// at a time, one batch per GET, as a running saga would.
class FakeInfra {
 public:
  FakeInfra() {
    router_.Add("GET", "/v1/subnets", [this](http::Request& req) {
      Record(req);
      return http::Response::Json(200, testdata::Subnets());
    });
    router_.Add("GET", "/v1/subnets/{id}/addresses", [this](http::Request& req) {
      Record(req);
      return http::Response::Json(200, testdata::Addresses());
    });
    router_.Add("GET", "/v1/sagas/{id}", [this](http::Request& req) {
      Record(req);
      return Saga(std::string(*req.PathParam("id")));
    });
    router_.Add("POST", "/v1/instances", [this](http::Request& req) {
      Record(req);
      const json body = json::parse(req.body);
      if (body.value("region", "") != "us-east-1") {
        return http::Response::Error(Error::Invalid("region", "unknown region mars-1"));
      }
      std::lock_guard lock(mu_);
      polls_ = 0;
      compensate_ = body.value("cluster", "") == "doomed";
      return http::Response::Json(202, {{"saga_id", kNewSaga}, {"saga", {{"id", kNewSaga}}}});
    });
    router_.Add("DELETE", "/v1/instances/{id}", [this](http::Request& req) {
      Record(req);
      std::lock_guard lock(mu_);
      polls_ = 0;
      return http::Response::Json(202, {{"saga_id", kNewSaga}, {"saga", {{"id", kNewSaga}}}});
    });
    router_.Add("POST", "/v1/sagas/{id}/retry", [this](http::Request& req) {
      Record(req);
      return http::Response::Error(
          Error::Conflict("saga is completed; only a compensation_failed saga can be retried"));
    });
    server_ = std::make_unique<http::Server>(http::ServerOptions{}, router_);
    EXPECT_TRUE(server_->Start().ok());
  }
  ~FakeInfra() { server_->Stop(1s); }

  std::string Url() const { return "http://127.0.0.1:" + std::to_string(server_->Port()); }

  std::vector<std::string> Requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::string LastPost() {
    std::lock_guard lock(mu_);
    return last_body_;
  }
  int Polls() {
    std::lock_guard lock(mu_);
    return polls_;
  }

 private:
  void Record(const http::Request& req) {
    std::lock_guard lock(mu_);
    requests_.push_back(req.method + " " + req.target);
    if (req.method == "POST") last_body_ = req.body;
  }

  http::Response Saga(const std::string& id) {
    json saga = testdata::Saga();
    if (id == "saga-00000000000000aa") return http::Response::Json(200, saga);
    if (id != kNewSaga) return http::Response::Error(Error::NotFound("saga " + id + " not found"));
    std::lock_guard lock(mu_);
    saga["id"] = id;
    json& events = saga["events"];
    if (compensate_) {
      saga["status"] = "compensated";
      saga["error"] = "runInstance: hostd: AZ us-east-1a is down";
      events.erase(events.begin() + 7, events.end());
      events.push_back({{"seq", 8}, {"at", "2026-12-03T18:18:02Z"}, {"kind", "finished"}});
    }
    const std::size_t shown = std::min(events.size(), 2 + 4 * static_cast<std::size_t>(polls_++));
    if (shown < events.size()) {
      saga["status"] = "running";
      events.erase(events.begin() + static_cast<std::ptrdiff_t>(shown), events.end());
    }
    return http::Response::Json(200, saga);
  }

  std::mutex mu_;
  std::vector<std::string> requests_;
  std::string last_body_;
  int polls_ = 0;
  bool compensate_ = false;
  http::Router router_;
  std::unique_ptr<http::Server> server_;
};

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

class CtlTest : public ::testing::Test {
 protected:
  Outcome Ctl(std::vector<std::string> args, std::string server = "") {
    MapEnv env{{"MADE0_INFRA_URL", server.empty() ? infra_.Url() : server}};
    std::vector<const char*> argv = {"made0ctl"};
    for (const std::string& a : args) argv.push_back(a.c_str());
    std::ostringstream out, err;
    AppEnv app{.env = env,
               .clock = clock_,
               .read_file = [](const std::string&) { return std::nullopt; },
               .sleep = [this](std::chrono::milliseconds d) { clock_.Advance(d); },
               .poll_interval = 500ms};
    const int code = ctl::Run(static_cast<int>(argv.size()), argv.data(), out, err, app);
    return {code, out.str(), err.str()};
  }

  FakeInfra infra_;
  made0::testing::FakeClock clock_{testdata::kNow};
};

TEST_F(CtlTest, GetSubnetsPrintsTheFigure6Table) {
  const Outcome r = Ctl({"get", "subnets", "--vpc", "vpc-01110f3f8d068810e"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            "NAME               SUBNET ID                  STATE       VPC                     AZ"
            "           IPV4 CIDR         IN USE/USABLE   AGE\n"
            "made0-us-east-1a   subnet-0b5bd0eff5408f927   available   vpc-01110f3f8d068810e   "
            "us-east-1a   172.16.128.0/17   2/32763         3m50s\n"
            "made0-us-east-1b   subnet-0d6a3e58e6be47e1e   available   vpc-01110f3f8d068810e   "
            "us-east-1b   172.16.64.0/18    0/16379         3m50s\n"
            "made0-us-east-1c   subnet-099114b8224a00336   available   vpc-01110f3f8d068810e   "
            "us-east-1c   172.16.32.0/19    0/8187          3m50s\n");
  EXPECT_EQ(infra_.Requests(),
            std::vector<std::string>{"GET /v1/subnets?vpc_id=vpc-01110f3f8d068810e"});
}

TEST_F(CtlTest, GetAsJsonPrintsTheAnswer) {
  const Outcome r = Ctl({"get", "subnet", "-o", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), testdata::Subnets());
}

TEST_F(CtlTest, DescribeSagaShowsItsHistory) {
  const Outcome r = Ctl({"describe", "saga", "saga-00000000000000aa"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, DescribeSaga(testdata::Saga(), testdata::kNow, false));
  EXPECT_NE(r.out.find("  +1s     step_failed       runInstance      1         940ms      "
                       "hostd: AZ us-east-1a is down\n"),
            std::string::npos)
      << r.out;
}

TEST_F(CtlTest, DescribeSubnetByNameListsThenReadsItsLeases) {
  const Outcome r = Ctl({"describe", "subnet", "made0-us-east-1a"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Addresses:          2 in use of 32763 usable\n"), std::string::npos);
  EXPECT_NE(r.out.find("  172.16.128.4   i-0a1b2c3d4e5f60718     2m\n"), std::string::npos);
  EXPECT_EQ(infra_.Requests(),
            (std::vector<std::string>{"GET /v1/subnets",
                                      "GET /v1/subnets/subnet-0b5bd0eff5408f927/addresses"}));
}

TEST_F(CtlTest, CreateInstanceWaitPrintsEachEventOnceAndExitsZero) {
  const Outcome r = Ctl({"create", "instance", "--cluster", "etcd", "--region", "us-east-1",
                         "--owner", "ann", "--image", "etcd", "--wait"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(infra_.LastPost()),
            json::parse(R"({"owner":"ann","cluster":"etcd","region":"us-east-1","image":"etcd"})"));
  std::string want = std::string(kNewSaga) + "\n";
  json saga = testdata::Saga();
  saga["id"] = kNewSaga;
  for (const json* e : EventsAfter(saga, -1)) want += FormatEventLine(*e, SagaStart(saga));
  want += "saga-00000000000000bb completed in 4.2s (instance i-0a1b2c3d4e5f60718)\n";
  EXPECT_EQ(r.out, want);
  EXPECT_EQ(infra_.Polls(), 4);  // 2, 6, 10, then all 13 events
}

TEST_F(CtlTest, CreateInstanceWaitExitsOneWhenTheSagaIsCompensated) {
  const Outcome r = Ctl({"create", "instance", "--cluster", "doomed", "--region", "us-east-1",
                         "--wait", "--timeout", "1m"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(
      r.out.ends_with("saga-00000000000000bb compensated after 4.2s: runInstance: hostd: "
                      "AZ us-east-1a is down\n"))
      << r.out;
}

TEST_F(CtlTest, CreateWithoutWaitPrintsTheSagaId) {
  const Outcome r = Ctl({"create", "i", "--cluster", "etcd", "--region", "us-east-1"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kNewSaga) + "\n");
  EXPECT_EQ(infra_.Polls(), 0);
}

TEST_F(CtlTest, WaitGivesUpAfterItsTimeout) {
  const Outcome r = Ctl({"create", "instance", "--cluster", "etcd", "--region", "us-east-1",
                         "--wait", "--timeout", "1s"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err,
            "error: gave up waiting for saga-00000000000000bb after 1s (status running); it goes "
            "on: made0ctl logs saga saga-00000000000000bb -f\n");
  EXPECT_EQ(infra_.Polls(), 3);  // at 0s, 0.5s and 1s
}

TEST_F(CtlTest, LogsFollowsUntilTheSagaFinishes) {
  Ctl({"create", "instance", "--cluster", "etcd", "--region", "us-east-1"});
  const Outcome r = Ctl({"logs", "saga", kNewSaga, "-f"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("+4.2s     finished\n"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.ends_with("completed in 4.2s (instance i-0a1b2c3d4e5f60718)\n")) << r.out;
}

TEST_F(CtlTest, DeleteInstanceStartsATerminateSaga) {
  const Outcome r = Ctl({"delete", "instance", "i-0a1b2c3d4e5f60718", "--wait"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with(std::string(kNewSaga) + "\n+0s       saga_started\n")) << r.out;
  EXPECT_EQ(infra_.Requests().front(), "DELETE /v1/instances/i-0a1b2c3d4e5f60718");
}

TEST_F(CtlTest, RetryOfASagaThatDidNotFailIsAConflict) {
  const Outcome r = Ctl({"retry", "saga", "saga-00000000000000aa"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "error: saga is completed; only a compensation_failed saga can be retried\n");
  EXPECT_EQ(infra_.Requests(),
            (std::vector<std::string>{"GET /v1/sagas/saga-00000000000000aa",
                                      "POST /v1/sagas/saga-00000000000000aa/retry"}));
}

TEST_F(CtlTest, ServerErrorsArePrintedWithTheirField) {
  const Outcome r = Ctl({"create", "instance", "--cluster", "etcd", "--region", "mars-1"});
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "error: unknown region mars-1 (field: region)\n");

  const Outcome missing = Ctl({"describe", "saga", "saga-0000000000000000"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_EQ(missing.err, "error: saga saga-0000000000000000 not found\n");
}

TEST_F(CtlTest, AnUnreachableInfraIsNamed) {
  std::string closed;
  {
    FakeInfra gone;
    closed = gone.Url();
  }
  const Outcome r = Ctl({"get", "vpcs"}, closed);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.err.starts_with("error: cannot reach infra at " + closed +
                                " (from MADE0_INFRA_URL): connect failed"))
      << r.err;
}

TEST_F(CtlTest, BadUsageExitsTwoWithoutCallingInfra) {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"get", "pods"},
           {"get", "instances", "--vpc", "vpc-1"},
           {"get"},
           {"frobnicate"},
           {"create", "instance", "--region", "us-east-1"},
           {"create", "vpc", "--cluster", "a", "--region", "b"},
           {"logs", "instance", "i-1"},
           {"describe", "regions", "us-east-1"},
           {"-o", "yaml", "get", "vpcs"},
           {"create", "instance", "--cluster", "a", "--region", "b", "--timeout", "soon"},
       }) {
    const Outcome r = Ctl(args);
    EXPECT_EQ(r.code, 2) << args[0] << ": " << r.err;
    EXPECT_TRUE(r.err.starts_with("error: ")) << r.err;
  }
  EXPECT_TRUE(infra_.Requests().empty());
  const Outcome help = Ctl({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("Usage: made0ctl"), std::string::npos);
}

}  // namespace
}  // namespace made0::ctl
