#pragma once
// Open-loop load at a fixed rate: requests are scheduled at exact times, and each latency is
// measured from its scheduled time, not from when it was actually sent, so a stalled server
// shows up in the percentiles instead of silently lowering the offered load (coordinated
// omission).
//
//   LoadResult r = RunFixedRate(1000, std::chrono::seconds(10), 8, [&](int worker) {
//     return client.Send(request).ok();
//   });
//   std::printf("p99 %.2f ms\n", r.Percentile(0.99) / 1000.0);

#include <chrono>
#include <functional>
#include <vector>

namespace made0::bench {

// Percentile of samples (p in [0, 1]); 0 for none. The samples are sorted in place.
double Percentile(std::vector<double>& samples, double p);

struct LoadResult {
  std::vector<double> latencies_us;  // of successful requests, sorted
  int errors = 0;
  double seconds = 0;  // wall time of the run
  double Percentile(double p) const;
  double Rate() const { return static_cast<double>(latencies_us.size()) / seconds; }
};

// RunFixedRate calls `request(worker)` rate times per second for `duration`, spread over
// `workers` threads. request returns true on success.
LoadResult RunFixedRate(double rate, std::chrono::milliseconds duration, int workers,
                        const std::function<bool(int worker)>& request);

// Summary prints "name: n ok, e errors, rate/s, p50, p90, p99, max" on one line.
void PrintSummary(const char* name, const LoadResult& r);

}  // namespace made0::bench
