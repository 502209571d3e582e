#pragma once
// RecordingPublisher: an amqp::Publisher for tests that keeps what it was asked to publish and
// can be told to fail, as a broker that is down would.
//
//   outbox::testing::RecordingPublisher pub;
//   pub.FailNext(3);                  // the next three Publish calls return Unavailable
//   ... run code that publishes ...
//   EXPECT_EQ(pub.Messages().size(), 5u);

#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

#include "made0/amqp/publisher.hpp"

namespace made0::outbox::testing {

class RecordingPublisher final : public amqp::Publisher {
 public:
  // amqp::Publisher
  Status Publish(const amqp::Message& message) override {
    std::chrono::milliseconds delay{};
    {
      std::lock_guard lock(mu_);
      ++calls_;
      if (fail_next_ > 0) {
        --fail_next_;
        return Error::Unavailable("fake broker is down");
      }
      delay = delay_;
    }
    if (delay.count() > 0) std::this_thread::sleep_for(delay);  // a confirm's round trip
    std::lock_guard lock(mu_);
    messages_.push_back(message);
    return Status::Ok();
  }

  void FailNext(int n) {
    std::lock_guard lock(mu_);
    fail_next_ = n;
  }
  void SetDelay(std::chrono::milliseconds d) {
    std::lock_guard lock(mu_);
    delay_ = d;
  }
  std::vector<amqp::Message> Messages() const {
    std::lock_guard lock(mu_);
    return messages_;
  }
  int Calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<amqp::Message> messages_;
  int fail_next_ = 0;
  int calls_ = 0;
  std::chrono::milliseconds delay_{0};
};

}  // namespace made0::outbox::testing
