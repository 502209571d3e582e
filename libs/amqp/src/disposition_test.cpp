#include "disposition.hpp"

#include <gtest/gtest.h>

namespace made0::amqp::internal {
namespace {

TEST(Disposition, DecideTable) {
  struct Case {
    HandlerResult::Kind kind;
    int attempt;
    int max_attempts;
    Disposition want;
  };
  const Case cases[] = {
      {HandlerResult::kAck, 1, 5, Disposition::kAck},
      {HandlerResult::kAck, 9, 5, Disposition::kAck},
      {HandlerResult::kRetry, 1, 5, Disposition::kRetry},
      {HandlerResult::kRetry, 4, 5, Disposition::kRetry},
      {HandlerResult::kRetry, 5, 5, Disposition::kDead},
      {HandlerResult::kRetry, 6, 5, Disposition::kDead},
      {HandlerResult::kRetry, 1, 1, Disposition::kDead},
      {HandlerResult::kReject, 1, 5, Disposition::kDead},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Decide(c.kind, c.attempt, c.max_attempts), c.want)
        << c.kind << " " << c.attempt << "/" << c.max_attempts;
  }
}

TEST(Disposition, AttemptHeaderParsing) {
  const std::pair<const char*, int> cases[] = {{"1", 1},  {"2", 2}, {"17", 17}, {"0", 1},
                                               {"-3", 1}, {"x", 1}, {"2x", 1},  {"", 1}};
  for (const auto& [text, want] : cases) {
    Message m;
    m.headers[kAttemptHeader] = text;
    EXPECT_EQ(AttemptOf(m), want) << text;
  }
  EXPECT_EQ(AttemptOf(Message{}), 1);
}

Message Original() {
  Message m;
  m.exchange = "made0.events";
  m.routing_key = "user.registered";
  m.message_id = "m-1";
  m.body = "{}";
  m.headers["traceparent"] = "tp";
  return m;
}

TEST(Disposition, FirstDeliveryIsAttemptOne) {
  Delivery d = ToDelivery(Original(), true);
  EXPECT_EQ(d.attempt, 1);
  EXPECT_TRUE(d.redelivered);
  EXPECT_EQ(d.message.exchange, "made0.events");
  EXPECT_EQ(d.message.routing_key, "user.registered");
  EXPECT_EQ(d.message.headers, (std::map<std::string, std::string>{{"traceparent", "tp"}}));
}

TEST(Disposition, RetryGoesThroughTheRetryQueueAndComesBackAsTheOriginal) {
  Delivery first = ToDelivery(Original(), false);
  Message retry = ForRetry(first, "svc.q", "db down");
  EXPECT_EQ(retry.exchange, "");
  EXPECT_EQ(retry.routing_key, "svc.q.retry");
  EXPECT_EQ(retry.message_id, "m-1");
  EXPECT_EQ(retry.headers.at(kAttemptHeader), "2");
  EXPECT_EQ(retry.headers.at(kErrorHeader), "db down");
  EXPECT_EQ(retry.headers.at("traceparent"), "tp");

  // The broker dead-letters it from svc.q.retry to exchange "" with routing key svc.q.
  Message back = retry;
  back.routing_key = "svc.q";
  back.headers["x-first-death-queue"] = "svc.q.retry";
  back.headers["x-last-death-reason"] = "expired";
  Delivery second = ToDelivery(back, false);
  EXPECT_EQ(second.attempt, 2);
  EXPECT_EQ(second.message.exchange, "made0.events");
  EXPECT_EQ(second.message.routing_key, "user.registered");
  EXPECT_EQ(second.message.headers.count(kAttemptHeader), 0u);
  EXPECT_EQ(second.message.headers.count(kErrorHeader), 0u);
  EXPECT_EQ(second.message.headers, first.message.headers);  // only traceparent

  Message third = ForRetry(second, "svc.q", "again");
  EXPECT_EQ(third.headers.at(kAttemptHeader), "3");
  EXPECT_EQ(third.headers.at(kOriginalRoutingKeyHeader), "user.registered");
}

TEST(Disposition, DeadKeepsAttemptsReasonAndBoundedError) {
  Delivery d = ToDelivery(Original(), false);
  d.attempt = 5;
  Message dead = ForDead(d, "svc.q", "max-attempts", std::string(5000, 'e'));
  EXPECT_EQ(dead.exchange, "");
  EXPECT_EQ(dead.routing_key, "svc.q.dead");
  EXPECT_EQ(dead.headers.at(kAttemptHeader), "5");
  EXPECT_EQ(dead.headers.at(kDeadReasonHeader), "max-attempts");
  EXPECT_EQ(dead.headers.at(kErrorHeader).size(), kMaxErrorLength);
  EXPECT_EQ(dead.headers.at(kOriginalExchangeHeader), "made0.events");
  EXPECT_EQ(dead.headers.at(kOriginalRoutingKeyHeader), "user.registered");
}

TEST(Disposition, HandlerResultConvertsFromKind) {
  HandlerResult a = HandlerResult::kAck;
  EXPECT_EQ(a.kind, HandlerResult::kAck);
  EXPECT_TRUE(a.error.empty());
  HandlerResult r{HandlerResult::kRetry, "why"};
  EXPECT_EQ(r.error, "why");
}

TEST(Disposition, CompleteResultsGivesEveryDeliveryOne) {
  const auto exact = CompleteResults({HandlerResult::kAck, HandlerResult::kReject}, 2);
  ASSERT_EQ(exact.size(), 2u);
  EXPECT_EQ(exact[1].kind, HandlerResult::kReject);

  const auto padded = CompleteResults({HandlerResult::kAck}, 3);
  ASSERT_EQ(padded.size(), 3u);
  EXPECT_EQ(padded[0].kind, HandlerResult::kAck);
  EXPECT_EQ(padded[1].kind, HandlerResult::kRetry);
  EXPECT_EQ(padded[2].kind, HandlerResult::kRetry);
  EXPECT_EQ(padded[2].error, "batch handler returned 1 results for 3 messages");

  const auto trimmed = CompleteResults({HandlerResult::kAck, HandlerResult::kAck}, 1);
  EXPECT_EQ(trimmed.size(), 1u);
  EXPECT_TRUE(CompleteResults({}, 0).empty());
}

TEST(Disposition, BatchLingerOnlyWhileDeliveriesStreamIn) {
  using namespace std::chrono_literals;
  const std::chrono::steady_clock::time_point t0{std::chrono::hours(1)};
  struct Case {
    const char* name;
    std::optional<std::chrono::steady_clock::time_point> previous;
    std::chrono::steady_clock::time_point now;
    std::chrono::milliseconds want;
  };
  const Case cases[] = {
      {"first batch ever", std::nullopt, t0, 0ms},
      {"previous batch just before", t0, t0 + 20ms, 50ms},
      {"previous batch at the same instant", t0, t0, 50ms},
      {"just under idle_after", t0, t0 + 999ms, 50ms},
      {"idle_after has passed", t0, t0 + 1000ms, 0ms},
      {"long quiet spell", t0, t0 + 1h, 0ms},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(BatchLinger(c.previous, c.now, 50ms, 1000ms), c.want) << c.name;
  }
}

}  // namespace
}  // namespace made0::amqp::internal
