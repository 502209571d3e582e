#include "rmq_test_util.hpp"

#include <sys/wait.h>
#include <cstdlib>
#include <filesystem>

#include <thread>

#include "made0/core/random.hpp"
#include "made0/testing/stack_env.hpp"

namespace made0::amqp::testing {

std::string StackAmqpUrl() {
  auto url = made0::testing::LoadStackEnv().Get(kUrlVariable);
  if (!url) throw std::runtime_error("MADE0_AMQP_URL missing from the stack env file");
  return *url;
}

QueueSpec UniqueSpec(const std::string& prefix) {
  QueueSpec spec;
  spec.name = made0::testing::UniqueName("test." + prefix + ".");
  spec.exchange = kEventsExchange;
  spec.routing_keys = {spec.name + ".event"};
  return spec;
}

std::unique_ptr<internal::Connection> AdminConnection() {
  auto url = ParseAmqpUrl(StackAmqpUrl());
  if (!url) throw std::runtime_error(url.error().message);
  auto conn = internal::Connection::Open(*url, {std::chrono::seconds{5}, 0, "made0-test-admin"});
  if (!conn) throw std::runtime_error(conn.error().message);
  return std::move(*conn);
}

QueueCleanup::~QueueCleanup() {
  try {
    auto conn = AdminConnection();
    for (const auto& q : {queue_, RetryQueueName(queue_), DeadQueueName(queue_)}) {
      (void)conn->DeleteQueue(q);
    }
  } catch (const std::exception&) {  // the broker may be down after a failed restart test
  }
}

long long Depth(const std::string& queue) {
  auto stats = QueueDepth(StackAmqpUrl(), queue);
  return stats ? static_cast<long long>(stats->messages) : -1;
}

std::optional<internal::Incoming> TakeOne(const std::string& queue,
                                          std::chrono::milliseconds timeout) {
  auto conn = AdminConnection();
  std::optional<internal::Incoming> got;
  Eventually(
      [&] {
        auto r = conn->Get(queue);
        if (r && *r) got = std::move(**r);
        return got.has_value();
      },
      timeout);
  return got;
}

bool Eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
}

void Recorder::Add(const Delivery& d) {
  {
    std::lock_guard lock(mu_);
    deliveries_.push_back(d);
  }
  cv_.notify_all();
}

std::vector<Delivery> Recorder::All() const {
  std::lock_guard lock(mu_);
  return deliveries_;
}

std::size_t Recorder::Count() const {
  std::lock_guard lock(mu_);
  return deliveries_.size();
}

bool Recorder::WaitCount(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return deliveries_.size() >= n; });
}

Message Sample(const std::string& routing_key) {
  SecureRandom rng;
  Message m;
  m.exchange = kEventsExchange;
  m.routing_key = routing_key;
  m.message_id = "msg-" + RandomHex(rng, 8);
  m.correlation_id = "corr-" + RandomHex(rng, 4);
  m.reply_to = "replies.test";
  m.type = "test.happened";
  m.body = R"({"type":"test.happened","version":1})";
  m.headers["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  return m;
}

int RunStack(const std::string& action) {
  const char* source = std::getenv("MADE0_SOURCE_DIR");
  const char* env_file = std::getenv("MADE0_STACK_ENV");
  if (source == nullptr || env_file == nullptr) {
    throw std::runtime_error("MADE0_SOURCE_DIR and MADE0_STACK_ENV must be set (run via ctest)");
  }
  const std::string dir = std::filesystem::path(env_file).parent_path().string();
  const std::string cmd = std::string("'") + source + "/scripts/stack.sh' " + action + " --dir '" +
                          dir + "' --only rabbit";
  const int rc = std::system(cmd.c_str());
  return rc == -1 ? -1 : WEXITSTATUS(rc);
}

}  // namespace made0::amqp::testing
