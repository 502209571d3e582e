// infra's AMQP commands, as the etcd operator will send them, against the running services:
// CreateInstance and TerminateInstance on made0.commands with reply_to and correlation_id, each
// answered once on the caller's queue when its saga ends; an invalid command is answered at once;
// a redelivered command starts nothing new. The created instance is a real etcd that answers on
// its endpoint.
#include <gtest/gtest.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "made0/amqp/amqp_publisher.hpp"
#include "made0/amqp/consumer.hpp"
#include "made0/http/client.hpp"
#include "made0/testing/stack_env.hpp"
#include "made0/testing/system.hpp"

namespace made0 {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// Replies collects what arrives on the test's own reply queue, by correlation ID.
class Replies {
 public:
  amqp::HandlerResult operator()(const amqp::Delivery& d) {
    std::lock_guard lock(mu_);
    got_[d.message.correlation_id].push_back(json::parse(d.message.body, nullptr, false));
    cv_.notify_all();
    return amqp::HandlerResult::kAck;
  }
  // Wait returns the first reply to correlation_id, or null after timeout.
  json Wait(const std::string& correlation_id, std::chrono::seconds timeout) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return !got_[correlation_id].empty(); });
    return got_[correlation_id].empty() ? json() : got_[correlation_id].front();
  }
  std::size_t Count(const std::string& correlation_id) {
    std::lock_guard lock(mu_);
    return got_[correlation_id].size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, std::vector<json>> got_;
};

class InfraCommandsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = made0::testing::LoadStackEnv().Get("MADE0_AMQP_URL").value();
    reply_queue_ = made0::testing::UniqueName("test.infra-replies.");
    consumer_ = std::make_unique<amqp::Consumer>(
        url_, amqp::QueueSpec{.name = reply_queue_, .exchange = "", .routing_keys = {}},
        [this](const amqp::Delivery& d) { return replies_(d); });
    ASSERT_TRUE(consumer_->Start());
    ASSERT_TRUE(consumer_->WaitReady(10s));
    publisher_ = std::make_unique<amqp::AmqpPublisher>(url_);
  }
  void TearDown() override { consumer_->Stop(); }

  // Send publishes a command to infra; message_id defaults to a new one.
  std::string Send(const std::string& key, const json& body, std::string message_id = "") {
    if (message_id.empty()) message_id = made0::testing::UniqueName("cmd-");
    const std::string correlation = made0::testing::UniqueName("corr-");
    amqp::Message m{.exchange = amqp::kCommandsExchange,
                    .routing_key = key,
                    .message_id = message_id,
                    .correlation_id = correlation,
                    .reply_to = reply_queue_,
                    .type = body.value("type", ""),
                    .body = body.dump()};
    EXPECT_TRUE(publisher_->Publish(m));
    return correlation;
  }

  std::string url_;
  std::string reply_queue_;
  Replies replies_;
  std::unique_ptr<amqp::Consumer> consumer_;
  std::unique_ptr<amqp::AmqpPublisher> publisher_;
  http::Client client_;
};

TEST_F(InfraCommandsTest, CreateAnEtcdInstanceThenTerminateIt) {
  const json create = {{"type", "CreateInstance"}, {"version", 1},          {"owner", "cmd-test"},
                       {"cluster", "etc"},         {"region", "us-east-1"}, {"image", "etcd"}};
  const std::string corr = Send("infra.CreateInstance", create);
  const json reply = replies_.Wait(corr, 60s);
  ASSERT_TRUE(reply.is_object()) << "no reply to CreateInstance";
  ASSERT_TRUE(reply.value("ok", false)) << reply.dump();
  const json instance = reply["result"];
  EXPECT_EQ(instance.value("image", ""), "etcd");
  EXPECT_EQ(instance.value("state", ""), "running");
  EXPECT_TRUE(reply.value("saga_id", "").starts_with("saga-"));

  // A real etcd answers on its client endpoint.
  const std::string endpoint = instance["endpoints"].value("client", "");
  ASSERT_FALSE(endpoint.empty()) << instance.dump();
  auto health = client_.Send({.method = "GET", .url = "http://" + endpoint + "/health"});
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_EQ(health->status, 200);
  EXPECT_NE(health->body.find("true"), std::string::npos) << health->body;

  const std::string term = Send(
      "infra.TerminateInstance",
      {{"type", "TerminateInstance"}, {"version", 1}, {"instance_id", instance.value("id", "")}});
  const json done = replies_.Wait(term, 60s);
  ASSERT_TRUE(done.value("ok", false)) << done.dump();
  EXPECT_EQ(done["result"].value("state", ""), "terminated");
  auto gone =
      client_.Send({.method = "GET", .url = "http://" + endpoint + "/health", .timeout = 2s});
  EXPECT_FALSE(gone && gone->status == 200) << "etcd still answers after TerminateInstance";
}

TEST_F(InfraCommandsTest, AnInvalidCommandIsAnsweredAtOnceNamingTheField) {
  const std::string corr = Send("infra.CreateInstance", {{"type", "CreateInstance"},
                                                         {"owner", "cmd-test"},
                                                         {"cluster", "x"},
                                                         {"region", "us-east-1"}});
  const json reply = replies_.Wait(corr, 20s);
  ASSERT_TRUE(reply.is_object()) << "no reply";
  EXPECT_FALSE(reply.value("ok", true));
  EXPECT_EQ(reply["error"].value("field", ""), "cluster") << reply.dump();
  EXPECT_EQ(reply["error"].value("code", ""), "invalid");
}

TEST_F(InfraCommandsTest, ARedeliveredCommandStartsOneSagaAndGetsOneAnswer) {
  const json create = {{"type", "CreateInstance"},
                       {"version", 1},
                       {"owner", "cmd-test"},
                       {"cluster", "dup"},
                       {"region", "us-east-1"}};
  const std::string message_id = made0::testing::UniqueName("cmd-dup-");
  const std::string first = Send("infra.CreateInstance", create, message_id);
  const std::string second = Send("infra.CreateInstance", create, message_id);  // redelivered
  const json a = replies_.Wait(first, 60s);
  ASSERT_TRUE(a.value("ok", false)) << a.dump();
  std::this_thread::sleep_for(2s);
  // One saga: the second delivery found it and asked for nothing; only the first caller, whose
  // reply_to and correlation_id the saga recorded, is answered.
  EXPECT_EQ(replies_.Count(first), 1u);
  EXPECT_EQ(replies_.Count(second), 0u);
  const std::string term =
      Send("infra.TerminateInstance", {{"type", "TerminateInstance"},
                                       {"version", 1},
                                       {"instance_id", a["result"].value("id", "")}});
  EXPECT_TRUE(replies_.Wait(term, 60s).value("ok", false));
}

}  // namespace
}  // namespace made0
