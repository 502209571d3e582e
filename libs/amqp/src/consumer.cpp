#include "made0/amqp/consumer.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

#include "connection.hpp"
#include "declare.hpp"
#include "disposition.hpp"
#include "made0/amqp/url.hpp"
#include "made0/core/log.hpp"

namespace made0::amqp {
namespace {

using std::chrono::milliseconds;

// kPollInterval bounds how long Stop() waits for the consumer thread to notice it.
constexpr milliseconds kPollInterval{200};

// Session is one connected period: a connection consuming Q and one, in confirm mode, for
// republishing to Q.retry and Q.dead (its confirms must not interleave with deliveries).
struct Session {
  std::unique_ptr<internal::Connection> consume;
  std::unique_ptr<internal::Connection> republish;
};

HandlerResult RunHandler(const Handler& handler, const Delivery& d) {
  try {
    return handler(d);
  } catch (const std::exception& e) {
    return {HandlerResult::kRetry, std::string("handler threw: ") + e.what()};
  } catch (...) {
    return {HandlerResult::kRetry, "handler threw a non-standard exception"};
  }
}

std::vector<HandlerResult> RunBatch(const BatchHandler& handler, const std::vector<Delivery>& ds) {
  try {
    return CompleteResults(handler(ds), ds.size());
  } catch (const std::exception& e) {
    return std::vector<HandlerResult>(
        ds.size(), HandlerResult{HandlerResult::kRetry, std::string("handler threw: ") + e.what()});
  } catch (...) {
    return std::vector<HandlerResult>(
        ds.size(), HandlerResult{HandlerResult::kRetry, "handler threw a non-standard exception"});
  }
}

// OneByOne runs a per-message handler over a batch.
BatchHandler OneByOne(Handler handler) {
  if (!handler) return nullptr;
  return [handler = std::move(handler)](const std::vector<Delivery>& ds) {
    std::vector<HandlerResult> results;
    results.reserve(ds.size());
    for (const Delivery& d : ds) results.push_back(RunHandler(handler, d));
    return results;
  };
}

long long NowMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

struct Consumer::State {
  State(std::string url_arg, QueueSpec queue, BatchHandler h, ConsumerOptions opts)
      : url_text_(std::move(url_arg)),
        spec_(std::move(queue)),
        handler_(std::move(h)),
        options_(opts),
        random_(options_.random != nullptr ? *options_.random : own_random_) {}

  void Run();
  Status Connect(Session& session);
  Status Serve(Session& session);
  Status Handle(Session& session, std::vector<internal::Incoming> batch);
  Status Settle(Session& session, const Delivery& d, const HandlerResult& result);
  void SetReady(bool value);
  void SleepUnlessStopping(milliseconds delay);

  std::string url_text_;
  QueueSpec spec_;
  BatchHandler handler_;
  ConsumerOptions options_;
  SecureRandom own_random_;
  Random& random_;
  AmqpUrl url_;

  std::thread thread_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;  // wakes WaitReady and the backoff sleep
  bool ready_ = false;                  // guarded by mu_

  std::atomic<std::uint64_t> delivered_{0}, acked_{0}, retried_{0}, dead_lettered_{0}, connects_{0};
};

void Consumer::State::SetReady(bool value) {
  {
    std::lock_guard lock(mu_);
    ready_ = value;
  }
  cv_.notify_all();
}

void Consumer::State::SleepUnlessStopping(milliseconds delay) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, delay, [&] { return stopping_.load(); });
}

Status Consumer::State::Connect(Session& session) {
  const std::string name = "made0-consumer " + spec_.name;
  auto consume = internal::Connection::Open(
      url_, {options_.timeout, static_cast<int>(options_.heartbeat.count()), name});
  if (!consume) return consume.error();
  if (auto st = internal::DeclareQueues(**consume, spec_); !st) return st;
  if (auto st = (*consume)->Qos(spec_.prefetch); !st) return st;
  auto republish = internal::Connection::Open(url_, {options_.timeout, 0, name + " republish"});
  if (!republish) return republish.error();
  if (auto st = (*republish)->EnableConfirms(); !st) return st;
  if (auto st = (*consume)->Consume(spec_.name); !st) return st;
  session.consume = std::move(*consume);
  session.republish = std::move(*republish);
  return Status::Ok();
}

Status Consumer::State::Serve(Session& session) {
  const std::size_t batch_max =
      static_cast<std::size_t>(std::max(1, std::min(options_.batch_max, spec_.prefetch)));
  std::optional<std::chrono::steady_clock::time_point> previous_batch;
  while (!stopping_) {
    auto next = session.consume->Next(kPollInterval);
    if (!next) return next.error();
    if (!*next) continue;
    std::vector<internal::Incoming> batch;
    batch.push_back(std::move(**next));
    const auto now = std::chrono::steady_clock::now();
    const auto deadline = now + internal::BatchLinger(previous_batch, now, options_.batch_linger,
                                                      options_.batch_idle_after);
    previous_batch = now;
    while (batch.size() < batch_max && !stopping_) {
      const auto left =
          std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
      auto more = session.consume->Next(std::max(left, milliseconds(0)));
      if (!more) return more.error();  // the batch is unacked: the broker delivers it again
      if (!*more) break;
      batch.push_back(std::move(**more));
    }
    if (stopping_) break;  // arrived after Stop(): left unacked, the broker requeues it
    if (auto st = Handle(session, std::move(batch)); !st) return st;
  }
  return Status::Ok();
}

