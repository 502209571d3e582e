#include "load.hpp"

#include <algorithm>
#include <cstdio>
#include <mutex>
#include <thread>

namespace made0::bench {

double Percentile(std::vector<double>& samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  const auto i = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1));
  return samples[i];
}

double LoadResult::Percentile(double p) const {
  if (latencies_us.empty()) return 0;
  const auto i = static_cast<std::size_t>(p * static_cast<double>(latencies_us.size() - 1));
  return latencies_us[i];
}

LoadResult RunFixedRate(double rate, std::chrono::milliseconds duration, int workers,
                        const std::function<bool(int)>& request) {
  using Clock = std::chrono::steady_clock;
  const auto interval = std::chrono::duration<double>(1.0 / rate);
  const auto total = static_cast<long>(rate * std::chrono::duration<double>(duration).count());
  const auto start = Clock::now() + std::chrono::milliseconds(50);
  LoadResult result;
  std::mutex mu;
  std::vector<std::thread> threads;
  for (int w = 0; w < workers; ++w) {
    threads.emplace_back([&, w] {
      std::vector<double> mine;
      int errors = 0;
      for (long i = w; i < total; i += workers) {
        const auto scheduled =
            start + std::chrono::duration_cast<Clock::duration>(interval * static_cast<double>(i));
        std::this_thread::sleep_until(scheduled);
        const bool ok = request(w);
        const auto us = std::chrono::duration<double, std::micro>(Clock::now() - scheduled).count();
        if (ok) {
          mine.push_back(us);
        } else {
          ++errors;
        }
      }
      std::lock_guard lock(mu);
      result.latencies_us.insert(result.latencies_us.end(), mine.begin(), mine.end());
      result.errors += errors;
    });
  }
  for (auto& t : threads) t.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(result.latencies_us.begin(), result.latencies_us.end());
  return result;
}

void PrintSummary(const char* name, const LoadResult& r) {
  std::printf(
      "%-28s %6zu ok %4d errors %8.1f/s  p50 %8.2f ms  p90 %8.2f ms  p99 %8.2f ms  max %8.2f ms\n",
      name, r.latencies_us.size(), r.errors, r.Rate(), r.Percentile(0.5) / 1000,
      r.Percentile(0.9) / 1000, r.Percentile(0.99) / 1000,
      r.latencies_us.empty() ? 0.0 : r.latencies_us.back() / 1000);
}

}  // namespace made0::bench
