#pragma once
// FakeClock: a Clock that moves only when a test says so.

#include <atomic>

#include "made0/core/clock.hpp"

namespace made0::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(SystemTime start = SystemTime{std::chrono::seconds{1'800'000'000}})
      : now_(start.time_since_epoch().count()) {}

  SystemTime Now() const override {
    return SystemTime{SystemTime::duration{now_.load()}};
  }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return std::chrono::steady_clock::time_point{
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(
            SystemTime::duration{now_.load()})};
  }
  void Advance(std::chrono::nanoseconds d) {
    now_ += std::chrono::duration_cast<SystemTime::duration>(d).count();
  }

 private:
  std::atomic<SystemTime::rep> now_;
};

}  // namespace made0::testing
