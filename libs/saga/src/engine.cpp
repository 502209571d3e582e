#include "made0/saga/engine.hpp"

#include <algorithm>
#include <exception>
#include <iterator>
#include <stdexcept>
#include <utility>

#include "made0/core/log.hpp"
#include "made0/pg/listener.hpp"

namespace made0::saga {
namespace {

Event ToEvent(const StepResult& r) {
  switch (r.kind()) {
    case StepResult::Kind::kDone:
      return {.kind = EventKind::kSucceeded, .output = r.output()};
    case StepResult::Kind::kRetry:
      return {.kind = EventKind::kFailed, .error = r.error().message, .retryable = true};
    case StepResult::Kind::kFail:
      return {.kind = EventKind::kFailed, .error = r.error().message, .retryable = false};
    case StepResult::Kind::kPoll:
      return {.kind = EventKind::kPollAgain, .poll_after = r.poll_after()};
    case StepResult::Kind::kSent:
      break;
  }
  return {.kind = EventKind::kFailed,
          .error = "the handler answered Sent, but the step is not asynchronous",
          .retryable = false};
}

// Call runs a handler; an exception is a transient failure (the retry limit still bounds it).
template <class F>
StepResult Call(const F& f) {
  try {
    return f();
  } catch (const std::exception& e) {
    return StepResult::Retry(Error::Internal(std::string("handler threw: ") + e.what()));
  }
}

double Millis(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

const Clock& Engine::DefaultClock() {
  static const SystemClock clock;
  return clock;
}

Engine::Engine(pg::Database& db, std::string schema, EngineOptions options, const Clock& clock,
               Random* random)
    : db_(db), store_(db, std::move(schema)), options_(std::move(options)), clock_(clock) {
  if (random == nullptr) {
    own_random_ = std::make_unique<SecureRandom>();
    random = own_random_.get();
  }
  random_ = random;
}

Engine::~Engine() { Stop(); }

void Engine::Register(Definition definition) {
  if (running_) throw std::logic_error("saga::Engine::Register after Start");
  const std::string type = definition.type();
  if (definitions_.count(type) == 0) types_.push_back(type);
  definitions_.insert_or_assign(type, std::move(definition));
}

const Definition* Engine::Find(const std::string& type) const {
  auto it = definitions_.find(type);
  return it == definitions_.end() ? nullptr : &it->second;
}

Result<std::string> Engine::StartSaga(const std::string& type, nlohmann::json input,
                                      std::string id) {
  return db_.InTransaction(
      [&](pg::Transaction& tx) { return StartSaga(tx, type, std::move(input), std::move(id)); });
}

Result<std::string> Engine::StartSaga(pg::Transaction& tx, const std::string& type,
                                      nlohmann::json input, std::string id) {
  if (Find(type) == nullptr) return Error::Invalid("type", "unknown saga type " + type);
  if (id.empty()) {
    std::lock_guard lock(random_mu_);
    id = "saga-" + RandomHex(*random_, 8);
  }
  if (id.size() > 32) return Error::Invalid("id", "a saga ID has at most 32 characters");
  SagaRecord s;
  s.id = id;
  s.type = type;
  s.next_run_at = clock_.Now();
  s.input = input.is_null() ? nlohmann::json::object() : std::move(input);
  store_.Insert(tx, s, s.next_run_at);
  Wake();
  return id;
}

bool Engine::DeliverReply(const std::string& correlation_id, const nlohmann::json& reply) {
  const bool delivered = store_.DeliverReply(correlation_id, reply, clock_.Now());
  if (delivered) Wake();
  return delivered;
}

Status Engine::Retry(const std::string& id) {
  Status st = db_.InTransaction([&](pg::Transaction& tx) -> Status {
    std::optional<Claim> claim = store_.LoadForUpdate(tx, id);
    if (!claim) return Error::NotFound("no saga " + id);
    if (claim->record.status != SagaStatus::kCompensationFailed) {
      return Error::Conflict("saga " + id + " is " + std::string(ToString(claim->record.status)) +
                             "; only a compensation_failed saga can be retried");
    }
    const Definition* def = Find(claim->record.type);
    if (def == nullptr) return Error::Invalid("type", "unknown saga type " + claim->record.type);
    const SystemTime now = clock_.Now();
    auto t = Apply(claim->record, def->specs(), {.kind = EventKind::kRetryRequested}, now, 0);
    if (!t) return t.error();
    store_.WriteIn(tx, *claim, t->next, t->log, "", now);
    return Status::Ok();
  });
  if (st.ok()) Wake();
  return st;
}

double Engine::Jitter() {
  std::lock_guard lock(random_mu_);
  return random_->UnitInterval();
}

void Engine::WakeAt(SystemTime at) {
  std::lock_guard lock(mu_);
  if (!next_wake_ || at < *next_wake_) next_wake_ = at;
}

void Engine::Wake() {
  {
    std::lock_guard lock(mu_);
    ++wakeups_;
  }
  cv_.notify_all();
}

bool Engine::RunOnce() {
  std::optional<Claim> claim =
      store_.ClaimDue(options_.owner, clock_.Now(), options_.lease, types_);
  if (!claim) return false;
  Drive(std::move(*claim));
  return true;
}

void Engine::Drive(Claim claim) {
  const Definition* def = Find(claim.record.type);
  if (def == nullptr) {  // ClaimDue only takes registered types
    store_.Release(claim);
    return;
  }
  const std::vector<StepSpec>& specs = def->specs();
  const std::string id = claim.record.id;
  {
    std::lock_guard lock(mu_);
    in_flight_.insert(id);
  }
  struct Done {
    Engine* self;
    std::string id;
    ~Done() {
      std::lock_guard lock(self->mu_);
      self->in_flight_.erase(id);
    }
  } done{this, id};

  // Persist writes consecutive transitions (one, or a step's outcome and the next attempt's
  // start) in one statement; false if our claim was lost (another engine has the saga).
  auto persist = [&](std::initializer_list<const Transition*> ts, std::optional<double> duration,
                     bool keep) {
    std::vector<Logged> logs;
    for (const Transition* t : ts) {
      const int step = t->log.step;
      logs.push_back({&t->log,
                      step >= 0 && step < static_cast<int>(specs.size()) ? specs[step].name : "",
                      logs.empty() ? duration : std::nullopt});
    }
    const SagaRecord& r = (*std::prev(ts.end()))->next;
    const SystemTime now = clock_.Now();
    if (options_.observer) {
      for (const Logged& l : logs) options_.observer(WritePoint::kBefore, id, l.step_name, *l.log);
    }
    if (!store_.Write(claim, r, logs, keep, now, options_.lease, options_.owner)) {
      ++lost_claims_;
      log::Warn("saga claim lost; another engine has it", {{"saga_id", id}});
      return false;
    }
    transitions_ += static_cast<long long>(logs.size());
    if (options_.observer) {
      for (const Logged& l : logs) options_.observer(WritePoint::kAfter, id, l.step_name, *l.log);
    }
    claim.record = r;
    return true;
  };

  // started: the attempt at the cursor was started in the same write as the previous outcome.
  bool started = false;
  while (!stopping_) {
    const SystemTime now = clock_.Now();
    const SagaRecord& rec = claim.record;
    const Action action = started ? Action{ActionKind::kStartAttempt, {}} : Decide(rec, specs, now);
    Event event;
    std::optional<double> duration;

    switch (action.kind) {
      case ActionKind::kNothing:
        store_.Release(claim);
        if (action.wake_at != SystemTime::max()) WakeAt(action.wake_at);
        return;
      case ActionKind::kInterrupted:
        event.kind = EventKind::kInterrupted;
        break;
      case ActionKind::kTimeOut:
        event.kind = EventKind::kTimedOut;
        break;
      case ActionKind::kStartAttempt:
      case ActionKind::kReply: {
        const bool compensation = rec.status == SagaStatus::kCompensating;
        if (action.kind == ActionKind::kStartAttempt && !started) {
          auto start = Apply(rec, specs, {.kind = EventKind::kAttemptStarted}, now, Jitter());
          if (!start) {
            ++errors_;
            log::Error("saga transition refused",
                       {{"saga_id", id}, {"error", start.error().message}});
            store_.Release(claim);
            return;
          }
          if (!persist({&*start}, std::nullopt, /*keep=*/true)) return;
        }
        started = false;
        const Step& step = def->steps()[static_cast<std::size_t>(claim.record.cursor)];
        const StepContext ctx{
            .saga_id = id,
            .saga_type = claim.record.type,
            .step = step.spec().name,
            .attempt = claim.record.attempt,
            .compensation = compensation,
            .idempotency_token = IdempotencyToken(id, step.spec().name, compensation),
            .correlation_id = claim.record.correlation_id,
            .input = claim.record.input,
            .data = claim.record.data,
        };
        const auto t0 = clock_.Monotonic();
        StepResult result = StepResult::Done();
        if (action.kind == ActionKind::kReply) {
          const nlohmann::json reply = *claim.record.reply;
          result = Call([&] { return step.on_reply()(ctx, reply); });
        } else if (compensation) {
          result = Call([&] { return step.compensation()(ctx); });
        } else {
          result = Call([&] { return step.handler()(ctx); });
        }
        duration = Millis(clock_.Monotonic() - t0);
        if (result.kind() == StepResult::Kind::kSent && step.spec().async && !compensation &&
            action.kind == ActionKind::kStartAttempt) {
          store_.Release(claim);  // the reply (or the deadline) makes it due again
          return;
        }
        event = ToEvent(result);
        break;
      }
      case ActionKind::kNotify: {
        Status st = Status::Ok();
        if (def->on_finished()) {
          const FinishedSaga finished{rec.id, rec.type, rec.status, rec.input, rec.data, rec.error};
          try {
            st = def->on_finished()(finished);
          } catch (const std::exception& e) {
            st = Error::Internal(std::string("on_finished threw: ") + e.what());
          }
        }
        event = st.ok() ? Event{.kind = EventKind::kNotified}
                        : Event{.kind = EventKind::kNotifyFailed, .error = st.error().message};
        break;
      }
    }

    const SystemTime after = clock_.Now();
    auto t = Apply(claim.record, specs, event, after, Jitter());
    if (!t) {
      ++errors_;
      log::Error("saga transition refused", {{"saga_id", id}, {"error", t.error().message}});
      store_.Release(claim);
      return;
    }
    const bool keep = t->next.phase != Phase::kDone && t->next.phase != Phase::kAwaitingReply &&
                      t->next.next_run_at <= after;
    // Going on at once with the next attempt: its start is persisted with this outcome, in one
    // statement, still before the attempt runs.
    if (keep && !stopping_ && Decide(t->next, specs, after).kind == ActionKind::kStartAttempt) {
      auto start = Apply(t->next, specs, {.kind = EventKind::kAttemptStarted}, after, Jitter());
      if (start) {
        if (!persist({&*t, &*start}, duration, /*keep=*/true)) return;
        started = true;
        continue;
      }
    }
    if (!persist({&*t}, duration, keep)) return;
    if (!keep) {
      if (t->next.phase != Phase::kDone) WakeAt(t->next.next_run_at);
      return;
    }
  }
  store_.Release(claim);
}

void Engine::Worker() {
  while (running_) {
    bool worked = false;
    try {
      worked = RunOnce();
    } catch (const std::exception& e) {
      ++errors_;
      log::Warn("saga engine: store unavailable, retrying", {{"error", e.what()}});
    }
    if (worked) continue;
    std::unique_lock lock(mu_);
    const long long seen = wakeups_;
    auto timeout = options_.idle_poll;
    if (next_wake_) {
      const auto until =
          std::chrono::duration_cast<milliseconds>(*next_wake_ - clock_.Now()) + milliseconds(1);
      timeout = std::clamp(until, milliseconds(0), timeout);
    }
    cv_.wait_for(lock, timeout, [&] { return !running_ || wakeups_ != seen; });
    if (next_wake_ && *next_wake_ <= clock_.Now()) next_wake_.reset();
  }
}

void Engine::Heartbeat() {
  const auto period = options_.lease / 3;
  std::unique_lock lock(mu_);
  while (running_) {
    cv_.wait_for(lock, period, [&] { return !running_.load(); });
    if (!running_) break;
    std::vector<std::string> ids(in_flight_.begin(), in_flight_.end());
    lock.unlock();
    try {
      store_.ExtendLeases(options_.owner, ids, clock_.Now() + options_.lease);
    } catch (const std::exception& e) {
      log::Warn("saga engine: lease renewal failed", {{"error", e.what()}});
    }
    lock.lock();
  }
}

void Engine::Start() {
  if (running_.exchange(true)) return;
  stopping_ = false;
  if (options_.listen) {
    listener_ = std::make_unique<pg::Listener>(db_.url(), store_.channel(), [this] { Wake(); });
    listener_->Start();
  }
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { Worker(); });
  threads_.emplace_back([this] { Heartbeat(); });
}

void Engine::Stop() {
  stopping_ = true;
  if (!running_.exchange(false)) return;
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  if (listener_) listener_->Stop();
  listener_.reset();
}

EngineStats Engine::Stats() const {
  return {transitions_.load(), lost_claims_.load(), errors_.load()};
}

}  // namespace made0::saga
