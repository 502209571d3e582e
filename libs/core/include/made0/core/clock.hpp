#pragma once
// Clock: injected wherever time decides something (token expiry, TTLs, timeouts, backoff), so
// tests drive time instead of sleeping (Envoy's SimulatedTimeSystem). SystemClock is the real one;
// made0/core/testing/fake_clock.hpp has a settable one.

#include <chrono>
#include <string>

namespace made0 {

using SystemTime = std::chrono::system_clock::time_point;

// Clock gives wall-clock time (for stored timestamps) and monotonic time (for durations).
class Clock {
 public:
  virtual ~Clock() = default;
  virtual SystemTime Now() const = 0;
  virtual std::chrono::steady_clock::time_point Monotonic() const = 0;
};

class SystemClock final : public Clock {
 public:
  SystemTime Now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point Monotonic() const override {
    return std::chrono::steady_clock::now();
  }
};

// FormatRfc3339 writes a UTC time as 2026-12-03T18:16:09.123Z (millisecond precision).
std::string FormatRfc3339(SystemTime t);

// UnixMicros is microseconds since the epoch.
inline long long UnixMicros(SystemTime t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace made0
