#include "made0/saga/machine.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace made0::saga {
namespace {

using std::chrono::seconds;

const SystemTime kNow = SystemTime{} + std::chrono::hours(1000);

// Four steps: 0 plain, 1 compensable + persists, 2 async + compensable, 3 plain.
std::vector<StepSpec> Steps() {
  RetryPolicy three{.max_attempts = 3, .initial_backoff = milliseconds(100), .jitter = 0};
  return {
      StepSpec{.name = "a", .retry = three},
      StepSpec{.name = "b", .compensable = true, .persist_key = "bKey", .retry = three},
      StepSpec{.name = "c",
               .compensable = true,
               .async = true,
               .retry = three,
               .compensation_retry = {.max_attempts = 2, .jitter = 0},
               .timeout = milliseconds(5000)},
      StepSpec{.name = "d", .retry = three},
  };
}

SagaRecord At(SagaStatus status, Phase phase, int cursor, int attempt) {
  SagaRecord s;
  s.id = "saga-1";
  s.type = "T";
  s.status = status;
  s.phase = phase;
  s.cursor = cursor;
  s.attempt = attempt;
  s.next_run_at = kNow;
  return s;
}

struct Row {
  const char* name;
  SagaRecord before;
  Event event;
  SagaStatus status;
  Phase phase;
  int cursor;
  int attempt;
  const char* log_kind;
};

Event Ok() { return {.kind = EventKind::kSucceeded, .output = "out"}; }
Event Transient() { return {.kind = EventKind::kFailed, .error = "503", .retryable = true}; }
Event Permanent() { return {.kind = EventKind::kFailed, .error = "bad", .retryable = false}; }
Event Kind(EventKind k) { return {.kind = k}; }

constexpr auto R = SagaStatus::kRunning;
constexpr auto C = SagaStatus::kCompensating;

TEST(SagaMachine, TransitionTable) {
  SagaRecord uncertain_b = At(R, Phase::kInProgress, 1, 3);
  uncertain_b.uncertain = true;
  const std::vector<Row> rows = {
      {"start step", At(R, Phase::kReady, 0, 0), Kind(EventKind::kAttemptStarted), R,
       Phase::kInProgress, 0, 1, "step_started"},
      {"start async step waits for reply", At(R, Phase::kReady, 2, 0),
       Kind(EventKind::kAttemptStarted), R, Phase::kAwaitingReply, 2, 1, "step_started"},
      {"success advances", At(R, Phase::kInProgress, 0, 1), Ok(), R, Phase::kReady, 1, 0,
       "step_succeeded"},
      {"reply success advances", At(R, Phase::kAwaitingReply, 2, 1), Ok(), R, Phase::kReady, 3, 0,
       "step_succeeded"},
      {"last step completes", At(R, Phase::kInProgress, 3, 1), Ok(), SagaStatus::kCompleted,
       Phase::kFinishing, 4, 0, "step_succeeded"},
      {"transient failure retries", At(R, Phase::kInProgress, 1, 1), Transient(), R, Phase::kReady,
       1, 1, "retry_scheduled"},
      {"retries exhausted compensates from previous", At(R, Phase::kInProgress, 2, 3), Transient(),
       C, Phase::kReady, 1, 0, "step_failed"},
      {"permanent failure skips retries", At(R, Phase::kInProgress, 3, 1), Permanent(), C,
       Phase::kReady, 2, 0, "step_failed"},
      {"failure with nothing to undo", At(R, Phase::kInProgress, 1, 1), Permanent(),
       SagaStatus::kCompensated, Phase::kFinishing, 1, 0, "step_failed"},
      {"uncertain failed step is undone too", uncertain_b, Permanent(), C, Phase::kReady, 1, 0,
       "step_failed"},
      {"interrupted attempt retries", At(R, Phase::kInProgress, 0, 1),
       Kind(EventKind::kInterrupted), R, Phase::kReady, 0, 1, "retry_scheduled"},
      {"reply timeout retries", At(R, Phase::kAwaitingReply, 2, 1), Kind(EventKind::kTimedOut), R,
       Phase::kReady, 2, 1, "retry_scheduled"},
      {"reply timeout at limit undoes the step itself", At(R, Phase::kAwaitingReply, 2, 3),
       Kind(EventKind::kTimedOut), C, Phase::kReady, 2, 0, "step_failed"},
      {"poll gives the attempt back",
       At(R, Phase::kInProgress, 3, 1),
       {.kind = EventKind::kPollAgain, .poll_after = milliseconds(50)},
       R,
       Phase::kReady,
       3,
       0,
       "step_polled"},
      {"start compensation", At(C, Phase::kReady, 2, 0), Kind(EventKind::kAttemptStarted), C,
       Phase::kInProgress, 2, 1, "compensation_started"},
      {"compensation goes backwards", At(C, Phase::kInProgress, 2, 1), Ok(), C, Phase::kReady, 1, 0,
       "compensation_succeeded"},
      {"first compensation done", At(C, Phase::kInProgress, 1, 1), Ok(), SagaStatus::kCompensated,
       Phase::kFinishing, 1, 0, "compensation_succeeded"},
      {"compensation retries even permanent errors", At(C, Phase::kInProgress, 2, 1), Permanent(),
       C, Phase::kReady, 2, 1, "compensation_retry_scheduled"},
      {"compensation gives up visibly", At(C, Phase::kInProgress, 2, 2), Transient(),
       SagaStatus::kCompensationFailed, Phase::kFinishing, 2, 0, "compensation_failed"},
      {"operator retry", At(SagaStatus::kCompensationFailed, Phase::kDone, 2, 0),
       Kind(EventKind::kRetryRequested), C, Phase::kReady, 2, 0, "compensation_retry_requested"},
      {"finish hook ran", At(SagaStatus::kCompleted, Phase::kFinishing, 3, 0),
       Kind(EventKind::kNotified), SagaStatus::kCompleted, Phase::kDone, 3, 0, "finished"},
      {"finish hook failed",
       At(SagaStatus::kCompleted, Phase::kFinishing, 3, 0),
       {.kind = EventKind::kNotifyFailed, .error = "amqp down"},
       SagaStatus::kCompleted,
       Phase::kFinishing,
       3,
       1,
       "notify_retry_scheduled"},
  };
  const std::vector<StepSpec> steps = Steps();
  for (const Row& row : rows) {
    SCOPED_TRACE(row.name);
    auto t = Apply(row.before, steps, row.event, kNow, 0.0);
    ASSERT_TRUE(t.ok()) << t.error().message;
    EXPECT_EQ(t->next.status, row.status);
    EXPECT_EQ(t->next.phase, row.phase);
    EXPECT_EQ(t->next.cursor, row.cursor);
    EXPECT_EQ(t->next.attempt, row.attempt);
    EXPECT_EQ(t->log.kind, row.log_kind);
  }
}

TEST(SagaMachine, ImpossibleEventsAreErrors) {
  const std::vector<StepSpec> steps = Steps();
  struct Bad {
    const char* name;
    SagaRecord before;
    Event event;
  };
  const std::vector<Bad> bad = {
      {"success without an attempt", At(R, Phase::kReady, 0, 0), Ok()},
      {"start while in progress", At(R, Phase::kInProgress, 0, 1),
       Kind(EventKind::kAttemptStarted)},
      {"start a finished saga", At(SagaStatus::kCompleted, Phase::kDone, 3, 0),
       Kind(EventKind::kAttemptStarted)},
      {"retry a running saga", At(R, Phase::kReady, 0, 0), Kind(EventKind::kRetryRequested)},
      {"notify a running saga", At(R, Phase::kReady, 0, 0), Kind(EventKind::kNotified)},
      {"cursor past the definition", At(R, Phase::kReady, 9, 0), Kind(EventKind::kAttemptStarted)},
  };
  for (const Bad& b : bad) {
    SCOPED_TRACE(b.name);
    auto t = Apply(b.before, steps, b.event, kNow, 0.0);
    ASSERT_FALSE(t.ok());
    EXPECT_EQ(t.error().code, ErrorCode::kInternal);
  }
}

TEST(SagaMachine, PersistKeyStoresOutput) {
  auto t = Apply(At(R, Phase::kInProgress, 1, 1), Steps(), Ok(), kNow, 0.0);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->next.data.at("bKey"), "out");
}

