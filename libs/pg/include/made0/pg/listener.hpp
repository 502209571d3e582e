#pragma once
// Listener: LISTEN on one channel over its own connection and thread, and call back on NOTIFY.
// The outbox relay uses it to wake as soon as a transaction that enqueued a message commits.
//
//   pg::Listener listener(db.url(), "users_outbox", [&] { relay.Wake(); });
//   listener.Start();
//   ...
//   listener.Stop();   // also done by the destructor
//
// After an error the Listener reconnects after reconnect_delay. Notifications sent while it was
// disconnected are lost, so the callback also runs after every (re)connect: treat a call as
// "something may have changed", never as a count. The callback runs on the Listener's thread and
// must be quick (typically: signal a condition variable).

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace made0::pg {

struct ListenerOptions {
  std::chrono::seconds connect_timeout{5};
  std::chrono::milliseconds reconnect_delay{1000};
};

class Listener {
 public:
  // channel must satisfy IsValidIdentifier (made0/pg/migrations.hpp); std::invalid_argument if not.
  Listener(std::string url, std::string channel, std::function<void()> on_notify,
           ListenerOptions options = {});
  ~Listener();
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;

  void Start();
  // Stop interrupts any wait at once and joins the thread; idempotent.
  void Stop();
  // Listening is true while the LISTEN is in effect (tests wait for it before notifying).
  bool Listening() const;
  // Reconnects counts connections after the first (for metrics and tests).
  long long Reconnects() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace made0::pg
