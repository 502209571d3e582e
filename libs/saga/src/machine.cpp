#include "made0/saga/machine.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace made0::saga {
namespace {

constexpr std::array<std::pair<SagaStatus, std::string_view>, 5> kStatuses{{
    {SagaStatus::kRunning, "running"},
    {SagaStatus::kCompensating, "compensating"},
    {SagaStatus::kCompleted, "completed"},
    {SagaStatus::kCompensated, "compensated"},
    {SagaStatus::kCompensationFailed, "compensation_failed"},
}};
constexpr std::array<std::pair<Phase, std::string_view>, 5> kPhases{{
    {Phase::kReady, "ready"},
    {Phase::kInProgress, "in_progress"},
    {Phase::kAwaitingReply, "awaiting_reply"},
    {Phase::kFinishing, "finishing"},
    {Phase::kDone, "done"},
}};

template <class E, std::size_t N>
std::string_view Name(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return "unknown";
}
template <class E, std::size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view text) {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  return std::nullopt;
}

bool Compensating(const SagaRecord& s) { return s.status == SagaStatus::kCompensating; }

// PreviousCompensable: the highest step index below `from` that has a compensation, or -1.
int PreviousCompensable(std::span<const StepSpec> steps, int from) {
  for (int i = from - 1; i >= 0; --i) {
    if (steps[static_cast<std::size_t>(i)].compensable) return i;
  }
  return -1;
}

// Finish moves a saga to a terminal status; the on_finished hook runs next.
void Finish(SagaRecord& s, SagaStatus status, SystemTime now) {
  s.status = status;
  s.phase = Phase::kFinishing;
  s.attempt = 0;
  s.uncertain = false;
  s.next_run_at = now;
  s.step_deadline.reset();
  s.correlation_id.clear();
  s.reply.reset();
}

// Ready makes the saga due at `at` at the current cursor.
void Ready(SagaRecord& s, SystemTime at) {
  s.phase = Phase::kReady;
  s.next_run_at = at;
  s.correlation_id.clear();
  s.reply.reset();
}

// StartCompensation: the step at cursor failed for good with `error`.
void StartCompensation(SagaRecord& s, std::span<const StepSpec> steps, const std::string& error,
                       SystemTime now) {
  const int failed = s.cursor;
  const bool undo_failed_step = s.uncertain && steps[static_cast<std::size_t>(failed)].compensable;
  s.failed_step = failed;
  s.error = error;
  s.step_deadline.reset();
  const int first = undo_failed_step ? failed : PreviousCompensable(steps, failed);
  if (first < 0) {
    Finish(s, SagaStatus::kCompensated, now);
    return;
  }
  s.status = SagaStatus::kCompensating;
  s.cursor = first;
  s.attempt = 0;
  s.uncertain = false;
  Ready(s, now);
}

// Advance: the step (or compensation) at cursor is done.
void Advance(SagaRecord& s, std::span<const StepSpec> steps, SystemTime now) {
  s.attempt = 0;
  s.uncertain = false;
  s.step_deadline.reset();
  if (Compensating(s)) {
    const int next = PreviousCompensable(steps, s.cursor);
    if (next < 0) {
      Finish(s, SagaStatus::kCompensated, now);
      return;
    }
    s.cursor = next;
    Ready(s, now);
    return;
  }
  ++s.cursor;
  if (s.cursor >= static_cast<int>(steps.size())) {
    Finish(s, SagaStatus::kCompleted, now);
    return;
  }
  Ready(s, now);
}

// Fail: an attempt at cursor failed; retry after backoff, or give up.
LogEntry Fail(SagaRecord& s, std::span<const StepSpec> steps, const std::string& error,
              bool retryable, SystemTime now, double unit_random) {
  const StepSpec& step = steps[static_cast<std::size_t>(s.cursor)];
  const RetryPolicy& policy = Compensating(s) ? step.compensation_retry : step.retry;
  LogEntry log{.step = s.cursor, .attempt = s.attempt, .error = error};
  // A compensation must not be abandoned on a "permanent" error either: it is retried up to its
  // limit, then the saga waits for an operator in compensation_failed.
  const bool retry = (retryable || Compensating(s)) && s.attempt < policy.max_attempts;
  if (retry) {
    const milliseconds pause = Backoff(policy, s.attempt, unit_random);
    Ready(s, now + pause);
    log.kind = Compensating(s) ? "compensation_retry_scheduled" : "retry_scheduled";
    log.detail = {{"retry_in_ms", pause.count()}};
    return log;
  }
  if (Compensating(s)) {
    s.error = error;
    Finish(s, SagaStatus::kCompensationFailed, now);
    log.kind = "compensation_failed";
    return log;
  }
  log.kind = "step_failed";
  log.detail = {{"retryable", retryable}, {"attempts", s.attempt}};
  StartCompensation(s, steps, error, now);
  return log;
}