TEST(SagaMachine, AsyncStartRecordsCorrelationAndDeadline) {
  auto t = Apply(At(R, Phase::kReady, 2, 0), Steps(), Kind(EventKind::kAttemptStarted), kNow, 0);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->next.correlation_id, "saga-1/2/1");
  EXPECT_EQ(t->next.next_run_at, kNow + milliseconds(5000));
}

TEST(SagaMachine, RetryBackoffIsScheduled) {
  SagaRecord s = At(R, Phase::kInProgress, 1, 2);
  auto t = Apply(s, Steps(), Transient(), kNow, 0.0);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->next.next_run_at, kNow + milliseconds(200));  // 100 ms * 2^(2-1)
}

TEST(SagaMachine, DecideTable) {
  const std::vector<StepSpec> steps = Steps();
  SagaRecord later = At(R, Phase::kReady, 0, 0);
  later.next_run_at = kNow + seconds(1);
  SagaRecord replied = At(R, Phase::kAwaitingReply, 2, 1);
  replied.next_run_at = kNow + seconds(5);
  replied.reply = nlohmann::json{{"ok", true}};
  SagaRecord waiting = replied;
  waiting.reply.reset();
  SagaRecord late = waiting;
  late.next_run_at = kNow - seconds(1);
  SagaRecord poll_expired = At(R, Phase::kReady, 3, 0);
  poll_expired.step_deadline = kNow - seconds(1);
  struct D {
    const char* name;
    SagaRecord s;
    ActionKind want;
  };
  const std::vector<D> table = {
      {"due", At(R, Phase::kReady, 0, 0), ActionKind::kStartAttempt},
      {"backing off", later, ActionKind::kNothing},
      {"found in progress", At(R, Phase::kInProgress, 1, 1), ActionKind::kInterrupted},
      {"reply arrived", replied, ActionKind::kReply},
      {"waiting for reply", waiting, ActionKind::kNothing},
      {"reply overdue", late, ActionKind::kTimeOut},
      {"polling step overdue", poll_expired, ActionKind::kTimeOut},
      {"finishing", At(SagaStatus::kCompleted, Phase::kFinishing, 3, 0), ActionKind::kNotify},
      {"done", At(SagaStatus::kCompleted, Phase::kDone, 3, 0), ActionKind::kNothing},
  };
  for (const D& d : table) {
    SCOPED_TRACE(d.name);
    EXPECT_EQ(Decide(d.s, steps, kNow).kind, d.want);
  }
}

