#pragma once
// The saga state machine: pure decisions, no I/O. The executor (engine.hpp) loads a SagaRecord,
// asks Decide what is due, performs it, and feeds the outcome to Apply, which returns the next
// record and the log entry to persist before anything further happens.
//
//   forward:     step 0 .. n-1, each: ready -> in_progress (attempt started) -> ready (next step)
//                async steps: ready -> awaiting_reply (command sent) -> ready
//                retryable failure: -> ready at now + backoff, until max_attempts
//   compensate:  a step failed for good -> compensations of the completed steps, last first
//                (and of the failed step itself when its outcome is unknown: an attempt was
//                interrupted or its reply never came, so it may have taken effect)
//   finish:      completed | compensated | compensation_failed -> finishing (the definition's
//                on_finished hook, at least once) -> done
//
// A compensation that keeps failing leaves the saga compensation_failed with its error; an
// operator's RetryRequested starts its compensation again.

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "made0/core/clock.hpp"
#include "made0/core/status.hpp"

namespace made0::saga {

using std::chrono::milliseconds;

enum class SagaStatus { kRunning, kCompensating, kCompleted, kCompensated, kCompensationFailed };
enum class Phase { kReady, kInProgress, kAwaitingReply, kFinishing, kDone };

std::string_view ToString(SagaStatus s);
std::string_view ToString(Phase p);
std::optional<SagaStatus> ParseStatus(std::string_view s);
std::optional<Phase> ParsePhase(std::string_view s);

// RetryPolicy: attempt k (1-based) that fails transiently is retried after
// min(max_backoff, initial_backoff * multiplier^(k-1)), less a random part of up to `jitter` of it.
struct RetryPolicy {
  int max_attempts = 5;
  milliseconds initial_backoff{200};
  milliseconds max_backoff{30'000};
  double multiplier = 2.0;
  double jitter = 0.5;  // 0: no jitter; 1: "full jitter"
};

// Backoff is the pause after failed attempt `attempt` (>= 1); unit_random in [0, 1).
milliseconds Backoff(const RetryPolicy& policy, int attempt, double unit_random);

// StepSpec is what the machine needs to know of a step (definition.hpp builds it).
struct StepSpec {
  std::string name;
  bool compensable = false;
  bool async = false;
  std::optional<std::string> persist_key;
  RetryPolicy retry;
  RetryPolicy compensation_retry{.max_attempts = 8};
  // timeout: for an async step, how long to wait for the reply to one attempt; for a step that
  // polls (StepResult::PollAfter), how long the step may keep polling in all.
  milliseconds timeout{30'000};
};

struct SagaRecord {
  std::string id;
  std::string type;
  SagaStatus status = SagaStatus::kRunning;
  Phase phase = Phase::kReady;
  int cursor = 0;          // the step running or being compensated
  int attempt = 0;         // attempts started at cursor (of the step, or of its compensation)
  bool uncertain = false;  // an attempt at cursor may have taken effect without our knowing
  int failed_step = -1;    // the step whose failure started compensation
  SystemTime next_run_at{};
  std::optional<SystemTime> step_deadline;  // polling steps: give up after this
  std::string correlation_id;               // awaiting_reply: the reply we wait for
  std::optional<nlohmann::json> reply;      // delivered, not yet consumed
  nlohmann::json input = nlohmann::json::object();
  nlohmann::json data = nlohmann::json::object();
  std::string error;  // why the saga is compensating, or the last compensation error
};

// What the executor should do now with a saga it holds.
enum class ActionKind {
  kNothing,       // not due (or done): release it until wake_at
  kStartAttempt,  // persist kAttemptStarted, then run the step's handler or compensation
  kInterrupted,   // an attempt was started by an engine that is gone: feed kInterrupted
  kReply,         // a reply arrived: run the step's reply handler, feed its outcome
  kTimeOut,       // the reply (or the polling step) is past its deadline: feed kTimedOut
  kNotify,        // run the on_finished hook, feed kNotified or kNotifyFailed
};
struct Action {
  ActionKind kind = ActionKind::kNothing;
  SystemTime wake_at{};  // for kNothing
};

Action Decide(const SagaRecord& saga, std::span<const StepSpec> steps, SystemTime now);

enum class EventKind {
  kAttemptStarted,  // the executor is about to run the handler (or send the command)
  kSucceeded,       // with output (a reply's or a handler's)
  kFailed,          // with error and retryable
  kPollAgain,       // the step is not finished yet: run it again after poll_after
  kInterrupted,     // the attempt's engine died: outcome unknown, retry
  kTimedOut,        // the reply or the polling step is past its deadline
  kNotified,        // on_finished ran
  kNotifyFailed,    // on_finished failed: try again later
  kRetryRequested,  // an operator asks a compensation_failed saga to compensate again
};
std::string_view ToString(EventKind k);

struct Event {
  EventKind kind = EventKind::kSucceeded;
  nlohmann::json output;  // kSucceeded
  std::string error;      // kFailed, kNotifyFailed
  bool retryable = false;
  milliseconds poll_after{0};
};

// LogEntry is the persisted record of one transition, for inspection (`made0ctl describe saga`).
struct LogEntry {
  std::string kind;  // "step_started", "step_succeeded", "retry_scheduled", ...
  int step = -1;
  int attempt = 0;
  std::string error;
  nlohmann::json detail = nlohmann::json::object();
};

struct Transition {
  SagaRecord next;
  LogEntry log;
};

// Apply: the next record after `event`, or Internal if the event cannot happen in this state
// (an executor bug). unit_random in [0, 1) draws the backoff jitter.
Result<Transition> Apply(const SagaRecord& saga, std::span<const StepSpec> steps,
                         const Event& event, SystemTime now, double unit_random);

// CorrelationId names the reply to one attempt of one step; a late reply to an earlier attempt
// does not match and is dropped.
std::string CorrelationId(std::string_view saga_id, int step, int attempt);
// IdempotencyToken is stable across attempts and engines: a retried RunInstances with it never
// starts a second instance. Compensations get their own token.
std::string IdempotencyToken(std::string_view saga_id, std::string_view step, bool compensation);

// IsTerminal: completed, compensated or compensation_failed.
bool IsTerminal(SagaStatus s);

}  // namespace made0::saga
