#include "made0/redis/registry.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "made0/core/log.hpp"
#include "made0/redis/script.hpp"
#include "registry_logic.hpp"
#include "registry_scripts.hpp"

namespace made0::redis {

using internal::Steady;

struct Registry::State {
  State(Client& c, Registration r, RegistryOptions o, const Clock* clk, Random* rng)
      : own_clock(clk ? nullptr : std::make_unique<SystemClock>()),
        own_random(rng ? nullptr : std::make_unique<SecureRandom>()),
        clock(clk ? *clk : *own_clock),
        client(c),
        options(std::move(o)),
        interval(internal::HeartbeatInterval(options)),
        valid(Validate(r, options)),
        register_script(internal::kRegisterLua),
        deregister_script(internal::kDeregisterLua) {
    Random& random = rng ? *rng : *own_random;
    instance.id = r.id.empty() ? internal::NewInstanceId(r.service, random) : std::move(r.id);
    instance.service = std::move(r.service);
    instance.address = std::move(r.address);
    instance.port = r.port;
    instance.version = std::move(r.version);
    instance.started_at = clock.Now();
  }

  static Status Validate(const Registration& r, const RegistryOptions& o) {
    if (auto st = internal::ValidateRegistration(r); !st) return st;
    return internal::ValidateRegistryOptions(o);
  }

  std::vector<std::string> Keys() const {
    return {internal::InstanceKey(options.key_prefix, instance.id),
            internal::ServiceKey(options.key_prefix, instance.service),
            internal::ServicesKey(options.key_prefix)};
  }

  // Beat writes the whole entry with a fresh TTL, so it also re-creates one Redis lost.
  Status Beat() {
    const SystemTime now = clock.Now();
    const SystemTime expires = now + options.ttl;
    {
      std::lock_guard lock(mu);
      maybe_registered = true;
    }
    auto reply = register_script.Run(
        client, Keys(),
        {internal::InstanceToJson(instance), std::to_string(options.ttl.count()),
         std::to_string(internal::UnixMillis(expires)), instance.id, instance.service,
         std::to_string(internal::UnixMillis(now))});
    if (!reply) return std::move(reply).error();
    std::lock_guard lock(mu);
    last_success = clock.Monotonic();
    last_expiry = expires;
    return Status::Ok();
  }

  void Loop() {
    int failures = 0;
    std::unique_lock lock(mu);
    auto delay = internal::FirstHeartbeatDelay(last_success, clock.Monotonic(), interval);
    // The wait is real time; the injected clock only stamps what is written.
    while (!cv.wait_for(lock, delay, [this] { return stop; })) {
      lock.unlock();
      Status st = Beat();
      lock.lock();
      if (st) {
        if (failures > 0) {
          log::Info("registry heartbeat recovered; instance re-registered",
                    {{"instance_id", instance.id}, {"failed_beats", failures}});
        }
        failures = 0;
      } else {
        ++failures;
        if (internal::ShouldLogHeartbeatFailure(failures)) {
          log::Warn("registry heartbeat failed; retrying", {{"instance_id", instance.id},
                                                            {"failed_beats", failures},
                                                            {"error", st.error().message}});
        }
      }
      delay = internal::NextHeartbeatDelay(failures, interval);
    }
  }

  std::unique_ptr<Clock> own_clock;
  std::unique_ptr<Random> own_random;
  const Clock& clock;
  Client& client;
  const RegistryOptions options;
  const std::chrono::milliseconds interval;
  const Status valid;
  const Script register_script;
  const Script deregister_script;
  Instance instance;  // immutable after construction; the last expiry is last_expiry

  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread thread;
  std::optional<Steady> last_success;
  std::optional<SystemTime> last_expiry;
  bool maybe_registered = false;  // a beat was sent since the last successful deregistration
  std::mutex lifecycle;           // serialises Start and Stop
};

Registry::Registry(Client& client, Registration registration, RegistryOptions options)
    : state_(std::make_unique<State>(client, std::move(registration), std::move(options), nullptr,
                                     nullptr)) {}

Registry::Registry(Client& client, Registration registration, RegistryOptions options,
                   const Clock& clock, Random& random)
    : state_(std::make_unique<State>(client, std::move(registration), std::move(options), &clock,
                                     &random)) {}

Registry::~Registry() { (void)Stop(); }

const std::string& Registry::id() const { return state_->instance.id; }

Instance Registry::instance() const {
  std::lock_guard lock(state_->mu);
  Instance i = state_->instance;
  if (state_->last_expiry) i.expires_at = *state_->last_expiry;
  return i;
}

Status Registry::Register() {
  if (!state_->valid) return state_->valid;
  return state_->Beat();
}

Status Registry::Start() {
  if (!state_->valid) return state_->valid;
  std::lock_guard life(state_->lifecycle);
  if (state_->thread.joinable()) return Error::Conflict("registry already started");
  {
    std::lock_guard lock(state_->mu);
    state_->stop = false;
  }
  state_->thread = std::thread([s = state_.get()] { s->Loop(); });
  return Status::Ok();
}

Status Registry::Stop() {
  std::lock_guard life(state_->lifecycle);
  if (state_->thread.joinable()) {
    {
      std::lock_guard lock(state_->mu);
      state_->stop = true;
    }
    state_->cv.notify_all();
    state_->thread.join();  // no beat can follow the deletion below
  }
  {
    std::lock_guard lock(state_->mu);
    if (!state_->maybe_registered) return Status::Ok();
  }
  const Instance& i = state_->instance;
  auto reply = state_->deregister_script.Run(state_->client, state_->Keys(), {i.id, i.service});
  if (!reply) {
    log::Warn("registry deregistration failed; the entry lapses with its TTL",
              {{"instance_id", i.id}, {"error", reply.error().message}});
    return std::move(reply).error();
  }
  std::lock_guard lock(state_->mu);
  state_->maybe_registered = false;
  state_->last_success.reset();
  return Status::Ok();
}

}  // namespace made0::redis