Error Unexpected(const SagaRecord& s, const Event& e) {
  return Error::Internal("saga " + s.id + ": event " + std::string(ToString(e.kind)) +
                         " cannot happen in status " + std::string(ToString(s.status)) +
                         ", phase " + std::string(ToString(s.phase)));
}

}  // namespace

std::string_view ToString(SagaStatus s) { return Name(kStatuses, s); }
std::string_view ToString(Phase p) { return Name(kPhases, p); }
std::optional<SagaStatus> ParseStatus(std::string_view s) { return Parse(kStatuses, s); }
std::optional<Phase> ParsePhase(std::string_view s) { return Parse(kPhases, s); }

std::string_view ToString(EventKind k) {
  switch (k) {
    case EventKind::kAttemptStarted:
      return "attempt_started";
    case EventKind::kSucceeded:
      return "succeeded";
    case EventKind::kFailed:
      return "failed";
    case EventKind::kPollAgain:
      return "poll_again";
    case EventKind::kInterrupted:
      return "interrupted";
    case EventKind::kTimedOut:
      return "timed_out";
    case EventKind::kNotified:
      return "notified";
    case EventKind::kNotifyFailed:
      return "notify_failed";
    case EventKind::kRetryRequested:
      return "retry_requested";
  }
  return "unknown";
}

bool IsTerminal(SagaStatus s) {
  return s == SagaStatus::kCompleted || s == SagaStatus::kCompensated ||
         s == SagaStatus::kCompensationFailed;
}

milliseconds Backoff(const RetryPolicy& policy, int attempt, double unit_random) {
  const double exponent = std::max(0, attempt - 1);
  const double base = static_cast<double>(policy.initial_backoff.count()) *
                      std::pow(std::max(1.0, policy.multiplier), exponent);
  const double capped = std::min(base, static_cast<double>(policy.max_backoff.count()));
  const double jitter = std::clamp(policy.jitter, 0.0, 1.0) * std::clamp(unit_random, 0.0, 1.0);
  return milliseconds(static_cast<long long>(std::llround(capped * (1.0 - jitter))));
}

std::string CorrelationId(std::string_view saga_id, int step, int attempt) {
  return std::string(saga_id) + "/" + std::to_string(step) + "/" + std::to_string(attempt);
}

std::string IdempotencyToken(std::string_view saga_id, std::string_view step, bool compensation) {
  std::string token = std::string(saga_id) + ":" + std::string(step);
  if (compensation) token += ":undo";
  return token;
}

Action Decide(const SagaRecord& s, std::span<const StepSpec> steps, SystemTime now) {
  switch (s.phase) {
    case Phase::kDone:
      return {ActionKind::kNothing, SystemTime::max()};
    case Phase::kFinishing:
      if (now < s.next_run_at) return {ActionKind::kNothing, s.next_run_at};
      return {ActionKind::kNotify, {}};
    case Phase::kInProgress:
      // We hold the saga and it says an attempt is running: the engine that started it is gone.
      return {ActionKind::kInterrupted, {}};
    case Phase::kAwaitingReply:
      if (s.reply) return {ActionKind::kReply, {}};
      if (now >= s.next_run_at) return {ActionKind::kTimeOut, {}};
      return {ActionKind::kNothing, s.next_run_at};
    case Phase::kReady:
      if (IsTerminal(s.status) || s.cursor < 0 || s.cursor >= static_cast<int>(steps.size())) {
        return {ActionKind::kNothing, SystemTime::max()};
      }
      if (s.step_deadline && now >= *s.step_deadline) return {ActionKind::kTimeOut, {}};
      if (now < s.next_run_at) return {ActionKind::kNothing, s.next_run_at};
      return {ActionKind::kStartAttempt, {}};
  }
  return {ActionKind::kNothing, SystemTime::max()};
}

