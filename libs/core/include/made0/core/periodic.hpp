#pragma once
// Periodic: a background round every interval (a reconcile loop, a watcher), on its own thread.
//
//   Periodic loop("instance watcher", 5s, [this] { RunOnce(); });
//   loop.Start();   // a first round at once, then one every 5 s after each round ends
//   loop.Stop();    // waits for the round in progress (also the destructor)
//
// A round that throws is logged as "<name> round failed" and the next one runs as usual: a
// dependency that fails now is tried again next time. The wait is real time (an injected Clock
// only stamps what the rounds write).

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace made0 {

class Periodic {
 public:
  Periodic(std::string name, std::chrono::milliseconds interval, std::function<void()> round);
  ~Periodic();  // Stop()
  Periodic(const Periodic&) = delete;
  Periodic& operator=(const Periodic&) = delete;

  // Start starts the thread; again while it runs does nothing. Start after Stop starts anew.
  void Start();
  // Stop wakes the thread from its wait, lets the round in progress finish and joins it.
  void Stop();

 private:
  void Loop();

  const std::string name_;
  const std::chrono::milliseconds interval_;
  const std::function<void()> round_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace made0
