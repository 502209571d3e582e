#include "made0/amqp/topology.hpp"

#include <gtest/gtest.h>

namespace made0::amqp {
namespace {

QueueSpec Valid() { return QueueSpec{"svc.q", "made0.events", {"user.registered"}}; }

TEST(Topology, QueueNames) {
  EXPECT_EQ(RetryQueueName("svc.q"), "svc.q.retry");
  EXPECT_EQ(DeadQueueName("svc.q"), "svc.q.dead");
}

TEST(Topology, ValidateQueueSpecTable) {
  struct Case {
    const char* what;
    void (*mutate)(QueueSpec&);
    const char* bad_field;  // nullptr: valid
  };
  const Case cases[] = {
      {"defaults", [](QueueSpec&) {}, nullptr},
      {"no binding",
       [](QueueSpec& s) {
         s.exchange.clear();
         s.routing_keys.clear();
       },
       nullptr},
      {"max name", [](QueueSpec& s) { s.name = std::string(249, 'q'); }, nullptr},
      {"one attempt", [](QueueSpec& s) { s.max_attempts = 1; }, nullptr},
      {"zero delay", [](QueueSpec& s) { s.retry_delay = {}; }, nullptr},
      {"empty name", [](QueueSpec& s) { s.name.clear(); }, "name"},
      {"long name", [](QueueSpec& s) { s.name = std::string(250, 'q'); }, "name"},
      {"reserved", [](QueueSpec& s) { s.name = "amq.x"; }, "name"},
      {"keys without exchange", [](QueueSpec& s) { s.exchange.clear(); }, "routing_keys"},
      {"exchange without keys", [](QueueSpec& s) { s.routing_keys.clear(); }, "routing_keys"},
      {"long key", [](QueueSpec& s) { s.routing_keys = {std::string(256, 'k')}; }, "routing_keys"},
      {"zero attempts", [](QueueSpec& s) { s.max_attempts = 0; }, "max_attempts"},
      {"negative delay", [](QueueSpec& s) { s.retry_delay = std::chrono::milliseconds{-1}; },
       "retry_delay"},
      {"zero prefetch", [](QueueSpec& s) { s.prefetch = 0; }, "prefetch"},
      {"huge prefetch", [](QueueSpec& s) { s.prefetch = 65536; }, "prefetch"},
  };
  for (const auto& c : cases) {
    QueueSpec spec = Valid();
    c.mutate(spec);
    auto st = ValidateQueueSpec(spec);
    if (c.bad_field == nullptr) {
      EXPECT_TRUE(st) << c.what << ": " << st.error().message;
    } else {
      ASSERT_FALSE(st) << c.what;
      EXPECT_EQ(st.error().code, ErrorCode::kInvalid) << c.what;
      EXPECT_EQ(st.error().field, c.bad_field) << c.what;
    }
  }
}

}  // namespace
}  // namespace made0::amqp