Result<Transition> Apply(const SagaRecord& saga, std::span<const StepSpec> steps,
                         const Event& event, SystemTime now, double unit_random) {
  SagaRecord s = saga;
  const bool active = s.status == SagaStatus::kRunning || s.status == SagaStatus::kCompensating;
  if (active && (s.cursor < 0 || s.cursor >= static_cast<int>(steps.size()))) {
    return Error::Internal("saga " + s.id + ": step " + std::to_string(s.cursor) +
                           " is not in its definition of " + std::to_string(steps.size()) +
                           " steps");
  }
  const char* const prefix = Compensating(s) ? "compensation_" : "step_";
  auto kind = [&](const char* what) { return std::string(prefix) + what; };

  switch (event.kind) {
    case EventKind::kAttemptStarted: {
      if (!active || s.phase != Phase::kReady) return Unexpected(saga, event);
      const StepSpec& step = steps[static_cast<std::size_t>(s.cursor)];
      ++s.attempt;
      LogEntry log{.kind = kind("started"), .step = s.cursor, .attempt = s.attempt};
      if (step.async && !Compensating(s)) {
        // Persisted before the command is sent, so a reply can never arrive unexpected.
        s.phase = Phase::kAwaitingReply;
        s.correlation_id = CorrelationId(s.id, s.cursor, s.attempt);
        s.next_run_at = now + step.timeout;
        s.step_deadline.reset();
        log.detail = {{"correlation_id", s.correlation_id}};
      } else {
        s.phase = Phase::kInProgress;
        s.next_run_at = now;
      }
      return Transition{std::move(s), std::move(log)};
    }

    case EventKind::kSucceeded: {
      const bool waiting = s.phase == Phase::kInProgress || s.phase == Phase::kAwaitingReply;
      if (!active || !waiting) return Unexpected(saga, event);
      const StepSpec& step = steps[static_cast<std::size_t>(s.cursor)];
      LogEntry log{.kind = kind("succeeded"), .step = s.cursor, .attempt = s.attempt};
      if (!Compensating(s) && step.persist_key) {
        s.data[*step.persist_key] = event.output;
        log.detail = {{"persisted", *step.persist_key}};
      }
      Advance(s, steps, now);
      return Transition{std::move(s), std::move(log)};
    }

    case EventKind::kFailed:
    case EventKind::kInterrupted:
    case EventKind::kTimedOut: {
      const bool waiting = s.phase == Phase::kInProgress || s.phase == Phase::kAwaitingReply;
      const bool poll_expired = event.kind == EventKind::kTimedOut && s.phase == Phase::kReady &&
                                s.step_deadline && now >= *s.step_deadline;
      if (!active || !(waiting || poll_expired)) return Unexpected(saga, event);
      std::string error = event.error;
      bool retryable = event.retryable;
      if (event.kind == EventKind::kInterrupted) {
        error = "interrupted: the engine running attempt " + std::to_string(s.attempt) +
                " stopped before recording its outcome";
        retryable = true;
        s.uncertain = true;
      } else if (poll_expired) {
        error = "timed out after " +
                std::to_string(steps[static_cast<std::size_t>(s.cursor)].timeout.count()) + " ms";
        retryable = false;
      } else if (event.kind == EventKind::kTimedOut) {
        error = "no reply to " + s.correlation_id + " within " +
                std::to_string(steps[static_cast<std::size_t>(s.cursor)].timeout.count()) + " ms";
        retryable = true;
        s.uncertain = true;
      }
      LogEntry log = Fail(s, steps, error, retryable, now, unit_random);
      log.detail["event"] = std::string(ToString(event.kind));
      return Transition{std::move(s), std::move(log)};
    }

    case EventKind::kPollAgain: {
      if (!active || s.phase != Phase::kInProgress) return Unexpected(saga, event);
      // Polling is not failing: the attempt is given back so polls do not use up retries.
      LogEntry log{.kind = kind("polled"), .step = s.cursor, .attempt = s.attempt};
      --s.attempt;
      // The polling budget starts with the first poll: a step that fails and is retried, or whose
      // engine died, is bounded by its retry limit, not by the clock.
      if (!Compensating(s) && !s.step_deadline) {
        s.step_deadline = now + steps[static_cast<std::size_t>(s.cursor)].timeout;
      }
      log.detail = {{"poll_in_ms", event.poll_after.count()}};
      Ready(s, now + event.poll_after);
      return Transition{std::move(s), std::move(log)};
    }

    case EventKind::kNotified: {
      if (s.phase != Phase::kFinishing) return Unexpected(saga, event);
      s.phase = Phase::kDone;
      s.next_run_at = now;
      LogEntry log{.kind = "finished", .detail = {{"status", ToString(s.status)}}};
      return Transition{std::move(s), std::move(log)};
    }

    case EventKind::kNotifyFailed: {
      if (s.phase != Phase::kFinishing) return Unexpected(saga, event);
      ++s.attempt;
      const milliseconds pause = Backoff(RetryPolicy{}, s.attempt, unit_random);
      s.next_run_at = now + pause;
      return Transition{std::move(s), LogEntry{.kind = "notify_retry_scheduled",
                                               .attempt = saga.attempt + 1,
                                               .error = event.error,
                                               .detail = {{"retry_in_ms", pause.count()}}}};
    }

    case EventKind::kRetryRequested: {
      if (s.status != SagaStatus::kCompensationFailed) return Unexpected(saga, event);
      s.status = SagaStatus::kCompensating;
      s.attempt = 0;
      Ready(s, now);
      LogEntry log{.kind = "compensation_retry_requested", .step = s.cursor};
      return Transition{std::move(s), std::move(log)};
    }
  }
  return Unexpected(saga, event);
}

}  // namespace made0::saga