Status Consumer::State::Handle(Session& session, std::vector<internal::Incoming> batch) {
  delivered_ += batch.size();
  // If the republish connection died meanwhile, give the messages back (by dropping the session)
  // before the handler runs, rather than after.
  if (auto st = session.republish->Poll(); !st) return st;
  std::vector<Delivery> ds;
  ds.reserve(batch.size());
  for (internal::Incoming& in : batch) {
    ds.push_back(internal::ToDelivery(std::move(in.message), in.redelivered));
  }
  const std::vector<HandlerResult> results = RunBatch(handler_, ds);
  for (std::size_t i = 0; i < ds.size(); ++i) {
    if (auto st = Settle(session, ds[i], results[i]); !st) return st;
  }
  // Only now, with every republish confirmed, are the originals acknowledged: all of them with
  // one ack, since every earlier delivery on this channel was acknowledged before.
  return session.consume->Ack(batch.back().delivery_tag, /*multiple=*/batch.size() > 1);
}

Status Consumer::State::Settle(Session& session, const Delivery& d, const HandlerResult& result) {
  internal::PublishOptions opts;
  opts.confirm_timeout = options_.timeout;
  opts.now_ms = NowMs();
  switch (internal::Decide(result.kind, d.attempt, spec_.max_attempts)) {
    case internal::Disposition::kAck:
      ++acked_;
      break;
    case internal::Disposition::kRetry: {
      opts.expiration = spec_.retry_delay;
      const Message retry = internal::ForRetry(d, spec_.name, result.error);
      if (auto st = session.republish->Publish(retry, opts); !st) return st;
      ++retried_;
      break;
    }
    case internal::Disposition::kDead: {
      const char* reason = result.kind == HandlerResult::kReject ? "rejected" : "max-attempts";
      const Message dead = internal::ForDead(d, spec_.name, reason, result.error);
      if (auto st = session.republish->Publish(dead, opts); !st) return st;
      ++dead_lettered_;
      log::Warn("amqp message dead-lettered", {{"queue", spec_.name},
                                               {"message_id", d.message.message_id},
                                               {"attempt", d.attempt},
                                               {"reason", reason},
                                               {"error", result.error}});
      break;
    }
  }
  return Status::Ok();
}

void Consumer::State::Run() {
  Backoff backoff(options_.reconnect, random_);
  while (!stopping_) {
    Status st;
    {
      Session session;
      try {
        st = Connect(session);
        if (st) {
          if (backoff.failures() > 0) {
            log::Info("amqp consumer reconnected", {{"queue", spec_.name}});
          }
          backoff.Reset();
          ++connects_;
          SetReady(true);
          st = Serve(session);
        }
      } catch (const std::exception& e) {  // e.g. bad_alloc; keep the thread alive
        st = Error::Internal(std::string("consumer loop: ") + e.what());
      }
      SetReady(false);
      // Closing the consuming connection returns unacknowledged deliveries to the queue.
    }
    if (stopping_) break;
    const milliseconds delay = backoff.Next();
    // Every failure while the broker is down would be noise; the first and every tenth will do.
    if (backoff.failures() == 1 || backoff.failures() % 10 == 0) {
      log::Warn("amqp consumer disconnected", {{"queue", spec_.name},
                                               {"error", st.error().message},
                                               {"failures", backoff.failures()},
                                               {"retry_in_ms", delay.count()}});
    }
    SleepUnlessStopping(delay);
  }
}

Consumer::Consumer(std::string url, QueueSpec spec, Handler handler, ConsumerOptions options)
    : Consumer(std::move(url), std::move(spec), OneByOne(std::move(handler)), options) {}

Consumer::Consumer(std::string url, QueueSpec spec, BatchHandler handler, ConsumerOptions options)
    : state_(
          std::make_unique<State>(std::move(url), std::move(spec), std::move(handler), options)) {}

Consumer::~Consumer() { Stop(); }

Status Consumer::Start() {
  State& s = *state_;
  if (s.thread_.joinable()) return Error::Conflict("consumer already started");
  if (!s.handler_) return Error::Invalid("handler", "handler is empty");
  if (auto st = ValidateQueueSpec(s.spec_); !st) return st;
  auto url = ParseAmqpUrl(s.url_text_);
  if (!url) return url.error();
  s.url_ = std::move(*url);
  s.stopping_ = false;
  s.thread_ = std::thread([&s] { s.Run(); });
  return Status::Ok();
}

void Consumer::Stop() {
  State& s = *state_;
  if (!s.thread_.joinable()) return;
  {
    std::lock_guard lock(s.mu_);
    s.stopping_ = true;
  }
  s.cv_.notify_all();
  s.thread_.join();
}

bool Consumer::Ready() const {
  std::lock_guard lock(state_->mu_);
  return state_->ready_;
}

bool Consumer::WaitReady(milliseconds timeout) const {
  std::unique_lock lock(state_->mu_);
  return state_->cv_.wait_for(lock, timeout, [&] { return state_->ready_; });
}

ConsumerStats Consumer::Stats() const {
  const State& s = *state_;
  return {s.delivered_, s.acked_, s.retried_, s.dead_lettered_, s.connects_};
}

}  // namespace made0::amqp