TEST(SagaMachine, OnlyPollingHasADeadline) {
  const std::vector<StepSpec> steps = Steps();
  // An attempt found interrupted long after it started is retried: the clock does not fail a
  // step that does not poll (its retry limit bounds it).
  auto started =
      Apply(At(R, Phase::kReady, 0, 0), steps, Kind(EventKind::kAttemptStarted), kNow, 0);
  ASSERT_TRUE(started.ok());
  EXPECT_FALSE(started->next.step_deadline);
  const SystemTime much_later = kNow + std::chrono::hours(1);
  auto interrupted = Apply(started->next, steps, Kind(EventKind::kInterrupted), much_later, 0);
  ASSERT_TRUE(interrupted.ok());
  EXPECT_EQ(interrupted->log.kind, "retry_scheduled");
  EXPECT_EQ(Decide(interrupted->next, steps, interrupted->next.next_run_at).kind,
            ActionKind::kStartAttempt);
  // The first poll starts the budget of the step's timeout.
  Event poll = Kind(EventKind::kPollAgain);
  poll.poll_after = milliseconds(10);
  auto polled = Apply(At(R, Phase::kInProgress, 0, 1), steps, poll, kNow, 0);
  ASSERT_TRUE(polled.ok());
  ASSERT_TRUE(polled->next.step_deadline);
  EXPECT_EQ(*polled->next.step_deadline, kNow + steps[0].timeout);
}

TEST(SagaMachine, BackoffGrowsCapsAndJitters) {
  RetryPolicy p{.initial_backoff = milliseconds(100),
                .max_backoff = milliseconds(1000),
                .multiplier = 2,
                .jitter = 0.5};
  EXPECT_EQ(Backoff(p, 1, 0.0), milliseconds(100));
  EXPECT_EQ(Backoff(p, 3, 0.0), milliseconds(400));
  EXPECT_EQ(Backoff(p, 10, 0.0), milliseconds(1000));
  EXPECT_EQ(Backoff(p, 3, 0.999999), milliseconds(200));  // at most half taken off
}

TEST(SagaMachine, TokensAreStableAcrossAttempts) {
  EXPECT_EQ(IdempotencyToken("saga-1", "runInstance", false), "saga-1:runInstance");
  EXPECT_EQ(IdempotencyToken("saga-1", "runInstance", true), "saga-1:runInstance:undo");
  EXPECT_NE(CorrelationId("s", 1, 1), CorrelationId("s", 1, 2));
}

}  // namespace
}  // namespace made0::saga
